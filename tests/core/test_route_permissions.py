"""Walk every registered route as every role and as an anonymous visitor; each route must declare who may use it."""

from __future__ import annotations

import pytest

from elearn.accounts.models import ROLES
from tests.helpers import url_for_rule as _url_for_rule
from tests.helpers import walk_routes as _routes

# Endpoints anyone may open (no login). Everything else must carry @role_required.
PUBLIC_ENDPOINTS = {
    "static",
    "core.index",
    "core.privacy",
    "core.accessibility",
    "core.healthz",
    "core.readyz",
    "core.set_language",
    "accounts.login",
    "accounts.register",
    "accounts.reset_request",
    "accounts.reset_password",
    "accounts.confirm_email",
    "certificates.verify",
    "certificates.verify_form",
    "certificates.verify_badge",
    "certificates.badge_issuer",  # Open Badges: the issuer profile, its public keys and the revocation list
    "certificates.badge_key",
    "certificates.jwks",
    "certificates.status_list",
    "events.calendar",
    "events.detail",
    "events.ics",
    "events.feed",
}
PUBLIC_PREFIXES = ("certificates.verify", "case.")  # case.*: the read-only CASE REST endpoints


def _is_public(endpoint: str) -> bool:
    return endpoint in PUBLIC_ENDPOINTS or endpoint.startswith(PUBLIC_PREFIXES)


def test_every_route_declares_its_roles(app):
    undeclared = []
    for rule in _routes(app):
        view = app.view_functions[rule.endpoint]
        if not _is_public(rule.endpoint) and not hasattr(view, "required_roles"):
            undeclared.append(f"{rule.endpoint} {rule.rule}")
    assert not undeclared, f"routes without @role_required and not listed as public: {undeclared}"


@pytest.mark.parametrize("role", [None, *ROLES])
def test_walk_every_route(app, client, make_user, login, role):
    user = make_user(role) if role is not None else None
    problems = []
    for rule in _routes(app):
        if user is not None:
            login(user)  # again before every request: POST /logout on the way logs the client out
        view = app.view_functions[rule.endpoint]
        required = getattr(view, "required_roles", None)
        url = _url_for_rule(rule)
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(url, method=method)
        status = response.status_code
        location = response.headers.get("Location", "")
        if status >= 500:
            problems.append(f"{method} {url}: server error {status}")
        elif _is_public(rule.endpoint):
            continue
        elif role is None:
            if not (status == 302 and "/login" in location):
                problems.append(f"{method} {url}: anonymous got {status} {location}, expected redirect to login")
        elif required and role not in required:
            if status != 403:
                problems.append(f"{method} {url}: {role} got {status}, expected 403 (allowed: {required})")
        elif status in (401, 403) or (status == 302 and "/login" in location):
            problems.append(f"{method} {url}: {role} got {status}, but the route allows {required or 'any logged-in user'}")
    assert not problems, "\n".join(problems)


# --- object level: two institutions, two trainers, two learners ---------------------------------------------------

PDF = b"%PDF-1.4\n%object-level\n"


@pytest.fixture
def two_sides(app, make_user, institution):
    """Per side: an institution, a trainer with their own published course, and a learner enrolled in it whose
    prior-learning claim (with a document) that trainer has already accepted."""
    from sqlalchemy import select

    from elearn.competencies.services import levels, rpl
    from elearn.courses.models import PUBLISHED, SOURCE_BROWSER, Course, Enrolment
    from elearn.directory.models import Institution
    from elearn.extensions import db

    other = db.session.scalar(select(Institution).where(Institution.id != institution.id).order_by(Institution.id))
    sides = {}
    for key, place in (("a", institution), ("b", other)):
        trainer = make_user("trainer", institution_id=place.id, full_name=f"Trener {key.upper()}")
        learner = make_user("learner", institution_id=place.id, full_name=f"Uczestniczka {key.upper()}")
        course = Course(
            slug=f"kurs-obiektowy-{key}", title=f"Kurs {key}", role="animator", status=PUBLISHED, source=SOURCE_BROWSER,
            published_number=1, created_by_id=trainer.id,
        )  # fmt: skip
        db.session.add(course)
        db.session.flush()
        db.session.add(Enrolment(user_id=learner.id, course_id=course.id))
        claim = rpl.submit_claim(
            db.session, instance_path=app.instance_path, user_id=learner.id, code="ANI.1.1", level=2, note=None,
            filename="dyplom.pdf", content=PDF,
        )  # fmt: skip
        levels.review_prior_learning(db.session, claim, accept=True, reviewer_id=trainer.id)
        db.session.commit()
        sides[key] = {"trainer": trainer, "learner": learner, "claim": claim}
    return sides


def test_each_trainer_reaches_only_their_own_learners(client, login, two_sides):
    for mine, theirs in (("a", "b"), ("b", "a")):
        own, other = two_sides[mine], two_sides[theirs]
        login(own["trainer"])
        assert client.get(f"/competencies/learners/{own['learner'].id}").status_code == 200
        assert client.get(f"/competencies/evidence/{own['claim'].id}/document").data == PDF
        listing = client.get("/competencies/learners").get_data(as_text=True)
        assert own["learner"].full_name in listing
        assert other["learner"].full_name not in listing
        assert client.get(f"/competencies/learners/{other['learner'].id}").status_code == 404
        assert client.get(f"/competencies/evidence/{other['claim'].id}/document").status_code == 404
        assess = client.post(
            f"/competencies/learners/{other['learner'].id}/assessments", data={"code": "ANI.1.1", "level": "3", "note": "x"}
        )
        assert assess.status_code == 404
        assert client.post(f"/competencies/evidence/{other['claim'].id}/review", data={"accept": "1"}).status_code == 404


def test_learners_see_only_their_own_documents_and_admins_see_all(client, login, make_user, two_sides):
    login(two_sides["a"]["learner"])
    assert client.get(f"/competencies/evidence/{two_sides['a']['claim'].id}/document").status_code == 200
    assert client.get(f"/competencies/evidence/{two_sides['b']['claim'].id}/document").status_code == 404
    login(make_user("admin"))
    for side in two_sides.values():
        assert client.get(f"/competencies/evidence/{side['claim'].id}/document").status_code == 200


def test_a_pending_claim_gives_any_trainer_a_reason(app, client, login, make_user, two_sides):
    from elearn.competencies.services import rpl
    from elearn.extensions import db

    stranger = make_user("learner", full_name="Bez Kursu")
    claim = rpl.submit_claim(
        db.session, instance_path=app.instance_path, user_id=stranger.id, code="ANI.1.1", level=1, note=None,
        filename="zaswiadczenie.pdf", content=PDF,
    )  # fmt: skip
    db.session.commit()
    login(two_sides["b"]["trainer"])
    assert client.get(f"/competencies/learners/{stranger.id}").status_code == 200
    assert client.get(f"/competencies/evidence/{claim.id}/document").status_code == 200
