"""Websockets as a person uses them: the seed's examples, rooms, groups, going offline, restarts."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

OPEN = re.compile(r"\bhypergen-ws-open\b")


def test_the_seed_counter_counts_over_the_socket(page: Page, console_errors: list) -> None:
    page.goto("/seed/counter/")
    expect(page.locator("html")).to_have_class(OPEN)
    expect(page.locator("#count")).to_have_value("1")
    page.get_by_role("button", name="Increment").click()
    expect(page.locator("#count")).to_have_value("2")
    page.get_by_role("button", name="Increment").click()
    expect(page.locator("#count")).to_have_value("3")
    assert console_errors == []


def test_app_state_lives_on_the_consumer_for_the_page_and_survives_a_reconnect(page: Page) -> None:
    page.goto("/seed/app_state/")
    page.click("#add")
    expect(page.locator("li")).to_have_text(["1", "2", "3"])
    page.click("#add")
    expect(page.locator("li")).to_have_text(["1", "2", "3", "4"])
    page.context.set_offline(True)
    expect(page.locator("html")).to_have_class(re.compile(r"\bhypergen-ws-reconnecting\b"))
    page.context.set_offline(False)
    expect(page.locator("html")).to_have_class(OPEN)
    page.click("#add")  # A new connection, the same page: its consumer has the state back.
    expect(page.locator("li")).to_have_text(["1", "2", "3", "4", "5"])
    page.reload()  # A new page load starts fresh.
    page.click("#add")
    expect(page.locator("li")).to_have_text(["1", "2", "3"])


@pytest.fixture
def chatters(browser: Browser, asgi_server, login):
    """``chatters(n)``: n browser contexts, each logged in as a user who may chat."""
    contexts = []

    def make(count: int) -> list[Page]:
        pages = []
        for n in range(count):
            context = browser.new_context(base_url=asgi_server.url)
            contexts.append(context)
            page = context.new_page()
            login(page, f"chatter{n}", perms=["chat.can_chat"])
            pages.append(page)
        return pages

    yield make
    for context in contexts:
        context.close()


def test_the_seed_chat_sends_to_everyone_in_the_room(chatters) -> None:
    ann, bob = chatters(2)
    for page in (ann, bob):
        page.goto("/chat/")
    ann.fill("#message", "hello from the seed")
    ann.get_by_role("button", name="Send").click()
    for page in (ann, bob):
        expect(page.locator("#messages li")).to_have_text(["hello from the seed"])


def test_chat_rooms_keep_their_messages_apart(chatters) -> None:
    ann, bob, cat = chatters(3)
    ann.goto("/rooms/apart-a/")
    bob.goto("/rooms/apart-a/")
    cat.goto("/rooms/apart-b/")
    for page in (ann, bob, cat):
        expect(page.locator("html")).to_have_class(OPEN)
    ann.fill("#message", "roses are red")
    ann.keyboard.press("Enter")
    expect(ann.locator("#messages li")).to_have_text(["chatter0roses are red"])
    expect(bob.locator("#messages li")).to_have_text(["chatter0roses are red"])
    expect(ann.locator("#message")).to_have_value("")
    cat.fill("#message", "soup")
    cat.click("#send")
    expect(cat.locator("#messages li")).to_have_text(["chatter2soup"])
    # Sentinel: ann's next message is the next one ann sees; the other room's came before it.
    ann.fill("#message", "violets are blue")
    ann.keyboard.press("Enter")
    expect(ann.locator("#messages li")).to_have_text(["chatter0roses are red", "chatter0violets are blue"])


def test_the_vip_group_spans_rooms(browser: Browser, asgi_server) -> None:
    gold = browser.new_context(base_url=asgi_server.url).new_page()
    silver = browser.new_context(base_url=asgi_server.url).new_page()
    try:
        gold.goto("/vip/gold/")
        silver.goto("/vip/silver/")
        gold.fill("#message", "champagne")
        gold.click("#send")
        for page in (gold, silver):
            expect(page.locator("#messages li")).to_have_text(["gold: champagne"])
    finally:
        gold.context.close()
        silver.context.close()


@pytest.mark.server_errors(r"Forbidden \(Permission denied\)")
def test_a_user_without_chat_permission_is_refused(page: Page, login) -> None:
    login(page, "outsider", perms=[])
    assert page.goto("/chat/").status == 403
    page.add_init_script(
        """window.seen = {errors: [], closes: []};
        const on = (name, record) => document.addEventListener("hypergen:" + name, record);
        on("error", e => seen.errors.push(e.detail.code));
        on("websocket-closed", e => seen.closes.push(["closed", e.detail.code]));
        on("websocket-reconnecting", e => seen.closes.push(["retry", e.detail.code]));"""
    )
    page.goto("/ws/chat_without_permission/")
    expect(page.locator("html")).to_have_class(re.compile(r"\bhypergen-ws-closed\b"))
    # The client decides in the close handler itself: a retry would have shown up there, as "retry".
    assert page.evaluate("seen") == {"errors": ["websocket.refused"], "closes": [["closed", 4403]]}


def test_clicks_while_offline_arrive_in_order_after_reconnecting(page: Page) -> None:
    page.goto("/ws/board/offline/")
    expect(page.locator("html")).to_have_class(OPEN)
    page.click("#click-A")
    expect(page.locator("#log li")).to_have_text(["A"])
    page.context.set_offline(True)
    expect(page.locator("html")).to_have_class(re.compile(r"\bhypergen-ws-reconnecting\b"))
    for label in ("B", "C", "A"):
        page.click(f"#click-{label}")
    page.context.set_offline(False)
    expect(page.locator("#log li")).to_have_text(["A", "B", "C", "A"])


def test_websocket_close_stops_traffic(page: Page) -> None:
    sent = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(payload)))  # Before it opens.
    page.add_init_script(
        "window.refused = []; document.addEventListener('hypergen:error', e => refused.push(e.detail.code))"
    )
    page.goto("/ws/board/closing/")
    expect(page.locator("html")).to_have_class(OPEN)
    page.click("#click-A")
    expect(page.locator("#log li")).to_have_text(["A"])
    assert len(sent) == 1, "the listener sees the frames the page sends"
    page.click("#close")
    expect(page.locator("html")).not_to_have_class(OPEN)
    page.click("#click-B")
    page.wait_for_function("refused.includes('websocket.closed')")  # The click was handled, and refused.
    assert len(sent) == 1
    expect(page.locator("#log li")).to_have_text(["A"])


def test_a_message_too_large_to_send_is_refused_in_the_browser(page: Page) -> None:
    page.goto("/ws/board/large/")
    expect(page.locator("html")).to_have_class(OPEN)
    sent = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(len(payload))))
    page.evaluate(
        "url => hypergen.callback(null, url, ['x'.repeat(600000)], {})",
        page.evaluate("document.getElementById('click-A').getAttribute('onclick').split('\"')[1]"),
    )
    expect(page.locator("#hypergen-error")).to_contain_text("too large to send")
    page.click("#click-A")  # The socket still works, and the big message is not queued.
    expect(page.locator("#log li")).to_have_text(["A"])
    assert all(size < 1000 for size in sent)


def test_a_tab_that_was_offline_gets_the_messages_it_missed_without_reloading(browser: Browser, asgi_server) -> None:
    contexts = [browser.new_context(base_url=asgi_server.url) for _ in range(2)]
    away, present = (context.new_page() for context in contexts)
    try:
        for page in (away, present):
            page.goto("/ws/board/replayed/")
            expect(page.locator("html")).to_have_class(OPEN)
        away.evaluate("window.sameDocument = true")  # Gone if the page reloads.
        present.click("#click-A")
        expect(away.locator("#log li")).to_have_text(["A"])
        away.context.set_offline(True)
        expect(away.locator("html")).to_have_class(re.compile(r"\bhypergen-ws-reconnecting\b"))
        for label in ("B", "C"):
            present.click(f"#click-{label}")
        expect(present.locator("#log li")).to_have_text(["A", "B", "C"])
        away.context.set_offline(False)
        expect(away.locator("#log li")).to_have_text(["A", "B", "C"])
        present.click("#click-A")  # The sentinel: live messages go on after the replayed ones.
        expect(away.locator("#log li")).to_have_text(["A", "B", "C", "A"])
        assert away.evaluate("window.sameDocument") is True, "the tab reloaded instead of replaying"
    finally:
        for context in contexts:
            context.close()


def test_a_chat_room_shows_who_is_here_as_people_come_and_go(chatters) -> None:
    ann, bob = chatters(2)
    ann.goto("/rooms/presence/")
    expect(ann.locator("#online li")).to_have_text(["chatter0"])
    bob.goto("/rooms/presence/")
    for page in (ann, bob):
        expect(page.locator("#online li")).to_have_text(["chatter0", "chatter1"])
    bob.close()
    expect(ann.locator("#online li")).to_have_text(["chatter0"])


def test_what_the_group_said_between_the_render_and_the_socket_joining_is_replayed(
    browser: Browser, asgi_server
) -> None:
    contexts = [browser.new_context(base_url=asgi_server.url) for _ in range(2)]
    late, early = (context.new_page() for context in contexts)
    held = []
    late.route("**/hypergen.min.js", lambda route: held.append(route))  # The client is slow to arrive.
    try:
        late.goto("/ws/board/between/", wait_until="commit")  # DOMContentLoaded waits for the held script.
        late.wait_for_selector("#click-C", state="attached")
        early.goto("/ws/board/between/")
        expect(early.locator("html")).to_have_class(OPEN)
        early.click("#click-B")  # After the late page was rendered, before its socket exists.
        expect(early.locator("#log li")).to_have_text(["B"])
        assert late.locator("#log li").count() == 0  # Its render came before the click.
        held[0].continue_()
        expect(late.locator("#log li")).to_have_text(["B"])  # Replayed from where the render stood.
        early.click("#click-C")  # The sentinel: live messages follow.
        expect(late.locator("#log li")).to_have_text(["B", "C"])
    finally:
        for context in contexts:
            context.close()
