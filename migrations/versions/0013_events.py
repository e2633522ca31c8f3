"""events: training events, sessions, trainers, registrations, attendance, assessments, evaluations, calendar feeds

Revision ID: 0013_events
Revises: 0012_search
Create Date: 2026-12-01 15:41:59.287877

The evidence source 'event_assessment' (a trainer's assessment at a training event) is already allowed by the
evidence CHECK since 0008_assignments, which lists every source of the level rule.

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0013_events"
down_revision = "0012_search"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "event_calendar_feeds",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_event_calendar_feeds_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_event_calendar_feeds")),
        sa.UniqueConstraint("token", name=op.f("uq_event_calendar_feeds_token")),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("programme", sa.Text(), nullable=False),
        sa.Column("place_name", sa.String(length=200), nullable=True),
        sa.Column("street", sa.String(length=150), nullable=True),
        sa.Column("postal_code", sa.String(length=6), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("gmina_id", sa.Integer(), nullable=True),
        sa.Column("online_url", sa.String(length=500), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("per_institution_limit", sa.Integer(), nullable=True),
        sa.Column("registration_opens_at", sa.DateTime(), nullable=False),
        sa.Column("registration_closes_at", sa.DateTime(), nullable=False),
        sa.Column("cancellation_deadline", sa.DateTime(), nullable=False),
        sa.Column("target_roles", sa.JSON(), nullable=False),
        sa.Column("target_institution_types", sa.JSON(), nullable=False),
        sa.Column("module_id", sa.Integer(), nullable=True),
        sa.Column("competence_codes", sa.JSON(), nullable=False),
        sa.Column("assessment_level", sa.Integer(), nullable=True),
        sa.Column("completion_percent", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("status IN ('scheduled', 'cancelled')", name=op.f("ck_events_status_known")),
        sa.CheckConstraint(
            "type IN ('stacjonarne', 'warsztat', 'webinarium', 'superwizja', 'coaching', 'wizyta', 'konsultacje')",
            name=op.f("ck_events_type_known"),
        ),
        sa.CheckConstraint("assessment_level IS NULL OR assessment_level BETWEEN 1 AND 2", name=op.f("ck_events_assessment_level_range")),
        sa.CheckConstraint("capacity > 0", name=op.f("ck_events_capacity_positive")),
        sa.CheckConstraint("completion_percent BETWEEN 1 AND 100", name=op.f("ck_events_completion_percent_range")),
        sa.CheckConstraint("per_institution_limit IS NULL OR per_institution_limit > 0", name=op.f("ck_events_limit_positive")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_events_created_by_id_users"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["gmina_id"], ["territorial_units.id"], name=op.f("fk_events_gmina_id_territorial_units")),
        sa.ForeignKeyConstraint(["module_id"], ["course_modules.id"], name=op.f("fk_events_module_id_course_modules"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_events_gmina_id"), ["gmina_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_events_starts_at"), ["starts_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_events_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_events_type"), ["type"], unique=False)

    op.create_table(
        "event_assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("competence_code", sa.String(length=20), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("evidence_id", sa.Integer(), nullable=True),
        sa.Column("assessed_by_id", sa.Integer(), nullable=True),
        sa.Column("assessed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessed_by_id"], ["users.id"], name=op.f("fk_event_assessments_assessed_by_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_event_assessments_event_id_events"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["evidence_id"], ["comp_evidence.id"], name=op.f("fk_event_assessments_evidence_id_comp_evidence")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_event_assessments_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_assessments")),
        sa.UniqueConstraint("event_id", "user_id", "competence_code", name=op.f("uq_event_assessments_event_id_user_id_competence_code")),
    )
    with op.batch_alter_table("event_assessments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_assessments_event_id"), ["event_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_event_assessments_user_id"), ["user_id"], unique=False)

    op.create_table(
        "event_evaluation_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("q_goals", sa.Integer(), nullable=False),
        sa.Column("q_useful", sa.Integer(), nullable=False),
        sa.Column("q_trainer", sa.Integer(), nullable=False),
        sa.Column("q_materials", sa.Integer(), nullable=False),
        sa.Column("q_organisation", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.CheckConstraint("q_goals BETWEEN 1 AND 5", name=op.f("ck_event_evaluation_answers_q_goals_range")),
        sa.CheckConstraint("q_materials BETWEEN 1 AND 5", name=op.f("ck_event_evaluation_answers_q_materials_range")),
        sa.CheckConstraint("q_organisation BETWEEN 1 AND 5", name=op.f("ck_event_evaluation_answers_q_organisation_range")),
        sa.CheckConstraint("q_trainer BETWEEN 1 AND 5", name=op.f("ck_event_evaluation_answers_q_trainer_range")),
        sa.CheckConstraint("q_useful BETWEEN 1 AND 5", name=op.f("ck_event_evaluation_answers_q_useful_range")),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_event_evaluation_answers_event_id_events"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_evaluation_answers")),
    )
    op.create_table(
        "event_certificates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("certificate_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["certificate_id"], ["certificates.id"], name=op.f("fk_event_certificates_certificate_id_certificates")),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_event_certificates_event_id_events"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_event_certificates_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_certificates")),
        sa.UniqueConstraint("certificate_id", name=op.f("uq_event_certificates_certificate_id")),
        sa.UniqueConstraint("event_id", "user_id", name=op.f("uq_event_certificates_event_id_user_id")),
    )
    with op.batch_alter_table("event_certificates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_certificates_event_id"), ["event_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_event_certificates_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("event_evaluation_answers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_evaluation_answers_event_id"), ["event_id"], unique=False)

    op.create_table(
        "event_evaluation_receipts",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_event_evaluation_receipts_event_id_events"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_event_evaluation_receipts_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("event_id", "user_id", name=op.f("pk_event_evaluation_receipts")),
    )
    op.create_table(
        "event_registrations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("nominated_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("queued_at", sa.DateTime(), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("status IN ('registered', 'waitlisted', 'withdrawn')", name=op.f("ck_event_registrations_status_known")),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_event_registrations_event_id_events"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["institution_id"], ["institutions.id"], name=op.f("fk_event_registrations_institution_id_institutions"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["nominated_by_id"], ["users.id"], name=op.f("fk_event_registrations_nominated_by_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_event_registrations_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_registrations")),
        sa.UniqueConstraint("event_id", "user_id", name=op.f("uq_event_registrations_event_id_user_id")),
    )
    with op.batch_alter_table("event_registrations", schema=None) as batch_op:
        batch_op.create_index("ix_event_registrations_event_status", ["event_id", "status"], unique=False)
        batch_op.create_index(batch_op.f("ix_event_registrations_institution_id"), ["institution_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_event_registrations_user_id"), ["user_id"], unique=False)

    op.create_table(
        "event_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_event_sessions_ends_after_start")),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_event_sessions_event_id_events"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_sessions")),
    )
    with op.batch_alter_table("event_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_sessions_event_id"), ["event_id"], unique=False)

    op.create_table(
        "event_trainers",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_event_trainers_event_id_events"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_event_trainers_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("event_id", "user_id", name=op.f("pk_event_trainers")),
    )
    op.create_table(
        "event_attendance",
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("marked_by_id", sa.Integer(), nullable=True),
        sa.Column("marked_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["marked_by_id"], ["users.id"], name=op.f("fk_event_attendance_marked_by_id_users"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["event_registrations.id"],
            name=op.f("fk_event_attendance_registration_id_event_registrations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"], ["event_sessions.id"], name=op.f("fk_event_attendance_session_id_event_sessions"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("registration_id", "session_id", name=op.f("pk_event_attendance")),
    )


def downgrade():
    with op.batch_alter_table("event_certificates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_certificates_user_id"))
        batch_op.drop_index(batch_op.f("ix_event_certificates_event_id"))

    op.drop_table("event_certificates")
    op.drop_table("event_attendance")
    op.drop_table("event_trainers")
    with op.batch_alter_table("event_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_sessions_event_id"))

    op.drop_table("event_sessions")
    with op.batch_alter_table("event_registrations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_registrations_user_id"))
        batch_op.drop_index(batch_op.f("ix_event_registrations_institution_id"))
        batch_op.drop_index("ix_event_registrations_event_status")

    op.drop_table("event_registrations")
    op.drop_table("event_evaluation_receipts")
    with op.batch_alter_table("event_evaluation_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_evaluation_answers_event_id"))

    op.drop_table("event_evaluation_answers")
    with op.batch_alter_table("event_assessments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_assessments_user_id"))
        batch_op.drop_index(batch_op.f("ix_event_assessments_event_id"))

    op.drop_table("event_assessments")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_events_type"))
        batch_op.drop_index(batch_op.f("ix_events_status"))
        batch_op.drop_index(batch_op.f("ix_events_starts_at"))
        batch_op.drop_index(batch_op.f("ix_events_gmina_id"))

    op.drop_table("events")
    op.drop_table("event_calendar_feeds")
