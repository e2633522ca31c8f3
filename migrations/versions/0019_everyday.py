"""everyday use: quiz attempt limit and waiting time per course (draft and published versions); self-assessment
drafts saved area by area; institutions proposed by their staff

Revision ID: 0019_everyday
Revises: 0018_advisory
Create Date: 2026-12-01 19:05:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019_everyday'
down_revision = '0018_advisory'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('quiz_attempts', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('quiz_wait_minutes', sa.Integer(), nullable=True))
        batch_op.create_check_constraint(op.f('ck_courses_quiz_attempts_positive'), 'quiz_attempts IS NULL OR quiz_attempts >= 1')
        batch_op.create_check_constraint(op.f('ck_courses_quiz_wait_positive'), 'quiz_wait_minutes IS NULL OR quiz_wait_minutes >= 1')
    with op.batch_alter_table('course_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('quiz_attempts', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('quiz_wait_minutes', sa.Integer(), nullable=True))
    op.create_table('comp_self_assessment_drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role_code', sa.String(length=40), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_comp_self_assessment_drafts_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comp_self_assessment_drafts')),
    sa.UniqueConstraint('user_id', 'role_code', name=op.f('uq_comp_self_assessment_drafts_user_id_role_code'))
    )
    with op.batch_alter_table('comp_self_assessment_drafts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comp_self_assessment_drafts_user_id'), ['user_id'], unique=False)
    op.create_table('institution_proposals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('type', sa.String(length=10), nullable=False),
    sa.Column('gmina_id', sa.Integer(), nullable=False),
    sa.Column('street', sa.String(length=150), nullable=True),
    sa.Column('postal_code', sa.String(length=6), nullable=True),
    sa.Column('city', sa.String(length=100), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=True),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'accepted', 'declined')", name=op.f('ck_institution_proposals_status_known')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_institution_proposals_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['gmina_id'], ['territorial_units.id'], name=op.f('fk_institution_proposals_gmina_id_territorial_units')),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_institution_proposals_institution_id_institutions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_institution_proposals_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_institution_proposals'))
    )
    with op.batch_alter_table('institution_proposals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_institution_proposals_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_institution_proposals_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('institution_proposals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_institution_proposals_user_id'))
        batch_op.drop_index(batch_op.f('ix_institution_proposals_status'))
    op.drop_table('institution_proposals')
    with op.batch_alter_table('comp_self_assessment_drafts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comp_self_assessment_drafts_user_id'))
    op.drop_table('comp_self_assessment_drafts')
    with op.batch_alter_table('course_versions', schema=None) as batch_op:
        batch_op.drop_column('quiz_wait_minutes')
        batch_op.drop_column('quiz_attempts')
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_courses_quiz_wait_positive'), type_='check')
        batch_op.drop_constraint(op.f('ck_courses_quiz_attempts_positive'), type_='check')
        batch_op.drop_column('quiz_wait_minutes')
        batch_op.drop_column('quiz_attempts')
