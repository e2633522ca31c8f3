"""The accounts domain's error type."""

from __future__ import annotations

from ...core.errors import DomainError


class AccountError(DomainError, ValueError):
    """A rule about accounts was broken; the message is shown to the person."""
