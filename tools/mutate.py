"""`make mutate`: mutation testing of the invariant modules with mutmut; prints the score per module and the survivors.

A tool for finding tests that cannot fail, not a CI gate. mutmut's settings (which files, which tests) are in
pyproject.toml under [tool.mutmut]; its working copy is `mutants/` (git-ignored). Each mutant runs only the tests
that reach the mutated function, against a copy of one migrated and seeded SQLite database made here first.

    .venv/bin/python tools/mutate.py                 # every module below, from scratch
    .venv/bin/python tools/mutate.py numbering       # one module (names as in MODULES)
    .venv/bin/python tools/mutate.py --keep levels   # reuse mutants/ and earlier results (after adding tests: not)
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "mutants"
TEMPLATE = ROOT / "instance" / "mutation-template.sqlite3"

# name: (module, mutmut function-name patterns). Course progress is the progress part of the learning service.
MODULES = {
    "numbering": ("elearn.certificates.numbering", ["*"]),
    "levels": ("elearn.competencies.services.levels", ["*"]),
    "progress": (
        "elearn.courses.services.learning",
        [
            "x_lesson_neighbours",
            "x_done_keys",
            "x_passed_quiz_scores",
            "x_mark_lesson_done",
            "x_update_completion",
            "x_recompute_after_publish",
            "x_course_progress",
            "x_courses_in_progress",
            "xǁModuleProgressǁ*",
            "xǁCourseProgressǁ*",
        ],
    ),
    "security": ("elearn.core.security", ["*"]),
}
KILLED, SURVIVED = {1, 3, 36, 37, -24, 24, 152, 255}, {0}
NO_TESTS, NOT_RUN = {5, 33}, {None, 2, 34}


def build_template() -> None:
    """Migrate and seed one SQLite database; the test fixture copies it instead of migrating for every mutant."""
    sys.path.insert(0, str(ROOT))
    from tests.helpers import make_test_app, migrate_and_seed

    TEMPLATE.parent.mkdir(exist_ok=True)
    TEMPLATE.unlink(missing_ok=True)
    saved = os.environ.get("ELEARN_INSTANCE_PATH")
    with tempfile.TemporaryDirectory() as instance:
        app = make_test_app(f"sqlite:///{TEMPLATE}", Path(instance))
        migrate_and_seed(app)
        with app.app_context():
            from elearn.extensions import db

            db.engine.dispose()  # closing the last connection folds SQLite's write-ahead log into the file
    if saved is None:
        os.environ.pop("ELEARN_INSTANCE_PATH")  # make_test_app set it; the tests choose their own
    else:
        os.environ["ELEARN_INSTANCE_PATH"] = saved


def patterns(name: str) -> list[str]:
    module, functions = MODULES[name]
    return [f"{module}.{function}__mutmut_*" for function in functions]


def results() -> dict[str, int | None]:
    found: dict[str, int | None] = {}
    for meta in WORK.glob("elearn/**/*.py.meta"):
        found.update(json.loads(meta.read_text(encoding="utf-8")).get("exit_code_by_key", {}))
    return found


def report(names: list[str]) -> None:
    found = results()
    print("\nmodule        mutants  killed  survived  no-tests  not-run  score")
    survivors: list[str] = []
    for name in names:
        keys = sorted(k for k in found if any(fnmatch.fnmatchcase(k, p) for p in patterns(name)))
        codes = Counter(found[k] for k in keys)
        killed = sum(n for code, n in codes.items() if code in KILLED)
        survived = sum(n for code, n in codes.items() if code in SURVIVED or code not in KILLED | NO_TESTS | NOT_RUN)
        untested = sum(n for code, n in codes.items() if code in NO_TESTS)
        not_run = sum(n for code, n in codes.items() if code in NOT_RUN)
        decided = killed + survived + untested
        score = f"{100 * killed / decided:.0f}%" if decided else "-"
        print(f"{name:<13} {len(keys):>7} {killed:>7} {survived:>9} {untested:>9} {not_run:>8}  {score:>5}")
        survivors += [k for k in keys if found[k] not in KILLED | NOT_RUN]
    if survivors:
        print("\nsurviving mutants (`.venv/bin/mutmut show NAME` prints the change):")
        for key in survivors:
            print(" ", key)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help=f"some of {', '.join(MODULES)} (default: all)")
    parser.add_argument("--keep", action="store_true", help="reuse mutants/ and the results of an earlier run")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    names = args.modules or list(MODULES)
    unknown = set(names) - set(MODULES)
    if unknown:
        parser.error(f"unknown module(s) {', '.join(sorted(unknown))}; choose from {', '.join(MODULES)}")
    os.chdir(ROOT)
    if not args.keep:
        shutil.rmtree(WORK, ignore_errors=True)
    build_template()
    env = {**os.environ, "ELEARN_TEST_SQLITE_TEMPLATE": str(TEMPLATE), "ELEARN_TEST_BACKEND": "sqlite"}
    selected = [p for name in names for p in patterns(name)]
    mutmut = Path(sys.executable).parent / "mutmut"
    subprocess.run([str(mutmut), "run", "--max-children", str(args.jobs), *selected], env=env, check=False)  # noqa: S603
    report(names)
    return 0


if __name__ == "__main__":
    sys.exit(main())
