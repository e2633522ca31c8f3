"""One way to confirm an irreversible action (issue, revoke, reject, publish, delete, decline, cancel).

The action's view calls `confirmation(...)` once its form is valid and the person may act. On a GET, or on a POST
without `confirmed`, it returns the confirmation page: what will happen, a summary of the object, the posted
values carried over as hidden fields, and a POST form back to the same address with `confirmed=1` (CSRF included).
Only that second POST returns None and lets the view act. It is plain HTML: it works without JavaScript, and a
form's first POST never changes anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from flask import render_template, request

CONFIRMED = "confirmed"
_NOT_CARRIED = {"csrf_token", CONFIRMED}


def is_confirmed() -> bool:
    return request.method == "POST" and request.form.get(CONFIRMED) == "1"


def confirmation(
    *,
    title: str,
    consequence: str,
    action: str,
    cancel_url: str,
    summary: Sequence[tuple[str, Any]] = (),
    items: Iterable[str] = (),
    fields: Sequence[Any] = (),
    danger: bool = True,
) -> tuple[str, int] | None:
    """The confirmation page (to return from the view), or None when this request is the confirmed POST.

    summary: (label, value) rows describing the object; items: a list of names (a selection being issued);
    fields: form fields the person fills in or may correct on the page (a reason); every other posted value is
    carried over unchanged.
    """
    if is_confirmed():
        return None
    shown = {field.name for field in fields}
    carried = [(name, value) for name, value in request.form.items(multi=True) if name not in _NOT_CARRIED and name not in shown]
    page = render_template(
        "core/confirm.html",
        title=title,
        consequence=consequence,
        action=action,
        cancel_url=cancel_url,
        summary=list(summary),
        items=list(items),
        fields=list(fields),
        carried=carried,
        danger=danger,
    )
    return page, 200
