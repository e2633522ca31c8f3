"""E-mail preferences: one checkbox per registered kind, built from the registry at request time."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField

from .registry import NotificationKind

FIELD_PREFIX = "kind_"


class PreferencesForm(FlaskForm):
    kind_fields: list[tuple[str, str]]  # (field name, kind key)

    def choices(self) -> dict[str, bool]:
        return {key: bool(self[name].data) for name, key in self.kind_fields}

    def kind_field_list(self) -> list:
        return [self[name] for name, _key in self.kind_fields]


def _field_name(key: str) -> str:
    return FIELD_PREFIX + key.replace(".", "__")


def preferences_form(choices: list[tuple[NotificationKind, bool]]) -> PreferencesForm:
    """A form class per call: the kinds depend on which domains registered theirs."""

    class Form(PreferencesForm):
        pass

    fields = []
    for kind, wanted in choices:
        name = _field_name(kind.key)
        setattr(Form, name, BooleanField(kind.label, default=wanted))
        fields.append((name, kind.key))
    Form.kind_fields = fields
    return Form()
