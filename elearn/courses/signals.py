"""What the course domain announces. Higher domains (competencies, certificates) listen; courses imports neither.

Receivers run inside the sender's transaction: they add rows to the same session and must not commit.

module_completed.send(module, session=..., user_id=..., completed_at=..., quiz_score=...)
    sender: the Module that was completed (has .competences: dict[str, int] from its front matter)
    quiz_score: percent 0–100 of the passed quiz, or None when the module has no quiz

course_completed.send(course, session=..., user_id=..., completed_at=..., enrolment=...)
    sender: the Course; enrolment: the Enrolment row now marked complete

course_validating.send(course_slug, session=..., codes=set_of_competence_codes)
    sent while a course is imported from files or published from the browser, before anything is written.
    Each receiver returns a dict {code: "reason"} for the codes it rejects (e.g. not in the competency model),
    or an empty dict/None. The sync turns every rejected code into a `file:line: message` error; publishing in
    the browser shows the reasons to the trainer. Codes already have the right format (AREA.n.m) when sent.

competence_catalogue.send(None, session=...)
    sent when the browser editor offers competences to choose from (a module, a practical assignment).
    Each receiver returns a list of `CompetenceChoice` (below) from the current competency framework, in the
    framework's order, or None/[] when it has none; courses shows them grouped by area and never types a code.
"""

from __future__ import annotations

from dataclasses import dataclass

from blinker import Namespace

_signals = Namespace()

module_completed = _signals.signal("module-completed")
course_completed = _signals.signal("course-completed")
course_validating = _signals.signal("course-validating")
competence_catalogue = _signals.signal("competence-catalogue")


@dataclass(frozen=True)
class CompetenceChoice:
    code: str  # ANI.1.2
    name: str
    area_code: str  # ANI.1
    area_name: str
    role: str  # the course role of the area: animator | mediator | polityk | wspolne
