"""The needs-analysis filters (GET): role, area, competence, institution type and powiat."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField
from wtforms.validators import InputRequired

from ..core.forms import FilterForm
from ..directory.models import INSTITUTION_TYPES


class NeedsFilterForm(FilterForm):
    role = SelectField(_l("Role"), default="")
    area = SelectField(_l("Competence area"), default="")
    competence = SelectField(_l("Competence"), default="")
    institution_type = SelectField(
        _l("Institution type"),
        default="",
        choices=[SelectChoice("", _l("All types")), *(SelectChoice(*item) for item in INSTITUTION_TYPES.items())],
    )
    powiat = SelectField(_l("Powiat"), default="")

    def fill(self, roles, areas, competences, powiats) -> NeedsFilterForm:
        """Offer the current framework's roles, areas and competences and the loaded powiats, then filter."""
        self.role.choices = [SelectChoice("", _l("All roles")), *(SelectChoice(r.code, r.name) for r in roles)]
        self.area.choices = [SelectChoice("", _l("All areas")), *(SelectChoice(a.code, f"{a.code} {a.name}") for a in areas)]
        self.competence.choices = [
            SelectChoice("", _l("All competences")),
            *(SelectChoice(c.code, f"{c.code} {c.name}") for c in competences),
        ]
        self.powiat.choices = [SelectChoice("", _l("Whole region")), *(SelectChoice(str(k), v) for k, v in powiats.items())]
        return self.filter()


class NeedsExportForm(FlaskForm):
    """POST (with CSRF): an export is a recorded act, written to the audit log."""

    by = SelectField(
        _l("One row per"),
        choices=[SelectChoice("powiat", _l("Powiat")), SelectChoice("institution-type", _l("Institution type"))],
        validators=[InputRequired()],
    )
    format = SelectField(
        _l("File format"), choices=[SelectChoice("csv", "CSV"), SelectChoice("xlsx", "XLSX")], validators=[InputRequired()]
    )
