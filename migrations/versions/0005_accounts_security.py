"""accounts security: institution membership requests, e-mail confirmation, session tokens

Revision ID: 0005_accounts_security
Revises: 0004_certificates
Create Date: 2026-12-01 15:10:00

Existing users keep their institution as an accepted membership, count as confirmed, and get a random
session token each.
"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_accounts_security'
down_revision = '0004_certificates'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('institution_memberships',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'accepted', 'declined', 'cancelled')", name=op.f('ck_institution_memberships_status_known')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_institution_memberships_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_institution_memberships_institution_id_institutions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_institution_memberships_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_institution_memberships'))
    )
    with op.batch_alter_table('institution_memberships', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_institution_memberships_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_institution_memberships_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_institution_memberships_user_id'), ['user_id'], unique=False)
        batch_op.create_index('uq_institution_memberships_pending_user', ['user_id'], unique=True,
                              sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"))

    # Plain ADD COLUMN, never a batch copy of `users`: on SQLite (foreign keys on) dropping the old table during a
    # copy would cascade into every table that references users. An empty token matches no cookie.
    op.add_column('users', sa.Column('email_confirmed_at', sa.DateTime(), nullable=True))
    op.add_column('users', sa.Column('session_token', sa.String(length=64), nullable=False, server_default=''))

    users = sa.table('users', sa.column('id', sa.Integer), sa.column('institution_id', sa.Integer),
                     sa.column('created_at', sa.DateTime), sa.column('email_confirmed_at', sa.DateTime),
                     sa.column('session_token', sa.String))
    memberships = sa.table('institution_memberships', sa.column('user_id', sa.Integer),
                           sa.column('institution_id', sa.Integer), sa.column('status', sa.String),
                           sa.column('requested_at', sa.DateTime), sa.column('decided_at', sa.DateTime))
    bind = op.get_bind()
    rows = bind.execute(sa.select(users.c.id, users.c.institution_id, users.c.created_at)).all()
    for user_id, institution_id, created_at in rows:
        bind.execute(users.update().where(users.c.id == user_id)
                     .values(session_token=secrets.token_urlsafe(24), email_confirmed_at=created_at))
        if institution_id is not None:
            bind.execute(memberships.insert().values(user_id=user_id, institution_id=institution_id, status='accepted',
                                                     requested_at=created_at, decided_at=created_at))


def downgrade():
    # ALTER TABLE ... DROP COLUMN (SQLite >= 3.35, PostgreSQL), not a batch copy: see upgrade().
    op.execute('ALTER TABLE users DROP COLUMN session_token')
    op.execute('ALTER TABLE users DROP COLUMN email_confirmed_at')

    with op.batch_alter_table('institution_memberships', schema=None) as batch_op:
        batch_op.drop_index('uq_institution_memberships_pending_user', sqlite_where=sa.text("status = 'pending'"),
                            postgresql_where=sa.text("status = 'pending'"))
        batch_op.drop_index(batch_op.f('ix_institution_memberships_user_id'))
        batch_op.drop_index(batch_op.f('ix_institution_memberships_status'))
        batch_op.drop_index(batch_op.f('ix_institution_memberships_institution_id'))

    op.drop_table('institution_memberships')
