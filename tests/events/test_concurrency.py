"""Capacity holds when many people register at once: threads (SQLite and PostgreSQL) and processes.

Committed data seen by several connections, so each test uses a database of its own (see certificates' helpers)."""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from elearn.accounts import services as accounts
from elearn.accounts.models import User
from elearn.events.models import REGISTERED, WAITLISTED, Registration
from elearn.events.services import registration as places
from elearn.extensions import db
from tests.certificates.helpers import separate_app

from .helpers import make_event

pytestmark = pytest.mark.no_db_transaction
CAPACITY = 5


def setup_event(app, people: int) -> tuple[int, list[int]]:
    with app.app_context():
        event = make_event(capacity=CAPACITY)
        ids = []
        for n in range(people):
            user = accounts.create_user(
                db.session, email=f"rush{n}@example.org", full_name=f"Osoba {n}", password="Haslo-testowe-123", roles=("learner",)
            )
            ids.append(user.id)
        db.session.commit()
        return event.id, ids


def register_all(app, event_id: int, user_ids: list[int], errors: list) -> None:
    with app.app_context():
        for user_id in user_ids:
            try:
                places.register(db.session, event_id, db.session.get(User, user_id))
                db.session.commit()
            except Exception as error:  # collected and asserted on by the test
                db.session.rollback()
                errors.append(error)
        db.session.remove()


def counts(app, event_id: int) -> dict[str, int]:
    with app.app_context():
        rows = db.session.execute(
            select(Registration.status, func.count()).where(Registration.event_id == event_id).group_by(Registration.status)
        ).all()
        return dict(rows)


def test_threads_registering_at_once_never_exceed_capacity(tmp_path):
    with separate_app(tmp_path, "ev_threads") as app:
        event_id, user_ids = setup_event(app, 24)
        errors: list = []
        threads = [threading.Thread(target=register_all, args=(app, event_id, user_ids[i::6], errors)) for i in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert counts(app, event_id) == {REGISTERED: CAPACITY, WAITLISTED: 24 - CAPACITY}


def _process_register(url: str, instance: str, event_id: int, user_ids: list[int]) -> int:
    from tests.conftest import make_test_app

    app = make_test_app(url, Path(instance))
    errors: list = []
    register_all(app, event_id, user_ids, errors)
    with app.app_context():
        db.engine.dispose()
    return len(errors)


def test_processes_registering_at_once_never_exceed_capacity(tmp_path):
    with separate_app(tmp_path, "ev_procs") as app:
        event_id, user_ids = setup_event(app, 16)
        with app.app_context():
            url = db.engine.url.render_as_string(hide_password=False)
        context = multiprocessing.get_context("spawn")
        with context.Pool(4) as pool:
            failures = pool.starmap(
                _process_register, [(url, str(tmp_path / "instance-ev_procs"), event_id, user_ids[i::4]) for i in range(4)]
            )
        assert failures == [0, 0, 0, 0]
        assert counts(app, event_id) == {REGISTERED: CAPACITY, WAITLISTED: 16 - CAPACITY}


def test_cancellations_racing_registrations_keep_capacity(tmp_path):
    """Half the holders cancel while others register: promotion and registration share the event lock."""
    with separate_app(tmp_path, "ev_mixed") as app:
        event_id, user_ids = setup_event(app, 20)
        register_all(app, event_id, user_ids[:10], [])

        def cancel_some(ids, errors):
            with app.app_context():
                for user_id in ids:
                    try:
                        registration = places.registration_of(db.session, event_id, user_id)
                        places.cancel(db.session, registration, actor=db.session.get(User, user_id))
                        db.session.commit()
                    except Exception as error:  # collected and asserted on by the test
                        db.session.rollback()
                        errors.append(error)
                db.session.remove()

        errors: list = []
        threads = [
            threading.Thread(target=cancel_some, args=(user_ids[:3], errors)),
            threading.Thread(target=register_all, args=(app, event_id, user_ids[10:15], errors)),
            threading.Thread(target=register_all, args=(app, event_id, user_ids[15:], errors)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        result = counts(app, event_id)
        assert result[REGISTERED] == CAPACITY
        assert result[WAITLISTED] == 20 - 3 - CAPACITY
