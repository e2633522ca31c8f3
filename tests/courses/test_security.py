"""XSS through file import and the browser editor, uploads, prerequisites, search, RODO export."""

from __future__ import annotations

import io
import json
import re
import zipfile
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from elearn.courses.models import Attachment, Lesson
from elearn.courses.services import catalogue, learning
from elearn.courses.services.sync import sync_courses
from elearn.extensions import db
from tests.courses.helpers import MODULE_ONE, MODULE_TWO, write_course
from tests.helpers import BACKEND

XSS_VECTORS = [
    "<script>alert('x1')</script>",
    "<SCRIPT SRC=//evil.example/x2.js></SCRIPT>",
    '<img src="x" onerror="alert(\'x3\')">',
    "<a href=\"javascript:alert('x4')\">klik</a>",
    "[klik](javascript:alert('x5'))",
    "![obraz](javascript:alert('x6'))",
    "[dane](data:text/html;base64,PHNjcmlwdD5hbGVydCgneDcnKTwvc2NyaXB0Pg==)",
    "![obraz](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "<p style=\"background:url(javascript:alert('x9'))\">styl</p>",
    '<div style="position:fixed;top:0">nakładka</div>',
    '<iframe src="https://evil.example/x11"></iframe>',
    '<object data="evil.swf"></object><embed src="evil.swf">',
    '<svg onload="alert(\'x13\')"><circle r="1"/></svg>',
    "<img src=x onerror=alert('x14')//",
    "<a href=\"&#106;avascript:alert('x15')\">encje</a>",
    "[encje](&#106;&#97;vascript:alert('x16'))",
    "<a href=\"jav&#x09;ascript:alert('x17')\">tab</a>",
    "<<script>script>alert('x18')<</script>/script>",
    "<body onload=\"alert('x19')\">",
    '<form action="javascript:alert(1)"><button>x20</button></form>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert("x21")>',
    '<a href="#" onclick="alert(\'x22\')" onmouseover="alert(1)">zdarzenia</a>',
    "<details open ontoggle=\"alert('x23')\">",
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<style>body{display:none}</style>",
    "!!! uwaga \"<img src=x onerror=alert('x28')>\"\n    tekst",
    "| a |\n|---|\n| <script>alert('x29')</script> |",
    "Przypis[^1]\n\n[^1]: <a href=\"javascript:alert('x30')\">x</a>",
]
FORBIDDEN_TAGS = {"script", "style", "iframe", "object", "embed", "svg", "math", "form", "base", "meta", "link", "body", "button"}


class _Inspector(HTMLParser):
    """Collects what the browser would treat as markup (escaped text such as &lt;img onerror&gt; is harmless)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on") or name in ("style", "srcdoc", "formaction"):
                self.problems.append(f"{tag}[{name}]")
            if name in ("href", "src", "action", "xlink:href") and re.sub(r"[\x00-\x20]", "", value).startswith(
                ("javascript:", "data:", "vbscript:")
            ):
                self.problems.append(f"{tag}[{name}={value}]")

    handle_startendtag = handle_starttag


def _assert_clean(html: str) -> None:
    inspector = _Inspector()
    inspector.feed(html)
    assert not inspector.problems, f"{inspector.problems} survived in {html[:600]!r}"


def _lesson_body(page_html: str) -> str:
    start = page_html.index('<article class="prose lesson"')
    return page_html[start : page_html.index("</article>", start)]


def test_xss_vectors_are_removed_on_file_import(client, login_as, course_root):
    source = "\n\n".join(XSS_VECTORS)
    module = MODULE_TWO.replace("Tekst jedynej lekcji.", source)
    write_course(course_root, "kurs-xss", {"01-pierwszy.md": MODULE_ONE, "02-drugi.md": module})
    sync_courses(db.session, course_root)
    db.session.commit()
    stored = db.session.scalar(select(Lesson).where(Lesson.key == "jedyna-lekcja", Lesson.version_id.is_not(None)))
    _assert_clean(stored.html)
    login_as("learner")
    client.post("/courses/kurs-xss/enrol")
    page = client.get("/courses/kurs-xss/lessons/jedyna-lekcja").get_data(as_text=True)
    _assert_clean(_lesson_body(page))
    assert "klik" in page  # the harmless text stays
    assert "encje" in page


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_xss_vectors_are_removed_in_browser_preview(client, login_as, vector):
    login_as("trainer")
    html = client.post("/authoring/preview", data={"source": vector}).get_json()["html"]
    _assert_clean(html)


def test_xss_vectors_are_removed_when_saved_in_the_browser(client, login_as):
    login_as("trainer")
    client.post("/authoring/courses/new", data={"slug": "kurs-xss", "title": "XSS", "summary": "s", "role": "wspolne", "hours": 1})
    client.post("/authoring/courses/kurs-xss/modules/new", data={"title": "Moduł", "hours": 1, "intro": "<script>alert(1)</script>"})
    source = "\n\n".join(XSS_VECTORS)
    response = client.post(
        "/authoring/courses/kurs-xss/modules/modul/lessons/new", data={"title": "Lekcja", "source": source, "submit": "1"}
    )
    assert response.status_code == 302
    lesson = db.session.scalar(select(Lesson).where(Lesson.key == "lekcja"))
    _assert_clean(lesson.html)
    preview = client.post(
        "/authoring/courses/kurs-xss/modules/modul/lessons/new", data={"title": "Lekcja", "source": source, "preview": "1"}
    )
    page = preview.get_data(as_text=True)
    _assert_clean(page[page.index('id="live-preview"') : page.index("</section>", page.index('id="live-preview"'))])
    title = client.post(
        "/authoring/courses/kurs-xss/modules/modul/lessons/new", data={"title": "<b onclick=x>", "source": "x", "submit": "1"}
    )
    assert title.status_code == 200  # < and > are refused in titles


# --- uploads ----------------------------------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def browser_course(client, login_as):
    user = login_as("trainer")
    client.post("/authoring/courses/new", data={"slug": "kurs-plikow", "title": "Pliki", "summary": "s", "role": "wspolne", "hours": 1})
    return user


def _upload(client, name: str, data: bytes, alt: str = "Schemat procesu"):
    return client.post(
        "/authoring/courses/kurs-plikow/uploads", data={"file": (io.BytesIO(data), name), "alt": alt},
        content_type="multipart/form-data",
    )  # fmt: skip


def test_image_upload_is_served_inline_with_safe_headers(client, browser_course, app):
    response = _upload(client, "schemat.png", PNG)
    html = response.get_data(as_text=True)
    attachment = db.session.scalar(select(Attachment).where(Attachment.filename == "schemat.png"))
    assert attachment.stored_name != "schemat.png"
    assert attachment.uploaded_by_id == browser_course.id
    assert attachment.media_name == "schemat.png"
    assert "![Schemat procesu](media/schemat.png)" in html
    assert (app.instance_path + "/uploads") in str(__import__("elearn.courses.services.uploads", fromlist=["x"]).stored_path(attachment))
    served = client.get(f"/uploads/{attachment.stored_name}")
    assert served.status_code == 200
    assert served.data == PNG
    assert served.headers["Content-Type"] == "image/png"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.headers["Content-Disposition"] == "inline"


def test_document_upload_is_served_as_attachment(client, browser_course):
    _upload(client, "Program szkolenia.docx", _docx())
    attachment = db.session.scalar(select(Attachment).where(Attachment.filename == "Program szkolenia.docx"))
    served = client.get(f"/uploads/{attachment.stored_name}")
    assert served.headers["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert served.headers["Content-Disposition"].startswith("attachment")
    assert served.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("skrypt.html", b"<script>alert(1)</script>", "Nie można przesyłać plików tego typu"),
        ("obraz.svg", b"<svg onload=alert(1)>", "Nie można przesyłać plików tego typu"),
        ("program.exe", b"MZ\x90\x00", "Nie można przesyłać plików tego typu"),
        ("udaje.png", b"<script>alert(1)</script>", "nie odpowiada rozszerzeniu .png"),
        ("udaje.pdf", PNG, "nie odpowiada rozszerzeniu .pdf"),
        ("udaje.docx", b"PK\x03\x04nie-zip", "nie odpowiada rozszerzeniu .docx"),
        ("binarny.txt", b"\x00\x01\x02", "nie odpowiada rozszerzeniu .txt"),
    ],
)
def test_wrong_or_spoofed_types_are_rejected(client, browser_course, name, data, message):
    response = _upload(client, name, data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="file-error"' in html
    assert message in html
    assert db.session.scalar(select(Attachment).where(Attachment.filename == name)) is None


def test_too_big_upload_is_rejected(client, browser_course, app, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", 100)
    response = _upload(client, "duzy.png", PNG + b"\x00" * 200)
    assert "Plik jest za duży" in response.get_data(as_text=True)
    assert db.session.scalar(select(Attachment).where(Attachment.filename == "duzy.png")) is None


def test_uploads_need_login_and_unknown_names_404(client, browser_course, make_user, login):
    _upload(client, "schemat.png", PNG)
    attachment = db.session.scalar(select(Attachment).where(Attachment.filename == "schemat.png"))
    login(make_user("learner"))
    assert client.get(f"/uploads/{attachment.stored_name}").status_code == 200
    assert client.get("/uploads/nie-ma.png").status_code == 404
    client.post("/logout")
    assert client.get(f"/uploads/{attachment.stored_name}").status_code == 302


# --- prerequisites ----------------------------------------------------------------------------------------------


def test_prerequisite_is_enforced_with_a_message_naming_the_course(client, make_user, login):
    user = login(make_user("learner"))
    response = client.post("/courses/animator-spolecznosci-lokalnej/enrol", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Wprowadzenie do organizowania społeczności lokalnej" in html
    assert "Nie możesz jeszcze zapisać się" in html
    course, _version = learning.published_course(db.session, "animator-spolecznosci-lokalnej")
    assert learning.get_enrolment(db.session, user.id, course.id) is None
    intro, _v = learning.published_course(db.session, "wprowadzenie-do-osl")
    enrolment = learning.enrol(db.session, user.id, intro, _v)
    from elearn.core.timeutil import utcnow

    enrolment.completed_at = utcnow()
    db.session.commit()
    assert client.post("/courses/animator-spolecznosci-lokalnej/enrol").status_code == 302
    assert learning.get_enrolment(db.session, user.id, course.id) is not None
    assert [c.slug for c in catalogue.completed_courses(db.session, user.id)] == ["wprowadzenie-do-osl"]


# --- search -----------------------------------------------------------------------------------------------------


def _search_slugs(query, role=None):
    return [e.course.slug for e in catalogue.published_courses(db.session, query=query, role=role)]


def test_search_titles_and_content(client, login_as):
    assert "mediator-w-spolecznosci-lokalnej" in _search_slugs("mediacja")
    assert _search_slugs("Jarzębinowo")[0] == "wprowadzenie-do-osl"
    assert _search_slugs("zzzniematakiegoslowa") == []
    assert _search_slugs('"; DROP TABLE courses; --') == []  # punctuation is ignored, never an error
    assert [e.course.slug for e in catalogue.published_courses(db.session, role="polityk")] == ["lokalny-polityk-spoleczny"]
    login_as("learner")
    page = client.get("/courses?q=mediacja&role=mediator").get_data(as_text=True)
    assert 'href="/courses/mediator-w-spolecznosci-lokalnej"' in page
    filtered = client.get("/courses?role=mediator").get_data(as_text=True)
    assert 'href="/courses/mediator-w-spolecznosci-lokalnej"' in filtered
    assert 'href="/courses/animator-spolecznosci-lokalnej"' not in filtered


def test_search_ignores_polish_diacritics_and_word_forms():
    assert "wprowadzenie-do-osl" in _search_slugs("Jarzebinowo")
    assert _search_slugs("mediacji") == _search_slugs("mediacja")


@pytest.mark.skipif(BACKEND != "postgresql", reason="runs when the suite runs on PostgreSQL")
def test_postgresql_search_uses_the_gin_tsvector_index():
    from sqlalchemy import text

    index = db.session.execute(text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_search_documents_terms'")).scalar()
    assert "gin" in index.lower()
    assert "mediator-w-spolecznosci-lokalnej" in _search_slugs("mediacjami")


# --- RODO -------------------------------------------------------------------------------------------------------


def test_personal_data_export_lists_learning_records(client, login_as, synced_course):
    login_as("learner")
    client.post("/courses/kurs-testowy/enrol")
    client.post("/courses/kurs-testowy/lessons/pierwsza-lekcja/done")
    client.post("/courses/kurs-testowy/modules/pierwszy/quiz", data={"q1": "2"})
    data = json.loads(client.get("/account/data.json").get_data(as_text=True))
    section = data["courses"]
    assert section["enrolments"][0]["course"] == "kurs-testowy"
    assert section["lessons_done"][0]["lesson"] == "pierwsza-lekcja"
    assert section["quiz_attempts"][0]["score"] == 33
