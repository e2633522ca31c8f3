"""0008 recomputes stored levels under the new rule and keeps every evidence row with its recorded level."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from elearn.extensions import db
from tests.helpers import make_test_app

INSERT_EVIDENCE = "INSERT INTO comp_evidence (user_id, framework_key, framework_version, competence_code, level, source, recorded_at) "
EVIDENCE = [  # (user, code, level, source): what the old rule stored as the maximum
    (1, "ANI.1.2", 2, "module_completed"),  # old: 2 from reading → now 1
    (1, "ANI.1.1", 1, "quiz_passed"),
    (1, "MED.1.1", 3, "trainer_assessment"),  # old: 3 from one assessment → now 2 (no practice behind it)
    (2, "POL.1.1", 2, "trainer_assessment"),  # unchanged: assessed practice
    (2, "WSP.1.1", 2, "self_assessment"),  # never confirmed, no stored row
]


@pytest.mark.no_db_transaction
def test_stored_levels_are_recomputed_and_evidence_kept(tmp_path):
    from flask_migrate import downgrade, upgrade

    scratch = make_test_app(f"sqlite:///{tmp_path / 'm.sqlite3'}", tmp_path)
    with scratch.app_context():
        upgrade(revision="0006_notifications")
        with db.engine.begin() as conn:
            for user_id in (1, 2):
                conn.execute(
                    text(
                        "INSERT INTO users (id, email, full_name, password_hash, active, created_at, password_changed_at, session_token) "
                        "VALUES (:id, :email, 'Osoba', 'x', 1, '2026-02-03', '2026-02-03', :token)"
                    ),
                    {"id": user_id, "email": f"u{user_id}@example.org", "token": f"t{user_id}"},
                )
            for user_id, code, level, source in EVIDENCE:
                conn.execute(
                    text(INSERT_EVIDENCE + "VALUES (:u, 'osl', '1.1', :c, :l, :s, '2026-03-01')"),
                    {"u": user_id, "c": code, "l": level, "s": source},
                )
            for user_id, code, level in ((1, "ANI.1.2", 2), (1, "ANI.1.1", 1), (1, "MED.1.1", 3), (2, "POL.1.1", 2)):
                conn.execute(
                    text("INSERT INTO comp_levels (user_id, code, level, updated_at) VALUES (:u, :c, :l, '2026-03-01')"),
                    {"u": user_id, "c": code, "l": level},
                )
        upgrade()
        with db.engine.connect() as conn:
            levels = set(conn.execute(text("SELECT user_id, code, level FROM comp_levels")).all())
            kept = conn.execute(text("SELECT user_id, competence_code, level, source FROM comp_evidence ORDER BY id")).all()
        assert levels == {(1, "ANI.1.2", 1), (1, "ANI.1.1", 1), (1, "MED.1.1", 2), (2, "POL.1.1", 2)}
        assert [tuple(row) for row in kept] == EVIDENCE
        with db.engine.begin() as conn:  # the new sources are accepted
            conn.execute(text(INSERT_EVIDENCE + "VALUES (1, 'osl', '1.1', 'ANI.1.2', 2, 'assignment', '2026-03-02')"))
        downgrade(revision="0006_notifications")
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM comp_evidence")).scalar() == len(EVIDENCE)
        db.engine.dispose()
