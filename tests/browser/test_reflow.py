"""WCAG 1.4.10 reflow: every HTML page the route walker knows, opened as every role at 320 and 640 CSS px, must not
scroll horizontally as a whole (wide tables scroll inside their own region, long tokens wrap).

The URL arguments are filled with real rows of the demo data (a lesson that exists, a learner the trainer teaches),
so the walk sees the pages people read, not 404s; an argument with no matching row falls back to the walker's
dummy and the 404 page is checked instead."""

from __future__ import annotations

from sqlalchemy import text

from elearn.extensions import db
from tests.browser.helpers import DEMO_PASSWORD
from tests.helpers import url_for_rule, walk_routes

ROLE_ACCOUNTS = {
    None: None,
    "learner": "absolwent@example.org",
    "trainer": "trener@example.org",
    "coordinator": "koordynator@example.org",
    "issuer": "rops@example.org",
    "admin": "admin@example.org",
}
WIDTHS = (320, 640)
# Responses that are files, not pages (the walk skips them by their content type too; these save the request).
NOT_PAGES = (".json", ".csv", ".xlsx", ".ics", ".pdf", "/pdf", "/zip", "/document", "/logo", "/healthz", "/readyz")

# One SQL query per endpoint family: the first row's columns are the URL arguments.
EXAMPLES = {
    "course": "SELECT slug FROM courses WHERE status = 'published' ORDER BY id",
    "module": "SELECT c.slug AS slug, m.key AS key FROM course_modules m JOIN courses c ON c.id = m.course_id"
    " WHERE m.version_id IS NOT NULL AND c.status = 'published' ORDER BY c.id, m.position",
    "lesson": "SELECT c.slug AS slug, l.key AS key FROM course_lessons l JOIN courses c ON c.id = l.course_id"
    " WHERE l.version_id IS NOT NULL AND c.status = 'published' ORDER BY length(l.html) DESC",
    "draft_module": "SELECT c.slug AS slug, m.key AS key FROM course_modules m JOIN courses c ON c.id = m.course_id"
    " WHERE m.version_id IS NULL ORDER BY c.id, m.position",
    "draft_lesson": "SELECT c.slug AS slug, l.key AS key FROM course_lessons l JOIN courses c ON c.id = l.course_id"
    " WHERE l.version_id IS NULL ORDER BY length(l.source) DESC",
    "assignment": 'SELECT c.slug AS slug, s.module_key AS module_key, s.assignment_key AS "key"'
    " FROM practice_submissions s JOIN courses c ON c.id = s.course_id ORDER BY s.id",
    "submission": "SELECT id AS submission_id FROM practice_submissions ORDER BY id",
    "institution": "SELECT id AS institution_id FROM institutions ORDER BY id",
    "user": "SELECT u.id AS user_id FROM users u WHERE u.email = 'pracownik@example.org'",
    "year": "SELECT year FROM analytics_needs_rounds ORDER BY year DESC",
    "certificate": "SELECT id AS certificate_id, verification_code AS code FROM certificates ORDER BY id",
    "event": "SELECT id AS event_id FROM events ORDER BY id",
    "request": "SELECT id AS request_id FROM comp_assessment_requests ORDER BY id",
    "self_assessment": "SELECT id AS assessment_id FROM comp_self_assessments ORDER BY id",
    "job": "SELECT id AS job_id FROM certificate_bulk_jobs ORDER BY id",
    "role": "SELECT code AS role_code FROM comp_roles ORDER BY id",
    "pending": "SELECT user_id, course_id FROM certificate_requests WHERE course_id IS NOT NULL ORDER BY id",
}
ENDPOINT_EXAMPLES = {
    "courses.course": "course", "courses.course_edit": "course", "courses.module_new": "course",
    "courses.uploads": "course", "certificates.request_certificate": "course",
    "courses.module": "module", "courses.quiz": "module",
    "courses.lesson": "lesson",
    "courses.module_edit": "draft_module", "courses.lesson_new": "draft_module", "courses.assignment_new": "draft_module",
    "courses.lesson_edit": "draft_lesson",
    "practice.assignment": "assignment",
    "practice.review": "submission", "practice.submission": "submission",
    "directory.institution_edit": "institution",
    "accounts.user_edit": "user", "competencies.learner": "user",
    "analytics.round_overview": "year",
    "certificates.detail": "certificate", "certificates.verify": "certificate",
    "events.detail": "event", "events.assessment_grid": "event", "events.attendance_sheet": "event",
    "events.edit": "event", "events.evaluate": "event", "events.evaluation_results": "event",
    "events.nominate": "event", "events.participant_list": "event",
    "competencies.request_detail": "request",
    "competencies.self_assessment_result": "self_assessment",
    "certificates.job": "job",
    "certificates.request_role": "role", "certificates.reject_role": "role",
    "certificates.reject": "pending",
}  # fmt: skip


def _examples(app) -> dict[str, dict]:
    found = {}
    with app.app_context():
        for name, sql in EXAMPLES.items():
            row = db.session.execute(text(sql)).mappings().first()
            found[name] = dict(row) if row else {}
        if found["pending"]:
            found["pending"].setdefault("user_id", found["user"].get("user_id"))
    return found


def _pages_for(app, role, examples) -> list[str]:
    urls = []
    for rule in walk_routes(app):
        if "GET" not in rule.methods:
            continue
        required = getattr(app.view_functions[rule.endpoint], "required_roles", None)
        if role is None and required is not None:
            continue  # anonymous: the public pages (the rest redirect to the login page)
        if role is not None and (required is None or (required and role not in required)):
            continue  # logged in: the pages of the role (public ones are walked anonymously, refusals are 403 pages)
        url = url_for_rule(rule, examples.get(ENDPOINT_EXAMPLES.get(rule.endpoint, ""), {}))
        if not url.endswith(NOT_PAGES) and "/ims/case/" not in url:
            urls.append(url)
    return sorted(set(urls))


OVERFLOW = """() => {
  const root = document.documentElement;
  if (root.scrollWidth <= root.clientWidth) return null;
  const wide = [...document.querySelectorAll('body *')].filter(el => {
    const box = el.getBoundingClientRect();
    return box.right > root.clientWidth + 1 && !el.closest('.table-wrap, .visually-hidden');
  }).slice(0, 4).map(el => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ').join('.') : '')
    + ' ' + Math.round(el.getBoundingClientRect().right) + 'px');
  return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, wide};
}"""


# Two sentences glued by a template's line break that Jinja trimmed ("kursu.Wersja robocza").
GLUED = r"[a-ząćęłńóśźż]{2}[.!?:][A-ZĄĆĘŁŃÓŚŹŻ][a-ząćęłńóśźż]"
GLUED_JS = "(pattern) => (document.querySelector('main').innerText.match(new RegExp(pattern, 'g')) || [])"


def _walk(browser, base: str, app, role, examples) -> list[str]:
    problems = []
    context = browser.new_context(locale="pl-PL", viewport={"width": WIDTHS[0], "height": 800})
    page = context.new_page()
    page.set_default_timeout(15000)
    if role is not None:
        page.goto(f"{base}/login")
        page.get_by_label("Adres e-mail").fill(ROLE_ACCOUNTS[role])
        page.get_by_label("Hasło", exact=True).fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Zaloguj się").click()
        page.wait_for_url(f"{base}/dashboard")
    for url in _pages_for(app, role, examples):
        page.set_viewport_size({"width": WIDTHS[0], "height": 800})
        response = page.goto(base + url, wait_until="load")
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        if response.status >= 500:
            problems.append(f"{role or 'anonymous'} {url}: server error {response.status}")
            continue
        glued = page.evaluate(GLUED_JS, GLUED)
        if glued:
            problems.append(f"{role or 'anonymous'} {url}: sentences without a space between them: {glued}")
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            overflow = page.evaluate(OVERFLOW)
            if overflow:
                problems.append(f"{role or 'anonymous'} {url} at {width}px: {overflow}")
    context.close()
    return problems


def test_no_page_scrolls_sideways_at_320_and_640_px(browser, live_server, live_app):
    examples = _examples(live_app)
    problems = []
    for role in ROLE_ACCOUNTS:
        problems.extend(_walk(browser, live_server, live_app, role, examples))
    assert not problems, "pages wider than the viewport or with glued sentences:\n" + "\n".join(problems)
