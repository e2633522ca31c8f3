"""Assessment requests: a learner asks, the request reaches the trainers of the right courses, a trainer assesses
(evidence, level, notification) or declines with a reason; nobody else sees or answers it."""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import select

from elearn.competencies import notifications as kinds
from elearn.competencies.models import REQUEST_ASSESSED, REQUEST_DECLINED, REQUEST_OPEN, TRAINER_ASSESSMENT, AssessmentRequest, Evidence
from elearn.competencies.services import levels
from elearn.competencies.services import requests as request_service
from elearn.core.notifications import Notification
from elearn.courses.models import Course, CourseVersion, Module
from elearn.courses.services.learning import published_modules
from elearn.extensions import db
from tests.bad_input import CONTROL, CONTROL_MESSAGE, XSS, assert_field_error, count_rows

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SHIPPED_CODE = "WSP.1.1"  # evidenced by the shared, file-synced introduction course


def uncovered_code() -> str:
    """A competence that no published module evidences: the shipped courses cover every competence, so they are
    unpublished for this test (the test's transaction is rolled back afterwards)."""
    for course in db.session.scalars(select(Course)):
        course.published_number = 0
    db.session.commit()
    assert published_modules(db.session) == []
    return "ANI.2.1"


def own_course(trainer, code: str, slug: str = "kurs-trenera") -> Course:
    """A published course created in the browser by this trainer, with one module evidencing the code."""
    course = Course(slug=slug, title="Kurs trenera", role="animator", status="published", published_number=1, created_by_id=trainer.id)
    db.session.add(course)
    db.session.flush()
    version = CourseVersion(course_id=course.id, number=1, title="Kurs trenera", role="animator", hours=2, content_hash="x")
    db.session.add(version)
    db.session.flush()
    db.session.add(Module(course_id=course.id, version_id=version.id, position=0, key="m1", title="Moduł 1", competences={code: 1}))
    db.session.commit()
    return course


def ask(client, code: str, description: str = "Przeprowadziłam spacer badawczy z mieszkańcami osiedla.", document=None):
    data = {"code": code, "description": description}
    if document is not None:
        data["document"] = document
    return client.post("/competencies/requests/new", data=data, content_type="multipart/form-data")


def notifications_of(user_id: int, kind: str) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.recipient_id == user_id, Notification.kind == kind)))


def test_request_without_document_goes_to_every_trainer_for_a_shared_course(client, make_user, login):
    trainers = [make_user("trainer"), make_user("trainer")]
    learner = login(make_user("learner"))
    page = client.get(f"/competencies/requests/new?code={SHIPPED_CODE}").get_data(as_text=True)
    assert f'<option selected value="{SHIPPED_CODE}">' in page or f'value="{SHIPPED_CODE}" selected' in page
    response = ask(client, SHIPPED_CODE)
    assert response.status_code == 302
    request = db.session.scalar(select(AssessmentRequest).where(AssessmentRequest.user_id == learner.id))
    assert request.status == REQUEST_OPEN and request.routed_to_all and request.document_path is None
    for trainer in trainers:
        (note,) = notifications_of(trainer.id, kinds.REQUEST_NEW)
        assert note.email_status == "digest"  # the daily summary, not one e-mail each
        assert note.params["person"] == learner.full_name
    assert notifications_of(learner.id, kinds.REQUEST_NEW) == []
    mine = client.get("/competencies/requests").get_data(as_text=True)
    assert SHIPPED_CODE in mine and "czeka na trenera" in mine


def test_request_with_document_is_downloadable_by_owner_and_routed_trainer_only(client, make_user, login):
    trainer = make_user("trainer")
    stranger = make_user("learner")
    learner = login(make_user("learner"))
    response = ask(client, SHIPPED_CODE, document=(io.BytesIO(PDF), "sprawozdanie.pdf"))
    assert response.status_code == 302
    request = db.session.scalar(select(AssessmentRequest).where(AssessmentRequest.user_id == learner.id))
    assert request.document_name == "sprawozdanie.pdf" and request.document_mimetype == "application/pdf"
    url = f"/competencies/requests/{request.id}/document"
    assert client.get(url).data == PDF
    login(trainer)
    assert client.get(url).data == PDF
    login(stranger)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("content", "filename"),
    [(b"MZ\x90\x00not a pdf", "raport.pdf"), (b"", "pusty.pdf"), (b"%PDF-" + b"0" * (5 * 1024 * 1024 + 10), "duzy.pdf")],
)
def test_bad_document_is_a_polish_field_error_and_writes_nothing(client, login_as, content, filename):
    login_as("learner")
    before = count_rows(AssessmentRequest)
    response = ask(client, SHIPPED_CODE, document=(io.BytesIO(content), filename))
    assert_field_error(response, "document", "Dokument musi być plikiem PDF, PNG lub JPG", status=400)
    assert count_rows(AssessmentRequest) == before


def test_document_of_a_wrong_type_by_name_is_a_field_error(client, login_as):
    login_as("learner")
    response = ask(client, SHIPPED_CODE, document=(io.BytesIO(b"x"), "program.exe"))
    assert_field_error(response, "document", "Akceptujemy tylko pliki PDF, PNG lub JPG.", status=400)
    assert count_rows(AssessmentRequest) == 0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("code", "", "Wybierz kompetencję."),
        ("code", "ANI.99.99", "Nieprawidłowy wybór"),
        ("code", XSS, "Nieprawidłowy wybór"),
        ("description", "", "Opisz, co zrobiłeś(-aś) w praktyce."),
        ("description", "   ", "Opisz, co zrobiłeś(-aś) w praktyce."),
        ("description", "a" * 2001, "2000"),
        ("description", CONTROL, CONTROL_MESSAGE),
    ],
)
def test_request_form_rejects_bad_input(client, login_as, field, value, message):
    login_as("learner")
    data = {"code": SHIPPED_CODE, "description": "Opis praktyki."}
    data[field] = value
    response = ask(client, data["code"], data["description"])
    assert_field_error(response, field, message, status=400)
    assert count_rows(AssessmentRequest) == 0


def test_request_for_a_course_with_its_own_trainer_goes_to_that_trainer_only(client, make_user, login):
    code = uncovered_code()
    author, other, admin = make_user("trainer"), make_user("trainer"), make_user("admin")
    own_course(author, code)
    learner = login(make_user("learner"))
    assert ask(client, code).status_code == 302
    request = db.session.scalar(select(AssessmentRequest).where(AssessmentRequest.user_id == learner.id))
    assert not request.routed_to_all
    assert [t.trainer_id for t in request.trainers] == [author.id]
    assert len(notifications_of(author.id, kinds.REQUEST_NEW)) == 1
    assert notifications_of(other.id, kinds.REQUEST_NEW) == []

    login(other)
    assert f"/competencies/requests/{request.id}" not in client.get("/competencies/requests/queue").get_data(as_text=True)
    assert client.get(f"/competencies/requests/{request.id}").status_code == 404
    refused = client.post(f"/competencies/requests/{request.id}/assess", data={"assess-level": "2", "assess-note": "x"})
    assert refused.status_code == 404
    assert client.post(f"/competencies/requests/{request.id}/decline", data={"confirmed": "1", "decline-reason": "x"}).status_code == 404
    assert client.get(f"/competencies/requests/{request.id}/document").status_code == 404
    assert db.session.get(AssessmentRequest, request.id).status == REQUEST_OPEN

    login(admin)
    assert learner.full_name in client.get("/competencies/requests/queue").get_data(as_text=True)
    assert client.get(f"/competencies/requests/{request.id}").status_code == 200

    login(author)
    queue = client.get("/competencies/requests/queue").get_data(as_text=True)
    assert learner.full_name in queue
    assert "Przeprowadziłam spacer badawczy" in client.get(f"/competencies/requests/{request.id}").get_data(as_text=True)


def test_request_goes_to_every_trainer_when_no_course_evidences_the_competence(make_user):
    code = uncovered_code()
    learner, trainer = make_user("learner"), make_user("trainer")
    request = request_service.create_request(db.session, instance_path="/nonexistent", user=learner, code=code, description="Opis.")
    assert request.routed_to_all and request.trainers == []
    assert len(notifications_of(trainer.id, kinds.REQUEST_NEW)) == 1


def test_course_of_a_deactivated_trainer_routes_to_everyone(make_user):
    from elearn.accounts.services import set_active

    code = uncovered_code()
    author = make_user("trainer")
    own_course(author, code)
    set_active(db.session, author, False, actor_id=None)
    request = request_service.create_request(
        db.session, instance_path="/nonexistent", user=make_user("learner"), code=code, description="x"
    )
    assert request.routed_to_all


def test_trainer_assesses_a_request_evidence_level_and_notification(app, client, make_user, login):
    trainer = make_user("trainer", full_name="Tomasz Trener")
    learner = login(make_user("learner"))
    assert ask(client, SHIPPED_CODE).status_code == 302
    request = db.session.scalar(select(AssessmentRequest).where(AssessmentRequest.user_id == learner.id))

    login(trainer)
    page = client.get(f"/competencies/requests/{request.id}").get_data(as_text=True)
    assert "Wskaźniki kompetencji" in page
    response = client.post(
        f"/competencies/requests/{request.id}/assess", data={"assess-level": "2", "assess-note": "Samodzielnie poprowadziła spotkanie."}
    )
    assert response.status_code == 302
    request = db.session.get(AssessmentRequest, request.id)
    assert request.status == REQUEST_ASSESSED and request.level == 2 and request.answered_by == trainer.id
    evidence = db.session.get(Evidence, request.evidence_id)
    assert (evidence.source, evidence.level, evidence.recorded_by) == (TRAINER_ASSESSMENT, 2, trainer.id)
    assert evidence.note == "Samodzielnie poprowadziła spotkanie."
    assert (evidence.source_type, evidence.source_id, evidence.link) == ("assessment_request", str(request.id), "/competencies/requests")
    cli = app.test_cli_runner().invoke(args=["competencies", "profile", "--email", learner.email, "--format", "json"])
    (row,) = json.loads(cli.output)["levels"]
    assert row["sources"][0]["origin"] == f"assessment_request {request.id}" and row["sources"][0]["assessor"] == "Tomasz Trener"
    assert levels.current_levels(db.session, learner.id)[SHIPPED_CODE] == 2
    (note,) = notifications_of(learner.id, kinds.REQUEST_ASSESSED)
    assert note.params["level"] == 2 and note.params["trainer"] == "Tomasz Trener"
    assert note.email_status != "digest"  # the learner hears at once

    again = client.post(f"/competencies/requests/{request.id}/assess", data={"assess-level": "3", "assess-note": "Jeszcze raz."})
    assert again.status_code == 302
    assert db.session.scalar(select(db.func.count(Evidence.id)).where(Evidence.user_id == learner.id)) == 1

    login(learner)
    mine = client.get("/competencies/requests").get_data(as_text=True)
    assert "Samodzielnie poprowadziła spotkanie." in mine
    assert "Tomasz Trener" in mine
    notes = client.get("/notifications").get_data(as_text=True)
    assert SHIPPED_CODE in notes


def test_trainer_declines_with_a_reason(client, make_user, login):
    trainer = make_user("trainer")
    learner = login(make_user("learner"))
    assert ask(client, SHIPPED_CODE).status_code == 302
    request = db.session.scalar(select(AssessmentRequest).where(AssessmentRequest.user_id == learner.id))
    login(trainer)
    empty = client.post(f"/competencies/requests/{request.id}/decline", data={"confirmed": "1", "decline-reason": "  "})
    assert_field_error(empty, "decline-reason", "Napisz, dlaczego odrzucasz prośbę.", status=400)
    assert db.session.get(AssessmentRequest, request.id).status == REQUEST_OPEN
    response = client.post(
        f"/competencies/requests/{request.id}/decline", data={"confirmed": "1", "decline-reason": "Proszę dołączyć sprawozdanie."}
    )
    assert response.status_code == 302
    request = db.session.get(AssessmentRequest, request.id)
    assert request.status == REQUEST_DECLINED and request.decline_reason == "Proszę dołączyć sprawozdanie."
    assert levels.current_levels(db.session, learner.id).get(SHIPPED_CODE, 0) == 0
    (note,) = notifications_of(learner.id, kinds.REQUEST_DECLINED)
    assert note.params["reason"] == "Proszę dołączyć sprawozdanie."


def test_bad_assessment_input_writes_nothing(client, make_user, login):
    trainer = make_user("trainer")
    learner = make_user("learner")
    request = request_service.create_request(db.session, instance_path="/x", user=learner, code=SHIPPED_CODE, description="x")
    db.session.commit()
    login(trainer)
    for data, field in (
        ({"assess-level": "9", "assess-note": "ok"}, "assess-level"),
        ({"assess-level": "2", "assess-note": ""}, "assess-note"),
    ):
        assert_field_error(client.post(f"/competencies/requests/{request.id}/assess", data=data), field, None, status=400)
    assert db.session.scalar(select(db.func.count(Evidence.id)).where(Evidence.user_id == learner.id)) == 0
    assert db.session.get(AssessmentRequest, request.id).status == REQUEST_OPEN


def test_a_trainer_cannot_answer_their_own_request(client, make_user, login):
    both = login(make_user("learner", "trainer"))
    make_user("trainer")
    assert ask(client, SHIPPED_CODE).status_code == 302
    request = db.session.scalar(select(AssessmentRequest).where(AssessmentRequest.user_id == both.id))
    assert f"/competencies/requests/{request.id}" not in client.get("/competencies/requests/queue").get_data(as_text=True)
    assert client.get(f"/competencies/requests/{request.id}").status_code == 404
    assert client.post(f"/competencies/requests/{request.id}/assess", data={"assess-level": "3", "assess-note": "Ja."}).status_code == 404
    with pytest.raises(request_service.RequestRefused):
        request_service.assess(db.session, request, trainer=both, level=3, note="Ja.")
    assert levels.current_levels(db.session, both.id) == {}


def test_queue_is_oldest_first_and_filters_by_status(client, make_user, login):
    trainer = make_user("trainer")
    first, second = make_user("learner", full_name="Adam Pierwszy"), make_user("learner", full_name="Zenon Drugi")
    older = request_service.create_request(db.session, instance_path="/x", user=second, code=SHIPPED_CODE, description="x")
    newer = request_service.create_request(db.session, instance_path="/x", user=first, code=SHIPPED_CODE, description="x")
    request_service.decline(db.session, newer, trainer=trainer, reason="Za mało.")
    db.session.commit()
    assert older.created_at <= newer.created_at
    login(trainer)
    page = client.get("/competencies/requests/queue").get_data(as_text=True)
    assert page.index("Zenon Drugi") < page.index("Adam Pierwszy")
    only_open = client.get("/competencies/requests/queue?status=open").get_data(as_text=True)
    assert "Zenon Drugi" in only_open and "Adam Pierwszy" not in only_open
    assert client.get("/competencies/requests/queue?status=nonsense").status_code == 200
    assert client.get("/competencies/requests/queue?page=999").status_code == 200
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "1 prośba czeka na odpowiedź." in dashboard


def test_requests_are_in_the_rodo_export_and_erased(app, make_user, tmp_path):
    from elearn.accounts.services import erase_account, export_personal_data
    from elearn.competencies.models import AssessmentRequest as Model

    learner = make_user("learner")
    request = request_service.create_request(
        db.session, instance_path=app.instance_path, user=learner, code=SHIPPED_CODE, description="Moja praktyka", document=("a.pdf", PDF)
    )
    request_service.decline(db.session, request, trainer=make_user("trainer"), reason="Powód")
    path = request_service.document_file(app.instance_path, request)
    assert path.is_file()
    exported = export_personal_data(learner)["assessment_requests"]
    personal = [column.key for column in Model.__table__.columns if column.info.get("personal")]
    assert set(personal) == {"description", "document_path", "document_name", "decline_reason"}
    assert exported[0]["description"] == "Moja praktyka" and exported[0]["document"] == "a.pdf" and exported[0]["decline_reason"] == "Powód"
    json.dumps(exported)
    erase_account(db.session, learner, actor_id=None)
    assert db.session.scalar(select(db.func.count(Model.id)).where(Model.user_id == learner.id)) == 0
    assert not path.exists()


WHO = ("owner", "routed_trainer", "other_trainer", "admin", "other_learner", "coordinator")
# (method, url pattern) -> expected status per person; the request was routed to routed_trainer only.
EXPECTED = {
    ("GET", "/competencies/requests/{id}"): (403, 200, 404, 200, 403, 403),
    ("POST", "/competencies/requests/{id}/assess"): (403, 400, 404, 403, 403, 403),
    ("POST", "/competencies/requests/{id}/decline"): (403, 400, 404, 403, 403, 403),
    ("GET", "/competencies/requests/{id}/document"): (200, 200, 404, 200, 404, 404),
}


@pytest.mark.parametrize(("method", "pattern"), list(EXPECTED))
def test_object_level_walk_of_the_request_routes(app, client, make_user, login, method, pattern):
    code = uncovered_code()
    people = dict(
        zip(
            WHO,
            (
                make_user("learner"),
                make_user("trainer"),
                make_user("trainer"),
                make_user("admin"),
                make_user("learner"),
                make_user("coordinator"),
            ),
            strict=True,
        )
    )
    own_course(people["routed_trainer"], code)
    request = request_service.create_request(
        db.session, instance_path=app.instance_path, user=people["owner"], code=code, description="Opis", document=("a.pdf", PDF)
    )
    db.session.commit()
    url = pattern.format(id=request.id)
    got = []
    for who in WHO:
        login(people[who])
        got.append(client.open(url, method=method).status_code)
    assert tuple(got) == EXPECTED[(method, pattern)], dict(zip(WHO, got, strict=True))
    assert db.session.get(AssessmentRequest, request.id).status == REQUEST_OPEN  # empty answers changed nothing


def test_trainer_page_about_a_learner_lists_their_requests_routed_to_the_trainer(client, make_user, login):
    code = uncovered_code()
    author, other = make_user("trainer"), make_user("trainer")
    own_course(author, code)
    learner = make_user("learner")
    request = request_service.create_request(db.session, instance_path="/x", user=learner, code=code, description="Opis")
    db.session.commit()
    link = f"/competencies/requests/{request.id}"
    login(author)
    assert link in client.get(f"/competencies/learners/{learner.id}").get_data(as_text=True)
    login(other)
    assert link not in client.get(f"/competencies/learners/{learner.id}").get_data(as_text=True)
