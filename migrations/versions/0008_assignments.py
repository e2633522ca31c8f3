"""assignments: practical assignments in modules, submissions and reviews; levels recomputed under the new rule

Revision ID: 0008_assignments
Revises: 0006_notifications
Create Date: 2026-12-01 16:00:00

Evidence gains the sources `assignment` and `event_assessment`. The derivation rule changed (reading and quizzes
confer at most level 1; level 2 needs assessed practice; level 3 a direct assessment plus practice), so every
person's stored levels are recomputed from their evidence with the pure rule (elearn/competencies/rule.py, which
imports no models). Evidence rows keep their recorded levels: the history is unchanged.

"""
from alembic import op
import sqlalchemy as sa

from elearn.competencies import rule


# revision identifiers, used by Alembic.
revision = '0008_assignments'
down_revision = '0006_notifications'
branch_labels = None
depends_on = None

OLD_SOURCES = ('module_completed', 'quiz_passed', 'trainer_assessment', 'self_assessment', 'prior_learning', 'imported')


def _in(column, values):
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade():
    with op.batch_alter_table('comp_evidence', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_comp_evidence_source_known'), type_='check')
        batch_op.create_check_constraint('source_known', _in('source', rule.SOURCES))
    with op.batch_alter_table('course_modules', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assignments', sa.JSON(), nullable=False, server_default='[]'))

    op.create_table('practice_submissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('module_key', sa.String(length=80), nullable=False),
    sa.Column('assignment_key', sa.String(length=80), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("status IN ('draft', 'submitted', 'revise', 'passed', 'failed')", name=op.f('ck_practice_submissions_status_known')),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_practice_submissions_course_id_courses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_practice_submissions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_submissions')),
    sa.UniqueConstraint('user_id', 'course_id', 'module_key', 'assignment_key', name='uq_practice_submission_per_assignment'),
    )
    with op.batch_alter_table('practice_submissions', schema=None) as batch_op:
        batch_op.create_index('ix_practice_submissions_queue', ['course_id', 'status', 'submitted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_practice_submissions_user_id'), ['user_id'], unique=False)

    op.create_table('practice_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('course_version', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('decision', sa.String(length=10), nullable=True),
    sa.Column('criteria', sa.JSON(), nullable=False),
    sa.Column('feedback', sa.Text(), nullable=True),
    sa.Column('reviewer_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("decision IS NULL OR decision IN ('passed', 'revise', 'failed')", name=op.f('ck_practice_versions_decision_known')),
    sa.ForeignKeyConstraint(['reviewer_id'], ['users.id'], name=op.f('fk_practice_versions_reviewer_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['submission_id'], ['practice_submissions.id'], name=op.f('fk_practice_versions_submission_id_practice_submissions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_versions')),
    sa.UniqueConstraint('submission_id', 'number', name=op.f('uq_practice_versions_submission_id_number')),
    )
    with op.batch_alter_table('practice_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_versions_submission_id'), ['submission_id'], unique=False)

    op.create_table('practice_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('path', sa.String(length=255), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('mimetype', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['practice_versions.id'], name=op.f('fk_practice_files_version_id_practice_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_files')),
    )
    with op.batch_alter_table('practice_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_files_version_id'), ['version_id'], unique=False)

    recompute_levels(op.get_bind())


def recompute_levels(connection) -> None:
    """Store every person's levels as the current rule derives them from all their evidence (SQL Core only)."""
    evidence = sa.table('comp_evidence', sa.column('user_id'), sa.column('competence_code'), sa.column('source'),
                        sa.column('level'), sa.column('status'))
    levels = sa.table('comp_levels', sa.column('id'), sa.column('user_id'), sa.column('code'), sa.column('level'),
                      sa.column('updated_at'))
    rows: dict[int, list] = {}
    for user_id, code, source, level, status in connection.execute(
        sa.select(evidence.c.user_id, evidence.c.competence_code, evidence.c.source, evidence.c.level, evidence.c.status)
    ):
        rows.setdefault(user_id, []).append((code, source, level, status))
    now = sa.func.current_timestamp()
    stored = {(u, c): (i, lv) for i, u, c, lv in connection.execute(sa.select(levels.c.id, levels.c.user_id, levels.c.code, levels.c.level))}
    derived = {(u, c): lv for u, items in rows.items() for c, lv in rule.derive(items).items()}
    for key, (row_id, level) in stored.items():
        if key not in derived:
            connection.execute(sa.delete(levels).where(levels.c.id == row_id))
        elif derived[key] != level:
            connection.execute(sa.update(levels).where(levels.c.id == row_id).values(level=derived[key], updated_at=now))
    for (user_id, code), level in derived.items():
        if (user_id, code) not in stored:
            connection.execute(sa.insert(levels).values(user_id=user_id, code=code, level=level, updated_at=now))


def downgrade():
    with op.batch_alter_table('practice_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_files_version_id'))
    op.drop_table('practice_files')
    with op.batch_alter_table('practice_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_versions_submission_id'))
    op.drop_table('practice_versions')
    with op.batch_alter_table('practice_submissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_submissions_user_id'))
        batch_op.drop_index('ix_practice_submissions_queue')
    op.drop_table('practice_submissions')
    with op.batch_alter_table('course_modules', schema=None) as batch_op:
        batch_op.drop_column('assignments')
    op.execute(sa.text(f"DELETE FROM comp_evidence WHERE NOT ({_in('source', OLD_SOURCES)})"))
    with op.batch_alter_table('comp_evidence', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_comp_evidence_source_known'), type_='check')
        batch_op.create_check_constraint('source_known', _in('source', OLD_SOURCES))
