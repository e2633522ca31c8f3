"""Users, roles, login, registration, password reset, RODO export and erasure."""
