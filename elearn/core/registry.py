"""Extension points through which higher domains contribute to shared pages without core importing them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from blinker import Namespace

signals = Namespace()

#: sent with (user) when a person asks for all their data; receivers return {section: data}
collect_personal_data = signals.signal("collect-personal-data")
#: sent with (user, session) when an account is erased; receivers anonymise or delete their rows
erase_personal_data = signals.signal("erase-personal-data")

#: The personal-data marker: a model column declared with ``info={"personal": True}`` holds data about a person.
#: Whoever owns such a column answers both signals above for it: the column's value goes into the person's export,
#: and erasure clears it or deletes its row, unless a law requires keeping it (the certificate register).
#: tests/accounts/test_personal_data.py enforces both, and that columns named like personal data carry the marker.
PERSONAL_MARKER = "personal"


def is_personal(column: Any) -> bool:
    """Whether a table column carries the personal-data marker."""
    return bool(column.info.get(PERSONAL_MARKER))


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: Any  # a lazy_gettext string
    roles: tuple[str, ...] = ()  # empty: any logged-in user
    order: int = 50


@dataclass(frozen=True)
class DashboardPanel:
    """A block on the dashboard: build(user) returns template context or None to hide the panel."""

    template: str
    build: Callable[[Any], dict | None]
    roles: tuple[str, ...] = ()
    order: int = 50


@dataclass
class Registry:
    nav: list[NavItem] = field(default_factory=list)
    panels: list[DashboardPanel] = field(default_factory=list)
    #: set by accounts: (session, user ids) -> {id: label}; the audit log names actors (erased ones as anonymised)
    actor_labels: Callable[[Any, set[int]], dict[int, str]] | None = None
    #: sections higher domains add to a lower domain's page, by slot name (e.g. "competencies.profile")
    slots: dict[str, list[DashboardPanel]] = field(default_factory=dict)

    def add_slot(self, slot: str, section: DashboardPanel) -> None:
        sections = self.slots.setdefault(slot, [])
        if section not in sections:
            sections.append(section)
            sections.sort(key=lambda p: p.order)

    def slot_sections(self, slot: str, user: Any, **about: Any) -> list[tuple[str, dict]]:
        """(template, context) of each section of the slot visible to the user that has something to show. A page
        about an object passes it by keyword (the lesson page: course=, lesson=) and build(user, **about) gets it."""
        shown = []
        for section in self.slots.get(slot, []):
            if visible_to(user, section.roles):
                context = section.build(user, **about) if about else section.build(user)
                if context is not None:
                    shown.append((section.template, context))
        return shown

    def add_nav(self, item: NavItem) -> None:
        if item not in self.nav:
            self.nav.append(item)
            self.nav.sort(key=lambda i: i.order)

    def add_panel(self, panel: DashboardPanel) -> None:
        if panel not in self.panels:
            self.panels.append(panel)
            self.panels.sort(key=lambda p: p.order)


registry = Registry()


def visible_to(user: Any, roles: tuple[str, ...]) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return not roles or user.has_role(*roles)
