"""users.birth_year: an optional year of birth for the EU participant-monitoring age bands

Revision ID: 0027_birth_year
Revises: 0026_level_counts
Create Date: 2026-12-01 23:05:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0027_birth_year'
down_revision = '0026_level_counts'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD/DROP COLUMN (as 0024 does for sex): a batch copy of `users` would cascade-delete the rows that reference it.
    op.add_column('users', sa.Column('birth_year', sa.Integer(), nullable=True))


def downgrade():
    op.execute('ALTER TABLE users DROP COLUMN birth_year')
