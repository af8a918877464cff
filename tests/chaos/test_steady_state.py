"""Idle sockets stay open: held for IDLE_SECONDS on one process in memory and on two processes over
Redis, with zero closes, zero reconnects and a clean server log, and still working afterwards.

Regression: with redis-py 8 every idle socket on Redis was closed with 1011 about every 5 s
(its new 5 s read timeout cut channels_redis' blocking pop); the suite only checked arrival.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.servers import AsgiServer, running_server, ws_url
from tests.swarm import Swarm

IDLE_SECONDS = 30
SOCKETS_PER_SETUP = 20


@dataclass
class Tab:
    page: Page
    opened: list[str] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)


def open_tab(browser: Browser, server: AsgiServer, path: str) -> Tab:
    page = browser.new_context(base_url=server.url).new_page()
    tab = Tab(page)

    def on_websocket(ws) -> None:
        tab.opened.append(ws.url)
        ws.on("close", lambda ws: tab.closed.append(ws.url))

    page.on("websocket", on_websocket)
    page.goto(path)
    expect(page.locator("html")).to_have_class(re.compile(r"\bhypergen-ws-open\b"))
    return tab


@dataclass
class Setup:
    name: str
    servers: list[AsgiServer]
    swarm: Swarm
    tab: Tab


@pytest.fixture(scope="module")
def memory_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AsgiServer]:
    with running_server(tmp_path_factory.mktemp("steady_memory")) as server:
        yield server


@pytest.fixture(scope="module")
def held(browser: Browser, memory_server: AsgiServer, cluster: list[AsgiServer]) -> Iterator[dict[str, Setup]]:
    """Both set-ups, opened together and then left alone for IDLE_SECONDS."""
    memory_urls = [ws_url(memory_server, "/ws/rooms/steady/")] * SOCKETS_PER_SETUP
    redis_urls = [ws_url(cluster[n % 2], "/ws/rooms/steady/") for n in range(SOCKETS_PER_SETUP)]
    memory_tab = open_tab(browser, memory_server, "/seed/counter/")
    redis_tab = open_tab(browser, cluster[0], "/seed/counter/")
    setups = {
        "memory": Setup("memory", [memory_server], Swarm(memory_urls), memory_tab),
        "redis": Setup("redis", cluster, Swarm(redis_urls), redis_tab),
    }
    time.sleep(IDLE_SECONDS)  # Idling is the behaviour under test: nothing may happen meanwhile.
    yield setups
    for setup in setups.values():
        setup.swarm.close()
        setup.tab.page.context.close()


@pytest.mark.parametrize("name", ["memory", "redis"])
def test_idle_sockets_are_never_closed(held: dict[str, Setup], name: str) -> None:
    swarm = held[name].swarm
    assert swarm.closed() == []
    assert all(peer.frames == [] for peer in swarm.peers), "an idle socket received something"


@pytest.mark.parametrize("name", ["memory", "redis"])
def test_an_idle_tab_keeps_its_one_socket(held: dict[str, Setup], name: str) -> None:
    tab = held[name].tab
    assert len(tab.opened) == 1, f"the tab opened {len(tab.opened)} sockets in {IDLE_SECONDS} s"
    assert tab.closed == []
    expect(tab.page.locator("html")).to_have_class(re.compile(r"\bhypergen-ws-open\b"))
    tab.page.click("text=Increment")
    expect(tab.page.locator("#count")).to_have_value("2")


@pytest.mark.parametrize("name", ["memory", "redis"])
def test_idle_sockets_still_hear_their_group(held: dict[str, Setup], name: str) -> None:
    swarm = held[name].swarm
    swarm.send(0, f"after {IDLE_SECONDS} s idle")
    swarm.wait_until(
        lambda: all(f"<li>after {IDLE_SECONDS} s idle</li>" in peer.texts() for peer in swarm.peers),
        what="every idle socket to hear the group message",
    )
    assert swarm.closed() == []
