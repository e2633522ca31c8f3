"""Development demo data: advisory cases in every state from two demo institutions (GOPS Lubicz through its
coordinator and a worker, PCPR in Brodnica through its coordinator), answered by the ROPS advisor, with a meeting,
a closed case with its time spent and a knowledge-base candidate, and two answer templates — all through services."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..accounts import services as accounts
from ..accounts.models import User
from ..core.roles import COORDINATOR, LEARNER
from ..core.timeutil import utcnow
from ..directory.models import Institution, TerritorialUnit
from .models import AdvisoryCase, AnswerTemplate
from .services import candidates, cases, meetings
from .services import templates as answer_templates

ADVISOR_EMAIL, COORDINATOR_EMAIL, WORKER_EMAIL = "rops@example.org", "koordynator@example.org", "pracownik@example.org"
PCPR_COORDINATOR = ("pcpr.brodnica@example.org", "Magdalena Szymańska")

TEMPLATES = (
    (
        "Diagnoza do strategii – źródła danych",
        "srps",
        "Diagnozę do strategii rozwiązywania problemów społecznych warto oprzeć na:\n\n"
        "- ocenie zasobów pomocy społecznej (OZPS) za ostatnie trzy lata,\n"
        "- sprawozdaniach MRPiPS-03 i danych Banku Danych Lokalnych GUS,\n"
        "- badaniu ankietowym mieszkańców i rozmowach z organizacjami pozarządowymi.\n\n"
        "Chętnie omówimy zakres na spotkaniu konsultacyjnym.",
    ),
    (
        "LPDI – od czego zacząć",
        "lpdi",
        "Lokalny plan deinstytucjonalizacji zaczyna się od mapy usług środowiskowych w gminie i listy osób, które "
        "dziś korzystają z opieki instytucjonalnej. Prosimy o przesłanie obecnego wykazu usług; odpowiemy uwagami.",
    ),
)

CUS_ANSWER = (
    "Zgodnie z ustawą o realizowaniu usług społecznych przez centrum usług społecznych CUS tworzy gmina "
    "(przekształcając OPS albo jako nową jednostkę). Powiat nie jest organizatorem, ale może na podstawie porozumienia "
    "powierzyć centrum realizację części swoich zadań. Proponujemy rozmowę telefoniczną o podziale zadań."
)

DEMO_CASES = (
    # (requester e-mail, subject, topic, form, urgency, description, what happens next)
    (
        WORKER_EMAIL,
        "Ekonomia społeczna w usługach opiekuńczych",
        "ekonomia",
        "email",
        "zwykla",
        "Rozważamy zlecenie usług opiekuńczych spółdzielni socjalnej. Czy możemy to zrobić w trybie "
        "art. 25 ustawy o pomocy społecznej i jakie dokumenty przygotować?",
        "new",
    ),
    (
        COORDINATOR_EMAIL,
        "Harmonogram lokalnego planu deinstytucjonalizacji",
        "lpdi",
        "online",
        "pilna",
        "Rada gminy oczekuje projektu LPDI do końca kwartału. Prosimy o konsultację harmonogramu prac i składu zespołu.",
        "assigned",
    ),
    (
        COORDINATOR_EMAIL,
        "Diagnoza do strategii rozwiązywania problemów społecznych",
        "srps",
        "spotkanie",
        "zwykla",
        "Zaczynamy prace nad **SRPS na lata 2027–2035**. Jakie dane zebrać do diagnozy i kogo zaprosić do zespołu?",
        "meeting",
    ),
    (
        PCPR_COORDINATOR[0],
        "Przekształcenie w centrum usług społecznych",
        "cus",
        "telefon",
        "zwykla",
        "Starostwo rozważa utworzenie CUS we współpracy z gminą miejską Brodnica. Kto jest organizatorem i jak "
        "podzielić zadania? Proszę dzwonić: 56 498 22 10.",
        "closed",
    ),
)


def _user(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.email) == email))


def _pcpr_coordinator(session: Session, password: str) -> User | None:
    found = _user(session, PCPR_COORDINATOR[0])
    if found is not None:
        return found
    powiat = session.scalar(select(TerritorialUnit).where(TerritorialUnit.code == "0402"))
    place = (
        session.scalar(select(Institution).where(Institution.served_area_id == powiat.id, Institution.type == "PCPR")) if powiat else None
    )
    if place is None:
        return None
    return accounts.create_user(
        session, email=PCPR_COORDINATOR[0], full_name=PCPR_COORDINATOR[1], password=password, roles=(COORDINATOR, LEARNER),
        institution_id=place.id, job_title="kierowniczka działu pieczy zastępczej",
    )  # fmt: skip


def _advance(session: Session, case: AdvisoryCase, stage: str, advisor: User, template: AnswerTemplate | None) -> None:
    path = current_app.instance_path
    if stage == "new":
        return
    cases.assign(session, case, advisor_id=advisor.id, actor=advisor)
    if stage == "assigned":
        return
    body = template.body if template else CUS_ANSWER
    cases.add_message(session, case, author=advisor, body=body, files=[], instance_path=path)
    if stage == "meeting":
        start = (utcnow() + timedelta(days=5)).replace(hour=9, minute=0, second=0, microsecond=0)
        meetings.schedule(
            session, case, actor=advisor, starts_at=start, ends_at=start + timedelta(hours=1, minutes=30), form="spotkanie",
            location="ROPS Toruń, ul. Słowackiego 114, sala 12",
        )  # fmt: skip
        return
    cases.close(
        session, case, actor=advisor, minutes=95,
        outcome="Organizatorem CUS jest gmina; powiat może powierzyć centrum realizację swoich zadań w drodze porozumienia. "
        "Przekazano wzór porozumienia i harmonogram.",
    )  # fmt: skip
    draft = candidates.draft(session, case)
    candidates.save(session, case, actor=advisor, title=draft.title, summary=draft.summary)


def create_advisory_demo(session: Session, *, password: str) -> int:
    """Idempotent: does nothing once any advisory case exists. Returns how many cases it created."""
    advisor = _user(session, ADVISOR_EMAIL)
    if advisor is None or session.scalar(select(func.count()).select_from(AdvisoryCase)):
        return 0
    _pcpr_coordinator(session, password)
    made = {}
    for title, topic, body in TEMPLATES:
        made[topic] = answer_templates.save(session, None, title=title, topic=topic, body=body, actor_id=advisor.id)
    created = 0
    for email, subject, topic, form, urgency, description, stage in DEMO_CASES:
        requester = _user(session, email)
        if requester is None or requester.institution_id is None:
            continue
        case = cases.open_case(
            session, user=requester, subject=subject, topic=topic, description=description, preferred_form=form, urgency=urgency,
            contact_phone="56 498 22 10" if form == "telefon" else None, files=[], instance_path=current_app.instance_path,
        )  # fmt: skip
        _advance(session, case, stage, advisor, made.get(topic))
        created += 1
    return created
