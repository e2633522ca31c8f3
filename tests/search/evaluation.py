"""Recall@10 of the search over the labelled queries in queries.yml (used by the tests and by bench/)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from elearn.core import search

QUERIES = Path(__file__).with_name("queries.yml")
KINDS = ("course", "lesson")
TOP = 10


@dataclass(frozen=True)
class QueryResult:
    query: str
    kind: str
    expected: tuple[str, ...]
    found: tuple[str, ...]  # the first TOP results, "kind:key"

    @property
    def recall(self) -> float:
        return sum(1 for e in self.expected if e in self.found) / len(self.expected)

    @property
    def missing(self) -> list[str]:
        return [e for e in self.expected if e not in self.found]


def load_queries() -> list[dict]:
    return yaml.safe_load(QUERIES.read_text(encoding="utf-8"))


def evaluate(session) -> list[QueryResult]:
    results = []
    for item in load_queries():
        found = tuple(f"{kind}:{key}" for kind, key, _c in search.search_ids(session, item["query"], kinds_=KINDS)[:TOP])
        results.append(QueryResult(item["query"], item["kind"], tuple(item["expect"]), found))
    return results


def mean_recall(results: list[QueryResult]) -> float:
    return sum(r.recall for r in results) / len(results)


def report(results: list[QueryResult]) -> str:
    lines = [f"recall@{TOP} = {mean_recall(results):.3f} over {len(results)} queries"]
    for kind in sorted({r.kind for r in results}):
        of_kind = [r for r in results if r.kind == kind]
        lines.append(f"  {kind}: {mean_recall(of_kind):.3f} ({len(of_kind)} queries)")
    lines += [f"  MISSED {r.query!r}: {', '.join(r.missing)}" for r in results if r.missing]
    return "\n".join(lines)
