"""The knowledge base through its pages: publishing, proposing, reviewing, versions, search with reasons, the
"read more" sections on other domains' pages, safe articles and object-level permissions."""

from __future__ import annotations

import io

from sqlalchemy import select

from elearn.courses.services import learning
from elearn.extensions import db
from elearn.knowledge.models import PROPOSED, PUBLISHED, REJECTED, Resource

from .helpers import docx_with, pdf_with

PHRASE = "ławka pod lipą przy zbiegu ulic"


def _form(**fields):
    data = {"format": "link", "type": "guide", "title": "Materiał", "summary": "Streszczenie.", "url": "https://example.org/m"}
    data.update(fields)
    return data


def test_a_learner_finds_a_resource_by_a_phrase_only_inside_its_pdf(client, login, make_user):
    """Done means: a trainer uploads a PDF; a learner searching a phrase that appears only inside it finds it."""
    login(make_user("trainer"))
    pdf = pdf_with("Wzór protokołu ze spotkania z mieszkańcami.", f"Punkt 4: {PHRASE} – miejsce zbiórki.")
    response = client.post(
        "/knowledge/new",
        data=_form(format="document", type="template", title="Protokół spotkania mieszkańców", url="",
                   summary="Wzór protokołu do spotkań w świetlicy.", file=(io.BytesIO(pdf), "protokol.pdf")),
        content_type="multipart/form-data",
    )  # fmt: skip
    assert response.status_code == 302
    resource = db.session.scalar(select(Resource).where(Resource.title == "Protokół spotkania mieszkańców"))
    assert PHRASE not in resource.title + resource.summary

    login(make_user("learner"))
    everywhere = client.get("/search", query_string={"q": '"ławka pod lipą"'}).get_data(as_text=True)
    assert "Protokół spotkania mieszkańców" in everywhere
    assert "<mark>ławka</mark> <mark>pod</mark> <mark>lipą</mark>" in everywhere  # why it matched: the PDF's words
    library = client.get("/knowledge", query_string={"q": '"ławka pod lipą"'}).get_data(as_text=True)
    assert "Protokół spotkania mieszkańców" in library
    assert "Treść pliku protokol.pdf" in library
    assert "<mark>lipą</mark>" in library
    download = client.get(f"/knowledge/files/{resource.current.id}")
    assert download.status_code == 200 and download.data == pdf
    assert "attachment" in download.headers["Content-Disposition"]


def test_proposal_review_round_trip(client, login, make_user):
    learner, trainer = make_user("learner", full_name="Ewa Proponująca"), make_user("trainer")
    login(learner)
    assert "Zaproponuj materiał" in client.get("/knowledge/new").get_data(as_text=True)
    response = client.post("/knowledge/new", data=_form(title="Ustawa o wolontariacie", proposal_note="Brakuje jej."))
    assert response.status_code == 302
    proposal = db.session.scalar(select(Resource).where(Resource.title == "Ustawa o wolontariacie"))
    assert proposal.status == PROPOSED
    assert "czeka na ocenę" in client.get("/knowledge/mine").get_data(as_text=True)

    login(trainer)
    queue = client.get("/knowledge/review").get_data(as_text=True)
    assert "Ustawa o wolontariacie" in queue and "Ewa Proponująca" in queue
    page = client.get(f"/knowledge/{proposal.id}").get_data(as_text=True)
    assert "Oceń propozycję" in page and "Brakuje jej." in page
    refused = client.post(f"/knowledge/{proposal.id}/review", data={"decision": "reject", "reason": ""})
    assert refused.status_code == 400 and "Podaj powód" in refused.get_data(as_text=True)
    assert client.post(f"/knowledge/{proposal.id}/review", data={"decision": "reject", "reason": "Jest już w bazie."}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Resource, proposal.id).status == REJECTED

    login(learner)
    page = client.get(f"/knowledge/{proposal.id}").get_data(as_text=True)
    assert "Jest już w bazie." in page
    notifications = client.get("/notifications").get_data(as_text=True)
    assert "Ustawa o wolontariacie" in notifications


def test_object_level_permissions(client, login, make_user, add):
    author, stranger, trainer = make_user("learner"), make_user("learner"), make_user("trainer")
    proposal = add(author, "Cudza propozycja", file=("plik.pdf", pdf_with("tajne")), format="document")
    published = add(trainer, "Opublikowany materiał")
    login(stranger)
    assert client.get(f"/knowledge/{proposal.id}").status_code == 404
    assert client.get(f"/knowledge/files/{proposal.current.id}").status_code == 404
    assert "Cudza propozycja" not in client.get("/knowledge").get_data(as_text=True)
    assert "Cudza propozycja" not in client.get("/search", query_string={"q": "cudza propozycja"}).get_data(as_text=True)
    assert client.get(f"/knowledge/{published.id}").status_code == 200
    for url in (f"/knowledge/{published.id}/edit", f"/knowledge/{proposal.id}/review", f"/knowledge/{published.id}/versions"):
        assert client.post(url, data={"title": "Przejęte", "decision": "accept"}).status_code == 403
    assert client.get("/knowledge/review").status_code == 403
    db.session.expire_all()
    assert db.session.get(Resource, published.id).title == "Opublikowany materiał"
    assert db.session.get(Resource, proposal.id).status == PROPOSED
    login(author)
    assert client.get(f"/knowledge/{proposal.id}").status_code == 200
    assert client.get(f"/knowledge/{proposal.id}/edit").status_code == 403  # a proposer cannot edit it either


def test_staff_edit_and_upload_a_new_version(client, login, make_user, add):
    trainer = make_user("trainer")
    resource = add(trainer, "Wzór regulaminu", type="template", file=("regulamin.pdf", pdf_with("Wersja pierwsza.")))
    login(trainer)
    edit = client.get(f"/knowledge/{resource.id}/edit").get_data(as_text=True)
    assert 'value="Wzór regulaminu"' in edit
    form = _form(format="document", type="template", title="Wzór regulaminu świetlicy", url="", topics="świetlica, regulamin",
                 roles=["animator"], competences="ANI.3.1")  # fmt: skip
    assert client.post(f"/knowledge/{resource.id}/edit", data=form).status_code == 302
    upload = client.post(
        f"/knowledge/{resource.id}/versions",
        data={"change_summary": "Dodano dyżury.", "file": (io.BytesIO(docx_with("Wersja druga z dyżurami.")), "regulamin-v2.docx")},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 302
    page = client.get(f"/knowledge/{resource.id}").get_data(as_text=True)
    assert "Wzór regulaminu świetlicy" in page and "świetlica" in page
    assert page.count(">zastąpiona<") == 1 and page.count(">bieżąca<") == 1 and "Dodano dyżury." in page
    assert "regulamin.pdf" in page and "regulamin-v2.docx" in page
    bad = client.post(
        f"/knowledge/{resource.id}/versions", data={"change_summary": "x", "file": (io.BytesIO(b"MZ\x90\x00"), "wirus.pdf")},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert bad.status_code == 400 and "nie odpowiada" in bad.get_data(as_text=True).lower()


XSS = [
    '<script>alert("x")</script>',
    '<img src=x onerror="alert(1)">',
    "[klik](javascript:alert(1))",
    '<a href="javascript:alert(1)">a</a>',
    "<svg onload=alert(1)>",
    '<iframe src="https://evil.example"></iframe>',
    '<p style="background:url(javascript:alert(1))">styl</p>',
    '<div id="main-nav" class="button">podszywka</div>',
]


def test_xss_in_articles_is_neutralised(client, login, make_user):
    login(make_user("trainer"))
    body = "## Bezpieczny nagłówek\n\n" + "\n\n".join(XSS)
    response = client.post("/knowledge/new", data=_form(format="article", url="", title="Artykuł z pułapkami", body=body))
    assert response.status_code == 302
    resource = db.session.scalar(select(Resource).where(Resource.title == "Artykuł z pułapkami"))
    page = client.get(f"/knowledge/{resource.id}").get_data(as_text=True)
    article = page.split('aria-label="Artykuł"', 1)[1].split("</article>", 1)[0]
    assert "Bezpieczny nagłówek" in article
    lowered = article.lower()
    for forbidden in ("<script", "onerror", "onload", "javascript:", "<iframe", "<svg", "style=", 'id="main-nav"', 'class="button"'):
        assert forbidden not in lowered, forbidden


def test_plain_fields_refuse_markup_and_bad_codes(client, login, make_user):
    login(make_user("trainer"))
    for url in ("javascript://example.com/%0aalert(1)", "data:text/html,<script>alert(1)</script>", "ftp://example.com/x"):
        assert client.post("/knowledge/new", data=_form(title="Zły adres", url=url)).status_code == 400
    assert db.session.scalar(select(Resource).where(Resource.title == "Zły adres")) is None
    response = client.post("/knowledge/new", data=_form(title="<b>Tytuł</b>", competences="ANI.1.1; <x>"))
    assert response.status_code == 400
    assert db.session.scalar(select(Resource).where(Resource.title.like("%Tytuł%"))) is None


def test_expired_legal_texts_are_shown_as_such(client, login, make_user, add):
    from datetime import date

    trainer = make_user("trainer")
    old = add(trainer, "Ustawa uchylona", type="legal_act", published_on=date(1990, 11, 29), valid_until=date(2004, 4, 30))
    login(make_user("learner"))
    assert "nie obowiązuje od" in client.get("/knowledge").get_data(as_text=True)
    assert "już nie obowiązuje" in client.get(f"/knowledge/{old.id}").get_data(as_text=True)


def test_read_more_on_competence_lesson_and_assignment_pages(client, login, make_user, add):
    from elearn.practice import services as practice

    trainer, learner = make_user("trainer"), make_user("learner")
    add(trainer, "Lektura o prawie pomocy społecznej", competences=["WSP.2.1"])
    add(learner, "Nieprzyjęta propozycja o prawie", competences=["WSP.2.1"])
    add(trainer, "Lektura o partycypacji", competences=["ANI.2.1"])
    login(learner)
    competence = client.get("/competencies/framework/competences/WSP.2.1").get_data(as_text=True)
    assert "Czytaj więcej" in competence and "Lektura o prawie pomocy społecznej" in competence
    assert "Nieprzyjęta propozycja" not in competence
    assert client.get("/competencies/framework/competences/NIE.9.9").status_code == 404

    course, version = learning.published_course(db.session, "wprowadzenie-do-osl")
    learning.enrol(db.session, learner.id, course, version)
    db.session.commit()
    assert client.get("/courses/wprowadzenie-do-osl/lessons/nie-ma-takiej-lekcji").status_code == 404
    module = next(m for m in learning.version_outline(db.session, version) if "WSP.2.1" in m.competences)
    lesson = client.get(f"/courses/wprowadzenie-do-osl/lessons/{module.lessons[0].key}")
    page = lesson.get_data(as_text=True)
    assert "Lektura o prawie pomocy społecznej" in page and "Lektura o partycypacji" not in page

    ref = practice.find_assignment(db.session, "wprowadzenie-do-osl", "ramy-prawne-i-instytucjonalne", "instrument-do-pomyslu")
    add(trainer, "Lektura do zadania praktycznego", competences=[sorted(ref.data["competences"])[0]])
    assignment = client.get(f"/assignments/{ref.course.slug}/{ref.module.key}/{ref.key}").get_data(as_text=True)
    assert "Czytaj więcej" in assignment and "Lektura do zadania praktycznego" in assignment
    assert "Lektura o partycypacji" not in assignment


def test_pages_render_for_every_role(client, login, make_user, add):
    trainer = make_user("trainer")
    resource = add(trainer, "Artykuł", format="article", url="", body="# Nagłówek\n\nTreść **artykułu**.")
    for role in ("learner", "trainer", "coordinator", "issuer", "admin"):
        login(make_user(role))
        assert client.get("/knowledge").status_code == 200
        assert client.get(f"/knowledge/{resource.id}").status_code == 200
        assert client.get("/knowledge/mine").status_code == 200
    login(make_user("issuer"))
    assert "Dodaj materiał" in client.get("/knowledge/new").get_data(as_text=True)
    assert resource.status == PUBLISHED


def test_staff_dashboard_counts_waiting_proposals_and_admins_are_not_offered_adding(client, login, make_user, add):
    add(make_user("learner"), "Czekająca propozycja")
    login(make_user("issuer"))
    assert "czeka na ocenę" in client.get("/dashboard").get_data(as_text=True)
    login(make_user("admin"))
    assert 'href="/knowledge/new"' not in client.get("/knowledge").get_data(as_text=True)
    assert client.get("/knowledge/new").status_code == 403
