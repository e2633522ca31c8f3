"""0005 keeps existing people where they were: accepted members, confirmed, each with their own session token."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from elearn.extensions import db
from tests.helpers import make_test_app


@pytest.mark.no_db_transaction
def test_existing_users_become_accepted_confirmed_members(tmp_path):
    from flask_migrate import downgrade, upgrade

    scratch = make_test_app(f"sqlite:///{tmp_path / 'm.sqlite3'}", tmp_path)
    with scratch.app_context():
        upgrade(revision="0004_certificates")
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO territorial_units (id, code, level, name, kind) VALUES (1, '0415042', 'gmina', 'Lubicz', 'gmina wiejska')"
                )
            )
            conn.execute(text(
                "INSERT INTO institutions (id, name, type, served_area_id, active, created_at, updated_at) "
                "VALUES (7, 'GOPS Lubicz', 'OPS', 1, 1, '2026-01-01', '2026-01-01')"
            ))  # fmt: skip
            for user_id, institution in ((1, 7), (2, None)):
                conn.execute(
                    text(
                        "INSERT INTO users (id, email, full_name, password_hash, institution_id, active, created_at, password_changed_at) "
                        "VALUES (:id, :email, 'Osoba Istniejąca', 'x', :inst, 1, '2026-02-03 04:05:06', '2026-02-03')"
                    ),
                    {"id": user_id, "email": f"u{user_id}@example.org", "inst": institution},
                )
                conn.execute(
                    text("INSERT INTO user_roles (user_id, role, granted_at) VALUES (:id, 'learner', '2026-02-03')"), {"id": user_id}
                )
        upgrade()
        with db.engine.connect() as conn:
            rows = conn.execute(text("SELECT user_id, institution_id, status FROM institution_memberships")).all()
            users = conn.execute(text("SELECT id, email_confirmed_at, session_token FROM users ORDER BY id")).all()
        assert rows == [(1, 7, "accepted")]
        assert all(confirmed is not None for _, confirmed, _ in users)
        assert len({token for _, _, token in users}) == 2 and all(token for _, _, token in users)
        with db.engine.connect() as conn:  # nothing that references users was lost on the way
            assert conn.execute(text("SELECT count(*) FROM user_roles")).scalar() == 2
        downgrade(revision="0004_certificates")
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM user_roles")).scalar() == 2
        db.engine.dispose()
