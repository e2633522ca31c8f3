"""Signal receivers: the advisory domain's part of RODO export and erasure.

A case is the institution's record, so erasing the person who asked or answered keeps the case and its thread (the
case still counts as support given), but: the call-back phone number goes, the person's own messages are stripped of
personal data (services.anonymise, with their name and e-mail among the names), and the files they uploaded are
deleted. Their account itself is anonymised by accounts, so the thread shows an erased author."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from .models import AdvisoryAttachment, AdvisoryCase, AdvisoryMessage
from .services.anonymise import anonymise
from .services.cases import upload_dir


def collect(user, **_kwargs) -> dict:
    from ..extensions import db

    asked = db.session.scalars(select(AdvisoryCase).where(AdvisoryCase.requester_id == user.id).order_by(AdvisoryCase.id))
    written = db.session.scalars(select(AdvisoryMessage).where(AdvisoryMessage.author_id == user.id).order_by(AdvisoryMessage.id))
    files = db.session.scalars(select(AdvisoryAttachment).where(AdvisoryAttachment.uploader_id == user.id).order_by(AdvisoryAttachment.id))
    return {
        "advisory_cases_asked": [
            {
                "case": c.id,
                "subject": c.subject,
                "institution": c.institution.name,
                "status": c.status,
                "opened_at": c.opened_at.isoformat() + "Z",
                "contact_phone": c.contact_phone,
            }
            for c in asked
        ],
        "advisory_messages": [
            {"case": m.case_id, "written_at": m.created_at.isoformat() + "Z", "as_advisor": m.from_advisor, "text": m.body} for m in written
        ],
        "advisory_files": [{"case": f.case_id, "name": f.name, "uploaded_at": f.created_at.isoformat() + "Z"} for f in files],
    }


def erase(user, session, **_kwargs) -> None:
    for case in session.scalars(select(AdvisoryCase).where(AdvisoryCase.requester_id == user.id)):
        case.contact_phone = None
    names = [user.full_name] + ([user.email.split("@")[0].replace(".", " ").title()] if user.email else [])
    for message in session.scalars(select(AdvisoryMessage).where(AdvisoryMessage.author_id == user.id)):
        message.body = anonymise(message.body, names)
    root = upload_dir(current_app.instance_path).resolve()
    for row in session.scalars(select(AdvisoryAttachment).where(AdvisoryAttachment.uploader_id == user.id)):
        path = (root / row.path).resolve()
        if path.is_relative_to(root) and path.exists():
            path.unlink()
        session.delete(row)
    session.flush()
