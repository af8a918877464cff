"""Chaos and steady-state tests: real servers held for a while, killed, stopped and restarted.

Each is sized to fit CI; bench/load.py runs the same scenarios at full size.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from tests.conftest import launched_browser
from tests.redis.conftest import cluster, redis_env, redis_url  # noqa: F401 - fixtures shared with tests/redis


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/chaos/" in str(item.fspath):
            item.add_marker(pytest.mark.chaos)


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    with launched_browser() as browser:
        yield browser
