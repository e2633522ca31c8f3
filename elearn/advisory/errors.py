"""The advisory domain's refusals."""

from __future__ import annotations

from ..core.errors import DomainError


class AdvisoryError(DomainError):
    """An advisory rule refused the action (closed case, not your institution, not an advisor…)."""
