"""Login-only downloads are never stored by shared caches; public static files stay cacheable (issue 9, finding 10)."""

from __future__ import annotations

import io

from sqlalchemy import select

from elearn.certificates.models import Certificate
from elearn.competencies.models import Evidence
from elearn.courses.services.uploads import save_upload
from elearn.extensions import db
from tests.certificates.helpers import complete, course

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%test\n"


def _private(response) -> None:
    assert response.status_code == 200, response.status_code
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "Expires" not in response.headers


def test_course_upload_is_private(client, login_as):
    trainer = login_as("trainer")
    owner = course()
    saved = save_upload(db.session, filename="schemat.png", data=PNG, course_id=owner.id, user_id=trainer.id, alt="Schemat")
    db.session.commit()
    _private(client.get(f"/uploads/{saved.attachment.stored_name}"))
    _private(client.get(f"/courses/{owner.slug}/media/{saved.attachment.media_name}"))


def test_evidence_document_is_private(client, login_as):
    learner = login_as("learner")
    client.post(
        "/competencies/prior-learning",
        data={"code": "ANI.1.1", "level": "2", "note": "kurs", "document": (io.BytesIO(PDF), "dyplom.pdf")},
    )
    evidence = db.session.scalar(select(Evidence).where(Evidence.user_id == learner.id))
    _private(client.get(f"/competencies/evidence/{evidence.id}/document"))


def test_certificate_pdf_and_register_are_private(client, make_user, login):
    holder = make_user("learner")
    complete(holder.id)
    db.session.commit()
    login(make_user("issuer"))
    client.post("/certificates/issue", data={"confirmed": "1", "selected": f"{holder.id}:{course().id}"})
    certificate = db.session.scalar(select(Certificate).where(Certificate.user_id == holder.id))
    _private(client.get(f"/certificates/{certificate.id}/pdf"))
    _private(client.get("/certificates/register.csv"))
    login(holder)
    _private(client.get(f"/certificates/{certificate.id}/pdf"))


def test_public_static_files_stay_cacheable(client, login_as):
    login_as("learner")
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
    assert "private" not in response.headers.get("Cache-Control", "")
