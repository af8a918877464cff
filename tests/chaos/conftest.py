"""Chaos and steady-state tests: real servers held for a while, killed, stopped and restarted.

Each is sized to fit CI; bench/load.py runs the same scenarios at full size.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.conftest import launched_browser
from tests.redis.conftest import cluster, redis_env, redis_url  # noqa: F401 - fixtures shared with tests/redis
from tests.servers import AsgiServer, servers


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/chaos/" in str(item.fspath):
            item.add_marker(pytest.mark.chaos)


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    with launched_browser() as browser:
        yield browser


@pytest.fixture
def start_servers(tmp_path: Path) -> Iterator[Callable[..., list[AsgiServer]]]:
    """``start_servers(count, on_redis=None, **env)``: tests.servers.servers(), stopped at the end of the test."""
    with ExitStack() as stack:
        yield lambda count, on_redis=None, **env: stack.enter_context(servers(tmp_path, count, on_redis, **env))
