"""DomainError: one way for every domain rule to carry its message, shown in the reader's language or in English."""

from __future__ import annotations

import pytest
from flask import get_flashed_messages
from flask_babel import lazy_gettext as _l
from wtforms import Form, StringField

from elearn.accounts.services import AccountError
from elearn.certificates.services import NotEligible
from elearn.competencies.services.framework import FrameworkError
from elearn.competencies.services.rpl import DocumentRejected
from elearn.core.errors import DomainError
from elearn.core.files import UploadRejected
from elearn.courses.services.authoring import EditConflict
from elearn.courses.services.content import PublishError
from elearn.courses.services.learning import NotEnrolled, PrerequisitesMissing
from elearn.courses.services.sync import SyncError
from elearn.directory.services import TercFormatError


class NameForm(Form):
    name = StringField()


REVOKED = _l("Certificate no. %(number)s is already revoked.", number="ROPS/2026/000001")


@pytest.mark.parametrize(
    "error_type",
    [AccountError, NotEligible, FrameworkError, DocumentRejected, UploadRejected, EditConflict, PublishError, NotEnrolled,
     PrerequisitesMissing, SyncError, TercFormatError],
)  # fmt: skip
def test_every_domain_exception_is_a_domain_error(error_type):
    assert issubclass(error_type, DomainError)


def test_messages_are_shown_in_the_readers_language_and_in_english_for_the_cli(app):
    error = DomainError(REVOKED, "courses/x/course.yml:3: plain text from a file")
    with app.test_request_context("/"):
        assert str(error) == "Zaświadczenie nr ROPS/2026/000001 jest już unieważnione.\ncourses/x/course.yml:3: plain text from a file"
        assert error.english() == "Certificate no. ROPS/2026/000001 is already revoked.\ncourses/x/course.yml:3: plain text from a file"
        assert error.errors[0] == "Zaświadczenie nr ROPS/2026/000001 jest już unieważnione."


def test_views_show_messages_as_flashes_or_field_errors(app):
    error = DomainError(REVOKED, _l("The file is empty."))
    with app.test_request_context("/"):
        error.flash()
        assert get_flashed_messages(with_categories=True) == [
            ("error", "Zaświadczenie nr ROPS/2026/000001 jest już unieważnione."),
            ("error", "Plik jest pusty."),
        ]
        field = NameForm().name
        error.add_to(field)
        assert field.errors == ["Zaświadczenie nr ROPS/2026/000001 jest już unieważnione.", "Plik jest pusty."]
