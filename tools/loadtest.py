"""A bounded, self-stopping load test of elearn as deployed: simulated learners through nginx against two gunicorn
instances on PostgreSQL and Redis (tools/stack.py), on loopback only.

Each simulated learner logs in and, until the time is up, reads lessons, marks them done, submits quizzes and
downloads a certificate, like a training week's participants. Afterwards the database is checked: every
completion and quiz attempt that the server acknowledged must be there (no lost writes), and no response may be
a 5xx. Prints p50/p95/p99 per action and writes nothing to the repository.

    make loadtest                                   # 200 learners for 60 s (needs PostgreSQL, Redis, nginx)
    python -m tools.loadtest --learners 20 --seconds 8
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tools.stack import Client, Stack, fresh_database

QUIZ_INPUT = re.compile(r'<input[^>]*type="(?:radio|checkbox)"[^>]*>')
NAME = re.compile(r'name="([^"]+)"')
VALUE = re.compile(r'value="([^"]+)"')


@dataclass
class Report:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    errors: list[str] = field(default_factory=list)
    lessons_done: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    quiz_attempts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    lock: threading.Lock = field(default_factory=threading.Lock)
    wall: float = 0.0
    timeline: list[tuple[float, str, int]] = field(default_factory=list)  # (monotonic time sent, action, status)
    refused_logins: int = 0

    def record(self, action: str, started: float, seconds: float, status: int) -> None:
        with self.lock:
            self.latencies[action].append(seconds)
            self.statuses[status] += 1
            self.timeline.append((started, action, status))

    @property
    def server_errors(self) -> int:
        return sum(count for status, count in self.statuses.items() if status >= 500)

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())

    def percentiles(self, action: str | None = None) -> dict[str, float]:
        values = sorted(v for a, vs in self.latencies.items() if action in (None, a) for v in vs)
        if not values:
            return {"p50": 0.0, "p95": 0.0, "p99": 0.0}
        q = statistics.quantiles(values, n=100, method="inclusive") if len(values) > 1 else values * 99
        return {"p50": q[49] * 1000, "p95": q[94] * 1000, "p99": q[98] * 1000}


def timed(report: Report, action: str, call):
    sent, start = time.monotonic(), time.perf_counter()
    response = call()
    report.record(action, sent, time.perf_counter() - start, response.status)
    return response


def quiz_answers(page: str) -> dict[str, str]:
    """One answer per question: the first option of each group, as a hurried learner would."""
    answers: dict[str, str] = {}
    for tag in QUIZ_INPUT.findall(page):
        name, value = NAME.search(tag), VALUE.search(tag)
        if name and value:
            answers.setdefault(name.group(1), value.group(1))
    return answers


def learner(stack: Stack, report: Report, email: str, plan: dict, seconds: float, certificate_id: int | None, seed: int) -> None:
    """One person's session: log in, then act for `seconds` (counted from the login, so a slow login costs no work)."""
    rng = random.Random(seed)
    client: Client = stack.client()
    client.timeout = 60
    try:
        if timed(report, "login", lambda: client.login(email, stack.password)).status != 302:
            with report.lock:
                report.refused_logins += 1
            return
        deadline = time.monotonic() + seconds
        slug = plan["course"]
        while time.monotonic() < deadline:
            choice = rng.random()
            if certificate_id and choice < 0.1:
                timed(report, "certificate pdf", lambda: client.get(f"/certificates/{certificate_id}/pdf"))
            elif choice < 0.55:
                key = rng.choice(plan["lessons"])
                timed(report, "lesson page", lambda k=key: client.get(f"/courses/{slug}/lessons/{k}"))
            elif choice < 0.85:
                key = rng.choice(plan["lessons"])
                page = timed(report, "lesson page", lambda k=key: client.get(f"/courses/{slug}/lessons/{k}"))
                if page.status != 200:
                    continue
                done = timed(
                    report, "mark done", lambda k=key, p=page: client.post(f"/courses/{slug}/lessons/{k}/done", {"csrf_token": p.csrf()})
                )
                if done.status == 302:
                    with report.lock:
                        report.lessons_done[email].add(key)
            else:
                key = rng.choice(plan["quizzes"])
                path = f"/courses/{slug}/modules/{key}/quiz"
                page = timed(report, "quiz page", lambda p=path: client.get(p))
                answers = quiz_answers(page.text) if page.status == 200 else {}
                if not answers:
                    continue
                sent = timed(report, "quiz submit", lambda p=path, a=answers, pg=page: client.post(p, {"csrf_token": pg.csrf(), **a}))
                if sent.status == 200 and 'id="quiz-result"' in sent.text:  # the attempt was scored and stored
                    with report.lock:
                        report.quiz_attempts[email] += 1
    except Exception as error:  # a timeout or a dropped connection is a failure of the run, not of the thread
        with report.lock:
            report.errors.append(f"{email}: {type(error).__name__}: {error}")
    finally:
        client.close()


STORED = r"""
import json
from sqlalchemy import func, select
from elearn.accounts.models import User
from elearn.courses.models import LessonProgress, QuizAttempt
from elearn.extensions import db
def per_person(model):
    query = select(User.email, func.count(model.id)).join(model, model.user_id == User.id).group_by(User.email)
    return dict(db.session.execute(query).all())
done, attempts = per_person(LessonProgress), per_person(QuizAttempt)
print(json.dumps({"done": done, "attempts": attempts}))
"""


def stored_writes(stack: Stack) -> dict[str, dict[str, int]]:
    """Lessons done and quiz attempts per person, as the database has them."""
    return json.loads(stack.python(STORED).strip().splitlines()[-1])


def lost_writes(stack: Stack, report: Report, before: dict[str, dict[str, int]]) -> list[str]:
    """Acknowledged completions and attempts that are not in the database (counted from `before` the run)."""
    after = stored_writes(stack)
    lost = []
    for email, keys in report.lessons_done.items():
        if after["done"].get(email, 0) < len(keys):
            lost.append(f"{email}: {len(keys)} lessons marked done, {after['done'].get(email, 0)} stored")
    for email, count in report.quiz_attempts.items():
        # More stored than acknowledged is no loss: an attempt committed whose answer never reached the learner (the
        # connection was cut after the commit) is whole in the database; fewer stored would be a lost write.
        stored = after["attempts"].get(email, 0) - before["attempts"].get(email, 0)
        if stored < count:
            lost.append(f"{email}: {count} quiz attempts acknowledged, {stored} stored")
    return lost


def run_load(stack: Stack, plan: dict, *, learners: int, seconds: float) -> Report:
    report = Report()
    started = time.monotonic()
    emails = [f"uczestnik{i:04d}@example.org" for i in range(learners)]
    threads = []
    for index, email in enumerate(emails):
        # every tenth simulated person is the graduate, downloading the certificate in a session of their own
        graduate = index % 10 == 9 and plan.get("graduate")
        who, certificate = (plan["graduate"], plan["certificate_id"]) if graduate else (email, None)
        threads.append(threading.Thread(target=learner, args=(stack, report, who, plan, seconds, certificate, index), daemon=True))
    for thread in threads:
        thread.start()
        time.sleep(min(0.02, seconds / max(learners, 1) / 4))  # a ramp, not a thundering herd of logins
    for thread in threads:
        thread.join(timeout=seconds + 180)
    report.wall = time.monotonic() - started
    return report


def summary(report: Report, lost: list[str], learners: int, seconds: float) -> str:
    rate = report.requests / max(report.wall, 0.001)
    lines = [
        f"{learners} simulated learners, {seconds:.0f} s each after logging in ({report.wall:.0f} s in all): "
        f"{report.requests} requests, {rate:.0f} per s, 5xx: {report.server_errors}, lost writes: {len(lost)}, "
        f"client errors: {len(report.errors)}, refused logins: {report.refused_logins}"
    ]
    lines.append(f"{'action':<16} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for action in [*sorted(report.latencies), None]:
        p = report.percentiles(action)
        count = len(report.latencies[action]) if action else sum(len(v) for v in report.latencies.values())
        lines.append(f"{action or 'all':<16} {count:>7} {p['p50']:>8.0f} {p['p95']:>8.0f} {p['p99']:>8.0f}")
    lines += [f"  lost: {item}" for item in lost[:10]] + [f"  error: {item}" for item in report.errors[:10]]
    return "\n".join(lines)


SERVER_ERROR_LINE = re.compile(r'"[A-Z]+ [^"]*" 5\d\d ')
WORKER_TROUBLE = re.compile(r"Traceback|Error|CRITICAL|WORKER TIMEOUT|SIGKILL|Exception")


def diagnosis(stack: Stack, limit: int = 20) -> str:
    """What the servers logged about a failed run: nginx's 5xx responses and errors, the app servers' tracebacks."""
    lines: list[str] = []
    work = stack.work
    access = work / "nginx-access.log"
    if access.exists():
        failed = [line for line in access.read_text(errors="replace").splitlines() if SERVER_ERROR_LINE.search(line)]
        lines += [f"nginx 5xx: {line}" for line in failed[:limit]]
    error = work / "nginx-error.log"
    if error.exists():
        lines += [f"nginx error: {line}" for line in error.read_text(errors="replace").splitlines()[-limit:]]
    for log in sorted(work.glob("gunicorn-*.log")):
        text = log.read_text(errors="replace").splitlines()
        lines += [f"{log.stem}: {line}" for line in text if WORKER_TROUBLE.search(line)][:limit]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("LOADTEST_DATABASE_URL")
        or os.environ.get("TEST_DATABASE_URL")
        or "postgresql://postgres@127.0.0.1:5432/test",
    )
    parser.add_argument("--redis-url", default=os.environ.get("TEST_REDIS_URL") or "redis://127.0.0.1:6379/15")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per instance (two instances)")
    args = parser.parse_args()
    url = fresh_database(args.database_url, "elearn_loadtest")
    with (
        tempfile.TemporaryDirectory(prefix="elearn-load-") as work,
        Stack.start(Path(work), database_url=url, redis_url=args.redis_url, workers=args.workers) as stack,
    ):
        plan = stack.seed_learners(args.learners, graduate=True)
        before = stored_writes(stack)
        report = run_load(stack, plan, learners=args.learners, seconds=args.seconds)
        lost = lost_writes(stack, report, before)
        print(summary(report, lost, args.learners, args.seconds))
        failed = report.server_errors or lost or report.errors or report.refused_logins
        if failed:
            print(diagnosis(stack))
        return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
