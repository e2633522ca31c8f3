"""A bulk job reads each batch's people, enrolments, certificates, requests and levels in a handful of queries and
inserts the batch's register rows together: its reads do not grow with the people in a batch, and what it issues
is what one-by-one issuance gives (gap-free numbers, the request marked issued, birth data printed, refusals counted)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from elearn.accounts import services as accounts
from elearn.certificates import bulk
from elearn.certificates.models import ISSUED, BulkJob, Certificate, CertificateRequest
from elearn.certificates.snapshot import load_snapshot
from elearn.extensions import db
from tests.certificates.helpers import course, make_graduates, separate_app
from tests.querycount import counted_queries

pytestmark = pytest.mark.no_db_transaction


def _run(app, user_ids: list[int]) -> tuple[int, BulkJob]:
    with app.app_context():
        job = bulk.create_job(db.session, course(), user_ids=user_ids, period_from=None, period_to=None, send_email=False,
                              requested_by_id=None)  # fmt: skip
        db.session.commit()
        job_id = job.id
    with app.app_context(), counted_queries() as statements:
        bulk.run_bulk_job(job_id)
    with app.app_context():
        job = db.session.get(BulkJob, job_id)
        db.session.expunge(job)
    return sum(1 for s in statements if s.lstrip().upper().startswith("SELECT")), job


def test_a_batchs_reads_do_not_grow_with_its_people(tmp_path):
    with separate_app(tmp_path, "bulk_reads", CERTIFICATE_BULK_BATCH=32) as app:
        with app.app_context():
            first_ids = make_graduates(1, prefix="pierwsza")
            few_ids = make_graduates(3, prefix="mala")
            many_ids = make_graduates(15, prefix="duza")
        _run(app, first_ids)  # fills the process's caches (the framework's scale, as any first issue would)
        few, _job = _run(app, few_ids)
        many, job = _run(app, many_ids)
        assert (job.state, job.done) == ("finished", 15)
        assert many == few


def test_a_batch_issues_what_one_by_one_issuance_would(tmp_path):
    with separate_app(tmp_path, "bulk_same", CERTIFICATE_BULK_BATCH=4) as app:
        with app.app_context():
            ids = make_graduates(6, prefix="kurs")
            asked = ids[2]
            db.session.add(CertificateRequest(user_id=asked, course_id=course().id, state="requested", birth_place="Toruń"))
            unfinished = accounts.create_user(db.session, email="w-toku@example.org", full_name="Osoba W Toku",
                                              password="Haslo-testowe-2026", roles=("learner",), institution_id=None,
                                              job_title="")  # fmt: skip
            db.session.commit()
            everyone = [*ids, unfinished.id]
        _reads, job = _run(app, everyone)
        assert (job.state, job.done, job.failed) == ("finished", 6, 1)
        with app.app_context():
            issued = list(db.session.scalars(select(Certificate).order_by(Certificate.seq)))
            assert [c.seq for c in issued] == list(range(1, 7))
            assert sorted(c.user_id for c in issued) == sorted(ids)
            request = db.session.scalar(select(CertificateRequest).where(CertificateRequest.user_id == asked))
            certificate = next(c for c in issued if c.user_id == asked)
            assert (request.state, request.certificate_id) == (ISSUED, certificate.id)
            assert load_snapshot(certificate.snapshot).birth_place == "Toruń"
            assert all(load_snapshot(c.snapshot).birth_place is None for c in issued if c.user_id != asked)
