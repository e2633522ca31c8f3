"""courses: media of a course (the media/ folder of a file course, named uploads of a browser course)

Revision ID: 0021_course_media
Revises: 0019_everyday
Create Date: 2026-12-01 18:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021_course_media'
down_revision = '0019_everyday'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('course_attachments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('media_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('sha256', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_course_attachments_course_id_media_name'), ['course_id', 'media_name'])


def downgrade():
    with op.batch_alter_table('course_attachments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_course_attachments_course_id_media_name'), type_='unique')
        batch_op.drop_column('sha256')
        batch_op.drop_column('media_name')
