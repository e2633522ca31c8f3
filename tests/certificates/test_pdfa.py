"""PDF/A-2b certificates: XMP identification, sRGB output intent, pl-PL, the issue date as creation date, a link."""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
from datetime import date

import pytest
from pypdf import PdfReader

from elearn.certificates.pdf import render_certificate
from elearn.certificates.snapshot import CertificateSnapshot

URL = "http://localhost/verify/Qm9ndXNDb2RlRm9yVGVzdHMxMjM0NTY3"


def snapshot_json(**changes) -> dict:
    base = CertificateSnapshot(
        holder_name="Zażółć Gęślą-Jaźń", course_title="Mediator w społeczności lokalnej", course_version=2,
        course_slug="mediator", hours=24, period_from=date(2026, 1, 12), period_to=date(2026, 3, 4),
        organiser="ROPS w Toruniu", issuer_name="Regionalny Ośrodek Polityki Społecznej w Toruniu", issuer_address=(),
        signatory_name="Katarzyna Zielińska", signatory_function="Dyrektor", place_of_issue="Toruń",
        issue_date=date(2026, 3, 10), number="ROPS-KP/2026/000042", verification_url=URL,
    )  # fmt: skip
    return {**base.to_json(), **changes}


def test_new_certificates_are_pdfa_2b_with_language_dates_and_a_link(tmp_path):
    snapshot = CertificateSnapshot.from_json(snapshot_json())
    pdf = render_certificate(snapshot)
    assert render_certificate(snapshot) == pdf  # still deterministic
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "pl-PL"
    xmp = root["/Metadata"].get_object()
    assert "/Filter" not in xmp
    text = xmp.get_data().decode("utf-8")
    assert "<pdfaid:part>2</pdfaid:part>" in text and "<pdfaid:conformance>B</pdfaid:conformance>" in text
    assert "Zaświadczenie ROPS-KP/2026/000042" in text and "<xmp:CreateDate>2026-03-10T00:00:00+00:00" in text
    intent = root["/OutputIntents"][0].get_object()
    assert intent["/S"] == "/GTS_PDFA1" and intent["/OutputConditionIdentifier"] == "sRGB IEC61966-2.1"
    profile = intent["/DestOutputProfile"].get_object()
    icc = profile.get_data()
    assert profile["/N"] == 3 and icc[36:40] == b"acsp" and icc[16:20] == b"RGB "
    assert reader.metadata["/CreationDate"] == reader.metadata["/ModDate"] == "D:20260310000000+00'00'"
    assert reader.metadata["/Title"] == "Zaświadczenie ROPS-KP/2026/000042"
    links = [a.get_object() for a in reader.pages[0]["/Annots"]]
    assert [(a["/A"]["/URI"], a["/F"]) for a in links] == [(URL, 4)]
    if shutil.which("qpdf"):
        path = tmp_path / "pdfa.pdf"
        path.write_bytes(pdf)
        checked = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True, check=False)
        assert checked.returncode == 0, checked.stdout + checked.stderr


def test_certificates_frozen_before_pdfa_render_exactly_as_before():
    """The register holds the SHA-256 of what was issued: an old snapshot (no pdf_format) keeps its layout."""
    old = snapshot_json()
    del old["pdf_format"]
    snapshot = CertificateSnapshot.from_json(old)
    assert snapshot.pdf_format == 1
    reader = PdfReader(io.BytesIO(render_certificate(snapshot)))
    root = reader.trailer["/Root"]
    assert "/Metadata" not in root and "/OutputIntents" not in root and "/Lang" not in root
    assert "/Annots" not in reader.pages[0]
    assert reader.metadata["/CreationDate"].startswith("D:2000")


@pytest.mark.parametrize("issued", [date(2026, 1, 1), date(2027, 12, 31)])
def test_creation_date_follows_the_issue_date(issued):
    pdf = render_certificate(CertificateSnapshot.from_json(snapshot_json(issue_date=issued.isoformat())))
    assert PdfReader(io.BytesIO(pdf)).metadata["/CreationDate"].startswith(f"D:{issued:%Y%m%d}")


def test_role_certificates_are_pdfa_too():
    from elearn.certificates.role_pdf import render_role_certificate
    from elearn.certificates.snapshot import RoleSnapshot

    snapshot = RoleSnapshot(
        holder_name="Zażółć Gęślą-Jaźń", role_code="animator", role_name="Animator społeczności lokalnej",
        specialty="", framework_key="osl", framework_version="1.1", framework_title="Model OSL",
        issuer_name="ROPS w Toruniu", issuer_address=(), signatory_name="Katarzyna Zielińska",
        signatory_function="Dyrektor", place_of_issue="Toruń", issue_date=date(2026, 5, 4), number="R/2026/1",
        verification_url=URL,
    )  # fmt: skip
    reader = PdfReader(io.BytesIO(render_role_certificate(snapshot)))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "pl-PL" and "/OutputIntents" in root
    assert "<pdfaid:part>2</pdfaid:part>" in root["/Metadata"].get_object().get_data().decode()
    assert reader.metadata["/CreationDate"].startswith("D:20260504")
    assert [a.get_object()["/A"]["/URI"] for a in reader.pages[0]["/Annots"]] == [URL]


def test_the_same_snapshot_gives_the_same_bytes_in_another_process_later():
    """A lost file is re-rendered in whichever process serves it: the bytes must still match the register's hash
    (the sRGB profile used to carry the moment the process built it)."""
    import json
    import sys
    import time

    data = snapshot_json()
    here = render_certificate(CertificateSnapshot.from_json(data))
    time.sleep(1.1)  # the profile's time stamp had a resolution of one second
    code = (
        "import hashlib, json, sys\n"
        "from elearn.certificates.pdf import render_certificate\n"
        "from elearn.certificates.snapshot import CertificateSnapshot\n"
        "pdf = render_certificate(CertificateSnapshot.from_json(json.loads(sys.stdin.read())))\n"
        "print(hashlib.sha256(pdf).hexdigest())\n"
    )
    there = subprocess.run([sys.executable, "-c", code], input=json.dumps(data), capture_output=True, text=True, check=True)
    assert there.stdout.strip() == hashlib.sha256(here).hexdigest()
