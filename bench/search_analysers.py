"""Compare Polish analysers for the search on the labelled queries (tests/search/queries.yml): recall@10, the time
to index the shipped content and the mean query time, each on a fresh SQLite database.

Only morfeusz2 is a dependency of the application. To measure the others, install them beside it, e.g.
`pip install --target /tmp/analysers pystempel==2.0.0 simplemma==2.0.0` and run with PYTHONPATH=/tmp/analysers;
an analyser that is not installed is reported as such. Figures are printed, never asserted.
"""

from __future__ import annotations

import importlib.util
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MODULES = {"none": None, "pystempel": "pystempel", "simplemma": "simplemma", "morfeusz2": "morfeusz2"}


def measure(name: str, app) -> tuple[float, float, float]:
    from elearn.core import search
    from elearn.core.search import analysis
    from elearn.extensions import db
    from tests.search.evaluation import evaluate, mean_recall

    analysis.use_analyser(name)
    with app.app_context():
        started = time.perf_counter()
        analysis.analyse_word("start")  # loading the analyser's dictionary counts as indexing time
        search.reindex(db.session)
        db.session.commit()
        index_seconds = time.perf_counter() - started
        started = time.perf_counter()
        results = evaluate(db.session)
        query_ms = (time.perf_counter() - started) * 1000 / len(results)
        return mean_recall(results), index_seconds, query_ms


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from run import fresh_app

    print(f"{'analyser':<10}  recall@10  index (s)  query (ms)")
    with tempfile.TemporaryDirectory() as tmp:
        app = fresh_app(Path(tmp), "analysers")
        for name, module in MODULES.items():
            if module and importlib.util.find_spec(module) is None:
                print(f"{name:<10}  not installed")
                continue
            recall, index_seconds, query_ms = measure(name, app)
            print(f"{name:<10}  {recall:9.3f}  {index_seconds:9.2f}  {query_ms:10.1f}")


if __name__ == "__main__":
    main()
