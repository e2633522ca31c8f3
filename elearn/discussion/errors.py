"""The discussion domain's refusals."""

from __future__ import annotations

from ..core.errors import DomainError


class DiscussionError(DomainError):
    """A discussion rule refused the action (locked thread, not allowed, blocked, too many posts…)."""


class FilesRefused(DiscussionError):
    """Too many attachments for one post (the type and size of each are checked by core.files)."""
