"""Counting failures, not requests: a small limiter for wrong passwords, keyed per address or per account.

Flask-Limiter's decorators count every request that reaches a view, successes included, and key on one value.
Wrong-password throttling needs to count only failures and to key on the account as well as the address, so it
uses the `limits` library (Flask-Limiter's own engine) on the same storage: Redis when REDIS_URL is set, so the
counts hold across gunicorn workers, otherwise process memory.
"""

from __future__ import annotations

import hashlib

from flask import Flask, current_app
from limits import parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter, RateLimiter


def init_app(app: Flask) -> None:
    app.extensions["elearn_throttle"] = None  # created on first use, so a dead Redis does not stop start-up


def _limiter() -> RateLimiter | None:
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return None
    limiter = current_app.extensions.get("elearn_throttle")
    if limiter is None:
        limiter = MovingWindowRateLimiter(storage_from_string(current_app.config["RATELIMIT_STORAGE_URI"]))
        current_app.extensions["elearn_throttle"] = limiter
    return limiter


def _key(value: str) -> str:
    # Hashed so e-mail addresses do not sit in Redis keys in clear text.
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def is_blocked(scope: str, value: str, config_key: str) -> bool:
    """True when `value` (an address, an account) has used up the failures allowed by the `config_key` limits."""
    limiter = _limiter()
    if limiter is None:
        return False
    return any(not limiter.test(item, scope, _key(value)) for item in parse_many(current_app.config[config_key]))


def record_failure(scope: str, value: str, config_key: str) -> None:
    limiter = _limiter()
    if limiter is None:
        return
    for item in parse_many(current_app.config[config_key]):
        limiter.hit(item, scope, _key(value))
