"""The per-process cache of immutable versions' facts: loads once per key, keeps the most recently used."""

from __future__ import annotations

from elearn.core.caching import VersionCache


def test_loads_once_per_key_and_evicts_the_least_recently_used():
    cache: VersionCache[str] = VersionCache(2)
    loads = []

    def loader(value):
        return lambda: loads.append(value) or value

    assert cache.get_or_load(("v", 1), loader("one")) == "one"
    assert cache.get_or_load(("v", 1), loader("other")) == "one"
    cache.put(("v", 2), "two")
    assert cache.get(("v", 1)) == "one"  # used last: ("v", 2) goes first
    cache.put(("v", 3), "three")
    assert (cache.get(("v", 1)), cache.get(("v", 2)), cache.get(("v", 3))) == ("one", None, "three")
    assert loads == ["one"]
