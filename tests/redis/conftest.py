"""Find or start a real Redis, and run several ASGI server processes that share it.

REDIS_URL is used when set; else a Redis on 127.0.0.1:6379; else a private redis-server on a
free port (scripts/test installs Debian's redis-server when it is missing). These tests never
skip: without a Redis they fail and say why.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
import redis
from playwright.sync_api import Browser

from tests.conftest import launched_browser
from tests.redis_server import PrivateRedis, reachable
from tests.servers import AsgiServer, manage, project_env


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/redis/" in str(item.fspath):
            item.add_marker(pytest.mark.redis)


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    if os.environ.get("REDIS_URL"):
        url = os.environ["REDIS_URL"]
        if not reachable(url):
            pytest.fail(f"REDIS_URL={url} is set but no Redis answers there.")
        yield url
        return
    if reachable("redis://127.0.0.1:6379/0"):
        yield "redis://127.0.0.1:6379/0"
        return
    try:
        server = PrivateRedis().start()
    except RuntimeError as error:
        pytest.fail(str(error))
    yield server.url
    server.stop()


@pytest.fixture(scope="module")
def redis_env(redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The environment of server processes sharing one Redis (and one database), with their own key prefix."""
    tmp = tmp_path_factory.mktemp("redis_cluster")
    prefix = f"hypergen-test-{uuid.uuid4().hex[:8]}:"
    env = project_env(HYPERGEN_TEST_DB=str(tmp / "db.sqlite3"), REDIS_URL=redis_url, HYPERGEN_TEST_REDIS_PREFIX=prefix)
    manage("migrate", "--noinput", env=env)
    yield env
    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(match=prefix + "*"):
        client.delete(key)


@pytest.fixture(scope="module")
def cluster(redis_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[AsgiServer]]:
    """Two daphne processes on their own ports, sharing the Redis channel layer."""
    tmp = tmp_path_factory.mktemp("cluster_logs")
    servers = [AsgiServer(redis_env, log_path=tmp / f"daphne-{n}.log").start() for n in range(2)]
    yield servers
    for server in servers:
        server.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    # Per module, not per package: while Playwright's sync API is started an event loop runs in
    # this thread, and the modules here that call asyncio.run() (test_layer.py) would fail after it.
    with launched_browser() as browser:
        yield browser
