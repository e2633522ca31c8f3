"""interop: nested competences, Moodle fields kept on import, a setting for the profile framework

Revision ID: 0014_interop
Revises: 0013_events
Create Date: 2026-12-01 17:00:00

Competences may have a parent competence (frameworks deeper than areas → competences); areas and competences keep
Moodle's description format, exported id and cross-references; codes, and the evidence, levels and assessment
requests that name them, grow to Moodle's 100-character ID numbers; frameworks keep the description format, scale
configuration and taxonomy. comp_settings holds which framework role profiles use.

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0014_interop"
down_revision = "0013_events"
branch_labels = None
depends_on = None

FORMAT_CHECK = "description_format IN ('moodle', 'html', 'plain', 'markdown')"


def _kept_columns(batch_op):
    batch_op.add_column(sa.Column("description_format", sa.String(length=10), server_default="plain", nullable=False))
    batch_op.create_check_constraint("description_format_known", FORMAT_CHECK)


CODE_COLUMNS = (('comp_evidence', 'competence_code'), ('comp_levels', 'code'), ('comp_assessment_requests', 'competence_code'))


def upgrade():
    for table, column in CODE_COLUMNS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(column, existing_type=sa.String(length=20), type_=sa.String(length=100), existing_nullable=False)
    op.create_table(
        "comp_settings",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_comp_settings")),
    )
    with op.batch_alter_table("comp_frameworks", schema=None) as batch_op:
        _kept_columns(batch_op)
        batch_op.add_column(sa.Column("scale_configuration", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("taxonomy", sa.String(length=255), server_default="", nullable=False))
    with op.batch_alter_table("comp_areas", schema=None) as batch_op:
        _kept_columns(batch_op)
        batch_op.add_column(sa.Column("exported_id", sa.String(length=100), server_default="", nullable=False))
        batch_op.add_column(sa.Column("related", sa.JSON(), server_default="[]", nullable=False))
        batch_op.alter_column("code", existing_type=sa.String(length=20), type_=sa.String(length=100), existing_nullable=False)
    with op.batch_alter_table("comp_competences", schema=None) as batch_op:
        _kept_columns(batch_op)
        batch_op.add_column(sa.Column("exported_id", sa.String(length=100), server_default="", nullable=False))
        batch_op.add_column(sa.Column("related", sa.JSON(), server_default="[]", nullable=False))
        batch_op.add_column(sa.Column("parent_id", sa.Integer(), nullable=True))
        batch_op.alter_column("code", existing_type=sa.String(length=20), type_=sa.String(length=100), existing_nullable=False)
        batch_op.create_index(batch_op.f("ix_comp_competences_parent_id"), ["parent_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_comp_competences_parent_id_comp_competences"), "comp_competences", ["parent_id"], ["id"], ondelete="CASCADE"
        )


def downgrade():
    with op.batch_alter_table("comp_competences", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_comp_competences_parent_id_comp_competences"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_comp_competences_parent_id"))
        batch_op.alter_column("code", existing_type=sa.String(length=100), type_=sa.String(length=20), existing_nullable=False)
        batch_op.drop_column("parent_id")
        batch_op.drop_column("related")
        batch_op.drop_column("exported_id")
        batch_op.drop_constraint(batch_op.f("ck_comp_competences_description_format_known"), type_="check")
        batch_op.drop_column("description_format")
    with op.batch_alter_table("comp_areas", schema=None) as batch_op:
        batch_op.alter_column("code", existing_type=sa.String(length=100), type_=sa.String(length=20), existing_nullable=False)
        batch_op.drop_column("related")
        batch_op.drop_column("exported_id")
        batch_op.drop_constraint(batch_op.f("ck_comp_areas_description_format_known"), type_="check")
        batch_op.drop_column("description_format")
    with op.batch_alter_table("comp_frameworks", schema=None) as batch_op:
        batch_op.drop_column("taxonomy")
        batch_op.drop_column("scale_configuration")
        batch_op.drop_constraint(batch_op.f("ck_comp_frameworks_description_format_known"), type_="check")
        batch_op.drop_column("description_format")
    op.drop_table("comp_settings")
