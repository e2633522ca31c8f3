"""The events domain's refusals."""

from __future__ import annotations

from ..core.errors import DomainError


class EventError(DomainError):
    """An event rule refused the action (full, closed, past the deadline, not allowed…)."""
