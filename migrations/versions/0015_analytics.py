"""analytics: training needs reported by institutions (yearly rounds with a deadline, one submission each)

Revision ID: 0015_analytics
Revises: 0014_interop
Create Date: 2026-12-01 16:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015_analytics'
down_revision = '0014_interop'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('analytics_needs_rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_analytics_needs_rounds_created_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_analytics_needs_rounds')),
    sa.UniqueConstraint('year', name=op.f('uq_analytics_needs_rounds_year'))
    )
    op.create_table('analytics_needs_submissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.Column('submitted_by', sa.Integer(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('competences', sa.JSON(), nullable=False),
    sa.Column('topics', sa.Text(), nullable=False),
    sa.Column('workers', sa.Integer(), nullable=False),
    sa.Column('preferred_form', sa.String(length=20), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.CheckConstraint("preferred_form IN ('elearning', 'workshop', 'supervision')", name=op.f('ck_analytics_needs_submissions_form_known')),
    sa.CheckConstraint('workers >= 1', name=op.f('ck_analytics_needs_submissions_workers_positive')),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_analytics_needs_submissions_institution_id_institutions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['analytics_needs_rounds.id'], name=op.f('fk_analytics_needs_submissions_round_id_analytics_needs_rounds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['submitted_by'], ['users.id'], name=op.f('fk_analytics_needs_submissions_submitted_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_analytics_needs_submissions')),
    sa.UniqueConstraint('round_id', 'institution_id', name=op.f('uq_analytics_needs_submissions_round_id_institution_id'))
    )
    with op.batch_alter_table('analytics_needs_submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_analytics_needs_submissions_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_analytics_needs_submissions_round_id'), ['round_id'], unique=False)


def downgrade():
    with op.batch_alter_table('analytics_needs_submissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_analytics_needs_submissions_round_id'))
        batch_op.drop_index(batch_op.f('ix_analytics_needs_submissions_institution_id'))
    op.drop_table('analytics_needs_submissions')
    op.drop_table('analytics_needs_rounds')
