"""local governments' adopted plans (LPDI, SRPS) recorded by ROPS for the project indicator; a person's optional
sex for the EU participant-monitoring breakdowns

Revision ID: 0024_analytics_plans
Revises: 0023_bulk_lease
Create Date: 2026-12-01 19:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0024_analytics_plans'
down_revision = '0023_bulk_lease'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('analytics_local_plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=4), nullable=False),
    sa.Column('adopted_on', sa.Date(), nullable=False),
    sa.Column('document_url', sa.String(length=500), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('LPDI', 'SRPS')", name=op.f('ck_analytics_local_plans_plan_kind_known')),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_analytics_local_plans_created_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['unit_id'], ['territorial_units.id'], name=op.f('fk_analytics_local_plans_unit_id_territorial_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_analytics_local_plans')),
    sa.UniqueConstraint('unit_id', 'kind', name=op.f('uq_analytics_local_plans_unit_id_kind'))
    )
    with op.batch_alter_table('analytics_local_plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_analytics_local_plans_unit_id'), ['unit_id'], unique=False)
    # Plain ADD/DROP COLUMN (as 0005 does): a batch copy of `users` would cascade-delete the rows that reference it.
    op.add_column('users', sa.Column('sex', sa.String(length=12), nullable=True))


def downgrade():
    op.execute('ALTER TABLE users DROP COLUMN sex')
    with op.batch_alter_table('analytics_local_plans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_analytics_local_plans_unit_id'))
    op.drop_table('analytics_local_plans')
