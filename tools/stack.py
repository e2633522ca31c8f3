"""elearn as it is deployed, on loopback: nginx (TLS, the site file in deploy/nginx/) in front of gunicorn
instances (gunicorn.conf.py, production settings) sharing one PostgreSQL database and Redis.

Used by the proxy, load and fault tests (tests/deploy/) and by `make loadtest`. Nothing here listens beyond
127.0.0.1 or reaches the internet. Needs nginx and openssl (Debian packages) and a PostgreSQL server it may
create databases on.

    with Stack.start(workdir, database_url=..., redis_url=...) as stack:
        stack.seed_learners(20)
        client = stack.client()
        client.login("uczestnik0001@example.org", stack.password)
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SITE = ROOT / "deploy" / "nginx" / "elearn.conf"
LEARNER_PASSWORD = "Haslo-obciazenia-2026"  # noqa: S105 - the synthetic learners' password, loopback only
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with code {process.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not listen on 127.0.0.1:{port} within {timeout:.0f} s")


def fresh_database(base_url: str, name: str) -> str:
    """Drop and create database `name` on the server of `base_url`; return its URL."""
    import psycopg

    parts = urlsplit(base_url)
    with psycopg.connect(base_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return parts._replace(path=f"/{name}").geturl()


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (from /proc: RQ's work horse starts a session of its own, so a process group is not enough)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def kill_tree(pid: int) -> None:
    """SIGKILL a process and everything below it at once, as losing the machine would."""
    for victim in [pid, *descendants(pid)]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(victim, signal.SIGKILL)


def nginx_site(upstreams: list[int], https_port: int, http_port: int, cert: Path, key: Path) -> str:
    """deploy/nginx/elearn.conf with the production ports, paths and certificate swapped for this stack's."""
    text = SITE.read_text(encoding="utf-8")
    servers = "\n".join(f"    server 127.0.0.1:{port} max_fails=3 fail_timeout=10s;" for port in upstreams)
    text, count = re.subn(r"(?m)^    server 127\.0\.0\.1:800\d .*\n(?:    server 127\.0\.0\.1:800\d .*\n)*", servers + "\n", text)
    replacements = {
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "/etc/letsencrypt/live/szkolenia.rops.example.pl/fullchain.pem": str(cert),
        "/etc/letsencrypt/live/szkolenia.rops.example.pl/privkey.pem": str(key),
        "/srv/elearn/": f"{ROOT}/",
    }
    for old, new in replacements.items():
        if old not in text:
            raise RuntimeError(f"deploy/nginx/elearn.conf no longer contains {old!r}: update tools/stack.py with it")
        text = text.replace(old, new)
    if count != 1:
        raise RuntimeError("deploy/nginx/elearn.conf: the upstream servers were not found")
    return text


def nginx_main(work: Path, site: Path) -> str:
    temp = work / "nginx-temp"
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (temp / sub).mkdir(parents=True, exist_ok=True)
    user = "user root;\n" if os.geteuid() == 0 else ""
    return f"""{user}worker_processes 1;
daemon off;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 2048; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {work}/nginx-access.log;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {site};
}}
"""


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def csrf(self) -> str:
        match = CSRF.search(self.text)
        if not match:
            raise AssertionError(f"no CSRF token on the page (HTTP {self.status})")
        return match.group(1)


@dataclass
class Client:
    """One person's browser, reduced to what the tests need: keep-alive HTTPS, cookies, forms with CSRF."""

    host: str
    port: int
    context: ssl.SSLContext
    forwarded_for: str | None = None
    cookies: dict[str, str] = field(default_factory=dict)
    timeout: float = 30.0
    _conn: http.client.HTTPSConnection | None = None

    def _connection(self) -> http.client.HTTPSConnection:
        if self._conn is None:
            self._conn = http.client.HTTPSConnection(self.host, self.port, context=self.context, timeout=self.timeout)
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None) -> Response:
        sent = {"Host": f"{self.host}:{self.port}", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.forwarded_for:
            sent["X-Forwarded-For"] = self.forwarded_for
        for attempt in (1, 2):
            conn = self._connection()
            try:
                conn.request(method, path, body=body, headers=sent)
                raw = conn.getresponse()
                data = raw.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # nginx closed an idle keep-alive connection: a browser reconnects and resends, so do we
                self.close()
                if attempt == 2:
                    raise
        for header, value in raw.getheaders():
            if header.lower() == "set-cookie":
                cookie = SimpleCookie()
                cookie.load(value)
                for name, morsel in cookie.items():
                    if morsel["max-age"] == "0" or morsel.value == "":
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
        return Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, data)

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, data: dict[str, str], referer: str | None = None) -> Response:
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Referer": f"https://{self.host}:{self.port}{referer or path}"}
        return self.request("POST", path, urlencode(data).encode(), headers)

    def post_multipart(self, path: str, fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]) -> Response:
        boundary = secrets.token_hex(12)
        parts: list[bytes] = []
        for name, value in fields.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        for name, (filename, content, mimetype) in files.items():
            head = (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\nContent-Type: {mimetype}\r\n\r\n'
            )
            parts.append(head.encode() + content + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}", "Referer": f"https://{self.host}:{self.port}{path}"}
        return self.request("POST", path, b"".join(parts), headers)

    def submit(self, path: str, data: dict[str, str]) -> Response:
        """GET the form, then POST it with its CSRF token (as a browser does)."""
        return self.post(path, {"csrf_token": self.get(path).csrf(), **data})

    def login(self, email: str, password: str) -> Response:
        return self.submit("/login", {"email": email, "password": password})


@dataclass
class Stack:
    work: Path
    database_url: str
    redis_url: str
    env: dict[str, str]
    https_port: int
    app_ports: list[int]
    cert: Path
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    password: str = LEARNER_PASSWORD

    @classmethod
    def start(
        cls, work: Path, *, database_url: str, redis_url: str, instances: int = 2, workers: int = 1, settings: dict | None = None
    ) -> Stack:
        """Migrate a fresh database, then start `instances` gunicorns and nginx in front of them. `settings` go into
        instance/config.py, as an operator would set them."""
        for tool in ("nginx", "openssl"):
            if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists():
                raise RuntimeError(f"{tool} is not installed (Debian package {tool})")
        work.mkdir(parents=True, exist_ok=True)
        instance = work / "instance"
        instance.mkdir(exist_ok=True)
        prefix = f"elearn-stack-{secrets.token_hex(4)}"
        # instance/config.py is how an operator sets what has no environment variable
        config = {"RQ_QUEUE": prefix, "RATELIMIT_KEY_PREFIX": prefix, **(settings or {})}
        (instance / "config.py").write_text("".join(f"{key} = {value!r}\n" for key, value in config.items()), encoding="utf-8")
        https_port = free_port()
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("ELEARN_", "FLASK_", "PYTEST", "GUNICORN_"))},
            "ELEARN_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(48),
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "PUBLIC_BASE_URL": f"https://127.0.0.1:{https_port}",
            "ELEARN_INSTANCE_PATH": str(instance),
            "PROXY_FIX_X_FOR": "1",
            "PROXY_FIX_X_PROTO": "1",
            "FORWARDED_ALLOW_IPS": "127.0.0.1",
            "FLASK_APP": "wsgi.py",
            "GUNICORN_WORKERS": str(workers),
            "PYTHONPATH": str(ROOT),
        }
        cert, key = work / "cert.pem", work / "key.pem"
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
             "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
            check=True, capture_output=True,
        )  # fmt: skip
        stack = cls(work, database_url, redis_url, env, https_port, [free_port() for _ in range(instances)], cert)
        try:
            stack.flask("db", "upgrade")
            stack.flask("setup", "--no-demo")
            for index, port in enumerate(stack.app_ports):
                stack.start_app(index, port)
            stack.start_nginx()
        except BaseException:
            stack.stop()
            raise
        return stack

    def __enter__(self) -> Stack:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def flask(self, *args: str, timeout: float = 300) -> str:
        done = subprocess.run([str(BIN / "flask"), *args], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            raise RuntimeError(f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def python(self, code: str, *args: str, timeout: float = 300) -> str:
        """Run `code` in a fresh interpreter with the stack's production environment (an app context is open)."""
        prologue = "from elearn import create_app\napp = create_app()\nctx = app.app_context()\nctx.push()\nimport sys\n"
        done = subprocess.run(
            [sys.executable, "-c", prologue + code, *args], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=timeout
        )
        if done.returncode != 0:
            raise RuntimeError(f"stack script failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def start_app(self, index: int, port: int) -> None:
        log = (self.work / f"gunicorn-{index}.log").open("ab")
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"],
            cwd=ROOT, env={**self.env, "GUNICORN_BIND": f"127.0.0.1:{port}"}, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.processes[f"gunicorn-{index}"] = process
        wait_for_port(port, process, f"gunicorn {index}")

    def start_nginx(self) -> None:
        site = self.work / "site.conf"
        site.write_text(nginx_site(self.app_ports, self.https_port, free_port(), self.cert, self.work / "key.pem"), encoding="utf-8")
        main = self.work / "nginx.conf"
        main.write_text(nginx_main(self.work, site), encoding="utf-8")
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        check = subprocess.run([nginx, "-t", "-c", str(main)], capture_output=True, text=True)
        if check.returncode != 0:
            raise RuntimeError(f"nginx -t failed:\n{check.stderr}")
        log = (self.work / "nginx-stderr.log").open("ab")
        process = subprocess.Popen([nginx, "-c", str(main)], stdout=log, stderr=subprocess.STDOUT)
        self.processes["nginx"] = process
        wait_for_port(self.https_port, process, "nginx")

    def start_worker(self, name: str = "worker", *, burst: bool = False) -> subprocess.Popen:
        """An RQ worker (`flask jobs worker`) in a process group of its own, so a test can kill it with its children."""
        log = (self.work / f"{name}.log").open("ab")
        command = [str(BIN / "flask"), "jobs", "worker", *(["--burst"] if burst else [])]
        process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.processes[name] = process
        return process

    def stop(self) -> None:
        for process in reversed(list(self.processes.values())):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes.clear()

    def ssl_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.cert))

    def client(self, forwarded_for: str | None = None) -> Client:
        return Client("127.0.0.1", self.https_port, self.ssl_context(), forwarded_for=forwarded_for)

    def logs(self) -> str:
        return "\n".join(f"== {p.name}\n{p.read_text(errors='replace')[-3000:]}" for p in sorted(self.work.glob("*.log")))

    def seed_learners(self, count: int, *, graduate: bool = False) -> dict:
        """`count` learners (uczestnik0000@example.org…) enrolled in the introductory course, one password hash for
        all; with `graduate`, one more learner who finished the animator course and holds its certificate."""
        out = self.python(SEED_SCRIPT, str(count), "1" if graduate else "0", self.password)
        return json.loads(out.strip().splitlines()[-1])


SEED_SCRIPT = r"""
import json
from sqlalchemy import insert, select
from elearn.accounts.models import User, UserRole
from elearn.accounts.services import hash_password
from elearn.core.timeutil import utcnow
from elearn.courses.models import Course
from elearn.courses.services import learning
from elearn.extensions import db

count, graduate, password = int(sys.argv[1]), sys.argv[2] == "1", sys.argv[3]
course, version = learning.published_course(db.session, "wprowadzenie-do-osl")
digest = hash_password(password)
db.session.execute(insert(User), [
    {"email": f"uczestnik{i:04d}@example.org", "full_name": f"Uczestniczka Obciążenia {i:04d}", "password_hash": digest,
     "active": True, "email_confirmed_at": utcnow()}
    for i in range(count)
])
ids = list(db.session.scalars(select(User.id).where(User.email.like("uczestnik%@example.org")).order_by(User.email)))
db.session.execute(insert(UserRole), [{"user_id": i, "role": "learner"} for i in ids])
for user_id in ids:
    learning.enrol(db.session, user_id, course, version)
outline = learning.version_outline(db.session, version)
result = {
    "course": course.slug,
    "lessons": [lesson.key for module in outline for lesson in module.lessons],
    "quizzes": [module.key for module in outline if module.has_quiz],
}
if graduate:
    from elearn.certificates import services as certificates
    from elearn.certificates.demo import create_graduate
    person = create_graduate(db.session, password=password, institution_id=None)
    animator = db.session.scalar(select(Course).where(Course.slug == "animator-spolecznosci-lokalnej"))
    certificate = certificates.issue_certificate(db.session, person, animator, issued_by_id=None, email_holder=False)
    result["graduate"] = person.email
    result["certificate_id"] = certificate.id
db.session.commit()
print(json.dumps(result))
"""
