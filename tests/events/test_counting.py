"""Persons versus training places versus institutions, on a hand-computed fixture.

Fixture: three events. Anna attends all three, Bogdan two (present at one only), Celina (another institution) one,
Dorota only waits on a list, Ewa withdrew. Expected by hand:
  places            = Anna 3 + Bogdan 2 + Celina 1                     = 6   (waiting and withdrawn are no places)
  persons           = Anna, Bogdan, Celina                              = 3
  institutions      = Lubicz (Anna, Bogdan) + the other one (Celina)    = 2
  attended places   = Anna 3 + Bogdan 1 + Celina 1                      = 5
  attended persons  = 3
  completed places  = Anna 3 (all sessions) + Celina 1                  = 4   (Bogdan's one session is 50%)
  completed persons = 2
"""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import select

from elearn.directory.models import Institution
from elearn.events.services import attendance, counting
from elearn.events.services import registration as places
from elearn.extensions import db

from .helpers import make_event


def test_counts_persons_places_and_institutions(make_user, institution):
    staff = make_user("issuer")
    day = date.today() - timedelta(days=10)
    events = [
        make_event(capacity=3, sessions=[(day + timedelta(days=i), time(9), time(11)), (day + timedelta(days=i), time(12), time(14))])
        for i in range(3)
    ]
    other = db.session.scalar(select(Institution).where(Institution.id != institution.id))
    anna, bogdan, dorota, ewa = (make_user("learner") for _ in range(4))
    celina = make_user("learner", institution_id=other.id)
    plan = {0: [anna, bogdan, celina, dorota], 1: [anna, bogdan], 2: [anna, ewa]}
    regs = {}
    for index, people in plan.items():
        for person in people:
            regs[(index, person.id)] = places.register(db.session, events[index].id, person, actor=staff)
    places.cancel(db.session, regs[(2, ewa.id)], actor=staff)
    db.session.commit()
    assert regs[(0, dorota.id)].status == "waitlisted"

    def mark(index, people, sessions):
        event = events[index]
        present = {event.sessions[s].id: {regs[(index, p.id)].id for p in people} for s in sessions}
        attendance.set_attendance(db.session, event, present, actor_id=staff.id)

    mark(0, [anna, celina], [0, 1])
    mark(1, [anna], [0, 1])
    attendance.set_attendance(
        db.session, events[1], {events[1].sessions[0].id: {regs[(1, anna.id)].id, regs[(1, bogdan.id)].id}}, actor_id=staff.id
    )
    mark(2, [anna], [0, 1])
    db.session.commit()

    result = counting.count(db.session, event_ids=[e.id for e in events])
    assert result == counting.Counts(
        places=6, persons=3, institutions=2, attended_places=5, attended_persons=3, completed_places=4, completed_persons=2
    )
    one = counting.count(db.session, event_ids=[events[1].id])
    assert (one.places, one.persons, one.institutions, one.completed_places) == (2, 2, 1, 1)
