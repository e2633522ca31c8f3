"""discussion: topic forums, course and lesson threads, posts with revisions and attachments, reports,
subscriptions, direct conversations and messages, blocks

Revision ID: 0017_discussion
Revises: 0016_knowledge
Create Date: 2026-12-01 18:31:25.461709

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017_discussion'
down_revision = '0016_knowledge'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('discussion_blocks',
    sa.Column('blocker_id', sa.Integer(), nullable=False),
    sa.Column('blocked_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('blocker_id <> blocked_id', name=op.f('ck_discussion_blocks_not_self')),
    sa.ForeignKeyConstraint(['blocked_id'], ['users.id'], name=op.f('fk_discussion_blocks_blocked_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['blocker_id'], ['users.id'], name=op.f('fk_discussion_blocks_blocker_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('blocker_id', 'blocked_id', name=op.f('pk_discussion_blocks'))
    )
    with op.batch_alter_table('discussion_blocks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_discussion_blocks_blocked_id'), ['blocked_id'], unique=False)

    op.create_table('discussion_conversations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_a_id', sa.Integer(), nullable=False),
    sa.Column('user_b_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_message_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('user_a_id < user_b_id', name=op.f('ck_discussion_conversations_ordered_pair')),
    sa.ForeignKeyConstraint(['user_a_id'], ['users.id'], name=op.f('fk_discussion_conversations_user_a_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_b_id'], ['users.id'], name=op.f('fk_discussion_conversations_user_b_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_discussion_conversations')),
    sa.UniqueConstraint('user_a_id', 'user_b_id', name=op.f('uq_discussion_conversations_user_a_id_user_b_id'))
    )
    with op.batch_alter_table('discussion_conversations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_discussion_conversations_user_a_id'), ['user_a_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_discussion_conversations_user_b_id'), ['user_b_id'], unique=False)

    op.create_table('discussion_forums',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_discussion_forums_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_discussion_forums')),
    sa.UniqueConstraint('slug', name=op.f('uq_discussion_forums_slug'))
    )
    op.create_table('discussion_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('sender_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=True),
    sa.Column('erased_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['conversation_id'], ['discussion_conversations.id'], name=op.f('fk_discussion_messages_conversation_id_discussion_conversations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sender_id'], ['users.id'], name=op.f('fk_discussion_messages_sender_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_discussion_messages'))
    )
    with op.batch_alter_table('discussion_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_discussion_messages_conversation_id'), ['conversation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_discussion_messages_sender_id'), ['sender_id'], unique=False)
        batch_op.create_index('ix_discussion_messages_unread', ['conversation_id', 'read_at'], unique=False)

    op.create_table('discussion_threads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('forum_id', sa.Integer(), nullable=True),
    sa.Column('course_id', sa.Integer(), nullable=True),
    sa.Column('lesson_key', sa.String(length=80), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_post_at', sa.DateTime(), nullable=False),
    sa.Column('post_count', sa.Integer(), nullable=False),
    sa.Column('answered', sa.Boolean(), nullable=False),
    sa.Column('locked_at', sa.DateTime(), nullable=True),
    sa.Column('locked_by_id', sa.Integer(), nullable=True),
    sa.Column('lock_reason', sa.String(length=300), nullable=True),
    sa.CheckConstraint('(forum_id IS NULL) <> (course_id IS NULL)', name=op.f('ck_discussion_threads_one_place')),
    sa.CheckConstraint('lesson_key IS NULL OR course_id IS NOT NULL', name=op.f('ck_discussion_threads_lesson_in_course')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_discussion_threads_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_discussion_threads_course_id_courses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['forum_id'], ['discussion_forums.id'], name=op.f('fk_discussion_threads_forum_id_discussion_forums'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['locked_by_id'], ['users.id'], name=op.f('fk_discussion_threads_locked_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_discussion_threads'))
    )
    with op.batch_alter_table('discussion_threads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_discussion_threads_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_discussion_threads_course_lesson', ['course_id', 'lesson_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_discussion_threads_forum_id'), ['forum_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_discussion_threads_last_post_at'), ['last_post_at'], unique=False)

    op.create_table('discussion_posts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('quoted_post_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('edited_at', sa.DateTime(), nullable=True),
    sa.Column('erased_at', sa.DateTime(), nullable=True),
    sa.Column('is_answer', sa.Boolean(), nullable=False),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('hidden_at', sa.DateTime(), nullable=True),
    sa.Column('hidden_by_id', sa.Integer(), nullable=True),
    sa.Column('hidden_reason', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['answered_by_id'], ['users.id'], name=op.f('fk_discussion_posts_answered_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_discussion_posts_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['hidden_by_id'], ['users.id'], name=op.f('fk_discussion_posts_hidden_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['quoted_post_id'], ['discussion_posts.id'], name=op.f('fk_discussion_posts_quoted_post_id_discussion_posts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['thread_id'], ['discussion_threads.id'], name=op.f('fk_discussion_posts_thread_id_discussion_threads'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_discussion_posts'))
    )
    with op.batch_alter_table('discussion_posts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_discussion_posts_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_discussion_posts_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_discussion_posts_thread_id'), ['thread_id'], unique=False)

    op.create_table('discussion_subscriptions',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['thread_id'], ['discussion_threads.id'], name=op.f('fk_discussion_subscriptions_thread_id_discussion_threads'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_discussion_subscriptions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'thread_id', name=op.f('pk_discussion_subscriptions'))
    )
    with op.batch_alter_table('discussion_subscriptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_discussion_subscriptions_thread_id'), ['thread_id'], unique=False)

    op.create_table('discussion_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('path', sa.String(length=80), nullable=False),
    sa.Column('mimetype', sa.String(length=120), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['discussion_posts.id'], name=op.f('fk_discussion_attachments_post_id_discussion_posts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_discussion_attachments'))
    )
    with op.batch_alter_table('discussion_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_discussion_attachments_post_id'), ['post_id'], unique=False)

    op.create_table('discussion_post_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('written_at', sa.DateTime(), nullable=False),
    sa.Column('replaced_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['discussion_posts.id'], name=op.f('fk_discussion_post_revisions_post_id_discussion_posts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_discussion_post_revisions'))
    )
    with op.batch_alter_table('discussion_post_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_discussion_post_revisions_post_id'), ['post_id'], unique=False)

    op.create_table('discussion_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('open', 'resolved', 'dismissed')", name=op.f('ck_discussion_reports_status_known')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_discussion_reports_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['post_id'], ['discussion_posts.id'], name=op.f('fk_discussion_reports_post_id_discussion_posts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reporter_id'], ['users.id'], name=op.f('fk_discussion_reports_reporter_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_discussion_reports'))
    )
    with op.batch_alter_table('discussion_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_discussion_reports_post_id'), ['post_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_discussion_reports_reporter_id'), ['reporter_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_discussion_reports_status'), ['status'], unique=False)



def downgrade():
    with op.batch_alter_table('discussion_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_discussion_reports_status'))
        batch_op.drop_index(batch_op.f('ix_discussion_reports_reporter_id'))
        batch_op.drop_index(batch_op.f('ix_discussion_reports_post_id'))

    op.drop_table('discussion_reports')
    with op.batch_alter_table('discussion_post_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_discussion_post_revisions_post_id'))

    op.drop_table('discussion_post_revisions')
    with op.batch_alter_table('discussion_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_discussion_attachments_post_id'))

    op.drop_table('discussion_attachments')
    with op.batch_alter_table('discussion_subscriptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_discussion_subscriptions_thread_id'))

    op.drop_table('discussion_subscriptions')
    with op.batch_alter_table('discussion_posts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_discussion_posts_thread_id'))
        batch_op.drop_index(batch_op.f('ix_discussion_posts_created_at'))
        batch_op.drop_index(batch_op.f('ix_discussion_posts_author_id'))

    op.drop_table('discussion_posts')
    with op.batch_alter_table('discussion_threads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_discussion_threads_last_post_at'))
        batch_op.drop_index(batch_op.f('ix_discussion_threads_forum_id'))
        batch_op.drop_index('ix_discussion_threads_course_lesson')
        batch_op.drop_index(batch_op.f('ix_discussion_threads_author_id'))

    op.drop_table('discussion_threads')
    with op.batch_alter_table('discussion_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_discussion_messages_unread')
        batch_op.drop_index(batch_op.f('ix_discussion_messages_sender_id'))
        batch_op.drop_index(batch_op.f('ix_discussion_messages_conversation_id'))

    op.drop_table('discussion_messages')
    op.drop_table('discussion_forums')
    with op.batch_alter_table('discussion_conversations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_discussion_conversations_user_b_id'))
        batch_op.drop_index(batch_op.f('ix_discussion_conversations_user_a_id'))

    op.drop_table('discussion_conversations')
    with op.batch_alter_table('discussion_blocks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_discussion_blocks_blocked_id'))

    op.drop_table('discussion_blocks')
