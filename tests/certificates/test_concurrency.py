"""Gap-free numbering under concurrent issuance, bulk jobs (inline and on RQ) and crash-resume.

These tests need committed data seen by several connections, so each uses a database of its own
(SQLite file, or a fresh PostgreSQL database when ELEARN_TEST_BACKEND=postgresql), not the rolled-back session.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import threading
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from elearn.accounts.models import User
from elearn.certificates import bulk, services
from elearn.certificates.models import Certificate, CertificateSequence
from elearn.extensions import db
from tests.certificates.helpers import ANIMATOR, course, make_graduates, separate_app

pytestmark = pytest.mark.no_db_transaction


def seqs(app) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(select(Certificate.seq).order_by(Certificate.seq)))


def issue_for(app, user_ids: list[int], errors: list) -> None:
    with app.app_context():
        found = course()
        for user_id in user_ids:
            try:
                services.issue_certificate(db.session, db.session.get(User, user_id), found, issued_by_id=None)
                db.session.commit()
            except Exception as error:  # collected and asserted on by the test
                db.session.rollback()
                errors.append(error)
        db.session.remove()


def test_threads_issuing_at_once_get_contiguous_unique_numbers(tmp_path):
    with separate_app(tmp_path, "threads") as app:
        with app.app_context():
            user_ids = make_graduates(80)
        errors: list = []
        threads = [threading.Thread(target=issue_for, args=(app, user_ids[i::8], errors)) for i in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert seqs(app) == list(range(1, 81))
        with app.app_context():
            numbers = list(db.session.scalars(select(Certificate.number)))
            assert len(set(numbers)) == 80
            assert db.session.scalar(select(CertificateSequence.last_seq)) == 80


def _process_issue(url: str, instance: str, user_ids: list[int]) -> int:
    from tests.helpers import make_test_app

    app = make_test_app(url, Path(instance))
    errors: list = []
    issue_for(app, user_ids, errors)
    with app.app_context():
        db.engine.dispose()
    return len(errors)


def test_processes_issuing_at_once_get_contiguous_unique_numbers(tmp_path):
    """Several OS processes (as several gunicorn workers would be) against one database.

    Runs on both passes of the suite: SQLite, and PostgreSQL (row lock on the sequence) in CI."""
    with separate_app(tmp_path, "procs") as app:
        with app.app_context():
            user_ids = make_graduates(48)
            url = db.engine.url.render_as_string(hide_password=False)
        context = multiprocessing.get_context("spawn")
        with context.Pool(4) as pool:
            failures = pool.starmap(_process_issue, [(url, str(tmp_path / "instance-procs"), user_ids[i::4]) for i in range(4)])
        assert failures == [0, 0, 0, 0]
        assert seqs(app) == list(range(1, 49))


def test_failed_issuance_burns_no_number(tmp_path, monkeypatch):
    with separate_app(tmp_path, "burn") as app:
        with app.app_context():
            user_ids = make_graduates(5)
        real = services.render_certificate
        calls = {"n": 0}

        def flaky(snapshot, **kwargs):
            calls["n"] += 1
            if calls["n"] == 3:
                raise OSError("disk full while rendering")
            return real(snapshot, **kwargs)

        monkeypatch.setattr(services, "render_certificate", flaky)
        errors: list = []
        issue_for(app, user_ids, errors)
        assert len(errors) == 1
        assert seqs(app) == [1, 2, 3, 4]  # the failed one's number went back to the pool


def run_job(app, job_id: int) -> None:
    with app.app_context():
        try:
            bulk.run_bulk_job(job_id)
        finally:
            db.session.remove()


def create_job(app, user_ids, *, send_email=False) -> int:
    with app.app_context():
        job = bulk.create_job(db.session, course(), user_ids=user_ids, period_from=None, period_to=None, send_email=send_email,
                              requested_by_id=None)  # fmt: skip
        db.session.commit()
        return job.id


def test_bulk_job_inline_issues_all_zips_and_mails(tmp_path):
    from elearn.accounts import services as accounts

    with separate_app(tmp_path, "bulk") as app:
        with app.app_context():
            user_ids = make_graduates(12)
            assert sorted(bulk.eligible_user_ids(db.session, course(), None, None)) == sorted(user_ids)
            person = accounts.create_user(
                db.session, email="wystawca@example.org", full_name="Wystawca Testowy", password="Haslo-testowe-2026",
                roles=("issuer",), institution_id=None, job_title="ROPS",
            )  # fmt: skip
            db.session.commit()
            issuer_session_id, course_id = person.get_id(), course().id
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = issuer_session_id
        response = client.post("/certificates/bulk", data={"confirmed": "1", "course_id": course_id, "send_email": "y"})
        assert response.status_code == 302
        job_url = response.headers["Location"]
        job_id = int(job_url.rstrip("/").rsplit("/", 1)[-1])
        assert seqs(app) == list(range(1, 13))
        with app.app_context():
            job = db.session.get(bulk.BulkJob, job_id)
            assert (job.state, job.done, job.failed, job.total) == ("finished", 12, 0, 12)
            archive = zipfile.ZipFile(Path(app.instance_path) / job.zip_path)
            assert len(archive.namelist()) == 12
            assert all(archive.read(name).startswith(b"%PDF") for name in archive.namelist())
        status = client.get(f"/certificates/jobs/{job_id}.json").get_json()
        assert status["state"] == "finished"
        assert status["percent"] == 100
        with client.get(status["zip_url"]) as download:
            assert download.status_code == 200
            assert zipfile.ZipFile(io.BytesIO(download.data)).namelist()
        page = client.get(job_url).get_data(as_text=True)
        assert "zakończone" in page
        assert "Odśwież" in page
        outbox = list((Path(app.instance_path) / "outbox").glob("*.eml"))
        assert len(outbox) == 12
        assert b"application/pdf" in outbox[0].read_bytes()


def test_bulk_crash_midway_leaves_nothing_half_done_and_rerun_resumes(tmp_path, monkeypatch):
    # Batches of 5: the crash in the second batch rolls back that whole batch, numbers included.
    with separate_app(tmp_path, "crash", CERTIFICATE_BULK_BATCH=5) as app:
        with app.app_context():
            user_ids = make_graduates(10)
        job_id = create_job(app, user_ids)
        real = services.render_certificate
        calls = {"n": 0}

        def crashing(snapshot, **kwargs):
            calls["n"] += 1
            if calls["n"] == 6:
                raise RuntimeError("worker killed")
            return real(snapshot, **kwargs)

        monkeypatch.setattr(services, "render_certificate", crashing)
        with pytest.raises(RuntimeError):
            run_job(app, job_id)
        assert seqs(app) == [1, 2, 3, 4, 5]
        with app.app_context():
            job = db.session.get(bulk.BulkJob, job_id)
            assert job.state == "failed"
            assert "worker killed" in job.error
            assert job.done == 5
            assert db.session.scalar(select(CertificateSequence.last_seq)) == 5  # no burnt number
        monkeypatch.setattr(services, "render_certificate", real)
        run_job(app, job_id)
        assert seqs(app) == list(range(1, 11))
        run_job(app, job_id)  # a finished job does nothing more
        with app.app_context():
            assert db.session.scalar(select(func.count()).select_from(Certificate)) == 10
            assert db.session.get(bulk.BulkJob, job_id).state == "finished"


def hold_lease(app, job_id: int, *, seconds_ago: float) -> None:
    """Make the job look taken by another run whose last heartbeat was `seconds_ago`."""
    from datetime import timedelta

    from elearn.core.timeutil import utcnow

    with app.app_context():
        job = db.session.get(bulk.BulkJob, job_id)
        job.state, job.runner, job.heartbeat_at = "running", "another-worker", utcnow() - timedelta(seconds=seconds_ago)
        db.session.commit()


def test_a_job_held_by_a_live_run_is_not_run_twice(tmp_path):
    with separate_app(tmp_path, "lease", CERTIFICATE_BULK_STALLED_AFTER=600) as app:
        with app.app_context():
            user_ids = make_graduates(4)
        job_id = create_job(app, user_ids)
        hold_lease(app, job_id, seconds_ago=5)
        run_job(app, job_id)  # a second worker, or a double-clicked "resume": claims nothing
        assert seqs(app) == []
        with app.app_context():
            job = db.session.get(bulk.BulkJob, job_id)
            assert (job.state, job.runner) == ("running", "another-worker")
            assert not bulk.resumable(job)


def test_a_job_whose_worker_died_is_stalled_resumable_and_resumes_gap_free(tmp_path):
    from elearn.accounts import services as accounts

    with separate_app(tmp_path, "stalled", CERTIFICATE_BULK_STALLED_AFTER=60) as app:
        with app.app_context():
            user_ids = make_graduates(5)
        job_id = create_job(app, user_ids)
        hold_lease(app, job_id, seconds_ago=120)  # the worker was killed two minutes ago
        with app.app_context():
            job = db.session.get(bulk.BulkJob, job_id)
            assert bulk.is_stalled(job) and bulk.resumable(job)
        with app.app_context():
            issuer = accounts.create_user(
                db.session, email="wystawca@example.org", full_name="Irena Wystawczyni", password="Haslo-testowe-2026", roles=("issuer",)
            )
            db.session.commit()
            issuer_session = issuer.get_id()
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = issuer_session, True
        page = client.get(f"/certificates/jobs/{job_id}")
        assert "probably stopped" in page.text or "prawdopodobnie" in page.text
        assert f"/certificates/jobs/{job_id}/resume" in page.text
        run_job(app, job_id)
        assert seqs(app) == [1, 2, 3, 4, 5]
        with app.app_context():
            assert db.session.get(bulk.BulkJob, job_id).state == "finished"


def test_a_run_whose_lease_was_taken_over_stops_before_committing(tmp_path, monkeypatch):
    with separate_app(tmp_path, "takeover", CERTIFICATE_BULK_BATCH=2) as app:
        with app.app_context():
            user_ids = make_graduates(6)
        job_id = create_job(app, user_ids)
        real = bulk._holders
        calls = {"n": 0}

        def holders_then_taken_over(*args):
            calls["n"] += 1
            if calls["n"] == 4:  # between the second batch's commit and the third batch
                db.session.commit()  # (only reads since that commit: SQLite's one writer lock is free for the other worker)
                # another worker declared this run dead and took the job over, on a connection of its own
                with db.engine.connect() as other:
                    other.execute(bulk.update(bulk.BulkJob).where(bulk.BulkJob.id == job_id).values(runner="successor"))
                    other.commit()
            return real(*args)

        monkeypatch.setattr(bulk, "_holders", holders_then_taken_over)
        run_job(app, job_id)
        assert seqs(app) == [1, 2, 3, 4]  # the third batch was rolled back with its numbers: nothing half written
        with app.app_context():
            job = db.session.get(bulk.BulkJob, job_id)
            assert (job.runner, job.done, job.state) == ("successor", 4, "running")


def _stored_and_zipped(app, job_id: int) -> tuple[list[Certificate], dict[str, bytes]]:
    with app.app_context():
        job = db.session.get(bulk.BulkJob, job_id)
        archive = zipfile.ZipFile(Path(app.instance_path) / job.zip_path)
        zipped = {name: archive.read(name) for name in archive.namelist()}
        certificates = list(db.session.scalars(select(Certificate).order_by(Certificate.seq)))
        for certificate in certificates:
            stored = services.stored_pdf(certificate)
            assert stored is not None and zipped[services.pdf_filename(certificate)] == stored
        return certificates, zipped


def test_bulk_renders_each_pdf_once_and_zips_the_stored_bytes(tmp_path, monkeypatch):
    with separate_app(tmp_path, "once", CERTIFICATE_BULK_BATCH=4, CERTIFICATE_RENDER_PROCESSES=1) as app:
        with app.app_context():
            user_ids = make_graduates(9)
        job_id = create_job(app, user_ids)
        real = services.render_certificate
        rendered: list[str] = []

        def counting(snapshot, **kwargs):
            rendered.append(snapshot.number)
            return real(snapshot, **kwargs)

        monkeypatch.setattr(services, "render_certificate", counting)
        run_job(app, job_id)
        certificates, zipped = _stored_and_zipped(app, job_id)
        assert sorted(rendered) == sorted(c.number for c in certificates) and len(rendered) == 9  # once each, ZIP included
        assert [c.seq for c in certificates] == list(range(1, 10)) and len(zipped) == 9


def test_bulk_renders_in_a_process_pool_with_gap_free_numbers(tmp_path):
    options = {"CERTIFICATE_BULK_BATCH": 5, "CERTIFICATE_RENDER_PROCESSES": 2, "CERTIFICATE_POOL_MIN_JOB": 1}
    with separate_app(tmp_path, "pool", **options) as app:
        with app.app_context():
            user_ids = make_graduates(13)
        job_id = create_job(app, user_ids)
        with app.app_context():
            assert bulk.render_processes(13) == 2
        run_job(app, job_id)
        certificates, zipped = _stored_and_zipped(app, job_id)
        assert [c.seq for c in certificates] == list(range(1, 14)) and len(zipped) == 13
        with app.app_context():
            job = db.session.get(bulk.BulkJob, job_id)
            assert (job.state, job.done, job.failed) == ("finished", 13, 0)
            # the stored PDF is the one whose hash the register keeps, and it names its own number
            sample = certificates[6]
            assert services.sha256(services.certificate_pdf(sample)) == sample.pdf_sha256


def test_bulk_job_on_rq_with_real_redis(tmp_path):
    redis_url = os.environ.get("TEST_REDIS_URL")
    if not redis_url:
        pytest.skip("TEST_REDIS_URL is not set (CI uses redis://127.0.0.1:6379/15)")
    from redis import Redis
    from rq import Queue, SimpleWorker

    from elearn.core.jobs import enqueue

    with separate_app(tmp_path, "rq", REDIS_URL=redis_url, RQ_QUEUE=f"elearn-test-{os.getpid()}") as app:
        with app.app_context():
            user_ids = make_graduates(6)
        job_id = create_job(app, user_ids)
        connection = Redis.from_url(redis_url)
        queue = Queue(app.config["RQ_QUEUE"], connection=connection)
        queue.empty()
        with app.app_context():
            rq_id = enqueue("elearn.certificates.bulk.run_bulk_job", job_id)
            assert rq_id
            assert seqs(app) == []  # queued, not run inline
            SimpleWorker([queue], connection=connection).work(burst=True)
        assert queue.fetch_job(rq_id).get_status() == "finished"
        assert seqs(app) == list(range(1, 7))
        with app.app_context():
            assert db.session.get(bulk.BulkJob, job_id).state == "finished"
        queue.delete(delete_jobs=True)


def test_demo_graduate_completed_through_course_services_is_eligible(tmp_path):
    from elearn.certificates.demo import GRADUATE_EMAIL, create_graduate

    with separate_app(tmp_path, "demo") as app, app.app_context():
        user = create_graduate(db.session, password="Demo-haslo-2026", institution_id=None)
        create_graduate(db.session, password="Demo-haslo-2026", institution_id=None)  # idempotent
        db.session.commit()
        queue = services.issuer_queue(db.session)
        assert {(e.user.email, e.course.slug) for e in queue} >= {(GRADUATE_EMAIL, ANIMATOR), (GRADUATE_EMAIL, "wprowadzenie-do-osl")}
        entry = next(e for e in queue if e.course.slug == ANIMATOR)
        assert entry.competences  # evidence recorded by the competencies domain on module completion
        assert user.email == GRADUATE_EMAIL
