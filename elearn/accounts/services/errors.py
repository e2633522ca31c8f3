"""The accounts domain's error type."""

from __future__ import annotations


class AccountError(ValueError):
    """A rule about accounts was broken; the message is shown to the person."""
