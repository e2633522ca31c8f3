"""advisory: cases institutions ask ROPS advisors, their threads, files and meetings, answer templates, knowledge-base candidates

Revision ID: 0018_advisory
Revises: 0017_discussion
Create Date: 2026-12-01 18:30:44.486536

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018_advisory'
down_revision = '0017_discussion'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('advisory_answer_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('topic', sa.String(length=12), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_advisory_answer_templates_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_advisory_answer_templates')),
    sa.UniqueConstraint('title', name=op.f('uq_advisory_answer_templates_title'))
    )
    op.create_table('advisory_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.Column('requester_id', sa.Integer(), nullable=True),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('topic', sa.String(length=12), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('preferred_form', sa.String(length=12), nullable=False),
    sa.Column('urgency', sa.String(length=14), nullable=False),
    sa.Column('contact_phone', sa.String(length=20), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('assigned_to_id', sa.Integer(), nullable=True),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.Text(), nullable=True),
    sa.Column('minutes_spent', sa.Integer(), nullable=True),
    sa.CheckConstraint("preferred_form IN ('email', 'telefon', 'spotkanie', 'online')", name=op.f('ck_advisory_cases_form_known')),
    sa.CheckConstraint("status IN ('new', 'assigned', 'answered', 'closed')", name=op.f('ck_advisory_cases_status_known')),
    sa.CheckConstraint("topic IN ('srps', 'lpdi', 'cus', 'projekty', 'ekonomia', 'inne')", name=op.f('ck_advisory_cases_topic_known')),
    sa.CheckConstraint("urgency IN ('zwykla', 'pilna', 'bardzo_pilna')", name=op.f('ck_advisory_cases_urgency_known')),
    sa.CheckConstraint('minutes_spent IS NULL OR minutes_spent BETWEEN 0 AND 100000', name=op.f('ck_advisory_cases_minutes_range')),
    sa.ForeignKeyConstraint(['assigned_to_id'], ['users.id'], name=op.f('fk_advisory_cases_assigned_to_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['closed_by_id'], ['users.id'], name=op.f('fk_advisory_cases_closed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_advisory_cases_institution_id_institutions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requester_id'], ['users.id'], name=op.f('fk_advisory_cases_requester_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_advisory_cases'))
    )
    with op.batch_alter_table('advisory_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_advisory_cases_assigned_to_id'), ['assigned_to_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_advisory_cases_closed_at'), ['closed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_advisory_cases_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_advisory_cases_requester_id'), ['requester_id'], unique=False)
        batch_op.create_index('ix_advisory_cases_status_opened', ['status', 'opened_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_advisory_cases_topic'), ['topic'], unique=False)

    op.create_table('advisory_kb_candidates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('topic', sa.String(length=12), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['advisory_cases.id'], name=op.f('fk_advisory_kb_candidates_case_id_advisory_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_advisory_kb_candidates_reviewed_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_advisory_kb_candidates')),
    sa.UniqueConstraint('case_id', name=op.f('uq_advisory_kb_candidates_case_id'))
    )
    op.create_table('advisory_meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('form', sa.String(length=12), nullable=False),
    sa.Column('location', sa.String(length=300), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("form IN ('spotkanie', 'online', 'telefon')", name=op.f('ck_advisory_meetings_form_known')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_advisory_meetings_ends_after_start')),
    sa.ForeignKeyConstraint(['case_id'], ['advisory_cases.id'], name=op.f('fk_advisory_meetings_case_id_advisory_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_advisory_meetings_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_advisory_meetings'))
    )
    with op.batch_alter_table('advisory_meetings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_advisory_meetings_case_id'), ['case_id'], unique=False)

    op.create_table('advisory_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('from_advisor', sa.Boolean(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_advisory_messages_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['case_id'], ['advisory_cases.id'], name=op.f('fk_advisory_messages_case_id_advisory_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_advisory_messages'))
    )
    with op.batch_alter_table('advisory_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_advisory_messages_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_advisory_messages_case_id'), ['case_id'], unique=False)

    op.create_table('advisory_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=True),
    sa.Column('uploader_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('path', sa.String(length=64), nullable=False),
    sa.Column('mimetype', sa.String(length=120), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['advisory_cases.id'], name=op.f('fk_advisory_attachments_case_id_advisory_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['message_id'], ['advisory_messages.id'], name=op.f('fk_advisory_attachments_message_id_advisory_messages'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['uploader_id'], ['users.id'], name=op.f('fk_advisory_attachments_uploader_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_advisory_attachments'))
    )
    with op.batch_alter_table('advisory_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_advisory_attachments_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_advisory_attachments_uploader_id'), ['uploader_id'], unique=False)



def downgrade():
    with op.batch_alter_table('advisory_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_advisory_attachments_uploader_id'))
        batch_op.drop_index(batch_op.f('ix_advisory_attachments_case_id'))

    op.drop_table('advisory_attachments')
    with op.batch_alter_table('advisory_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_advisory_messages_case_id'))
        batch_op.drop_index(batch_op.f('ix_advisory_messages_author_id'))

    op.drop_table('advisory_messages')
    with op.batch_alter_table('advisory_meetings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_advisory_meetings_case_id'))

    op.drop_table('advisory_meetings')
    op.drop_table('advisory_kb_candidates')
    with op.batch_alter_table('advisory_cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_advisory_cases_topic'))
        batch_op.drop_index('ix_advisory_cases_status_opened')
        batch_op.drop_index(batch_op.f('ix_advisory_cases_requester_id'))
        batch_op.drop_index(batch_op.f('ix_advisory_cases_institution_id'))
        batch_op.drop_index(batch_op.f('ix_advisory_cases_closed_at'))
        batch_op.drop_index(batch_op.f('ix_advisory_cases_assigned_to_id'))

    op.drop_table('advisory_cases')
    op.drop_table('advisory_answer_templates')
