"""Chaos and steady-state tests: real servers held for a while, killed, stopped and restarted.

Each is sized to fit CI; bench/load.py runs the same scenarios at full size.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
import redis
from playwright.sync_api import Browser

from tests.conftest import launched_browser
from tests.redis.conftest import cluster, redis_env, redis_url  # noqa: F401 - fixtures shared with tests/redis
from tests.servers import AsgiServer, manage, project_env


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/chaos/" in str(item.fspath):
            item.add_marker(pytest.mark.chaos)


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    with launched_browser() as browser:
        yield browser


@contextmanager
def servers(directory: Path, count: int, on_redis: str | None = None, **env_extra: str) -> Iterator[list[AsgiServer]]:
    """``count`` daphne processes on one database, sharing the Redis at ``on_redis``, or each in memory."""
    extra = dict(env_extra)
    prefix = f"hypergen-chaos-{uuid.uuid4().hex[:8]}:"
    if on_redis:
        extra.update(REDIS_URL=on_redis, HYPERGEN_TEST_REDIS_PREFIX=prefix)
    directory = directory / prefix.rstrip(":")
    directory.mkdir()
    env = project_env(HYPERGEN_TEST_DB=str(directory / "db.sqlite3"), **extra)
    manage("migrate", "--noinput", env=env)
    with ExitStack() as stack:
        started = []
        for n in range(count):
            server = AsgiServer(env, log_path=directory / f"daphne-{n}.log").start()
            stack.callback(server.stop)
            started.append(server)
        yield started
    if on_redis:
        with contextlib.suppress(redis.ConnectionError):  # A test's private Redis may be gone already.
            client = redis.Redis.from_url(on_redis)
            for key in client.scan_iter(match=prefix + "*"):
                client.delete(key)


@pytest.fixture
def start_servers(tmp_path: Path) -> Iterator[Callable[..., list[AsgiServer]]]:
    """``start_servers(count, on_redis=None, **env)``: servers stopped at the end of the test."""
    with ExitStack() as stack:
        yield lambda count, on_redis=None, **env: stack.enter_context(servers(tmp_path, count, on_redis, **env))


def ws_url(server: AsgiServer, path: str) -> str:
    return server.url.replace("http://", "ws://") + path
