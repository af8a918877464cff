"""The frames and wire values the client's own tests (client/test/, run by node) are checked on.

tests/fixtures/protocol.json is what the server sends and accepts; these tests keep it equal to
what hypergen makes and reads today, so a change to the protocol fails here until the fixture,
and with it the client's tests, are brought along. HYPERGEN_WRITE_FIXTURES=1 rewrites it.
"""

import json
import os
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path

from hypergen.serialization import dumps, loads
from hypergen.websocket import diff, protocol

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "protocol.json"

# Name, the Python value, and what the browser should make of it after decoding.
WIRE_VALUES = [
    ("date", date(2026, 11, 24), "2026-11-24"),
    ("datetime", datetime(2026, 11, 24, 10, 30, tzinfo=UTC), "2026-11-24T10:30:00+00:00"),
    ("time", time(10, 30), "10:30:00"),
    ("decimal", Decimal("9.90"), "9.90"),
    ("tuple", (1, "a"), [1, "a"]),
    ("set", {3}, [3]),
    ("frozenset", frozenset({"x"}), ["x"]),
    ("range", range(0, 6, 2), [0, 2, 4]),
    ("dict with int keys", {1: "one", 2: "two"}, {"1": "one", "2": "two"}),
    ("dict with a _t key", {"_t": "not a tag"}, {"_t": "not a tag"}),
    ("nested", {"when": [date(2026, 1, 2)], "plain": {"a": None}}, {"when": ["2026-01-02"], "plain": {"a": None}}),
]
COMMANDS = [["hypergen.setText", "when", date(2026, 11, 24)], ["hypergen.setValue", "price", Decimal("3.10")]]


# A big target with astral characters, morphed twice over one socket: the second time as a splice.
SPLICE_BASE = "".join(f"<li>todo {n} 😀</li>" for n in range(100))
SPLICE_HTML = SPLICE_BASE.replace("todo 50 😀", "todo 50 👍🏽 done")


def spliced_frames() -> list[str]:
    sent = diff.SentHtml(128 * 1024)
    morphs = [dumps([["hypergen.morph", "todos", html]]) for html in (SPLICE_BASE, SPLICE_HTML)]
    return [sent.frame(protocol.group_frame(1, morphs[0])), sent.frame(protocol.answer_frame(morphs[1], 3))]


def current_fixture() -> dict:
    commands = dumps(COMMANDS)
    return {
        "splice": {"frames": spliced_frames(), "html": SPLICE_HTML},
        "wire": [{"name": name, "wire": dumps(value), "decoded": decoded} for name, value, decoded in WIRE_VALUES],
        "frames": {
            "pong": protocol.PONG_FRAME,
            "ack": protocol.ack_frame(7),
            "answer": protocol.answer_frame(commands, 8),
            "group": protocol.group_frame(12, commands),
            "hello": protocol.hello_frame("3f2a17c0b9d1", 11),
            "resync": protocol.resync_frame("3f2a17c0b9d1", 20),
            "error": protocol.error_frame(9, "bad-arguments", "f() takes 1 argument"),
            "unreadable_error": protocol.error_frame(None, "bad-message", "Malformed JSON"),
        },
        "decoded_commands": [["hypergen.setText", "when", "2026-11-24"], ["hypergen.setValue", "price", "3.10"]],
        "event": {"args": [1, {"_t": "date", "v": "2026-11-24"}], "meta": {}, "page": "/shop/counter/?n=1"},
    }


def test_the_fixture_is_what_the_server_makes_today():
    if os.environ.get("HYPERGEN_WRITE_FIXTURES"):
        FIXTURE.write_text(json.dumps(current_fixture(), indent=2, ensure_ascii=False) + "\n")
    assert json.loads(FIXTURE.read_text()) == current_fixture()


def test_the_fixture_s_second_morph_is_a_splice():
    first, second = spliced_frames()
    assert "morphSplice" not in first
    assert json.loads(second)["commands"][0][0] == "hypergen.morphSplice"


def test_the_wire_values_of_the_fixture_read_back_as_the_python_values():
    for (name, value, _), entry in zip(WIRE_VALUES, current_fixture()["wire"], strict=True):
        assert loads(entry["wire"]) == value, name


def test_the_event_the_client_sends_is_one_the_server_reads():
    event = {"id": 1, "sid": "0123456789abcdef01234567", **current_fixture()["event"]}
    assert protocol.parse_event(json.dumps(event)) == {
        "id": 1,
        "sid": "0123456789abcdef01234567",
        "args": [1, date(2026, 11, 24)],
        "meta": {},
        "page": "/shop/counter/?n=1",
    }
