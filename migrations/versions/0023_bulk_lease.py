"""bulk jobs hold a lease: the worker running one beats a heartbeat, so a job whose worker died can be resumed

Revision ID: 0023_bulk_lease
Revises: 0021_course_media
Create Date: 2026-12-01 19:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0023_bulk_lease'
down_revision = '0021_course_media'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('certificate_bulk_jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('runner', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('heartbeat_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('certificate_bulk_jobs', schema=None) as batch_op:
        batch_op.drop_column('heartbeat_at')
        batch_op.drop_column('runner')
