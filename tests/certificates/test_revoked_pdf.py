"""A revoked certificate downloads stamped as revoked; the register's hash still proves the original (issue 9, 8)."""

from __future__ import annotations

import io

from pypdf import PdfReader
from sqlalchemy import select

from elearn.certificates import services
from elearn.certificates.models import Certificate
from elearn.certificates.pdf import format_date, sha256
from elearn.core.timeutil import to_local
from elearn.extensions import db

from .helpers import complete, course


def test_revoked_certificate_is_stamped_on_every_page_and_listed_as_revoked(client, make_user, login):
    holder = make_user("learner", full_name="Renata Odwołana")
    complete(holder.id)
    db.session.commit()
    issuer = make_user("issuer")
    login(issuer)
    client.post("/certificates/issue", data={"confirmed": "1", "selected": f"{holder.id}:{course().id}"})
    certificate = db.session.scalar(select(Certificate).where(Certificate.user_id == holder.id))
    original_hash = certificate.pdf_sha256
    assert client.post(f"/certificates/{certificate.id}/revoke", data={"confirmed": "1", "reason": "Błąd w danych"}).status_code == 302
    db.session.refresh(certificate)
    revoked_on = format_date(to_local(certificate.revoked_at).date())

    login(holder)
    response = client.get(f"/certificates/{certificate.id}/pdf")
    assert response.status_code == 200
    pages = PdfReader(io.BytesIO(response.data)).pages
    for page in pages:
        text = page.extract_text()
        assert "UNIEWAŻNIONE" in text
        assert revoked_on in text
    assert sha256(response.data) != original_hash
    assert certificate.pdf_sha256 == original_hash
    assert sha256(services.original_pdf(certificate)) == original_hash  # the register still verifies the original

    listing = client.get("/certificates/mine").get_data(as_text=True)
    row = listing[listing.index(f'<th scope="row">{certificate.number}') :]
    row = row[: row.index("</tr>")]
    assert "unieważnione" in row
    assert "dnia " in row
    assert "oznaczony jako unieważniony" in row


def test_valid_certificate_has_no_stamp(client, make_user, login):
    holder = make_user("learner")
    complete(holder.id)
    db.session.commit()
    login(make_user("issuer"))
    client.post("/certificates/issue", data={"confirmed": "1", "selected": f"{holder.id}:{course().id}"})
    certificate = db.session.scalar(select(Certificate).where(Certificate.user_id == holder.id))
    data = client.get(f"/certificates/{certificate.id}/pdf").data
    assert "UNIEWAŻNIONE" not in "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert sha256(data) == certificate.pdf_sha256
