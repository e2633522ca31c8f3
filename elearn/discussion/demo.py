"""Reference forums (created by `flask setup`) and development demo data: a lively lesson thread with the trainer's
answer marked, a course thread, two forum threads (one reply reported), and a direct conversation — all made
through the domain's own services, so subscriptions, notifications and the search index are filled as in use."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..accounts import services as accounts
from ..accounts.models import User
from ..core.notifications import Notification, mark_read
from ..courses.services import learning
from .models import Forum, Thread
from .services import messages, moderation, posting
from .services.posting import Place

FORUMS = (
    (
        "srps-w-praktyce",
        "SRPS w praktyce",
        "Strategie rozwiązywania problemów społecznych gminy i powiatu: diagnoza, konsultacje, monitoring, "
        "współpraca z radą. Dzielimy się tym, co zadziałało, i tym, co nie zadziałało.",
    ),
    (
        "animacja-w-malej-gminie",
        "Animacja w małej gminie",
        "Organizowanie społeczności lokalnej tam, gdzie wszyscy się znają: sołectwa, koła gospodyń, świetlice, "
        "pierwsze grupy samopomocowe.",
    ),
    (
        "lpdi-i-cus",
        "LPDI i centra usług społecznych",
        "Lokalny plan działań integracyjnych, programy usług społecznych, przekształcanie OPS w CUS.",
    ),
)
COURSE = "wprowadzenie-do-osl"


def load_forums(session: Session) -> int:
    """Create the reference forums that do not exist yet (by slug); returns how many were created."""
    taken = set(session.scalars(select(Forum.slug)))
    created = 0
    for position, (slug, title, description) in enumerate(FORUMS, start=1):
        if slug not in taken:
            session.add(Forum(slug=slug, title=title, description=description, position=position))
            created += 1
    session.flush()
    return created


def _user(session: Session, email: str) -> User | None:
    return accounts.find_user_by_email(session, email)


def _enrolled(session: Session, user: User, slug: str) -> None:
    found = learning.published_course(session, slug)
    if found and learning.get_enrolment(session, user.id, found[0].id) is None:
        learning.enrol(session, user.id, *found)


def _lesson_threads(session: Session, instance_path: str, people: dict[str, User]) -> None:
    course, version = learning.published_course(session, COURSE)
    lesson = version_lesson(session, version)
    joanna, trainer, graduate = people["joanna"], people["trainer"], people["graduate"]
    place = Place(course=course, lesson_key=lesson.key, lesson_title=lesson.title)
    thread = posting.start_thread(
        session, joanna, place, title="Informowanie czy konsultowanie? Jak to rozróżnić w praktyce",
        body=(
            "Na spotkaniu w świetlicy przedstawiliśmy mieszkańcom plan remontu placu zabaw i zebraliśmy uwagi. "
            "Czy to już **konsultowanie**, czy dopiero *informowanie*? Uwagi spisaliśmy, ale nie wiem, czy coś z nimi zrobimy."
        ),
        files=[], instance_path=instance_path,
    )  # fmt: skip
    peer = posting.reply(
        session, graduate, thread, quote_id=None, files=[], instance_path=instance_path,
        body=(
            "U nas było podobnie. Wydaje mi się, że o konsultowaniu można mówić dopiero wtedy, "
            "gdy mieszkańcy dowiadują się, co się stało z ich uwagami."
        ),
    )  # fmt: skip
    answer = posting.reply(
        session, trainer, thread, quote_id=peer.id, files=[], instance_path=instance_path,
        body=(
            "Dokładnie tak. Konsultowanie ma trzy elementy:\n\n"
            "1. pytacie o zdanie **zanim** decyzja zapadnie,\n"
            "2. mieszkańcy wiedzą, na co mają wpływ, a na co nie,\n"
            "3. wracacie z informacją, które uwagi przyjęto i dlaczego inne nie.\n\n"
            "Jeśli dopiszecie trzeci krok (np. kartka na drzwiach świetlicy), będzie to konsultowanie."
        ),
    )  # fmt: skip
    posting.set_answer(session, trainer, answer, True)
    posting.reply(
        session, joanna, thread, quote_id=None, files=[], instance_path=instance_path,
        body="Dziękuję! W przyszłym tygodniu wywiesimy podsumowanie uwag z informacją, co wchodzi do projektu.",
    )  # fmt: skip
    course_thread = posting.start_thread(
        session, joanna, Place(course=course), title="Grupa wsparcia dla uczestników kursu z powiatu toruńskiego?",
        body="Czy ktoś z okolic Torunia chciałby raz w miesiącu omawiać zadania praktyczne? Mogę zorganizować salę w naszym OPS.",
        files=[], instance_path=instance_path,
    )  # fmt: skip
    posting.reply(
        session, graduate, course_thread, quote_id=None, files=[], instance_path=instance_path,
        body="Chętnie dołączę. Ukończyłam już kurs, mogę opowiedzieć, jak przygotowywałam mapę zasobów.",
    )  # fmt: skip


def version_lesson(session: Session, version):
    """The first lesson of the course's published version."""
    outline = learning.version_outline(session, version)
    first = outline[0].lessons[0]
    return learning.published_lesson(session, version, first.key)


def _forum_threads(session: Session, instance_path: str, people: dict[str, User]) -> None:
    srps = posting.forum_by_slug(session, "srps-w-praktyce")
    small = posting.forum_by_slug(session, "animacja-w-malej-gminie")
    rops, coordinator, anna, graduate = people["rops"], people["coordinator"], people["anna"], people["graduate"]
    thread = posting.start_thread(
        session, rops, Place(forum=srps), title="Diagnoza do strategii: od czego zaczęliście?",
        body=(
            "Wiele gmin zaczyna aktualizację strategii rozwiązywania problemów społecznych. "
            "Podzielcie się, proszę: jakie dane zebraliście najpierw i kto w gminie pomógł je zdobyć?"
        ),
        files=[], instance_path=instance_path,
    )  # fmt: skip
    posting.reply(
        session, coordinator, thread, quote_id=None, files=[], instance_path=instance_path,
        body=(
            "Zaczęliśmy od ocen zasobów pomocy społecznej z trzech ostatnich lat i danych z policji "
            "o interwencjach domowych. Najwięcej pomogła szkoła."
        ),
    )  # fmt: skip
    posting.reply(
        session, anna, thread, quote_id=None, files=[], instance_path=instance_path,
        body="My dodaliśmy krótką ankietę dla sołtysów — pięć pytań, odpowiedzi zebrane na zebraniu wiejskim.",
    )  # fmt: skip
    village = posting.start_thread(
        session, anna, Place(forum=small), title="Jak zaprosić sołtysów do współpracy?",
        body="Mamy 14 sołectw i tylko dwóch sołtysów przychodzi na spotkania. Jak do nich dotrzeć?",
        files=[], instance_path=instance_path,
    )  # fmt: skip
    reported = posting.reply(
        session, graduate, village, quote_id=None, files=[], instance_path=instance_path,
        body="Zadzwoń do pani Krystyny z Grabowca, ona zna wszystkich — jej prywatny numer to 600 100 200.",
    )  # fmt: skip
    moderation.report(session, coordinator, reported, "Wpis podaje prywatny numer telefonu mieszkanki bez jej zgody.")
    posting.reply(
        session, coordinator, village, quote_id=None, files=[], instance_path=instance_path,
        body="U nas zadziałało zaproszenie przez wójta na zebranie sołtysów i krótki punkt w programie — 15 minut, konkretna prośba.",
    )  # fmt: skip


def _conversation(session: Session, people: dict[str, User]) -> None:
    anna, coordinator = people["anna"], people["coordinator"]
    messages.send(session, coordinator, anna, "Aniu, czy możesz w piątek poprowadzić spotkanie z radą sołecką w Grabowcu?")
    messages.send(session, anna, coordinator, "Tak, mogę. Wezmę mapę zasobów, którą robiliśmy na kursie.")
    messages.send(session, coordinator, anna, "Świetnie, dziękuję. Prześlę Ci po spotkaniu notatkę do podpisu.")


def create_discussion_demo(session: Session, instance_path: str) -> int:
    """Idempotent: does nothing when any thread exists. Returns the number of threads created."""
    load_forums(session)
    if session.scalar(select(func.count()).select_from(Thread)):
        return 0
    emails = {
        "anna": "pracownik@example.org", "joanna": "uczestniczka@example.org", "trainer": "trener@example.org",
        "graduate": "absolwent@example.org", "rops": "rops@example.org", "coordinator": "koordynator@example.org",
    }  # fmt: skip
    people = {key: _user(session, email) for key, email in emails.items()}
    if any(person is None for person in people.values()) or learning.published_course(session, COURSE) is None:
        return 0
    for key in ("joanna", "graduate"):  # already enrolled by the practice and certificate demos; pracownik@ enrols herself
        _enrolled(session, people[key], COURSE)
    before = session.scalar(select(func.max(Notification.id))) or 0
    _lesson_threads(session, instance_path, people)
    _forum_threads(session, instance_path, people)
    _conversation(session, people)
    _seen_except_the_last_message(session, before, people["anna"])
    return session.scalar(select(func.count()).select_from(Thread)) or 0


def _seen_except_the_last_message(session: Session, before: int, reader: User) -> None:
    """The demo's past activity has been read; only the coordinator's last message to pracownik@ is new to her."""
    created = session.execute(select(Notification.id, Notification.recipient_id).where(Notification.id > before)).all()
    last_to_reader = max((n for n, recipient in created if recipient == reader.id), default=None)
    for notification_id, recipient_id in created:
        if notification_id != last_to_reader:
            mark_read(session, recipient_id, notification_id)
