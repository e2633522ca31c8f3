"""Development demo data: upcoming events in several powiats (one full, with a waiting list), a webinar, and a past
workshop with attendance, trainer assessments and issued certificates — all made through the domain's own services."""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..accounts import services as accounts
from ..accounts.models import User
from ..core.roles import LEARNER
from ..core.timeutil import utcnow
from ..directory.models import GMINA, TerritorialUnit
from .models import Event
from .services import assessment, attendance
from .services import events as scheduling
from .services import registration as places
from .services.certificates import issue_for_completed

ORGANISER_EMAIL, TRAINER_EMAIL, LEARNER_EMAIL = "rops@example.org", "trener@example.org", "pracownik@example.org"
PARTICIPANTS = [(f"uczestnik{n}@example.org", name) for n, name in enumerate(
    ("Ewa Malinowska", "Marek Lewandowski", "Joanna Dąbrowska", "Paweł Kamiński", "Agnieszka Wróbel"), start=1
)]  # fmt: skip
DESCRIPTION = (
    "Warsztat dla pracowników socjalnych i asystentów rodziny.\n\n"
    "Uczestnicy ćwiczą **rozmowę motywującą** i planowanie pracy z rodziną na studiach przypadków."
)
PROGRAMME = "1. Wprowadzenie i kontrakt grupowy\n2. Studium przypadku\n3. Ćwiczenia w parach\n4. Podsumowanie"


def _gminas_in_different_powiats(session: Session, count: int) -> list[TerritorialUnit]:
    result, seen = [], set()
    for unit in session.scalars(select(TerritorialUnit).where(TerritorialUnit.level == GMINA).order_by(TerritorialUnit.code)):
        if unit.parent_id not in seen and unit.kind.startswith(("gmina miejska", "miasto")):
            seen.add(unit.parent_id)
            result.append(unit)
        if len(result) == count:
            break
    return result


def _event(
    session, organiser, trainer, title, type_, sessions, *, capacity=20, gmina=None, city=None, online_url=None, days_open=-10, **extra
):
    now = utcnow()
    data = {
        "title": title,
        "type": type_,
        "description": DESCRIPTION,
        "programme": PROGRAMME,
        "place_name": "Sala szkoleniowa" if city else None,
        "street": "ul. Szkolna 1" if city else None,
        "postal_code": None,
        "city": city,
        "gmina_id": gmina.id if gmina else None,
        "online_url": online_url,
        "capacity": capacity,
        "registration_opens_at": now + timedelta(days=days_open),
        "registration_closes_at": now + timedelta(days=60),
        "cancellation_deadline": now + timedelta(days=5),
        "target_roles": ["wspolne"],
        "target_institution_types": ["OPS", "PCPR"],
        **extra,
    }
    times = [scheduling.SessionTimes(*s) for s in sessions]
    return scheduling.create_event(session, data, times, [trainer.id] if trainer else [], actor_id=organiser.id)


def create_demo_events(session: Session, *, password: str, institution_id: int | None) -> int:
    """Idempotent: does nothing when any event exists. Returns the number of events created."""
    if session.scalar(select(func.count()).select_from(Event)):
        return 0
    organiser = session.scalar(select(User).where(User.email == ORGANISER_EMAIL))
    trainer = session.scalar(select(User).where(User.email == TRAINER_EMAIL))
    learner = session.scalar(select(User).where(User.email == LEARNER_EMAIL))
    if organiser is None:
        return 0
    people = []
    for email, name in PARTICIPANTS:
        user = accounts.find_user_by_email(session, email) or accounts.create_user(
            session, email=email, full_name=name, password=password, roles=(LEARNER,), institution_id=institution_id,
            job_title="pracownik socjalny",
        )  # fmt: skip
        people.append(user)
    if learner is not None:
        people.insert(0, learner)
    today = date.today()
    places_ = _gminas_in_different_powiats(session, 3)
    created = []
    for offset, unit in zip((12, 26, 40), places_, strict=False):
        day = today + timedelta(days=offset)
        created.append(
            _event(
                session, organiser, trainer, f"Praca z rodziną w kryzysie – {unit.name}", "warsztat",
                [(day, time(9), time(15)), (day + timedelta(days=1), time(9), time(13))],
                gmina=unit, city=unit.name, capacity=3 if offset == 12 else 20,
            )
        )  # fmt: skip
    full = created[0]
    for person in people[1:]:
        places.register(session, full.id, person, actor=organiser)  # three places, two on the waiting list
    created.append(
        _event(
            session, organiser, trainer, "Webinarium: ochrona danych w pomocy społecznej", "webinarium",
            [(today + timedelta(days=9), time(10), time(12))], online_url="https://spotkania.example.org/rodo",
        )
    )  # fmt: skip
    past_day = today - timedelta(days=14)
    past = _event(
        session, organiser, trainer, "Warsztat: diagnoza potrzeb społeczności lokalnej", "warsztat",
        [(past_day, time(9), time(15)), (past_day + timedelta(days=1), time(9), time(13))],
        gmina=places_[0] if places_ else None, city=places_[0].name if places_ else "Toruń", days_open=-40,
        competence_codes=["WSP.1.1", "WSP.1.2"], assessment_level=2,
    )  # fmt: skip
    regs = [places.register(session, past.id, person, actor=organiser) for person in people[:4]]
    first, second = past.sessions
    attendance.set_attendance(
        session,
        past,
        {first.id: {r.id for r in regs}, second.id: {r.id for r in regs[:3]}},
        actor_id=trainer.id if trainer else organiser.id,
    )
    if trainer is not None:
        assessment.assess(session, past, {(r.user_id, "WSP.1.1") for r in regs[:3]} | {(regs[0].user_id, "WSP.1.2")}, trainer_id=trainer.id)
    issue_for_completed(session, past, issued_by_id=organiser.id)
    created.append(past)
    return len(created)
