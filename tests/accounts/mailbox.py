"""Reading the development outbox the tests' mail lands in."""

from __future__ import annotations

import email
import email.policy
import re
from pathlib import Path


def outbox(app) -> list[Path]:
    return sorted(Path(app.config["MAIL_OUTBOX"]).glob("*.eml"))


def messages_to(app, address: str) -> list[email.message.EmailMessage]:
    found = []
    for path in outbox(app):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if message["To"] == address:
            found.append(message)
    return found


def body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def link_in(message, path_prefix: str) -> str:
    """The path (without scheme and host) of the first link to `path_prefix` in the message."""
    return re.search(rf"https?://[^/\s]+({re.escape(path_prefix)}\S*)", body(message)).group(1)
