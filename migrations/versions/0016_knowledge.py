"""knowledge: the knowledge base — resources (documents, links, articles), document versions with extracted text, tags

Revision ID: 0016_knowledge
Revises: 0015_analytics
Create Date: 2026-12-01 18:30:40.933989

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016_knowledge'
down_revision = '0015_analytics'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('knowledge_resources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('format', sa.String(length=10), nullable=False),
    sa.Column('type', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('licence', sa.String(length=200), nullable=False),
    sa.Column('published_on', sa.Date(), nullable=True),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('proposal_note', sa.Text(), nullable=True),
    sa.Column('review_reason', sa.Text(), nullable=True),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("format IN ('document', 'link', 'article')", name=op.f('ck_knowledge_resources_format_known')),
    sa.CheckConstraint("status IN ('proposed', 'published', 'rejected')", name=op.f('ck_knowledge_resources_status_known')),
    sa.CheckConstraint("type IN ('legal_act', 'guidelines', 'research_report', 'good_practice', 'template', 'sample_strategy', 'guide')", name=op.f('ck_knowledge_resources_type_known')),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_knowledge_resources_reviewed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['unit_id'], ['territorial_units.id'], name=op.f('fk_knowledge_resources_unit_id_territorial_units'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_knowledge_resources_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_knowledge_resources'))
    )
    with op.batch_alter_table('knowledge_resources', schema=None) as batch_op:
        batch_op.create_index('ix_knowledge_resources_status_type', ['status', 'type'], unique=False)
        batch_op.create_index(batch_op.f('ix_knowledge_resources_unit_id'), ['unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_knowledge_resources_user_id'), ['user_id'], unique=False)

    op.create_table('knowledge_tags',
    sa.Column('resource_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('value', sa.String(length=100), nullable=False),
    sa.CheckConstraint("kind IN ('topic', 'role', 'competence')", name=op.f('ck_knowledge_tags_kind_known')),
    sa.ForeignKeyConstraint(['resource_id'], ['knowledge_resources.id'], name=op.f('fk_knowledge_tags_resource_id_knowledge_resources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('resource_id', 'kind', 'value', name=op.f('pk_knowledge_tags'))
    )
    with op.batch_alter_table('knowledge_tags', schema=None) as batch_op:
        batch_op.create_index('ix_knowledge_tags_kind_value', ['kind', 'value'], unique=False)

    op.create_table('knowledge_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resource_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('stored_name', sa.String(length=80), nullable=False),
    sa.Column('file_type', sa.String(length=8), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('change_summary', sa.String(length=300), nullable=False),
    sa.Column('extraction', sa.String(length=8), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("extraction IN ('pending', 'done', 'empty', 'failed')", name=op.f('ck_knowledge_versions_extraction_known')),
    sa.ForeignKeyConstraint(['resource_id'], ['knowledge_resources.id'], name=op.f('fk_knowledge_versions_resource_id_knowledge_resources'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_knowledge_versions_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_knowledge_versions')),
    sa.UniqueConstraint('resource_id', 'number', name=op.f('uq_knowledge_versions_resource_id_number')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_knowledge_versions_stored_name'))
    )
    with op.batch_alter_table('knowledge_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_knowledge_versions_resource_id'), ['resource_id'], unique=False)



def downgrade():
    with op.batch_alter_table('knowledge_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_knowledge_versions_resource_id'))

    op.drop_table('knowledge_versions')
    with op.batch_alter_table('knowledge_tags', schema=None) as batch_op:
        batch_op.drop_index('ix_knowledge_tags_kind_value')

    op.drop_table('knowledge_tags')
    with op.batch_alter_table('knowledge_resources', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_knowledge_resources_user_id'))
        batch_op.drop_index(batch_op.f('ix_knowledge_resources_unit_id'))
        batch_op.drop_index('ix_knowledge_resources_status_type')

    op.drop_table('knowledge_resources')
