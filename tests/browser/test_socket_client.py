"""What a page does around a socket event: loading and blocking, timeouts, typed values, navigation."""

import re

from playwright.sync_api import Page, expect

OPEN = re.compile(r"\bhypergen-ws-open\b")
LOADING = re.compile(r"\bhypergen-loading\b")


def test_a_socket_event_in_flight_shows_loading_and_blocks_other_events(page: Page) -> None:
    page.goto("/ws/socket_features/")
    expect(page.locator("html")).to_have_class(OPEN)
    page.click("#blocking")
    expect(page.locator("html")).to_have_class(LOADING)
    expect(page.locator("#blocking")).to_have_class(LOADING)
    expect(page.locator("html")).to_have_class(re.compile(r"\bhypergen-blocked\b"))
    page.click("#fast")  # Ignored: a blocks=True event is in flight.
    expect(page.locator("#log li")).to_have_text(["blocking"])
    expect(page.locator("html")).not_to_have_class(LOADING)
    page.click("#fast")  # The sentinel: once unblocked, the next click is what arrives next.
    expect(page.locator("#log li")).to_have_text(["blocking", "fast"])


def test_a_socket_event_past_its_timeout_is_reported_and_still_runs_once(page: Page) -> None:
    page.goto("/ws/socket_features/")
    expect(page.locator("html")).to_have_class(OPEN)
    page.click("#too-slow")
    expect(page.locator("#hypergen-error")).to_contain_text("did not answer within 0.3 s")
    expect(page.locator("#log li")).to_have_text(["late"])
    page.click("#fast")
    expect(page.locator("#log li")).to_have_text(["late", "fast"])


def test_a_socket_url_relative_to_the_page_shares_the_pages_socket(page: Page) -> None:
    sockets = []
    page.on("websocket", lambda socket: sockets.append(socket.url.split("?")[0]))  # Less the replay query.
    page.goto("/ws/socket_features/")
    expect(page.locator("html")).to_have_class(OPEN)
    page.click("#typed")
    expect(page.locator("#echo")).to_have_text("{'name': 'Ann', 'n': 1}")
    page.click("#relative")  # ws:/ws/typed_values/: the same socket as ws://host/ws/typed_values/.
    expect(page.locator("#echo")).to_have_text("'relative'")
    typed_values = page.url.replace("http://", "ws://").replace("/ws/socket_features/", "/ws/typed_values/")
    assert sockets.count(typed_values) == 1 and len(sockets) == 2, sockets  # ws/slow/ and ws/typed_values/.


def test_typed_values_travel_both_ways_and_elements_inside_a_dict_are_read(page: Page) -> None:
    page.goto("/ws/socket_features/")
    expect(page.locator("html")).to_have_class(OPEN)
    page.fill("#name", "Bob")
    page.click("#typed")
    expect(page.locator("#echo")).to_have_text("{'name': 'Bob', 'n': 1}")
    expect(page.locator("#when")).to_have_text("2026-11-24")  # A date, decoded by the client.
    expect(page.locator("#price")).to_have_text("3.10")


def test_partial_navigation_closes_the_sockets_only_the_old_page_used(page: Page) -> None:
    opened, closed = [], []

    def on_websocket(ws) -> None:
        opened.append(ws.url.rsplit("/", 2)[-2])
        ws.on("close", lambda ws: closed.append(ws.url.rsplit("/", 2)[-2]))

    page.on("websocket", on_websocket)  # Before the page opens any.
    page.goto("/ws/pages/first/")
    page.click("#say")
    expect(page.locator("#said")).to_have_text("first: hello")
    page.click("#to-second")  # Partial: the content is swapped without a reload.
    page.click("#say")
    expect(page.locator("#said")).to_have_text("second: hi")
    assert opened == ["first", "second"]
    page.wait_for_function("() => !document.documentElement.className.includes('connecting')")
    expect(page.locator("html")).to_have_class(OPEN)
    assert closed == ["first"]
