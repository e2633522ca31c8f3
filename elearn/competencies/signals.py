"""What the competencies domain announces. Higher domains (certificates) listen; competencies imports none of them.

Receivers run inside the sender's transaction: they add rows to the same session and must not commit.

evidence_withdrawn.send(evidence, session=..., withdrawal=..., actor_id=...)
    sender: the Evidence row that no longer counts; withdrawal: its EvidenceWithdrawal (reason, time, who).
    Sent after the person's stored levels were recomputed without it.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

evidence_withdrawn = _signals.signal("evidence-withdrawn")
