"""comp_levels indexed by competence and level: "who meets this role's profile" and the team's summary row are
answered from the index instead of scanning every stored level of a region

Revision ID: 0025_perf_indexes
Revises: 0024_analytics_plans
Create Date: 2026-12-01 20:05:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0025_perf_indexes'
down_revision = '0024_analytics_plans'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('comp_levels', schema=None) as batch_op:
        batch_op.create_index('ix_comp_levels_code_level_user', ['code', 'level', 'user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('comp_levels', schema=None) as batch_op:
        batch_op.drop_index('ix_comp_levels_code_level_user')
