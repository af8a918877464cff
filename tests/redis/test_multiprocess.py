"""One group across several server processes, on a real Redis, with real processes."""

import json
import re
import subprocess
import sys

from playwright.sync_api import Browser, expect

from tests.redis.wsclient import Client, ws_url
from tests.servers import create_session


def test_a_message_through_one_process_reaches_the_clients_of_the_other(cluster) -> None:
    one, two = cluster
    a = Client(ws_url(one, "/ws/rooms/crossing/"))
    b = Client(ws_url(two, "/ws/rooms/crossing/"))
    try:
        a.send("from process one")
        expected = [["hypergen.append", "messages", "<li>from process one</li>"]]
        assert a.commands() == expected
        assert b.commands() == expected
        b.send("from process two")
        expected = [["hypergen.append", "messages", "<li>from process two</li>"]]
        assert b.commands() == expected
        assert a.commands() == expected
    finally:
        a.close()
        b.close()


def test_group_sequence_numbers_are_shared_by_the_processes(cluster) -> None:
    one, two = cluster
    a = Client(ws_url(one, "/ws/rooms/numbered/"))
    b = Client(ws_url(two, "/ws/rooms/numbered/"))
    try:
        seqs = []
        for n, client in enumerate((a, b, a)):
            client.send(f"message {n}")
            while True:
                frame = client.frame()
                if frame["t"] == "commands" and f"message {n}" in frame["commands"][0][2]:
                    seqs.append(frame["seq"])
                    break
        assert seqs == [seqs[0], seqs[0] + 1, seqs[0] + 2]
    finally:
        a.close()
        b.close()


def test_a_custom_group_spans_processes(cluster) -> None:
    one, two = cluster
    gold = Client(ws_url(one, "/vip/gold/send"))
    silver = Client(ws_url(two, "/vip/silver/send"))
    try:
        gold.send("champagne")
        assert silver.commands() == [["hypergen.append", "messages", "<li>gold: champagne</li>"]]
    finally:
        gold.close()
        silver.close()


def test_push_from_a_management_command_reaches_every_process(cluster, redis_env) -> None:
    one, two = cluster
    a = Client(ws_url(one, "/ws/rooms/news/"))
    b = Client(ws_url(two, "/ws/rooms/news/"))
    vip = Client(ws_url(two, "/vip/gold/send"))
    try:
        commands = [["hypergen.append", "messages", "<li>breaking news</li>"]]
        subprocess.run(
            [sys.executable, "-m", "django", "hypergen_push", "--consumer", "ws:any_room", "--kwarg", "room=news",
             json.dumps(commands)],
            env=redis_env, check=True, capture_output=True,
        )  # fmt: skip
        assert a.commands() == commands
        assert b.commands() == commands
        subprocess.run(
            [sys.executable, "-m", "django", "hypergen_push", "--group", "vip_group", json.dumps(commands)],
            env=redis_env, check=True, capture_output=True,
        )  # fmt: skip
        assert vip.commands() == commands
        # Sentinel: the next push to a's room is the next thing a hears (not the vip push).
        sentinel = [["hypergen.append", "messages", "<li>sentinel</li>"]]
        subprocess.run(
            [sys.executable, "-m", "django", "hypergen_push", "--consumer", "ws:any_room", "--kwarg", "room=news",
             json.dumps(sentinel)],
            env=redis_env, check=True, capture_output=True,
        )  # fmt: skip
        assert a.commands() == sentinel
    finally:
        for client in (a, b, vip):
            client.close()


def test_browsers_on_two_processes_chat_in_one_room(cluster, browser: Browser, redis_env) -> None:
    pages = []
    try:
        for n, server in enumerate(cluster):
            context = browser.new_context(base_url=server.url)
            session = create_session(redis_env, f"multi{n}", ["chat.can_chat"])
            context.add_cookies([{"name": "sessionid", "value": session, "url": server.url}])
            page = context.new_page()
            page.goto("/rooms/shared/")
            expect(page.locator("html")).to_have_class(re.compile(r"\bhypergen-ws-open\b"))
            pages.append(page)
        pages[0].fill("#message", "hello from process one")
        pages[0].click("#send")
        pages[1].fill("#message", "and back from process two")
        pages[1].click("#send")
        for page in pages:
            expect(page.locator("#messages li")).to_have_text(
                ["multi0hello from process one", "multi1and back from process two"]
            )
    finally:
        for page in pages:
            page.context.close()


def test_killing_one_process_leaves_the_other_undisturbed(cluster, browser: Browser) -> None:
    one, two = cluster
    steady = Client(ws_url(one, "/ws/rooms/restart/"))
    context = browser.new_context(base_url=two.url)
    page = context.new_page()
    try:
        page.goto("/ws/board/restart/")
        expect(page.locator("html")).to_have_class(re.compile(r"\bhypergen-ws-open\b"))
        two.kill()
        expect(page.locator("html")).to_have_class(re.compile(r"\bhypergen-ws-reconnecting\b"))
        steady.send("still here")
        assert steady.commands() == [["hypergen.append", "messages", "<li>still here</li>"]]
        two.start()
        expect(page.locator("html")).to_have_class(re.compile(r"\bhypergen-ws-open\b"), timeout=15_000)
        page.click("#click-A")
        expect(page.locator("#log li")).to_have_text(["A"])
        steady.send("and now")
        assert steady.commands() == [["hypergen.append", "messages", "<li>and now</li>"]]
    finally:
        context.close()
        steady.close()
