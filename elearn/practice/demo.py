"""Development demo data: assessed assignments for the demo graduate and a submission waiting for the demo trainer.

Everything goes through the practice services (hand in → review), so evidence, levels and notifications are
recorded exactly as in the browser. Idempotent: an assignment already handed in is left alone.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy.orm import Session

from ..accounts import services as accounts
from ..core.roles import LEARNER
from ..courses.services import learning
from . import services
from .models import PASSED

TRAINER_EMAIL = "trener@example.org"
GRADUATE_EMAIL = "absolwent@example.org"  # created by the certificates demo step (completed intro + animator)
WAITING_EMAIL = "uczestniczka@example.org"  # her own account: other demos enrol pracownik@ themselves
WAITING_NAME = "Joanna Lewandowska"

PASSED_WORK = (  # (course, module, assignment, answer): assessed "zaliczone" at level 2
    (
        "wprowadzenie-do-osl",
        "czym-jest-osl",
        "praca-na-mapie-osl",
        "Klub sąsiedzki w świetlicy: na początku mieszkańcy byli informowani o programie (szczebel informowania), po roku "
        "sami układali plan spotkań i prowadzili dwa z nich (współdecydowanie). Następnym razem zaprosimy mieszkańców "
        "do wyboru tematów przed startem i oddamy im budżet na poczęstunek.",
    ),
    (
        "wprowadzenie-do-osl",
        "ramy-prawne-i-instytucjonalne",
        "instrument-do-pomyslu",
        "Plac zabaw: inicjatywa lokalna (uchwała gminy z 2021 r. jest w BIP). Klub seniora: zlecenie w rocznym programie "
        "współpracy. Pierwsze kroki mieszkańców: wniosek, deklaracja pracy własnej, spotkanie z wójtem; wspieram ich "
        "w napisaniu wniosku.",
    ),
    (
        "animator-spolecznosci-lokalnej",
        "aktywizacja-i-liderzy",
        "zaproszenie-nieobecnych",
        "Grupa: ojcowie pracujący na zmiany. Bariery: pora spotkań, poczucie, że to „sprawa matek”, brak informacji. "
        "Zmiany: sobota rano, konkretne zadanie przy budowie ławek, zaproszenie przez trenera lokalnego klubu piłkarskiego.",
    ),
    (
        "animator-spolecznosci-lokalnej",
        "grupy-i-samoorganizacja",
        "dobierz-narzedzie",
        "Ogród społeczny: inicjatywa lokalna z pracą własną mieszkańców i wkładem gminy. Świetlica: grupa nieformalna "
        "z małym grantem. Grupa jest gotowa, gdy sama zwołuje spotkania i dzieli zadania bez mojej obecności.",
    ),
)
WAITING_WORK = (
    "wprowadzenie-do-osl", "etyka-rozwoj-i-ochrona-danych", "dylemat-i-superwizja",
    "Dylemat: mieszkanka prosi, żebym nie mówiła sąsiadom, że korzysta z pomocy ośrodka, a jednocześnie chce "
    "współprowadzić klub sąsiedzki. Analiza według ośmiu kroków i pytanie do superwizji: jak rozdzielić te role?",
)  # fmt: skip


def _hand_in(session: Session, user, slug: str, module_key: str, key: str, text: str):
    ref = services.find_assignment(session, slug, module_key, key)
    if ref is None or services.submission_for(session, user.id, ref) is not None:
        return None
    if learning.get_enrolment(session, user.id, ref.course.id) is None:
        learning.enrol(session, user.id, ref.course, ref.version)
    return services.save_work(session, user=user, ref=ref, text=text, files=[], instance_path=current_app.instance_path, submit=True), ref


def create_practice_demo(session: Session) -> tuple[int, bool]:
    """(assignments passed for the graduate, whether a submission now waits for the trainer); idempotent."""
    trainer = accounts.find_user_by_email(session, TRAINER_EMAIL)
    graduate = accounts.find_user_by_email(session, GRADUATE_EMAIL)
    waiting = accounts.find_user_by_email(session, WAITING_EMAIL) or accounts.create_user(
        session, email=WAITING_EMAIL, full_name=WAITING_NAME, password=current_app.config["DEMO_PASSWORD"], roles=(LEARNER,),
        institution_id=graduate.institution_id if graduate else None, job_title="asystentka rodziny",
    )  # fmt: skip
    passed = 0
    if trainer is not None and graduate is not None:
        for slug, module_key, key, text in PASSED_WORK:
            handed = _hand_in(session, graduate, slug, module_key, key, text)
            if handed is None:
                continue
            submission, ref = handed
            met = [True] * len(services.rubric(session, ref))
            feedback = "Konkretna, dobrze uzasadniona praca osadzona w realiach gminy. Zaliczam."
            services.review(session, trainer=trainer, submission=submission, met=met, decision=PASSED, feedback=feedback)
            passed += 1
    _hand_in(session, waiting, *WAITING_WORK)
    session.flush()
    return passed, waiting is not None
