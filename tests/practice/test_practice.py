"""Practical assignments through what people see: the learner's page, the trainer's queue and review, levels."""

from __future__ import annotations

import io
import os
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from elearn.accounts import services as accounts
from elearn.competencies.models import Evidence
from elearn.competencies.services import current_levels
from elearn.core.notifications import Notification, send_due
from elearn.core.timeutil import utcnow
from elearn.courses.models import Course, Enrolment
from elearn.courses.services.learning import enrol, published_course
from elearn.courses.services.sync import sync_courses
from elearn.extensions import db
from elearn.practice import services
from elearn.practice.models import Submission, SubmissionFile, SubmissionVersion, SubmittedWorkImmutableError
from tests.courses.helpers import write_course

MODULE = """---
title: Moduł z zadaniem
hours: 1
competences:
  ANI.1.1: 1
---

## Lekcja

Tekst lekcji.

## Zadanie: Mapa zasobów

```yaml
key: mapa
competences:
  ANI.1.1: 2
  ANI.1.2: 2
criteria:
  - Mapa ma legendę
form: [text, files]
due_days: 10
```

Narysuj **mapę zasobów** swojego osiedla.
"""

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ASSIGNMENT = "/assignments/{slug}/modul/mapa"


def publish(root, slug: str, owner=None) -> Course:
    write_course(root, slug, {"01-modul.md": MODULE}, hours=1)
    sync_courses(db.session, root)
    course = db.session.scalar(select(Course).where(Course.slug == slug))
    course.created_by_id = owner.id if owner else None  # an owner makes it that trainer's browser course
    db.session.commit()
    return course


@pytest.fixture
def course(tmp_path):
    return publish(tmp_path / "c1", "kurs-zadania")


def enrolled(make_user, course, **kwargs):
    user = make_user(**kwargs)
    _course, version = published_course(db.session, course.slug)
    enrol(db.session, user.id, course, version)
    db.session.commit()
    return user


def criteria_count(page: str) -> int:
    return page.count('name="criterion_')


def hand_in(client, slug, *, text="Moja mapa: szkoła, biblioteka, klub seniora.", files=None, submit=True):
    data = {"text": text, "files": files if files is not None else [(io.BytesIO(PDF), "mapa.pdf")]}
    data["submit" if submit else "save"] = "1"
    return client.post(ASSIGNMENT.format(slug=slug), data=data, content_type="multipart/form-data", follow_redirects=True)


def review(client, submission_id, decision, met="yes", feedback="Dobra, konkretna mapa."):
    page = client.get(f"/assignments/review/{submission_id}").get_data(as_text=True)
    data = {f"criterion_{i}": met for i in range(criteria_count(page))}
    data.update(decision=decision, feedback=feedback)
    return client.post(f"/assignments/review/{submission_id}", data=data, follow_redirects=True)


def test_learner_submits_trainer_passes_and_level_2_is_confirmed(client, login, make_user, course):
    learner = enrolled(make_user, course, full_name="Anna Uczestniczka")
    trainer = make_user("trainer", full_name="Tomasz Trener")
    login(learner)
    page = client.get(ASSIGNMENT.format(slug=course.slug)).get_data(as_text=True)
    assert "mapy zasobów" in page or "mapę zasobów" in page
    assert "Mapa ma legendę" in page
    saved = hand_in(client, course.slug, submit=False).get_data(as_text=True)
    assert "Zapisano wersję roboczą" in saved and "robocze" in saved
    sent = hand_in(client, course.slug, files=[]).get_data(as_text=True)
    assert "przesłane" in sent
    submission = db.session.scalar(select(Submission).where(Submission.user_id == learner.id))
    assert [f.name for f in submission.latest.files] == ["mapa.pdf"]
    assert "Mapa zasobów" in client.get("/assignments").get_data(as_text=True)
    assert current_levels(db.session, learner.id).get("ANI.1.2", 0) == 0

    login(trainer)
    assert "Na twoją ocenę czeka 1 zadanie." in client.get("/dashboard").get_data(as_text=True)
    queue = client.get("/assignments/review").get_data(as_text=True)
    assert "Anna Uczestniczka" in queue
    page = client.get(f"/assignments/review/{submission.id}").get_data(as_text=True)
    assert criteria_count(page) >= 2 and "Mapa ma legendę" in page
    done = review(client, submission.id, "passed").get_data(as_text=True)
    assert "zaliczone" in done
    evidence = db.session.scalars(select(Evidence).where(Evidence.user_id == learner.id, Evidence.source == "assignment")).all()
    assert {(e.competence_code, e.level, e.recorded_by) for e in evidence} == {("ANI.1.1", 2, trainer.id), ("ANI.1.2", 2, trainer.id)}
    assert evidence[0].link == f"/assignments/submissions/{submission.id}"
    assert current_levels(db.session, learner.id)["ANI.1.2"] == 2

    login(learner)
    assert "zaliczone" in client.get(ASSIGNMENT.format(slug=course.slug)).get_data(as_text=True)
    note = db.session.scalar(select(Notification).where(Notification.recipient_id == learner.id))
    assert note.kind == "practice.submission_reviewed"
    assert "Tomasz Trener" in client.get("/notifications").get_data(as_text=True)


def test_revise_keeps_history_and_submitted_attempts_are_immutable(client, login, make_user, course):
    learner = enrolled(make_user, course)
    trainer = make_user("trainer")
    login(learner)
    hand_in(client, course.slug, text="Pierwsza wersja mapy.")
    submission = db.session.scalar(select(Submission).where(Submission.user_id == learner.id))
    again = hand_in(client, course.slug, text="Zmiana po wysłaniu.").get_data(as_text=True)
    assert "Nie można teraz zmienić" in again
    assert submission.latest.text == "Pierwsza wersja mapy."
    login(trainer)
    review(client, submission.id, "revise", met="no", feedback="Dodaj legendę.")
    login(learner)
    page = client.get(ASSIGNMENT.format(slug=course.slug)).get_data(as_text=True)
    assert "do poprawy" in page and "Dodaj legendę." in page and "nie spełnia" in page
    hand_in(client, course.slug, text="Druga wersja z legendą.", files=[])
    db.session.expire_all()
    versions = db.session.scalars(
        select(SubmissionVersion).where(SubmissionVersion.submission_id == submission.id).order_by("number")
    ).all()
    assert [(v.number, v.text, v.decision) for v in versions] == [
        (1, "Pierwsza wersja mapy.", "revise"),
        (2, "Druga wersja z legendą.", None),
    ]
    assert [f.name for f in versions[1].files] == ["mapa.pdf"]  # the earlier attachment is carried over
    page = client.get(ASSIGNMENT.format(slug=course.slug)).get_data(as_text=True)
    assert "Próba 1" in page and "Próba 2" in page


def test_a_submitted_attempt_cannot_be_changed_by_code(client, login, make_user, course):
    learner = enrolled(make_user, course)
    login(learner)
    hand_in(client, course.slug, text="Wysłana wersja.")
    version = db.session.scalar(select(SubmissionVersion).join(Submission).where(Submission.user_id == learner.id))
    version_id = version.id
    db.session.commit()
    version.text = "Podmieniona po wysłaniu."
    with pytest.raises(SubmittedWorkImmutableError):
        db.session.flush()
    db.session.rollback()
    version = db.session.get(SubmissionVersion, version_id)
    assert version.text == "Wysłana wersja."
    version.files.append(SubmissionFile(path="x.pdf", name="x.pdf", mimetype="application/pdf", size=1))
    with pytest.raises(SubmittedWorkImmutableError):
        db.session.flush()
    db.session.rollback()


def test_passing_needs_every_criterion_and_a_trainer_cannot_review_own_work(client, login, make_user, course):
    both = make_user("learner", "trainer")
    _course, version = published_course(db.session, course.slug)
    enrol(db.session, both.id, course, version)
    db.session.commit()
    login(both)
    hand_in(client, course.slug)
    own = db.session.scalar(select(Submission).where(Submission.user_id == both.id))
    assert client.get(f"/assignments/review/{own.id}").status_code == 404
    assert "Brak zgłoszeń" in client.get("/assignments/review").get_data(as_text=True)
    other = make_user("trainer")
    login(other)
    refused = review(client, own.id, "passed", met="no").get_data(as_text=True)
    assert "tylko wtedy, gdy spełnia każde kryterium" in refused
    assert db.session.scalar(select(func.count(Evidence.id)).where(Evidence.user_id == both.id, Evidence.source == "assignment")) == 0


def test_trainers_see_only_submissions_of_their_courses(client, login, make_user, tmp_path, institution):
    from elearn.directory.models import Institution

    first, second = make_user("trainer", full_name="Trener Pierwszy"), make_user("trainer", full_name="Trener Drugi")
    mine = publish(tmp_path / "a", "kurs-pierwszego", owner=first)
    theirs = publish(tmp_path / "b", "kurs-drugiego", owner=second)
    elsewhere = db.session.scalar(select(Institution).where(Institution.id != institution.id))
    learner_a = enrolled(make_user, mine, full_name="Ola Pierwsza")
    learner_b = enrolled(make_user, theirs, full_name="Ewa Druga", institution_id=elsewhere.id if elsewhere else None)
    for learner, course in ((learner_a, mine), (learner_b, theirs)):
        login(learner)
        hand_in(client, course.slug)
    sub_a = db.session.scalar(select(Submission).where(Submission.user_id == learner_a.id))
    sub_b = db.session.scalar(select(Submission).where(Submission.user_id == learner_b.id))
    login(first)
    queue = client.get("/assignments/review").get_data(as_text=True)
    assert "Ola Pierwsza" in queue and "Ewa Druga" not in queue
    assert client.get(f"/assignments/review/{sub_b.id}").status_code == 404
    assert client.get(f"/assignments/submissions/{sub_b.id}").status_code == 404
    file_b = db.session.scalar(select(SubmissionFile.id).join(SubmissionVersion).where(SubmissionVersion.submission_id == sub_b.id))
    assert client.get(f"/assignments/files/{file_b}").status_code == 404
    assert review(client, sub_b.id, "passed").status_code == 404
    filtered = client.get(f"/assignments/review?course={mine.id}&status=submitted").get_data(as_text=True)
    assert "Ola Pierwsza" in filtered
    login(second)
    assert "Ewa Druga" in client.get("/assignments/review").get_data(as_text=True)
    assert client.get(f"/assignments/review/{sub_a.id}").status_code == 404
    login(learner_b)
    assert client.get(f"/assignments/submissions/{sub_a.id}").status_code == 404
    assert client.get(f"/assignments/files/{file_b}").status_code == 200


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([(io.BytesIO(b"MZ\x90\x00binary"), "program.exe")], "Nie można przesyłać plików tego typu"),
        ([(io.BytesIO(b"not a pdf"), "mapa.pdf")], "nie odpowiada rozszerzeniu"),
        ([(io.BytesIO(PDF + b"0" * 2048), "duza.pdf")], "za duży"),
    ],
)
def test_bad_uploads_are_field_errors_and_leave_no_row(app, client, login, make_user, course, files, message):
    app.config["PRACTICE_FILE_MAX_BYTES"], limit = 1024, app.config["PRACTICE_FILE_MAX_BYTES"]
    try:
        learner = enrolled(make_user, course)
        login(learner)
        page = hand_in(client, course.slug, files=files)
    finally:
        app.config["PRACTICE_FILE_MAX_BYTES"] = limit
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert message in html and 'aria-invalid="true"' in html
    assert db.session.scalar(select(func.count(Submission.id)).where(Submission.user_id == learner.id)) == 0


def test_submitting_needs_the_expected_form_and_an_enrolment(client, login, make_user, course):
    learner = enrolled(make_user, course)
    login(learner)
    page = hand_in(client, course.slug, text="", files=[]).get_data(as_text=True)
    assert "Napisz odpowiedź" in page and "Dołącz co najmniej jeden plik" in page
    assert db.session.scalar(select(func.count(Submission.id)).where(Submission.user_id == learner.id)) == 0
    stranger = make_user()
    login(stranger)
    page = hand_in(client, course.slug).get_data(as_text=True)
    assert "Zapisz się na kurs" in page
    assert db.session.scalar(select(func.count(Submission.id)).where(Submission.user_id == stranger.id)) == 0


def test_new_submission_digest_and_due_soon_reminder_once(app, client, login, make_user, course):
    learner = enrolled(make_user, course)
    trainer = make_user("trainer")
    login(learner)
    hand_in(client, course.slug)
    digest = db.session.scalar(select(Notification).where(Notification.recipient_id == trainer.id))
    assert digest.kind == "practice.new_submission" and digest.email_status == "digest"
    late = enrolled(make_user, course)
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.user_id == late.id))
    enrolment.enrolled_at = utcnow() - timedelta(days=8)  # due in two days
    db.session.commit()
    send_due(db.session, utcnow())
    send_due(db.session, utcnow())
    reminders = db.session.scalars(select(Notification).where(Notification.recipient_id == late.id)).all()
    assert [n.kind for n in reminders] == ["practice.due_soon"]
    assert (
        db.session.scalar(
            select(func.count(Notification.id)).where(Notification.recipient_id == learner.id, Notification.kind == "practice.due_soon")
        )
        == 0
    )


def test_rodo_export_and_erase_cover_submissions(app, client, login, make_user, course):
    learner = enrolled(make_user, course)
    login(learner)
    hand_in(client, course.slug, text="Moja osobista odpowiedź.")
    data = accounts.export_personal_data(learner)
    [item] = data["practical_assignments"]
    assert item["attempts"][0]["text"] == "Moja osobista odpowiedź." and item["attempts"][0]["files"] == ["mapa.pdf"]
    stored = db.session.scalar(select(SubmissionFile.path))
    path = app.instance_path + "/uploads/practice/" + stored
    accounts.erase_account(db.session, learner, actor_id=learner.id)
    db.session.flush()
    assert db.session.scalar(select(func.count(Submission.id)).where(Submission.user_id == learner.id)) == 0
    assert not os.path.exists(path)


def test_profile_offers_the_assignment_as_what_comes_next_until_it_is_passed(client, login, make_user, course):
    learner = enrolled(make_user, course, full_name="Ola Następna")
    login(learner)
    steps = services.assignment_steps(db.session, learner.id, {"ANI.1.2": 1, "WSP.1.1": 2})
    url = ASSIGNMENT.format(slug=course.slug)
    assert ("assignment", 2, url) in [(s.kind, s.level, s.url) for s in steps["ANI.1.2"]] and "WSP.1.1" not in steps
    profile = client.get("/competencies/profile").get_data(as_text=True)
    assert "Zadanie praktyczne" in profile  # the kind of step shown in "What comes next"
    hand_in(client, course.slug)
    login(make_user("trainer"))
    review(client, db.session.scalar(select(Submission).where(Submission.user_id == learner.id)).id, "passed")
    after = services.assignment_steps(db.session, learner.id, {"ANI.1.2": 1}).get("ANI.1.2", [])
    assert url not in [s.url for s in after]
