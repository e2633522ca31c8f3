"""The analytics step of `make bench`: a synthetic region (`flask analytics synthetic`'s generator) and the time of
the training-needs heatmap, the ranked gaps and the project indicators over it.

The default is the issue's target size: 50 000 workers, 2 000 institutions and 2 000 000 evidence rows (target:
each figure under 300 ms on PostgreSQL). BENCH_ANALYTICS_WORKERS, BENCH_ANALYTICS_INSTITUTIONS and
BENCH_ANALYTICS_EVIDENCE set a smaller region for a quick run (e.g. 5000 / 200 / 200000). Generating the full
region takes a few minutes on the 2-core bench machine (bulk INSERTs; the level-count summary is filled from the
same numbers). Figures are milliseconds per call, the median of BENCH_ANALYTICS_RUNS (5) calls.

Run alone: `python bench/analytics.py` (SQLite, and PostgreSQL when BENCH_DATABASE_URL or TEST_DATABASE_URL is set).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORKERS = int(os.environ.get("BENCH_ANALYTICS_WORKERS", "50000"))
INSTITUTIONS = int(os.environ.get("BENCH_ANALYTICS_INSTITUTIONS", str(max(1, WORKERS // 25))))
EVIDENCE = int(os.environ.get("BENCH_ANALYTICS_EVIDENCE", str(WORKERS * 40)))
RUNS = int(os.environ.get("BENCH_ANALYTICS_RUNS", "5"))
TARGET_MS = 300


def _ms(fn) -> float:
    """Median wall time of RUNS calls after one warm-up call, in milliseconds."""
    fn()
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def bench_analytics(tmp: Path, url: str | None = None, label: str = "SQLite") -> dict[str, float]:
    from bench.run import fresh_app, pg_database  # here, not at the top: bench/run.py imports this module
    from elearn.analytics.services import needs, synthetic
    from elearn.analytics.services.indicators import indicators
    from elearn.extensions import db

    app = fresh_app(tmp, f"analytics-{label}", pg_database(url, "analytics") if url else None)
    results: dict[str, float] = {}
    with app.app_context():
        start = time.perf_counter()
        per_worker = max(0, round(EVIDENCE / WORKERS))
        made = synthetic.generate(db.session, workers=WORKERS, institutions=INSTITUTIONS, seed=1, evidence_per_worker=per_worker)
        db.session.commit()
        if url:
            from sqlalchemy import text

            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))  # as autovacuum would after a bulk load
        size = f"{made.workers:_} workers, {made.institutions:_} institutions, {made.evidence:_} evidence".replace("_", " ")
        results[f"Synthetic region ({size}) generated, {label} (s)"] = time.perf_counter() - start
        whole = needs.Scope()
        role = needs.Scope(role="animator")
        results[f"Needs heatmap, all roles, {label} (ms)"] = _ms(lambda: needs.heat_table(needs.analyse(db.session, whole)))
        results[f"Needs heatmap, one role, {label} (ms)"] = _ms(lambda: needs.heat_table(needs.analyse(db.session, role)))
        assert needs.analyse(db.session, whole).from_summary, "the level-count summary does not hold the region"
        results[f"Ranked gaps, analysis included, {label} (ms)"] = _ms(
            lambda: needs.ranked_gaps(db.session, needs.analyse(db.session, whole))
        )
        powiat = next(iter(needs.powiat_names(db.session)))
        drill = needs.Scope(powiat_id=powiat)
        results[f"Needs drill-down into a powiat, {label} (ms)"] = _ms(lambda: needs.competence_table(needs.analyse(db.session, drill)))
        today = date.today()
        results[f"Project indicators, one year, {label} (ms)"] = _ms(lambda: indicators(db.session, date(today.year - 1, 1, 1), today))
        db.session.rollback()
    return results


def notes(results: dict[str, float]) -> list[str]:
    """The issue's target: heatmap, ranked gaps and indicators each under 300 ms on PostgreSQL."""
    out = []
    for name, value in results.items():
        if name.endswith("PostgreSQL (ms)") and not name.startswith("Synthetic"):
            verdict = "met" if value < TARGET_MS else "NOT met"
            out.append(f"{name.replace(' (ms)', '')}: {value:.0f} ms (target < {TARGET_MS} ms): {verdict}")
    return out


if __name__ == "__main__":
    import tempfile

    base = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    backends = [(None, "SQLite")] + ([(base, "PostgreSQL")] if base else [])
    if os.environ.get("BENCH_ANALYTICS_BACKENDS"):
        backends = [b for b in backends if b[1] in os.environ["BENCH_ANALYTICS_BACKENDS"].split(",")]
    with tempfile.TemporaryDirectory() as folder:
        for url, label in backends:
            figures = bench_analytics(Path(folder), url, label)
            for name, value in figures.items():
                print(f"{name:<90} {value:,.1f}", flush=True)
            for line in notes(figures):
                print(line, flush=True)
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
