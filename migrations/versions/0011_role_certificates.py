"""role certificates: certificates of a role's competence profile, validity per role, reviews, evidence withdrawal

Revision ID: 0011_role_certificates
Revises: 0006_notifications
Create Date: 2026-12-01 16:00:00

Certificates and requests gain a kind (course | role) and a role code; a request names either a course or a role
(CHECK), and at most one valid role certificate exists per person and role (partial unique index). Role
certificates may expire (valid_until). The issuer's validity per role, the list of certificates to review after
evidence was withdrawn, and the competencies domain's withdrawal rows are new tables.

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_role_certificates'
down_revision = '0009_assessment_requests'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=10), server_default='course', nullable=False))
        batch_op.add_column(sa.Column('role_code', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('valid_until', sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f('ix_certificates_role_code'), ['role_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificates_valid_until'), ['valid_until'], unique=False)
        batch_op.create_check_constraint('kind_known', "kind IN ('course', 'role')")
        batch_op.create_check_constraint(
            'kind_target', "(kind = 'course' AND role_code IS NULL) OR (kind = 'role' AND role_code IS NOT NULL)"
        )
    op.create_index(
        'uq_certificates_valid_user_role', 'certificates', ['user_id', 'role_code'], unique=True,
        sqlite_where=sa.text("status = 'valid' AND kind = 'role'"),
        postgresql_where=sa.text("status = 'valid' AND kind = 'role'"),
    )

    with op.batch_alter_table('certificate_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=10), server_default='course', nullable=False))
        batch_op.add_column(sa.Column('role_code', sa.String(length=40), nullable=True))
        batch_op.alter_column('course_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_unique_constraint(batch_op.f('uq_certificate_requests_user_id_role_code'), ['user_id', 'role_code'])
        batch_op.create_check_constraint(
            'kind_target',
            "(kind = 'course' AND course_id IS NOT NULL AND role_code IS NULL)"
            " OR (kind = 'role' AND course_id IS NULL AND role_code IS NOT NULL)",
        )

    with op.batch_alter_table('certificate_bulk_jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('role_code', sa.String(length=40), nullable=True))
        batch_op.alter_column('course_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_check_constraint('one_target', '(course_id IS NULL) <> (role_code IS NULL)')

    op.create_table('certificate_role_settings',
    sa.Column('role_code', sa.String(length=40), nullable=False),
    sa.Column('validity_months', sa.Integer(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('validity_months IS NULL OR validity_months BETWEEN 1 AND 240', name=op.f('ck_certificate_role_settings_validity_range')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_certificate_role_settings_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('role_code', name=op.f('pk_certificate_role_settings'))
    )
    op.create_table('certificate_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('certificate_id', sa.Integer(), nullable=False),
    sa.Column('evidence_id', sa.Integer(), nullable=False),
    sa.Column('competence_code', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('decision', sa.String(length=10), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("decision IS NULL OR decision IN ('kept', 'revoked')", name=op.f('ck_certificate_reviews_decision_known')),
    sa.ForeignKeyConstraint(['certificate_id'], ['certificates.id'], name=op.f('fk_certificate_reviews_certificate_id_certificates'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_certificate_reviews_decided_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_reviews')),
    sa.UniqueConstraint('certificate_id', 'evidence_id', name=op.f('uq_certificate_reviews_certificate_id_evidence_id'))
    )
    with op.batch_alter_table('certificate_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificate_reviews_certificate_id'), ['certificate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificate_reviews_created_at'), ['created_at'], unique=False)

    op.create_table('comp_evidence_withdrawals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('evidence_id', sa.Integer(), nullable=False),
    sa.Column('withdrawn_by', sa.Integer(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['evidence_id'], ['comp_evidence.id'], name=op.f('fk_comp_evidence_withdrawals_evidence_id_comp_evidence')),
    sa.ForeignKeyConstraint(['withdrawn_by'], ['users.id'], name=op.f('fk_comp_evidence_withdrawals_withdrawn_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comp_evidence_withdrawals')),
    sa.UniqueConstraint('evidence_id', name=op.f('uq_comp_evidence_withdrawals_evidence_id'))
    )


def downgrade():
    op.drop_table('comp_evidence_withdrawals')
    with op.batch_alter_table('certificate_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificate_reviews_created_at'))
        batch_op.drop_index(batch_op.f('ix_certificate_reviews_certificate_id'))
    op.drop_table('certificate_reviews')
    op.drop_table('certificate_role_settings')
    op.execute("DELETE FROM certificate_bulk_jobs WHERE course_id IS NULL")
    with op.batch_alter_table('certificate_bulk_jobs', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_certificate_bulk_jobs_one_target'), type_='check')
        batch_op.alter_column('course_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('role_code')
    op.execute("DELETE FROM certificate_requests WHERE kind = 'role'")
    with op.batch_alter_table('certificate_requests', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_certificate_requests_kind_target'), type_='check')
        batch_op.drop_constraint(batch_op.f('uq_certificate_requests_user_id_role_code'), type_='unique')
        batch_op.alter_column('course_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('role_code')
        batch_op.drop_column('kind')
    op.drop_index('uq_certificates_valid_user_role', table_name='certificates')
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_certificates_kind_target'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_certificates_kind_known'), type_='check')
        batch_op.drop_index(batch_op.f('ix_certificates_valid_until'))
        batch_op.drop_index(batch_op.f('ix_certificates_role_code'))
        batch_op.drop_column('valid_until')
        batch_op.drop_column('role_code')
        batch_op.drop_column('kind')
