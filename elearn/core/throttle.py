"""Counting failures, not requests: a small limiter for wrong passwords, keyed per address or per account.

Flask-Limiter's decorators count every request that reaches a view, successes included, and key on one value.
Wrong-password throttling needs to count only failures and to key on the account as well as the address, so it
uses the `limits` library (Flask-Limiter's own engine) on the same storage: Redis when REDIS_URL is set, so the
counts hold across gunicorn workers, otherwise process memory.

If that storage is unreachable (Redis down), logins go on unthrottled and the operator gets a warning in the log:
refusing every login because the counter is gone would turn a cache outage into a full outage.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import TypeVar

from flask import Flask, current_app
from limits import parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter, RateLimiter
from redis.exceptions import RedisError

log = logging.getLogger(__name__)
T = TypeVar("T")


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
    # Hashed so e-mail addresses do not sit in Redis keys in clear text; prefixed like Flask-Limiter's own keys, so
    # two instances sharing one Redis (or a test stack beside a real one) keep separate counts.
    return current_app.config.get("RATELIMIT_KEY_PREFIX", "") + hashlib.sha256(value.encode()).hexdigest()[:32]


def _degrading(action: Callable[[], T], fallback: T) -> T:
    try:
        return action()
    except (RedisError, OSError) as error:
        log.warning("Rate-limit storage unreachable (%s): failed logins are not counted until it is back", error)
        return fallback


def is_blocked(scope: str, value: str, config_key: str) -> bool:
    """True when `value` (an address, an account) has used up the failures allowed by the `config_key` limits."""
    limiter = _limiter()
    if limiter is None:
        return False
    key = _key(value)
    return _degrading(lambda: any(not limiter.test(item, scope, key) for item in parse_many(current_app.config[config_key])), False)


def record_failure(scope: str, value: str, config_key: str) -> None:
    limiter = _limiter()
    if limiter is None:
        return
    key = _key(value)
    _degrading(lambda: [limiter.hit(item, scope, key) for item in parse_many(current_app.config[config_key])], None)
