"""What axe cannot see, tried with the keyboard: where focus lands after a re-rendered form (also after the skip
link), radio groups in the error summary, the quiz result, flash messages, the language of course content in both
interfaces, and the print stylesheet."""

from __future__ import annotations

import itertools

from sqlalchemy import text

from elearn.extensions import db
from tests.browser.helpers import axe_check, follow, login

LEARNER = "absolwent@example.org"
FOCUSED = "() => { const el = document.activeElement; return {tag: el.tagName, id: el.id, cls: el.className}; }"


def _tab_to(page, predicate_js: str, limit: int = 60) -> None:
    """Press Tab until the focused element matches (keyboard only, as a person would)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return !!({predicate_js}); }}"):
            return
    raise AssertionError(f"Tab never reached {predicate_js}")


def test_error_summary_takes_focus_after_the_skip_link_and_leads_into_the_field(page, live_server):
    page.goto(f"{live_server}/register")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.classList.contains('skip-link')")
    page.keyboard.press("Enter")
    assert page.evaluate(FOCUSED)["id"] == "main"
    assert "#main" not in page.url  # nothing left in the address for the form to carry back

    # Without the script's help the fragment would still be there (a bookmarked or shared address): same outcome.
    page.goto(f"{live_server}/register#main")
    _tab_to(page, "el.type === 'submit' && el.closest('main')")
    with page.expect_navigation(wait_until="load"):
        page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.classList.contains('error-summary')")
    page.wait_for_timeout(300)  # the browser's own move to a fragment comes after load: focus must stay
    assert "error-summary" in page.evaluate(FOCUSED)["cls"]
    axe_check(page, "registration errors after the skip link")

    page.keyboard.press("Tab")
    link = page.evaluate("() => document.activeElement.getAttribute('href')")
    assert link.startswith("#") and page.locator(link).count() == 1
    page.keyboard.press("Enter")
    assert page.evaluate("() => '#' + document.activeElement.id") == link
    assert page.locator(link).get_attribute("aria-invalid") == "true"


def test_a_failed_radio_group_is_linked_and_marked_invalid(page, live_server, live_app):
    with live_app.app_context():
        role = db.session.execute(text("SELECT code FROM comp_roles WHERE code != 'wspolne' ORDER BY id")).scalar()
    login(page, live_server, LEARNER)
    page.goto(f"{live_server}/competencies/self-assessment?role={role}")
    _tab_to(page, "el.type === 'submit' && el.closest('form.questionnaire')", limit=400)
    with page.expect_navigation(wait_until="load"):
        page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.classList.contains('error-summary')")
    hrefs = page.locator(".error-summary a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs
    for href in hrefs:
        target = page.locator(href)
        assert target.count() == 1, f"the summary links to {href}, which is not on the page"
        assert target.get_attribute("type") == "radio" and target.get_attribute("aria-invalid") == "true"
    group = page.locator(hrefs[0]).evaluate(
        "el => [...el.closest('fieldset').querySelectorAll('input')].map(i => i.getAttribute('aria-invalid'))"
    )
    assert set(group) == {"true"}
    axe_check(page, "self-assessment with errors")


def test_quiz_result_takes_focus_and_feedback_describes_the_answers(page, live_server, live_app):
    with live_app.app_context():
        slug, key = db.session.execute(
            text(
                "SELECT c.slug, m.key FROM course_modules m JOIN courses c ON c.id = m.course_id JOIN course_questions q"
                " ON q.module_id = m.id JOIN course_enrolments e ON e.course_id = c.id JOIN users u ON u.id = e.user_id"
                " WHERE m.version_id IS NOT NULL AND u.email = :email ORDER BY c.id, m.position"
            ),
            {"email": LEARNER},
        ).first()
    login(page, live_server, LEARNER)
    page.goto(f"{live_server}/courses/{slug}/modules/{key}/quiz")
    for fieldset in page.locator("fieldset.question").all():
        fieldset.locator("input").first.check()
    _tab_to(page, "el.type === 'submit' && el.closest('form.quiz')", limit=200)
    with page.expect_navigation(wait_until="load"):
        page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.id === 'quiz-result'")
    described = page.locator("fieldset.question input[aria-describedby]")
    assert described.count() == page.locator("fieldset.question input").count() > 0
    for input_ in described.all()[:6]:
        feedback = page.locator("#" + input_.get_attribute("aria-describedby"))
        assert feedback.count() == 1 and feedback.inner_text().strip()
    axe_check(page, "quiz result")


def test_a_flash_message_arriving_with_the_page_gets_focus(page, live_server, live_app):
    login(page, live_server, LEARNER)
    assert page.evaluate("() => document.activeElement.matches('.flashes') || !document.querySelector('.flashes')")
    page.goto(f"{live_server}/notifications/preferences")
    _tab_to(page, "el.type === 'submit' && el.closest('main form')", limit=120)
    with page.expect_navigation(wait_until="load"):
        page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.matches('.flashes, .error-summary')")


def _lesson_with_english_terms(live_app) -> tuple[str, str]:
    with live_app.app_context():
        return db.session.execute(
            text(
                "SELECT c.slug, l.key FROM course_lessons l JOIN courses c ON c.id = l.course_id JOIN course_enrolments e"
                " ON e.course_id = c.id JOIN users u ON u.id = e.user_id AND u.email = :email"
                " WHERE l.version_id IS NOT NULL AND l.html LIKE '%lang=\"en\"%' ORDER BY c.id, l.position"
            ),
            {"email": LEARNER},
        ).first()


def test_language_of_parts_in_both_interfaces(page, live_server, live_app):
    slug, key = _lesson_with_english_terms(live_app)
    login(page, live_server, LEARNER)
    page.goto(f"{live_server}/courses/{slug}/lessons/{key}")
    assert page.locator("html").get_attribute("lang") == "pl"
    assert page.locator("article.lesson").get_attribute("lang") is None  # Polish in a Polish page: nothing to mark
    assert page.locator("article.lesson [lang=en]").count() >= 1  # English terms inside Polish content

    follow(page, page.get_by_role("button", name="English"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("article.lesson").get_attribute("lang") == "pl"
    assert page.locator("h1").get_attribute("lang") == "pl"
    assert page.locator("article.lesson [lang=en]").count() >= 1
    assert page.locator(".breadcrumbs a[lang=pl]").count() == 2
    axe_check(page, "lesson in the English interface")
    page.goto(f"{live_server}/courses/{slug}")
    assert page.locator("h1").get_attribute("lang") == "pl"
    follow(page, page.get_by_role("button", name="Polski"))


def test_lesson_headings_have_no_jump(page, live_server, live_app):
    slug, key = _lesson_with_english_terms(live_app)
    login(page, live_server, LEARNER)
    page.goto(f"{live_server}/courses/{slug}/lessons/{key}")
    levels = page.locator("main h1, main h2, main h3, main h4, main h5, main h6").evaluate_all(
        "els => els.map(el => Number(el.tagName[1]))"
    )
    assert levels[0] == 1 and levels.count(1) == 1
    jumps = [(a, b) for a, b in itertools.pairwise(levels) if b > a + 1]
    assert not jumps, levels
    assert page.locator("main h2").first.inner_text() == "W tej lekcji"


def test_print_hides_navigation_and_shows_link_addresses(page, live_server, live_app):
    slug, key = _lesson_with_english_terms(live_app)
    login(page, live_server, LEARNER)
    page.goto(f"{live_server}/courses/{slug}/lessons/{key}")
    assert page.locator(".main-nav").is_visible()
    page.emulate_media(media="print")
    for hidden in (".site-header", ".main-nav", ".site-footer", ".lesson-aside", ".lesson-actions", "#lesson-nav"):
        assert not page.locator(hidden).is_visible(), f"{hidden} is printed"
    assert page.locator("article.lesson").is_visible()
    after = page.evaluate("() => getComputedStyle(document.querySelector('main a[href^=\"/\"]'), '::after').content")
    assert after.startswith('" (/')


TEXT_SPACING = (
    "* { line-height: 1.5 !important; letter-spacing: .12em !important; word-spacing: .16em !important; }"
    " p { margin-bottom: 2em !important; }"
)
CHART_TEXT = """() => {
  const svg = document.querySelector('svg.level-chart');
  const box = svg.getBoundingClientRect();
  const texts = [...svg.querySelectorAll('text')];
  return {
    clipped: texts.filter(t => { const b = t.getBoundingClientRect(); return b.left < box.left - 1 || b.right > box.right + 1; })
      .map(t => t.textContent),
    smallest: Math.min(...texts.map(t => t.getBoundingClientRect().height)),
  };
}"""


def test_chart_text_is_readable_at_320_px_and_survives_text_spacing(browser, live_server):
    # WCAG 1.4.12 is checked the way its technique does: a user style sheet (hence bypass_csp for this context).
    for width in (320, 1280):
        context = browser.new_context(locale="pl-PL", viewport={"width": width, "height": 900}, bypass_csp=True)
        page = context.new_page()
        login(page, live_server, LEARNER)
        page.goto(f"{live_server}/competencies/profile")
        page.add_style_tag(content=TEXT_SPACING)
        found = page.evaluate(CHART_TEXT)
        context.close()
        assert not found["clipped"], f"chart text cut off at {width}px with text spacing: {found['clipped']}"
        assert found["smallest"] >= 9, f"chart text {found['smallest']}px high at {width}px"


def test_a_no_match_alert_on_the_verification_form_gets_focus(page, live_server):
    page.goto(f"{live_server}/verify")
    fields = page.locator("main form input[type=text]")
    fields.nth(0).fill("ROPS-KP/2026/999999")
    fields.nth(1).fill("Nieznana")
    fields.nth(1).focus()
    with page.expect_navigation(wait_until="load"):
        page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.matches('[data-announce]')")
    assert page.evaluate("() => document.activeElement.getAttribute('role')") == "alert"
    axe_check(page, "verification with no match")


def test_wide_media_and_long_tokens_stay_inside_a_320_px_page(page, live_server):
    """An uploaded 640 px image, an embed and an unbroken hash in lesson-like content do not widen the page."""
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{live_server}/privacy")
    page.evaluate(
        """() => {
          const block = document.createElement('div');
          block.className = 'prose';
          const img = document.createElement('img');
          img.width = 640; img.height = 320; img.alt = 'schemat';
          img.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
          const frame = document.createElement('iframe');
          frame.width = 700; frame.title = 'osadzenie';
          const token = document.createElement('p');
          token.textContent = 'a'.repeat(64) + ' https://example.org/' + 'b'.repeat(80);
          block.append(img, frame, token);
          document.querySelector('main').append(block);
        }"""
    )
    assert page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")
