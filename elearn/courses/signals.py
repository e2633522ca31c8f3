"""What the course domain announces. Higher domains (competencies, certificates) listen; courses imports neither.

Receivers run inside the sender's transaction: they add rows to the same session and must not commit.

module_completed.send(module, session=..., user_id=..., completed_at=..., quiz_score=...)
    sender: the Module that was completed (has .competences: dict[str, int] from its front matter)
    quiz_score: percent 0–100 of the passed quiz, or None when the module has no quiz

course_completed.send(course, session=..., user_id=..., completed_at=..., enrolment=...)
    sender: the Course; enrolment: the Enrolment row now marked complete
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

module_completed = _signals.signal("module-completed")
course_completed = _signals.signal("course-completed")
