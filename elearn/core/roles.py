"""The role names every domain checks (stored in user_roles.role); core owns them so no domain needs accounts for
a name. Their display labels live with accounts (accounts.models.ROLE_LABELS)."""

from __future__ import annotations

LEARNER = "learner"
TRAINER = "trainer"
COORDINATOR = "coordinator"
ISSUER = "issuer"
ADMIN = "admin"
ROLES = (LEARNER, TRAINER, COORDINATOR, ISSUER, ADMIN)
