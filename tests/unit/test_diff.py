"""Splices (hypergen/websocket/diff.py): a big morph sent again over a socket travels as what changed."""

import json
import sys

import pytest

from hypergen.serialization import dumps
from hypergen.websocket import diff, protocol

BIG = "".join(f"<li id='todo-{n}'>Todo number {n}</li>" for n in range(100))


def apply_splice(base: str, base_length: int, pieces: list) -> str:
    """What the client does (client/src/diff.js), on UTF-16 code units as JavaScript strings have them."""
    units = base.encode("utf-16-le", "surrogatepass")
    assert len(units) // 2 == base_length
    joined = b"".join(
        piece.encode("utf-16-le", "surrogatepass") if type(piece) is str else units[piece[0] * 2 : piece[1] * 2]
        for piece in pieces
    )
    return joined.decode("utf-16-le", "surrogatepass")


def spliced(base: str, html: str) -> str:
    """``html`` from a splice of ``base``, or ``html`` itself when no splice is made."""
    found = diff.splice(base, html)
    return html if found is None else apply_splice(base, *found)


def group_frame(seq: int, *commands: list) -> str:
    return protocol.group_frame(seq, dumps(list(commands)))


def commands_of(frame: str) -> list:
    return json.loads(frame)["commands"]


@pytest.mark.parametrize(
    ("base", "html"),
    [
        (BIG, BIG),  # Identical: one copy.
        (BIG, BIG.replace("Todo number 50", "Done number 50")),  # A change in the middle.
        (BIG, "X" + BIG[1:]),  # The first character.
        (BIG, BIG[:-1] + "X"),  # The last.
        (BIG, BIG + "<li>one more</li>"),  # Appended: the whole base is the prefix.
        (BIG, "<li>first</li>" + BIG),  # Prepended: the whole base is the suffix.
        (BIG, BIG[:500] + BIG[600:]),  # Removed from the middle.
        ("aaaa", "aaaaaa"),  # Repeats: prefix and suffix must not overlap.
        ("abcabc", "abc"),
        ("", "new"),
        ("old", ""),
        ("<p>😀 a 👍🏽</p>" * 100, ("<p>😀 a 👍🏽</p>" * 100).replace("a 👍", "b 👍", 1)),  # Astral characters.
        ("😀" * 600, "😀" * 300 + "🙂" + "😀" * 299),
        ("é" * 1000 + "😀", "é" * 1000 + "😃"),  # Differs in the low surrogate only, in Python a whole character.
    ],
)
def test_a_splice_turns_the_base_into_the_new_html_in_utf16_units(base, html):
    assert spliced(base, html) == html


def test_offsets_count_utf16_code_units_as_javascript_does():
    base = "😀" * 600 + "x" + "😀" * 600
    html = "😀" * 600 + "y" + "😀" * 600
    assert diff.splice(base, html) == (2401, [[0, 1200], "y", [1201, 2401]])
    assert diff.utf16_length("a😀é") == 4


def test_common_prefix_and_suffix_at_the_edges():
    assert diff.common_prefix("abcdef", "abcxef") == 3
    assert diff.common_prefix("abc", "abc") == 3
    assert diff.common_prefix("abc", "xbc") == 0
    assert diff.common_prefix("", "abc") == 0
    assert diff.common_prefix("xxabc", "abd", 2, 0) == 2  # From offsets.
    assert diff.common_prefix("abc", "abc", limit=1) == 1
    assert diff.common_suffix("abcdef", "abcxef") == 2
    assert diff.common_suffix("abc", "abc", limit=0) == 0  # Limited: what the prefix took is not counted twice.
    assert diff.common_suffix("aXa", "aYa") == 1
    assert diff.common_suffix("abcX", "zbc", 3) == 2  # Up to offsets.


def test_two_changes_far_apart_cost_the_two_changes_not_what_lies_between():
    base = BIG + "<p>0 done</p>"
    html = BIG.replace("Todo number 3<", "Done number 3<").replace("Todo number 96<", "Done number 96<")
    html += "<p>2 done</p>"
    length, found = diff.splice(base, html)
    assert apply_splice(base, length, found) == html
    assert sum(len(piece) for piece in found if type(piece) is str) <= 12  # "Done" twice, "2".


def test_the_first_morph_of_a_target_goes_whole_and_the_next_as_a_splice():
    sent = diff.SentHtml(128 * 1024)
    first = group_frame(1, ["hypergen.morph", "todos", BIG])
    assert sent.frame(first) == first
    changed = BIG.replace("Todo number 7<", "Todo number 7!<")
    frame = sent.frame(group_frame(2, ["hypergen.setText", "n", 2], ["hypergen.morph", "todos", changed]))
    assert json.loads(frame)["seq"] == 2
    text, splice = commands_of(frame)
    assert text == ["hypergen.setText", "n", 2]
    assert splice[:2] == ["hypergen.morphSplice", "todos"]
    assert apply_splice(BIG, *splice[2:]) == changed
    assert len(frame) < 150


def test_an_answer_frame_keeps_its_ack():
    sent = diff.SentHtml(128 * 1024)
    sent.frame(protocol.answer_frame(dumps([["hypergen.morph", "todos", BIG]]), 1))
    frame = json.loads(sent.frame(protocol.answer_frame(dumps([["hypergen.morph", "todos", BIG + "!"]]), 2)))
    assert frame["ack"] == 2
    assert frame["commands"] == [["hypergen.morphSplice", "todos", len(BIG), [[0, len(BIG)], "!"]]]


def test_totally_different_html_goes_whole():
    sent = diff.SentHtml(128 * 1024)
    sent.frame(group_frame(1, ["hypergen.morph", "todos", BIG]))
    other = group_frame(2, ["hypergen.morph", "todos", "x" * 3000])
    assert sent.frame(other) == other
    assert "todos" in sent  # Remembered as what the page has now.


def test_two_morphs_of_one_target_in_a_frame_splice_against_each_other_in_order():
    sent = diff.SentHtml(128 * 1024)
    second = BIG + "<li>2</li>"
    frame = sent.frame(group_frame(1, ["hypergen.morph", "todos", BIG], ["hypergen.morph", "todos", second]))
    whole, splice = commands_of(frame)
    assert whole == ["hypergen.morph", "todos", BIG]
    assert apply_splice(BIG, *splice[2:]) == second


def test_small_html_is_not_remembered_and_makes_the_target_forgotten():
    sent = diff.SentHtml(128 * 1024)
    sent.frame(group_frame(1, ["hypergen.morph", "todos", BIG]))
    sent.frame(group_frame(2, ["hypergen.morph", "todos", "<li>just one</li>"]))
    assert "todos" not in sent
    again = group_frame(3, ["hypergen.morph", "todos", BIG])
    assert sent.frame(again) == again


def test_the_least_recently_morphed_targets_are_forgotten_past_the_budget():
    sent = diff.SentHtml(sys.getsizeof(BIG) * 2)  # The budget counts the strings' memory.
    for target in ("a", "b", "c"):
        sent.frame(group_frame(1, ["hypergen.morph", target, BIG]))
    assert "a" not in sent and "b" in sent and "c" in sent
    assert sent.used == sys.getsizeof(BIG) * 2
    sent.frame(group_frame(2, ["hypergen.morph", "b", BIG]))  # b is now the most recent.
    sent.frame(group_frame(3, ["hypergen.morph", "d", BIG]))
    assert "c" not in sent and "b" in sent and "d" in sent


def test_html_larger_than_the_budget_is_not_remembered():
    sent = diff.SentHtml(2000)
    sent.frame(group_frame(1, ["hypergen.morph", "todos", BIG]))
    assert "todos" not in sent
    assert sent.used == 0


def test_a_budget_of_zero_sends_every_frame_as_it_is():
    sent = diff.SentHtml(0)
    frames = [group_frame(n, ["hypergen.morph", "todos", BIG + str(n)]) for n in range(3)]
    assert [sent.frame(frame) for frame in frames] == frames
    assert "todos" not in sent


def test_frames_without_a_morph_are_left_alone():
    sent = diff.SentHtml(128 * 1024)
    sent.frame(group_frame(1, ["hypergen.morph", "todos", BIG]))
    for frame in (protocol.ack_frame(3), protocol.PONG_FRAME, group_frame(2, ["hypergen.append", "todos", BIG])):
        assert sent.frame(frame) is frame
    assert "todos" in sent


def test_the_html_a_group_shares_is_remembered_once_for_all_its_sockets():
    frame = group_frame(1, ["hypergen.morph", "todos", BIG + "shared"])
    sockets = [diff.SentHtml(128 * 1024) for _ in range(3)]
    for sent in sockets:
        sent.frame(frame[:1] + frame[1:])  # Each socket has its own copy of the frame.
    first, *others = (sent._html["todos"] for sent in sockets)
    assert all(html is first for html in others)


def test_random_edits_of_html_with_astral_characters_splice_back_exactly():
    import random

    generator = random.Random(15)
    alphabet = ["a", "<li>", "</li>", "é", "😀", "👍🏽", "\n", '"']
    html = "".join(generator.choice(alphabet) for _ in range(1500))
    for _ in range(300):
        start = generator.randrange(len(html) + 1)
        end = min(len(html), start + generator.randrange(20))
        new = html[:start] + "".join(generator.choice(alphabet) for _ in range(generator.randrange(20))) + html[end:]
        assert spliced(html, new) == new
        html = new


def test_what_one_end_sends_the_other_puts_back_together_frame_after_frame():
    sent, received = diff.SentHtml(128 * 1024), diff.ReceivedHtml()
    versions = [BIG, BIG.replace("number 9<", "number 9 😀<"), "<li>short</li>", BIG, BIG + "👍🏽" * 700]
    for seq, html in enumerate(versions, 1):
        commands = commands_of(sent.frame(group_frame(seq, ["hypergen.morph", "todos", html])))
        assert received.expand(commands) is None
        assert commands == [["hypergen.morph", "todos", html]]


def test_the_receiving_end_reports_a_splice_it_has_no_base_for():
    received = diff.ReceivedHtml()
    assert received.expand([["hypergen.morphSplice", "todos", 5, [[0, 5]]]]) == "todos"
    received.expand([["hypergen.morph", "todos", BIG]])
    assert received.expand([["hypergen.morphSplice", "todos", len(BIG) + 1, [[0, 5]]]]) == "todos"


def test_both_ends_take_a_morph_with_more_arguments_as_the_targets_html():
    """A consumer's own command("hypergen.morph", id, html, options) is not spliced, but it is the
    HTML the page now has: the next splice must be made against it on both ends."""
    sent, received = diff.SentHtml(128 * 1024), diff.ReceivedHtml()
    same_length = BIG.replace("Todo number 90", "Todo number XX")
    versions = [
        ["hypergen.morph", "todos", BIG],
        ["hypergen.morph", "todos", same_length, {"focus": True}],
        ["hypergen.morph", "todos", same_length.replace("Todo number 3<", "Todo number 3!<")],
    ]
    for seq, command in enumerate(versions, 1):
        commands = commands_of(sent.frame(group_frame(seq, command)))
        assert received.expand(commands) is None
        assert commands[0][:3] == command[:3], f"message {seq} came out as other HTML"
        # The base client/src/diff.js keeps, whatever the morph's other arguments.
        assert sent._html["todos"] == received._html["todos"] == command[2]
    assert commands_of(sent.frame(group_frame(4, versions[2])))[0][0] == diff.SPLICE


@pytest.mark.parametrize("command", [["hypergen.morph", "todos"], ["hypergen.morph", "todos", 7]])
def test_a_morph_without_html_makes_both_ends_forget_the_target(command):
    sent, received = diff.SentHtml(128 * 1024), diff.ReceivedHtml()
    for seq, each in enumerate([["hypergen.morph", "todos", BIG], command], 1):
        received.expand(commands_of(sent.frame(group_frame(seq, each))))
    assert "todos" not in sent
    assert commands_of(sent.frame(group_frame(3, ["hypergen.morph", "todos", BIG]))) == [
        ["hypergen.morph", "todos", BIG]
    ]
