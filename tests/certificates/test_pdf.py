"""The certificate PDF: Polish text, no overflow, determinism, a clean file, and a QR code that leads to the right page."""

from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from elearn.certificates.pdf import MARGIN, PAGE_H, PAGE_W, render_certificate, sha256
from elearn.certificates.snapshot import AttainedCompetence, CertificateSnapshot, Topic
from tests.certificates.helpers import decode_qr

HOLDER = "Zażółć Gęślą-Jaźń"


def snapshot(**changes) -> CertificateSnapshot:
    base = CertificateSnapshot(
        holder_name=HOLDER,
        course_title="Mediator w społeczności lokalnej – źródła konfliktów, żywe dyskusje",
        course_version=2, course_slug="mediator-w-spolecznosci-lokalnej", hours=24, period_from=date(2026, 1, 12),
        period_to=date(2026, 3, 4), organiser="Regionalny Ośrodek Polityki Społecznej w Toruniu",
        issuer_name="Regionalny Ośrodek Polityki Społecznej w Toruniu", issuer_address=("ul. Słowackiego 114", "87-100 Toruń"),
        signatory_name="Katarzyna Zielińska", signatory_function="Dyrektor ROPS w Toruniu", place_of_issue="Toruń",
        issue_date=date(2026, 3, 10), number="ROPS-KP/2026/000042",
        verification_url="http://localhost/verify/Qm9ndXNDb2RlRm9yVGVzdHMxMjM0NTY3",
        birth_date=date(1985, 6, 1), birth_place="Włocławek",
        topics=(Topic("Źródła konfliktów w społeczności", 6), Topic("Etapy mediacji i etyka mediatora", 8),
                Topic("Dialog i facylitacja", 10)),
        competences=(AttainedCompetence("MED.1.1", "Analiza konfliktu społecznego", 2, "samodzielny"),),
    )  # fmt: skip
    return replace(base, **changes)


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_polish_text_is_extractable_and_fonts_are_embedded_subsets():
    pdf = render_certificate(snapshot())
    text = text_of(pdf)
    for expected in ("ZAŚWIADCZENIE", HOLDER, "Zaświadcza się, że", "ukończył(a) szkolenie", "Mediator w społeczności lokalnej – źródła",
                     "Włocławek", "01.06.1985", "12.01.2026", "04.03.2026", "24 godzin", "Źródła konfliktów w społeczności",
                     "Analiza konfliktu społecznego", "samodzielny", "Katarzyna Zielińska", "ROPS-KP/2026/000042", "Toruń, 10.03.2026 r.",
                     "localhost/verify/Qm9ndXNDb2RlRm9yVGVzdHMxMjM0NTY3"):  # fmt: skip
        assert expected in text, expected
    fonts = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts.add(font["/BaseFont"])
            descendant = font.get("/DescendantFonts")
            descriptor = (descendant[0].get_object() if descendant else font)["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor  # embedded
    assert fonts
    assert all("+" in name for name in fonts), fonts  # subset tag, e.g. AAAAAA+DejaVuSans


def test_same_snapshot_gives_identical_bytes_and_hash():
    first, second = render_certificate(snapshot()), render_certificate(snapshot())
    assert first == second
    assert sha256(first) == sha256(second)
    assert render_certificate(snapshot(holder_name="Jan Kowalski")) != first


LONG = "Długi tytuł szkolenia o organizowaniu społeczności lokalnej i współpracy międzysektorowej w gminach województwa"


@pytest.mark.parametrize(
    ("holder", "title"),
    [
        ((LONG + " " + LONG)[:150], (LONG + " " + LONG)[:150]),
        ("W" * 150, "Ż" * 150),  # one unbreakable word each
        ("Anna " * 30, "kurs " * 30),
    ],
)
def test_long_names_and_titles_stay_inside_the_margins(holder, title):
    assert len(holder.strip()) >= 140
    assert len(title.strip()) >= 140
    trace = []
    topics = tuple(Topic(f"{i}. " + LONG, 2) for i in range(40))  # far more than one page: annex pages
    pdf = render_certificate(snapshot(holder_name=holder.strip(), course_title=title.strip(), topics=topics, organiser=LONG), trace=trace)
    assert trace
    for draw in trace:
        assert draw.x0 >= MARGIN - 0.01, draw
        assert draw.x1 <= PAGE_W - MARGIN + 0.01, draw
        assert MARGIN - draw.size <= draw.y <= PAGE_H - MARGIN, draw
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) >= 2
    assert "Załącznik do zaświadczenia nr ROPS-KP/2026/000042" in pages[1].extract_text()
    joined = "".join(d.text for d in trace if d.page == 1).replace(" ", "")
    assert holder.replace(" ", "") in joined  # wrapped, not cut


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(holder=st.text(alphabet="aąbcćdeęfghijklłmnńoóprsśtuwyzźżAĄĆĘŁŃÓŚŹŻ -", min_size=1, max_size=150).filter(str.strip))
def test_any_polish_name_fits(holder):
    trace = []
    render_certificate(snapshot(holder_name=holder.strip()), trace=trace)
    assert all(d.x0 >= MARGIN - 0.01 and d.x1 <= PAGE_W - MARGIN + 0.01 for d in trace)


def test_qpdf_check_is_clean(tmp_path):
    qpdf = shutil.which("qpdf")
    if qpdf is None:
        pytest.skip("qpdf is not installed (apt-get install qpdf): cannot run the qpdf --check requirement")
    path = tmp_path / "c.pdf"
    path.write_bytes(render_certificate(snapshot(topics=tuple(Topic(LONG, 1) for _ in range(30)))))
    result = subprocess.run([qpdf, "--check", str(path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors found" in result.stdout


def test_qr_code_decodes_to_the_verification_url():
    assert decode_qr(render_certificate(snapshot())) == "http://localhost/verify/Qm9ndXNDb2RlRm9yVGVzdHMxMjM0NTY3"


def test_measurements_are_kept_for_course_texts_but_never_for_the_holder_or_the_certificate():
    """Widths and wrapped lines are cached per process; a second holder of the same course adds nothing to them."""
    from elearn.certificates import pdf

    caches = (pdf._kept_width, pdf._kept_wrap, pdf._kept_fit)
    render_certificate(snapshot(holder_name="Pierwsza Osoba-Testowa", topics=snapshot().topics * 20))  # annex page too
    before = [cache.cache_info() for cache in caches]
    render_certificate(
        snapshot(
            holder_name="Druga Osoba-Zupełnie Inna", birth_date=date(1990, 2, 3), birth_place="Grudziądz", number="ROPS-KP/2026/009999",
            verification_url="http://localhost/verify/SomeoneElsesSecretCode0123456789", topics=snapshot().topics * 20,
        )
    )  # fmt: skip
    after = [cache.cache_info() for cache in caches]
    assert [a.misses for a in after] == [b.misses for b in before]
    assert [a.currsize for a in after] == [b.currsize for b in before]
    assert all(a.hits > b.hits for a, b in zip(after, before, strict=True))  # the course's texts were measured from the cache


def test_the_qr_code_is_drawn_as_reportlab_would_draw_each_run():
    """draw_qr joins preformatted coordinates; the content stream must equal one path.rect per run of dark modules."""
    from reportlab.pdfgen.canvas import Canvas

    from elearn.certificates.qr import draw_qr, qr_runs

    url = "https://elearn.example.pl/verify/WEpqUu2nt0Ym51HMt1NHGJrIuGXviH_4"
    fast, slow = Canvas(io.BytesIO()), Canvas(io.BytesIO())
    draw_qr(fast, url, 50.0, 70.0, 82.0)
    size, runs = qr_runs(url)
    unit = 82.0 / (size + 8)
    slow.saveState()
    slow.setFillColorRGB(0, 0, 0)
    path = slow.beginPath()
    for row, col, length in runs:
        path.rect(50.0 + (col + 4) * unit, 70.0 + 82.0 - (row + 5) * unit, length * unit, unit)
    slow.drawPath(path, stroke=0, fill=1)
    slow.restoreState()
    assert len(runs) > 100 and fast._code == slow._code
