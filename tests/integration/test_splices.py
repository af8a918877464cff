"""Splices over a real consumer (WebsocketCommunicator): answers, group members and replays."""

import json

import pytest
from django.test import override_settings

from hypergen.template import hypergen
from tests.integration.test_websockets import connected, fresh_channel_layer, send_event  # noqa: F401
from tests.unit.test_diff import apply_splice
from tests.ws_views import DIFF_BOARDS, diff_board_content

pytestmark = pytest.mark.django_db(transaction=True)


class Tab:
    """What a page's socket has: the frames it got, and the board's HTML as its morphs leave it."""

    def __init__(self, client):
        self.client = client
        self.html = None
        self.kinds = []  # "morph" or "splice", per update received.

    async def commands_frame(self):
        while True:
            frame = json.loads(await self.client.receive_from(timeout=3))
            if frame["t"] == "commands":
                self.apply(frame["commands"])
                return frame

    def apply(self, commands):
        for name, target, *rest in commands:
            assert target == "board"
            if name == "hypergen.morph":
                self.html = rest[0]
                self.kinds.append("morph")
            else:
                assert name == "hypergen.morphSplice"
                self.html = apply_splice(self.html, *rest)
                self.kinds.append("splice")


def fresh(room):
    return hypergen(diff_board_content, room)


async def update(tab, what, private, event_id):
    await send_event(tab.client, [what, private], event_id=event_id, sid="tab")


@pytest.mark.asyncio
async def test_the_second_answer_of_a_big_target_goes_as_a_splice():
    tab = Tab(await connected("/ws/diff_socket/answer/"))
    sizes = []
    wave = "\N{WAVING HAND SIGN}\N{EMOJI MODIFIER FITZPATRICK TYPE-4}"  # Astral, and two of them.
    for event_id, what in enumerate(["toggle:5", "toggle:50", f"say:hi {wave}", "toggle:5"], 1):
        await update(tab, what, True, event_id)
        frame = await tab.commands_frame()
        assert frame["ack"] == event_id
        sizes.append(len(json.dumps(frame, ensure_ascii=False).encode()))
        assert tab.html == fresh("answer")
    assert tab.kinds == ["morph", "splice", "splice", "splice"]
    assert max(sizes[1:]) * 20 < sizes[0], sizes
    await tab.client.disconnect()


@pytest.mark.asyncio
async def test_every_member_of_the_group_gets_splices_of_its_own_base():
    sender, other = Tab(await connected("/ws/diff_socket/group/")), Tab(await connected("/ws/diff_socket/group/"))
    for event_id, what in enumerate(["toggle:1", "say:\N{GRINNING FACE} first", "toggle:99"], 1):
        await update(sender, what, False, event_id)
        for tab in (sender, other):
            assert "seq" in await tab.commands_frame()
            assert tab.html == fresh("group")
    assert sender.kinds == other.kinds == ["morph", "splice", "splice"]
    late = Tab(await connected("/ws/diff_socket/group/"))  # Its consumer has sent it nothing yet.
    await update(sender, "toggle:2", False, 4)
    for tab in (sender, other, late):
        await tab.commands_frame()
        assert tab.html == fresh("group")
    assert late.kinds == ["morph"] and other.kinds[-1] == "splice"
    for tab in (sender, other, late):
        await tab.client.disconnect()


@pytest.mark.asyncio
async def test_a_replay_splices_the_missed_messages_against_each_other():
    sender = Tab(await connected("/ws/diff_socket/replay/?hg_epoch="))
    away = await connected("/ws/diff_socket/replay/?hg_epoch=")
    hello = json.loads(await away.receive_from(timeout=3))
    await away.disconnect()
    for event_id, what in enumerate(["toggle:3", "toggle:4", "say:while you were away"], 1):
        await update(sender, what, False, event_id)
        await sender.commands_frame()
    back = Tab(await connected(f"/ws/diff_socket/replay/?hg_epoch={hello['epoch']}&hg_seq={hello['seq']}"))
    assert json.loads(await back.client.receive_from(timeout=3))["t"] == "hello"
    seqs = [(await back.commands_frame())["seq"] for _ in range(3)]
    assert seqs == [hello["seq"] + 1, hello["seq"] + 2, hello["seq"] + 3]
    assert back.kinds == ["morph", "splice", "splice"]
    assert back.html == fresh("replay")
    for client in (sender.client, back.client):
        await client.disconnect()


@pytest.mark.asyncio
async def test_with_splices_off_every_morph_goes_whole():
    with override_settings(HYPERGEN={"WEBSOCKET_DIFF_BYTES": 0}):
        tab = Tab(await connected("/ws/diff_socket/off/"))
        for event_id, what in enumerate(["toggle:5", "toggle:6"], 1):
            await update(tab, what, True, event_id)
            await tab.commands_frame()
        assert tab.kinds == ["morph", "morph"]
        assert tab.html == fresh("off")
        await tab.client.disconnect()


@pytest.fixture(autouse=True)
def fresh_boards():
    DIFF_BOARDS.clear()
    yield
    DIFF_BOARDS.clear()


@pytest.mark.django_db(transaction=True)
def test_the_test_client_puts_splices_back_together_as_the_browser_does():
    from hypergen.testing import Client

    with Client() as client:
        sender, other = client.get("/ws/diff_board/testing/"), client.get("/ws/diff_board/testing/")
        for n, (what, via) in enumerate([("toggle:5", "answer"), ("say:\N{GRINNING FACE}", "group")] * 2, 1):
            sender.fill("#what", what).click(f"#via-{via}")
            assert sender.text("#updates") == f"{n} updates"
        for _ in range(10):  # The other tab got the group messages only: 2 (whole) and 4 (a splice).
            if other.text("#updates") == "4 updates":
                break
            other.receive(timeout=0.5)
        fresh = client.get("/ws/diff_board/testing/").find("#board").outer_html
        assert sender.find("#board").outer_html == fresh
        assert other.find("#board").outer_html == fresh
        assert "😀" in fresh
        sender.assert_no_errors()
        other.assert_no_errors()
