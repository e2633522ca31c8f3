"""The one pagination helper: `?page=` parsed and bounded before it reaches an OFFSET."""

from __future__ import annotations

from flask import abort, request

from ..extensions import db

MAX_PAGE = 100_000  # far beyond any list here; keeps page * per_page inside a database integer


def page_number() -> int:
    """The requested page (1 when absent or malformed); 404 past MAX_PAGE."""
    raw = request.args.get("page", "")
    if not (raw.isascii() and raw.isdigit()):
        return 1
    if len(raw) > len(str(MAX_PAGE)) or int(raw) > MAX_PAGE:
        abort(404)
    return max(int(raw), 1)


def paginate(query, *, per_page: int):
    return db.paginate(query, page=page_number(), per_page=per_page, error_out=False)


class PageNumbers:
    """What the pagination macro reads of a page (`page`, `pages`), for pages not made by `paginate` (search results,
    a filtered library). The class using it provides `page` and `pages`."""

    page: int
    pages: int

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1
