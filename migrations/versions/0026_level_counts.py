"""comp_level_counts: a summary of stored levels, self-assessed answers and workers behind each requirement per
powiat and institution type, kept by the flushes that change them, so the regional needs analysis does not read
every worker

Existing data is counted here with the competencies domain's own counting (services/level_counts.py, plain SQL on
this migration's connection).

Revision ID: 0026_level_counts
Revises: 0025_perf_indexes
Create Date: 2026-12-01 22:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0026_level_counts'
down_revision = '0025_perf_indexes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'comp_level_counts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('powiat_id', sa.Integer(), nullable=False),
        sa.Column('institution_type', sa.String(length=10), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('key', sa.String(length=100), nullable=False),
        sa.Column('level', sa.Integer(), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_comp_level_counts')),
        sa.UniqueConstraint(
            'powiat_id', 'institution_type', 'kind', 'key', 'level',
            name=op.f('uq_comp_level_counts_powiat_id_institution_type_kind_key_level'),
        ),
    )
    with op.batch_alter_table('comp_level_counts', schema=None) as batch_op:
        batch_op.create_index('ix_comp_level_counts_kind_key', ['kind', 'key', 'level'], unique=False)

    from elearn.competencies.services import level_counts

    level_counts.rebuild(op.get_bind())


def downgrade():
    with op.batch_alter_table('comp_level_counts', schema=None) as batch_op:
        batch_op.drop_index('ix_comp_level_counts_kind_key')
    op.drop_table('comp_level_counts')
