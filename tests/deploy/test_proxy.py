"""The deployment the README describes, for real: nginx (deploy/nginx/elearn.conf, TLS) in front of two gunicorn
instances (gunicorn.conf.py, production settings) sharing PostgreSQL and Redis, all on loopback.

Sessions, CSRF, rate limits keyed on the real client, uploads and certificate downloads must work through it —
whichever instance a request lands on.
"""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.deploy, pytest.mark.no_db_transaction, pytest.mark.xdist_group("deploy")]

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def instance_hits(stack) -> list[int]:
    """How many requests each gunicorn instance has logged so far."""
    return [
        len(re.findall(r'" \d{3} ', (stack.work / f"gunicorn-{i}.log").read_text(errors="replace"))) for i in range(len(stack.app_ports))
    ]


def test_health_checks_answer_through_the_proxy(stack):
    client = stack.client()
    assert client.get("/healthz").status == 200
    ready = client.get("/readyz")
    assert ready.status == 200
    assert '"database":"ok"' in ready.text and '"redis":"ok"' in ready.text and '"migrations":"ok"' in ready.text


def test_static_files_come_from_nginx_with_caching_and_pages_do_not(stack):
    client = stack.client()
    css = client.get("/static/css/app.css")
    assert css.status == 200 and css.headers["cache-control"] == "public" and "expires" in css.headers
    assert css.headers["content-type"].startswith("text/css")
    page = client.get("/login")
    assert page.status == 200 and page.headers.get("cache-control") != "public"
    assert page.headers["strict-transport-security"].startswith("max-age=")


def test_a_session_holds_on_both_instances_and_csrf_is_enforced(stack, seeded):
    client = stack.client()
    before = instance_hits(stack)
    login = client.login(seeded["learners"][0], stack.password)
    assert login.status == 302 and login.headers["location"].endswith("/dashboard")
    session_cookie = next(v for k, v in login.headers.items() if k == "set-cookie")
    assert "Secure" in session_cookie and "HttpOnly" in session_cookie
    for _ in range(8):
        page = client.get("/dashboard")
        assert page.status == 200 and "Wyloguj" in page.text
    after = instance_hits(stack)
    assert all(b > a for a, b in zip(before, after, strict=True)), "nginx should spread requests over both instances"
    # a form posted without its token is refused, on whichever instance it lands
    refused = client.post("/logout", {})
    assert refused.status == 400 and "Formularz wygasł" in refused.text
    assert client.get("/dashboard").status == 200  # still logged in


def test_an_upload_and_its_document_go_through_the_proxy(stack, seeded):
    client = stack.client()
    client.login(seeded["learners"][1], stack.password)
    form = client.get("/competencies/prior-learning")
    code = re.search(r'<option value="([A-Z]{3}\.\d+\.\d+)"', form.text).group(1)
    sent = client.post_multipart(
        "/competencies/prior-learning",
        {"csrf_token": form.csrf(), "code": code, "level": "1", "note": "Zaświadczenie z kursu animacji"},
        {"document": ("zaswiadczenie.pdf", PDF, "application/pdf")},
    )
    assert sent.status == 302, sent.text[-500:]
    listing = client.get("/competencies/prior-learning")
    assert "zaswiadczenie.pdf" in listing.text and code in listing.text


def test_the_certificate_pdf_and_its_verification_page_through_the_proxy(stack, seeded):
    client = stack.client()
    client.login(seeded["graduate"], stack.password)
    pdf = client.get(f"/certificates/{seeded['certificate_id']}/pdf")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf" and pdf.body.startswith(b"%PDF")
    mine = client.get("/certificates/mine")
    verify_path = re.search(r'href="https://127\.0\.0\.1:\d+(/verify/[^"]+)"|href="(/verify/[^"]+)"', mine.text)
    assert verify_path, "the holder's page links to the public verification page"
    public = stack.client().get(next(g for g in verify_path.groups() if g))
    assert public.status == 200 and "Animator" in public.text


def test_failed_logins_are_limited_per_real_client_shared_across_instances(stack):
    """Runs last in this module: it exhausts the limit of 127.0.0.1 for a minute."""
    statuses = []
    for attempt in range(11):
        # a forged X-Forwarded-For changes nothing: nginx appends the real address and the app trusts one proxy
        client = stack.client(forwarded_for=f"203.0.113.{attempt}")
        statuses.append(client.login(f"nikt{attempt}@example.org", "zle-haslo-123").status)
    assert statuses[:10] == [200] * 10, statuses  # the form again, with an error
    assert statuses[10] == 429
