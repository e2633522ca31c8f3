"""The analytics step of `make bench`: a synthetic region (`flask analytics synthetic`'s generator) and the time of
the training-needs heatmap, the ranked gaps and the project indicators over it.

The issue's target size is 50 000 workers, 2 000 institutions and 2 million evidence rows. Generating that takes
one to two minutes and a few GB of memory on the 2-core bench machine (5 000 workers with 200 000 evidence rows
take 6–10 s), so the default is a moderate region of 10 000 workers, 400 institutions and 400 000 evidence rows;
BENCH_ANALYTICS_WORKERS (institutions and evidence scale with it: 1 per 25 workers, 40 per worker) sets the size —
BENCH_ANALYTICS_WORKERS=50000 is the full target. Figures are milliseconds per call, best of three.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORKERS = int(os.environ.get("BENCH_ANALYTICS_WORKERS", "10000"))
EVIDENCE_PER_WORKER = 40


def _ms(fn, repeat: int = 1) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(repeat):
            fn()
        best = min(best, (time.perf_counter() - start) / repeat)
    return best * 1000


def bench_analytics(tmp: Path, url: str | None = None, label: str = "SQLite") -> dict[str, float]:
    from bench.run import fresh_app, pg_database  # here, not at the top: bench/run.py imports this module
    from elearn.analytics.services import needs, synthetic
    from elearn.analytics.services.indicators import indicators
    from elearn.extensions import db

    app = fresh_app(tmp, f"analytics-{label}", pg_database(url, "analytics") if url else None)
    results: dict[str, float] = {}
    with app.app_context():
        start = time.perf_counter()
        made = synthetic.generate(
            db.session, workers=WORKERS, institutions=max(1, WORKERS // 25), seed=1, evidence_per_worker=EVIDENCE_PER_WORKER
        )
        db.session.commit()
        size = f"{made.workers:_} workers, {made.evidence:_} evidence".replace("_", " ")
        results[f"Synthetic region ({size}) generated, {label} (s)"] = time.perf_counter() - start
        scope = needs.Scope()
        results[f"Needs heatmap, {label} (ms)"] = _ms(lambda: needs.heat_table(needs.analyse(db.session, scope)))
        analysis = needs.analyse(db.session, scope)
        results[f"Ranked gaps (after the analysis), {label} (ms)"] = _ms(lambda: needs.ranked_gaps(db.session, analysis))
        today = date.today()
        results[f"Project indicators, one year, {label} (ms)"] = _ms(lambda: indicators(db.session, date(today.year - 1, 1, 1), today))
    return results


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        for name, value in bench_analytics(Path(folder)).items():
            print(f"{name:<70} {value:,.1f}")
