"""Courses carry their media: the media/ folder of a file course, named uploads of a browser course, served to the
people who may read the course, checked like every upload, and written back by the export byte for byte."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from elearn.courses.models import Attachment, Course, CourseVersion, Lesson
from elearn.courses.services import learning
from elearn.courses.services.sync import SyncError, export_course, sync_courses
from elearn.extensions import db
from tests.courses.helpers import MODULE_TWO, PNG, write_course

SHIPPED = Path(__file__).resolve().parents[2] / "courses"
DIAGRAM = SHIPPED / "wprowadzenie-do-osl" / "media" / "cykl-procesu-osl.png"
LESSON = """---
title: Moduł ze schematem
hours: 2
quiz_pass: 70
---

## Lekcja ze schematem

![Schemat spaceru badawczego: trasa przez pięć punktów osiedla](media/spacer.png)

Pobierz [kartę obserwacji](media/karta-obserwacji.pdf).
"""
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _media_course(root: Path, slug: str = "kurs-z-mediami", png: bytes = PNG) -> Path:
    folder = write_course(root, slug, {"01-schemat.md": LESSON, "02-drugi.md": MODULE_TWO})
    (folder / "media").mkdir()
    (folder / "media" / "spacer.png").write_bytes(png)
    (folder / "media" / "karta-obserwacji.pdf").write_bytes(PDF)
    return folder


def test_shipped_course_shows_its_diagram_to_enrolled_learners_only(client, make_user, login):
    course, version = learning.published_course(db.session, "wprowadzenie-do-osl")
    lesson = db.session.scalar(select(Lesson).where(Lesson.version_id == version.id, Lesson.source.contains("media/cykl-procesu-osl.png")))
    url = "/courses/wprowadzenie-do-osl/media/cykl-procesu-osl.png"
    assert f'src="{url}"' in lesson.html
    assert 'alt="Schemat: pięć faz procesu OSL' in lesson.html

    stranger = make_user("learner")
    login(stranger)
    assert client.get(url).status_code == 404  # not enrolled: as if it did not exist
    learning.enrol(db.session, stranger.id, course, version)
    db.session.commit()
    page = client.get(f"/courses/wprowadzenie-do-osl/lessons/{lesson.key}").get_data(as_text=True)
    assert f'src="{url}"' in page
    served = client.get(url)
    assert served.status_code == 200
    assert served.data == DIAGRAM.read_bytes()
    assert served.headers["Content-Type"] == "image/png"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get("/courses/wprowadzenie-do-osl/media/brak.png").status_code == 404

    login(make_user("trainer"))
    assert client.get(url).status_code == 200  # authors read every course's media


def test_export_of_the_shipped_course_with_a_diagram_is_byte_identical_to_its_folder(tmp_path):
    slug = "wprowadzenie-do-osl"
    export_course(db.session, slug, tmp_path)
    exported, shipped = _tree(tmp_path / slug), _tree(SHIPPED / slug)
    # course.yml: the `checks: accept:` list is the checker's, not course content, so an export does not carry it
    assert {k: v for k, v in exported.items() if k != "course.yml"} == {k: v for k, v in shipped.items() if k != "course.yml"}
    assert exported["media/cykl-procesu-osl.png"] == DIAGRAM.read_bytes()


def test_media_round_trip_import_export_is_byte_identical(course_root, tmp_path):
    folder = _media_course(course_root)
    sync_courses(db.session, course_root)
    export_course(db.session, "kurs-z-mediami", tmp_path / "a")
    exported = _tree(tmp_path / "a" / "kurs-z-mediami")
    assert exported["media/spacer.png"] == PNG
    assert exported["media/karta-obserwacji.pdf"] == PDF
    assert {k: v for k, v in exported.items() if k.startswith("media/")} == {
        k: v for k, v in _tree(folder).items() if k.startswith("media/")
    }
    assert sync_courses(db.session, tmp_path / "a" / "kurs-z-mediami").unchanged == ["kurs-z-mediami"]
    export_course(db.session, "kurs-z-mediami", tmp_path / "b")
    assert _tree(tmp_path / "b" / "kurs-z-mediami") == exported


def test_changed_diagram_is_a_new_version_and_removed_file_goes(course_root):
    folder = _media_course(course_root)
    sync_courses(db.session, course_root)
    course = db.session.scalar(select(Course).where(Course.slug == "kurs-z-mediami"))
    assert course.published_number == 1
    assert sync_courses(db.session, course_root).unchanged == ["kurs-z-mediami"]

    newer = PNG + b"\x01"
    (folder / "media" / "spacer.png").write_bytes(newer)
    (folder / "media" / "karta-obserwacji.pdf").unlink()
    (folder / "01-schemat.md").write_text(LESSON.replace("Pobierz [kartę obserwacji](media/karta-obserwacji.pdf).", "Bez karty."))
    assert sync_courses(db.session, course_root).updated == ["kurs-z-mediami"]
    assert course.published_number == 2
    rows = db.session.scalars(select(Attachment).where(Attachment.course_id == course.id)).all()
    assert [(a.media_name, a.sha256) for a in rows] == [("spacer.png", hashlib.sha256(newer).hexdigest())]
    assert db.session.scalar(select(func.count()).select_from(CourseVersion).where(CourseVersion.course_id == course.id)) == 2


def test_sync_refuses_media_the_upload_checks_refuse(course_root):
    folder = _media_course(course_root, png=b"<svg onload=alert(1)>")
    (folder / "media" / "Zły Plik.png").write_bytes(PNG)
    with pytest.raises(SyncError) as info:
        sync_courses(db.session, course_root)
    errors = info.value.english().splitlines()
    assert "kurs-z-mediami/media/Zły Plik.png:1: media file names may use only a-z, 0-9, hyphens and dots" in errors[0]
    assert db.session.scalar(select(Course).where(Course.slug == "kurs-z-mediami")) is None
    (folder / "media" / "Zły Plik.png").unlink()
    with pytest.raises(SyncError) as info:
        sync_courses(db.session, course_root)
    assert info.value.english().startswith("kurs-z-mediami/media/spacer.png:1: The file content does not match its extension .png.")


def test_browser_upload_needs_alt_for_images_and_exports_into_media(client, login_as, tmp_path):
    login_as("trainer")
    client.post("/authoring/courses/new", data={"slug": "kurs-www", "title": "Kurs", "summary": "s", "role": "wspolne", "hours": 1})

    def upload(name, data, alt):
        return client.post(
            "/authoring/courses/kurs-www/uploads", data={"file": (io.BytesIO(data), name), "alt": alt},
            content_type="multipart/form-data", headers={"Accept": "application/json"},
        )  # fmt: skip

    refused = upload("Mapa osiedla.png", PNG, "  ")
    assert refused.status_code == 400
    assert refused.get_json()["errors"] == ["Opisz obraz dla osób, które go nie widzą (tekst alternatywny)."]
    assert db.session.scalar(select(func.count()).select_from(Attachment).where(Attachment.filename.like("Mapa%"))) == 0
    assert upload("Mapa osiedla.png", PNG, "Mapa osiedla z zaznaczoną świetlicą").get_json() == {
        "snippet": "![Mapa osiedla z zaznaczoną świetlicą](media/mapa-osiedla.png)"
    }
    assert upload("Mapa osiedla.png", PNG + b"2", "Druga mapa").get_json()["snippet"].endswith("(media/mapa-osiedla-2.png)")
    assert upload("Karta.pdf", PDF, "").get_json() == {"snippet": "[Karta.pdf](media/karta.pdf)"}  # a document: no alt needed

    client.post("/authoring/courses/kurs-www/modules/new", data={"title": "Moduł", "hours": 1})
    client.post(
        "/authoring/courses/kurs-www/modules/modul/lessons/new",
        data={"title": "Lekcja", "source": "![Mapa osiedla z zaznaczoną świetlicą](media/mapa-osiedla.png)", "submit": "1"},
    )
    lesson = db.session.scalar(select(Lesson).where(Lesson.title == "Lekcja"))
    assert 'src="/courses/kurs-www/media/mapa-osiedla.png"' in lesson.html
    assert client.get("/courses/kurs-www/media/mapa-osiedla.png").data == PNG
    assert "Opublikowano wersję 1" in client.post(
        "/authoring/courses/kurs-www/publish", data={"confirmed": "1"}, follow_redirects=True
    ).get_data(as_text=True)
    export_course(db.session, "kurs-www", tmp_path)
    assert _tree(tmp_path / "kurs-www" / "media") == {"karta.pdf": PDF, "mapa-osiedla-2.png": PNG + b"2", "mapa-osiedla.png": PNG}
    assert sync_courses(db.session, tmp_path / "kurs-www").unchanged == ["kurs-www"]


def test_browser_course_checks_name_media_that_were_never_uploaded(client, login_as):
    from elearn.courses.services import checks

    login_as("trainer")
    client.post("/authoring/courses/new", data={"slug": "kurs-www", "title": "Kurs", "summary": "s", "role": "wspolne", "hours": 1})
    client.post(
        "/authoring/courses/kurs-www/uploads", data={"file": (io.BytesIO(PNG), "plan.png"), "alt": "Plan sali"},
        content_type="multipart/form-data",
    )  # fmt: skip
    client.post("/authoring/courses/kurs-www/modules/new", data={"title": "Moduł", "hours": 1})
    client.post(
        "/authoring/courses/kurs-www/modules/modul/lessons/new",
        data={"title": "Lekcja", "source": "![Plan sali](media/plan.png) ![](media/brak.png)", "submit": "1"},
    )
    course = db.session.scalar(select(Course).where(Course.slug == "kurs-www"))
    found = sorted((f.rule, f.message) for f in checks.draft_findings(db.session, course) if f.rule in ("image-alt", "broken-link"))
    assert found == [
        ("broken-link", "link to media/brak.png: no such file among the course's images and attachments"),
        ("image-alt", "image media/brak.png has no alternative text: write it between the brackets ![…]"),
    ]
    page = client.get("/authoring/courses/kurs-www").get_data(as_text=True)
    assert "nie ma takiego pliku wśród obrazów i załączników kursu" in page  # shown to the trainer before publishing
