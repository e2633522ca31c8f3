"""The competency domain's services. Other domains import only the names listed in __all__.

Public API (stable for certificates and analytics):
    current_levels(session, user_id) -> dict[str, int]
    levels_for_codes(session, user_id, codes) -> dict[str, int]
    levels_for_users(session, user_ids, codes=None) -> dict[int, dict[str, int]]
    competence_names(session, codes) -> dict[str, str]
    scale_names(session) -> dict[int, str]
    required_profile(session, role) -> dict[str, int]
    gaps(session, user_id, role) -> list[Gap]
    framework_facts(session) -> FrameworkFacts (roles, profiles, scale; cached per process and framework version)
    meeting_profile(profile) -> SELECT of the ids of people meeting a whole profile (for subqueries)
    roles(session, framework=None) / role_by_code(session, code, framework=None) / competences_by_code(session, framework=None)
    counting_evidence(session, user_id, codes=None) -> {code: [Evidence]}  (confirming, not withdrawn)
    withdraw_evidence(session, evidence, actor_id=..., reason=...) -> EvidenceWithdrawal (sends evidence_withdrawn)
"""

from __future__ import annotations

from .framework import (
    competence_names,
    competences_by_code,
    current_framework,
    framework_facts,
    load_framework,
    required_profile,
    role_by_code,
    roles,
    scale_names,
)
from .levels import current_levels, levels_for_codes, levels_for_users, meeting_profile, recompute_levels, record_evidence
from .profile import Gap, gaps
from .withdrawal import CannotWithdraw, counting_evidence, withdraw_evidence, withdrawn_ids

__all__ = [
    "CannotWithdraw",
    "Gap",
    "competence_names",
    "competences_by_code",
    "counting_evidence",
    "current_framework",
    "current_levels",
    "framework_facts",
    "gaps",
    "levels_for_codes",
    "levels_for_users",
    "load_framework",
    "meeting_profile",
    "recompute_levels",
    "record_evidence",
    "required_profile",
    "role_by_code",
    "roles",
    "scale_names",
    "withdraw_evidence",
    "withdrawn_ids",
]
