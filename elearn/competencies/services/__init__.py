"""The competency domain's services. Other domains import only the names listed in __all__.

Public API (stable for certificates and analytics):
    current_levels(session, user_id) -> dict[str, int]
    levels_for_codes(session, user_id, codes) -> dict[str, int]
    levels_for_users(session, user_ids, codes=None) -> dict[int, dict[str, int]]
    competence_names(session, codes) -> dict[str, str]
    scale_names(session) -> dict[int, str]
    required_profile(session, role) -> dict[str, int]
    gaps(session, user_id, role) -> list[Gap]
"""

from __future__ import annotations

from .framework import competence_names, current_framework, load_framework, required_profile, scale_names
from .levels import current_levels, levels_for_codes, levels_for_users, recompute_levels, record_evidence
from .profile import Gap, gaps

__all__ = [
    "Gap",
    "competence_names",
    "current_framework",
    "current_levels",
    "gaps",
    "levels_for_codes",
    "levels_for_users",
    "load_framework",
    "recompute_levels",
    "record_evidence",
    "required_profile",
    "scale_names",
]
