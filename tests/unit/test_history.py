"""Replay decisions: a page gets exactly what it missed, in order, or is told to re-render."""

import time

import pytest
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given
from hypothesis import strategies as st

from hypergen.conf import hypergen_settings
from hypergen.websocket.history import MemoryHistory, Position, replay_from


@given(
    last=st.integers(min_value=0, max_value=60),
    kept_count=st.integers(min_value=0, max_value=60),
    seq=st.integers(min_value=-2, max_value=70),
    same_epoch=st.booleans(),
)
def test_a_replay_is_exactly_the_missed_messages_in_order_or_a_resync(last, kept_count, seq, same_epoch):
    now = time.time()
    kept = [(n, now, f"[{n}]") for n in range(max(1, last - kept_count + 1), last + 1)]
    replay = replay_from(Position("e", last), kept, "e" if same_epoch else "other", seq)
    covered = same_epoch and 0 <= seq <= last and (seq == last or (kept and kept[0][0] <= seq + 1))
    if not covered:
        assert replay.messages is None
    else:
        assert replay.messages == [(n, f"[{n}]") for n in range(seq + 1, last + 1)]


def test_messages_older_than_the_window_are_not_replayed(settings):
    settings.HYPERGEN = {"WEBSOCKET_HISTORY_SECONDS": 60}
    old, new = time.time() - 120, time.time()
    kept = [(1, old, "[1]"), (2, new, "[2]")]
    assert replay_from(Position("e", 2), kept, "e", 0).messages is None  # 1 is too old: re-render.
    assert replay_from(Position("e", 2), kept, "e", 1).messages == [(2, "[2]")]


def test_the_memory_history_numbers_keeps_and_bounds(settings):
    settings.HYPERGEN = {"WEBSOCKET_HISTORY_SIZE": 3}
    history = MemoryHistory()
    assert history.number("g", ["a", "b"]) == [1, 2]
    assert history.number("g", ["c", "d"]) == [3, 4]
    assert history.position("g") == Position(history.epoch, 4)
    assert history.since("g", history.epoch, 1).messages == [(2, "b"), (3, "c"), (4, "d")]
    assert history.since("g", history.epoch, 0).messages is None  # 1 fell out of the window.
    assert MemoryHistory().epoch != history.epoch  # Another process (a restart): another epoch.


def test_a_message_too_large_to_keep_makes_a_page_that_missed_it_re_render(settings):
    settings.HYPERGEN = {"WEBSOCKET_HISTORY_MAX_MESSAGE_BYTES": 10}
    history = MemoryHistory()
    history.number("g", ["[1]", "[" + "x" * 50 + "]", "[3]"])
    assert history.since("g", history.epoch, 2).messages == [(3, "[3]")]
    assert history.since("g", history.epoch, 1).messages is None  # 2 was not kept: a hole, not a skip.


def test_history_size_0_numbers_messages_but_keeps_none(settings):
    settings.HYPERGEN = {"WEBSOCKET_HISTORY_SIZE": 2}
    history = MemoryHistory()
    history.number("g", ["a"])
    settings.HYPERGEN = {"WEBSOCKET_HISTORY_SIZE": 0}
    assert history.number("g", ["b", "c"]) == [2, 3]  # Still numbered: a page sees gaps.
    assert history._kept == {}  # What was kept before goes too.
    assert history.since("g", history.epoch, 3).messages == []  # Up to date: nothing to replay.
    assert history.since("g", history.epoch, 2).messages is None  # Missed one: re-render.
    assert history.since("g", history.epoch, 0).messages is None


@pytest.mark.parametrize("size", [-1, 2.5, "500", None])
def test_a_history_size_that_is_not_a_count_is_refused(settings, size):
    settings.HYPERGEN = {"WEBSOCKET_HISTORY_SIZE": size}
    with pytest.raises(ImproperlyConfigured, match=r'WEBSOCKET_HISTORY_SIZE"\] is .*0 turns replay history off'):
        hypergen_settings()
