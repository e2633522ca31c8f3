"""A synthetic region for development, demos and benchmarks (never production): `flask analytics synthetic`.

Deterministic for a seed: the same arguments on the same reference data (TERYT units, the competency framework, the
published courses) give the same people, institutions and numbers. Rows go in with bulk INSERTs, in batches, so a
region of tens of thousands of workers takes seconds, not the hours one service call per row would.

What it makes: institutions spread over the loaded gminas and powiats with the types a region has (mostly social
assistance centres, then nursing homes, PCPRs, social services centres…); workers with Polish names, an optional sex
answer and an optional year of birth, an accepted membership and the learner role; competence evidence (assessed and
self-assessed) with the stored levels derived from it by the competencies domain's own rule, so the needs analysis
reads exactly what the platform would have computed; course enrolments (some completed), valid and revoked
certificates, module completions and quiz attempts (a completion funnel, questions of varying difficulty), and past
events with attended registrations.
Everything is recognisable: e-mails end in @synthetic.example.org and certificate numbers start with SYN.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from ...accounts.models import ACCEPTED, InstitutionMembership, User, UserRole
from ...certificates.models import REVOKED, VALID, Certificate
from ...competencies import rule
from ...competencies.models import CompetenceLevel, Evidence
from ...competencies.services import level_counts
from ...competencies.services.framework import current_framework
from ...core.roles import LEARNER
from ...core.timeutil import utcnow
from ...courses.models import Course, Enrolment, ModuleCompletion, QuizAttempt
from ...courses.services.learning import published_modules
from ...directory.models import GMINA, POWIAT, Institution, TerritorialUnit
from ...events.models import REGISTERED, SCHEDULED, Attendance, Event, EventSession, Registration
from .needs import Scope, required_levels

DOMAIN = "synthetic.example.org"
BATCH = 5000
# Institution types and how often a region has them, with the level of unit each serves.
TYPES = (("OPS", 55, GMINA), ("DPS", 12, POWIAT), ("PCPR", 8, POWIAT), ("CUS", 8, GMINA), ("SDS", 9, POWIAT), ("NGO", 8, GMINA))
WOMEN = ("Anna", "Maria", "Katarzyna", "Małgorzata", "Agnieszka", "Barbara", "Ewa", "Joanna", "Magdalena", "Monika", "Beata", "Dorota")
MEN = ("Piotr", "Krzysztof", "Tomasz", "Andrzej", "Paweł", "Marcin", "Michał", "Jan", "Grzegorz", "Łukasz", "Adam", "Marek")
SURNAMES = (
    "Nowak",
    "Wójcik",
    "Kowalczyk",
    "Woźniak",
    "Mazur",
    "Krawczyk",
    "Kaczmarek",
    "Zając",
    "Król",
    "Wieczorek",
    "Jabłoński",
    "Majewski",
)


class SyntheticError(RuntimeError):
    pass


@dataclass
class Generated:
    institutions: int = 0
    workers: int = 0
    evidence: int = 0
    levels: int = 0
    enrolments: int = 0
    certificates: int = 0
    events: int = 0
    attended: int = 0
    quiz_attempts: int = 0


def _chunks(rows: list[dict]):
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]


def _bulk(session: Session, model, rows: list[dict]) -> None:
    for chunk in _chunks(rows):
        session.execute(insert(model), chunk)


def _surname(rng: random.Random, female: bool) -> str:
    name = rng.choice(SURNAMES)
    if female and name.endswith("ski"):
        return name[:-1] + "a"
    return name


def _institutions(session: Session, rng: random.Random, count: int, seed: int) -> list[tuple[int, str]]:
    units = {
        level: list(session.scalars(select(TerritorialUnit.id).where(TerritorialUnit.level == level).order_by(TerritorialUnit.code)))
        for level in (GMINA, POWIAT)
    }
    if not units[GMINA] or not units[POWIAT]:
        raise SyntheticError("no TERYT units are loaded: run `flask setup` first")
    weights = [w for _t, w, _l in TYPES]
    rows = []
    for n in range(count):
        type_, _w, level = rng.choices(TYPES, weights)[0]
        rows.append({"name": f"Instytucja syntetyczna {seed}-{n:05d} ({type_})", "type": type_, "served_area_id": rng.choice(units[level])})
    _bulk(session, Institution, rows)
    prefix = f"Instytucja syntetyczna {seed}-"
    return [tuple(r) for r in session.execute(select(Institution.id, Institution.type).where(Institution.name.startswith(prefix)))]


def _birth_year(rng: random.Random, year: int) -> int | None:
    """A working adult's year of birth, ages 22 to 66 weighted to the middle (as in a social services workforce);
    about one in six left empty, as an optional field is."""
    if rng.random() < 0.16:
        return None
    return year - min(66, max(22, round(rng.gauss(44, 10))))


def _workers(session: Session, rng: random.Random, count: int, institutions: list, seed: int) -> tuple[list[int], dict[int, int]]:
    now = utcnow()
    # Years of birth from their own stream, so adding them left every other generated value as it was.
    ages = random.Random(f"birth-year-{seed}")
    rows, places = [], []
    for n in range(count):
        female = rng.random() < 0.82  # social work is mostly women's work
        first = rng.choice(WOMEN if female else MEN)
        answer = rng.random()
        sex = None if answer < 0.2 else "undisclosed" if answer < 0.27 else "female" if female else "male"
        inst_id, _type = rng.choice(institutions)
        places.append(inst_id)
        rows.append(
            {
                "email": f"s{seed}-{n:06d}@{DOMAIN}",
                "full_name": f"{first} {_surname(rng, female)}",
                "job_title": rng.choice(("pracownik socjalny", "asystent rodziny", "specjalista pracy socjalnej", "opiekun")),
                "sex": sex,
                "birth_year": _birth_year(ages, now.year),
                "password_hash": "!synthetic",  # no password can match: nobody logs in as a synthetic worker
                "institution_id": inst_id,
                "email_confirmed_at": now,
            }
        )
    _bulk(session, User, rows)
    ids = list(session.scalars(select(User.id).where(User.email.like(f"s{seed}-%@{DOMAIN}")).order_by(User.email)))
    _bulk(session, UserRole, [{"user_id": uid, "role": LEARNER} for uid in ids])
    _bulk(
        session,
        InstitutionMembership,
        [
            {"user_id": uid, "institution_id": inst, "status": ACCEPTED, "requested_at": now, "decided_at": now}
            for uid, inst in zip(ids, places, strict=True)
        ],
    )
    return ids, dict(zip(ids, places, strict=True))


def _evidence(session: Session, rng: random.Random, ids: list[int], per_worker: int, places: dict[int, int]) -> tuple[int, int]:
    """Evidence rows and the stored levels derived from them by the platform's rule (rule.level_for); the workers
    are counted into the level-count summary from the same numbers (the bulk inserts bypass its flush listener)."""
    framework = current_framework(session)
    codes = sorted(required_levels(session, Scope()))
    cell_of = level_counts.cells(session.connection(), set(places.values()))
    states = {uid: (cell_of[places[uid]], {}, {}) for uid in ids if places[uid] in cell_of}
    if framework is None or not codes:
        level_counts.add(session, states)
        return 0, 0
    now = utcnow()
    sources = (rule.TRAINER_ASSESSMENT, rule.IMPORTED, rule.QUIZ_PASSED, rule.SELF_ASSESSMENT)
    rows, levels, total = [], [], 0
    for uid in ids:
        mine: dict[str, list[tuple[str, int, None]]] = {}
        newest: dict[str, tuple] = {}  # code → (recorded_at, level) of the latest self-assessed answer
        for _ in range(per_worker):
            code, source, level = rng.choice(codes), rng.choices(sources, (3, 2, 3, 2))[0], rng.choice((1, 1, 2, 2, 3))
            recorded = now - timedelta(days=rng.randrange(700))
            mine.setdefault(code, []).append((source, level, None))
            if source == rule.SELF_ASSESSMENT and (code not in newest or recorded >= newest[code][0]):
                newest[code] = (recorded, level)  # ties: the later row (higher id) is the newest, as readers order
            rows.append(
                {
                    "user_id": uid,
                    "framework_key": framework.key,
                    "framework_version": framework.version,
                    "competence_code": code,
                    "level": level,
                    "source": source,
                    "recorded_at": recorded,
                }
            )
        for code, items in mine.items():
            derived = rule.level_for(items)
            if derived > 0:
                levels.append({"user_id": uid, "code": code, "level": derived})
                if uid in states:
                    states[uid][1][code] = derived
        if uid in states:
            states[uid][2].update({code: level for code, (_at, level) in newest.items()})
        if len(rows) >= BATCH * 4:
            _bulk(session, Evidence, rows)
            total += len(rows)
            rows.clear()
    _bulk(session, Evidence, rows)
    _bulk(session, CompetenceLevel, levels)
    level_counts.add(session, states)
    return total + len(rows), len(levels)


def _learning(session: Session, rng: random.Random, ids: list[int], seed: int) -> tuple[int, int]:
    """Course enrolments this year and last (a third completed) and a certificate for most completions (5% revoked)."""
    courses = list(session.execute(select(Course.id, Course.title, Course.published_number).where(Course.published_number > 0)))
    if not courses:
        return 0, 0
    now = utcnow()
    enrolments, certificates = [], []
    for n, uid in enumerate(ids):
        if rng.random() > 0.6:
            continue
        course_id, title, version = rng.choice(courses)
        start = now - timedelta(days=rng.randrange(20, 500))
        done = start + timedelta(days=rng.randrange(7, 90)) if rng.random() < 0.35 else None
        done = done if done is None or done < now else None
        enrolments.append(
            {
                "user_id": uid,
                "course_id": course_id,
                "enrolled_at": start,
                "completed_at": done,
                "completed_version": version if done else None,
            }
        )
        if done is not None and rng.random() < 0.8:
            code = hashlib.sha256(f"{seed}-{n}".encode()).hexdigest()[:32]
            certificates.append(
                {
                    "number": f"SYN{seed}/{done.year}/{n + 1:06d}",
                    "issuer_prefix": f"SYN{seed}",
                    "year": done.year,
                    "seq": n + 1,
                    "verification_code": code,
                    "user_id": uid,
                    "course_id": course_id,
                    "holder_name": "",
                    "course_title": title,
                    "snapshot": {},
                    "status": REVOKED if rng.random() < 0.05 else VALID,
                    "pdf_sha256": code * 2,
                    "issued_at": done + timedelta(days=1),
                }
            )
    _bulk(session, Enrolment, enrolments)
    names = dict(session.execute(select(User.id, User.full_name).where(User.id.in_([c["user_id"] for c in certificates]))).all())
    for row in certificates:
        row["holder_name"] = names.get(row["user_id"], "")
    _bulk(session, Certificate, certificates)
    return len(enrolments), len(certificates)


def _answer(rng: random.Random, question, difficulty: float) -> list[int]:
    """The right options with the question's probability, else one wrong option — later distractors more often."""
    right = [o.position for o in question.options if o.correct]
    wrong = [o.position for o in question.options if not o.correct]
    if rng.random() < difficulty or not wrong:
        return right
    return [rng.choices(wrong, weights=[3**i for i in range(len(wrong))])[0]]


def _course_activity(session: Session, rng: random.Random, ids: list[int]) -> int:
    """Module completions (all modules for a completed course, the first few otherwise: a funnel) and a passed quiz
    attempt per completed module on the latest version; each question has its own difficulty and wrong answers lean
    towards one distractor, so the item analysis has easy and hard questions and distractors nobody picks."""
    modules: dict[int, list] = {}
    for course, version, module in published_modules(session):
        modules.setdefault(course.id, []).append((version.number, module))
    difficulty = {q.id: rng.uniform(0.45, 0.98) for mods in modules.values() for _v, m in mods for q in m.questions}
    rows = session.execute(
        select(Enrolment.user_id, Enrolment.course_id, Enrolment.enrolled_at, Enrolment.completed_at)
        .where(Enrolment.user_id.in_(ids))
        .order_by(Enrolment.id)
    ).all()
    completions, attempts = [], []
    for uid, course_id, start, done in rows:
        mods = modules.get(course_id, [])
        reached = len(mods) if done else rng.randrange(len(mods)) if mods else 0
        for number, module in mods[:reached]:
            at = start + timedelta(days=rng.randrange(1, 30))
            where = {"user_id": uid, "course_id": course_id, "module_key": module.key, "version_number": number}
            completions.append({**where, "completed_at": at})
            if not module.questions:
                continue
            answers = {str(q.position): _answer(rng, q, difficulty[q.id]) for q in module.questions}
            right_ones = sum(answers[str(q.position)] == [o.position for o in q.options if o.correct] for q in module.questions)
            score = round(100 * right_ones / len(module.questions))
            attempts.append({**where, "answers": answers, "score": score, "passed": score >= module.quiz_pass, "at": at})
    _bulk(session, ModuleCompletion, completions)
    _bulk(session, QuizAttempt, attempts)
    return len(attempts)


def _events(session: Session, rng: random.Random, ids: list[int], seed: int) -> tuple[int, int]:
    """Past workshops of 25 places, a quarter of the workers registered at one, four in five of those present."""
    now = utcnow()
    count = max(1, len(ids) // 100)
    created = []
    for n in range(count):
        starts = now - timedelta(days=rng.randrange(10, 400))
        event = Event(
            title=f"Warsztat syntetyczny {seed}-{n:04d}: praca ze społecznością lokalną",
            type="warsztat",
            status=SCHEDULED,
            capacity=25,
            registration_opens_at=starts - timedelta(days=30),
            registration_closes_at=starts - timedelta(days=2),
            cancellation_deadline=starts - timedelta(days=3),
            starts_at=starts,
        )
        event.sessions = [EventSession(starts_at=starts, ends_at=starts + timedelta(hours=6))]
        created.append(event)
    session.add_all(created)
    session.flush()
    people = rng.sample(ids, min(len(ids), count * 25))
    regs = [
        {"event_id": created[i // 25].id, "user_id": uid, "status": REGISTERED, "created_at": created[i // 25].registration_opens_at}
        for i, uid in enumerate(people)
    ]
    _bulk(session, Registration, regs)
    event_ids = [e.id for e in created]
    found = session.execute(select(Registration.id, Registration.event_id).where(Registration.event_id.in_(event_ids))).all()
    session_of = {e.id: e.sessions[0].id for e in created}
    present = [{"registration_id": rid, "session_id": session_of[eid]} for rid, eid in found if rng.random() < 0.8]
    _bulk(session, Attendance, present)
    return count, len(present)


def generate(session: Session, *, workers: int, institutions: int, seed: int, evidence_per_worker: int = 8) -> Generated:
    """Add a synthetic region to the database (the caller commits); refuses a seed already generated."""
    if workers < 1 or institutions < 1:
        raise SyntheticError("--workers and --institutions must be at least 1")
    if session.scalar(select(User.id).where(User.email.like(f"s{seed}-%@{DOMAIN}")).limit(1)) is not None:
        raise SyntheticError(f"a synthetic region with seed {seed} already exists")
    rng = random.Random(seed)
    out = Generated()
    places = _institutions(session, rng, institutions, seed)
    out.institutions = len(places)
    ids, members = _workers(session, rng, workers, places, seed)
    out.workers = len(ids)
    out.evidence, out.levels = _evidence(session, rng, ids, evidence_per_worker, members)
    out.enrolments, out.certificates = _learning(session, rng, ids, seed)
    out.events, out.attended = _events(session, rng, ids, seed)
    out.quiz_attempts = _course_activity(session, random.Random(seed * 7919 + 1), ids)  # its own stream: earlier rows stay
    session.flush()
    return out
