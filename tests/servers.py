"""Start the project under a real ASGI server (daphne) in a subprocess, on a free loopback port."""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parent.parent

#: What in a server's log means something went wrong inside it.
LOG_PROBLEM = re.compile(r"Traceback \(most recent call last\)|Exception inside application")
#: Every server a test started, whose log the ``server_logs_are_clean`` fixture reads after each test.
WATCHED_SERVERS: list[AsgiServer] = []


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def project_env(**extra: str) -> dict[str, str]:
    """The environment a server or management command of the test project runs with."""
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "examples"), env.get("PYTHONPATH", "")])
    env.update(extra)
    return env


@contextmanager
def running_server(directory: Path, **env_extra: str) -> Iterator[AsgiServer]:
    """A daphne process on its own migrated SQLite database in ``directory``, stopped after the block."""
    env = project_env(HYPERGEN_TEST_DB=str(directory / "db.sqlite3"), **env_extra)
    manage("migrate", "--noinput", env=env)
    server = AsgiServer(env, log_path=directory / "daphne.log").start()
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def servers(
    directory: Path, count: int, on_redis: str | None = None, application: str | None = None, **env_extra: str
) -> Iterator[list[AsgiServer]]:
    """``count`` daphne processes on one database, sharing the Redis at ``on_redis``, or each in memory.

    Serving ``application`` (default: the test project). Their Redis keys are deleted afterwards.
    Used by the chaos tests' ``start_servers`` fixture and by bench/load.py.
    """
    extra = dict(env_extra)
    prefix = f"hypergen-chaos-{uuid.uuid4().hex[:8]}:"
    if on_redis:
        extra.update(REDIS_URL=on_redis, HYPERGEN_TEST_REDIS_PREFIX=prefix)
    directory = directory / prefix.rstrip(":")
    directory.mkdir()
    env = project_env(HYPERGEN_TEST_DB=str(directory / "db.sqlite3"), **extra)
    manage("migrate", "--noinput", env=env)
    options = {"application": application} if application else {}
    with ExitStack() as stack:
        started = []
        for n in range(count):
            server = AsgiServer(env, log_path=directory / f"daphne-{n}.log", **options).start()
            stack.callback(server.stop)
            started.append(server)
        yield started
    if on_redis:
        with contextlib.suppress(redis.ConnectionError):  # A private Redis may be gone already.
            client = redis.Redis.from_url(on_redis)
            for key in client.scan_iter(match=prefix + "*"):
                client.delete(key)


def ws_url(server: AsgiServer, path: str) -> str:
    return server.url.replace("http://", "ws://") + path


def manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-m", "django", *args], env=env, cwd=ROOT, check=True, capture_output=True)


class AsgiServer:
    """A daphne process serving tests.settings (or ``application``); ``url`` is its base URL."""

    def __init__(
        self,
        env: dict[str, str],
        port: int | None = None,
        log_path: Path | None = None,
        application: str = "demo.asgi:application",
    ) -> None:
        self.env = env
        self.application = application
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path or Path(tempfile.mkdtemp(prefix="hypergen-server-")) / "daphne.log"
        self.process: subprocess.Popen | None = None
        self._log = None
        WATCHED_SERVERS.append(self)

    def start(self, timeout: float = 30) -> AsgiServer:
        self._log = open(self.log_path, "ab")  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(self.port), self.application],
            env=self.env,
            cwd=ROOT,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.stop()
                raise RuntimeError(f"daphne exited with {self.process.returncode}; see {self.log_path}")
            try:
                urllib.request.urlopen(self.url + "/", timeout=1).read()
                return self
            except urllib.error.HTTPError:
                return self  # It answered: it is up.
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"daphne did not answer on {self.url} within {timeout}s")

    def read_log(self, offset: int = 0) -> tuple[str, int]:
        """What the server logged after ``offset`` bytes, and the offset of its end."""
        if not self.log_path.exists():
            return "", offset
        with open(self.log_path, "rb") as log:
            log.seek(offset)
            data = log.read()
        return data.decode(errors="replace"), offset + len(data)

    def kill(self) -> None:
        """Kill the process at once (SIGKILL): no clean shutdown, no closing handshakes."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.stop()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._log:
            self._log.close()
            self._log = None


LOGIN_SCRIPT = """
import sys
from tests.sessions import logged_in_session
print(logged_in_session(sys.argv[1], sys.argv[2:]))
"""


def create_session(env: dict[str, str], username: str, perms: list[str]) -> str:
    """Create (or reuse) a user with ``perms`` in the project's database and a logged-in session; its key."""
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + LOGIN_SCRIPT, username, *perms],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]
