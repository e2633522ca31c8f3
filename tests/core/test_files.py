"""The one upload check: allowed types and size limits come from configuration, and the content decides the type."""

from __future__ import annotations

import io

import pytest

from elearn.competencies.models import Evidence
from elearn.core.files import UploadRejected, check_upload
from tests.bad_input import assert_field_error, count_rows

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _reason(app, data, **kwargs) -> str:
    with app.test_request_context("/"), pytest.raises(UploadRejected) as info:
        check_upload(data, **kwargs)
    return str(info.value)


def test_allowed_types_and_limit_are_read_from_configuration(app, monkeypatch):
    with app.test_request_context("/"):
        assert check_upload(PNG, types_key="LOGO_TYPES", limit_key="LOGO_MAX_BYTES").kind == "png"
    monkeypatch.setitem(app.config, "LOGO_TYPES", ("jpg",))
    assert "Dozwolone: jpg" in _reason(app, PNG, types_key="LOGO_TYPES", limit_key="LOGO_MAX_BYTES")
    monkeypatch.setitem(app.config, "LOGO_TYPES", ("png",))
    monkeypatch.setitem(app.config, "LOGO_MAX_BYTES", len(PNG) - 1)
    assert "Plik jest za duży" in _reason(app, PNG, types_key="LOGO_TYPES", limit_key="LOGO_MAX_BYTES")


def test_a_name_must_be_allowed_and_match_the_content(app):
    keys = {"types_key": "UPLOAD_TYPES", "limit_key": "UPLOAD_MAX_BYTES"}
    with app.test_request_context("/"):
        assert check_upload(PDF, filename="plan.pdf", **keys).mimetype == "application/pdf"
    assert "Zawartość pliku nie odpowiada rozszerzeniu .pdf" in _reason(app, PNG, filename="plan.pdf", **keys)
    assert "Nie można przesyłać plików tego typu" in _reason(app, PNG, filename="plan.exe", **keys)
    assert _reason(app, b"", filename="plan.pdf", **keys) == "Plik jest pusty."


def test_without_a_name_the_content_alone_decides_and_the_caller_may_word_the_refusal(app):
    keys = {"types_key": "RPL_DOCUMENT_TYPES", "limit_key": "RPL_DOCUMENT_MAX_BYTES"}
    with app.test_request_context("/"):
        assert check_upload(PDF, **keys).kind == "pdf"
    assert _reason(app, b"GIF89a", wrong_type="Tylko PDF.", **keys) == "Tylko PDF."


def test_the_prior_learning_limit_is_configuration_not_a_constant(app, client, login_as, monkeypatch):
    login_as("learner")
    monkeypatch.setitem(app.config, "RPL_DOCUMENT_MAX_BYTES", len(PDF) - 1)
    before = count_rows(Evidence)
    data = {"code": "POL.1.1", "level": "2", "note": "", "document": (io.BytesIO(PDF), "zaswiadczenie.pdf")}
    response = client.post("/competencies/prior-learning", data=data, content_type="multipart/form-data")
    assert_field_error(response, "document", "PDF, PNG lub JPG")
    assert count_rows(Evidence) == before
