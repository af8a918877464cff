"""The wire format: every supported type round-trips; anything else is refused clearly."""

import json
from collections import deque
from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hypergen.serialization import WireError, dumps, loads

ROUND_TRIPS = [
    None,
    True,
    3,
    2.5,
    "text <&>",
    [1, "a", None],
    {"a": 1, "b": [2]},
    date(2026, 11, 24),
    datetime(2026, 11, 24, 10, 30, 5),
    datetime(2026, 11, 24, 10, 30, tzinfo=UTC),
    time(10, 30),
    Decimal("3.10"),
    (1, 2, (3,)),
    {1, 2, 3},
    frozenset({"a"}),
    deque([1, 2]),
    range(0, 10, 2),
    {1: "int key", (1, 2): "tuple key"},
    {"_t": "a dict that looks tagged"},
    [{"nested": (date(2026, 1, 1), Decimal("1"))}],
]


@pytest.mark.parametrize("value", ROUND_TRIPS, ids=repr)
def test_values_round_trip_with_their_types(value):
    decoded = loads(dumps(value))
    assert decoded == value
    assert type(decoded) is type(value)


def test_month_and_week_inputs_decode_to_dates():
    assert loads('{"_t":"month","v":"2026-11"}') == date(2026, 11, 1)
    assert loads('{"_t":"week","v":"2026-W48"}') == date(2026, 11, 23)


@pytest.mark.parametrize("value", [object(), b"bytes", float("nan"), float("inf"), Decimal("NaN"), 1j])
def test_unsupported_values_are_refused_naming_the_type(value):
    with pytest.raises(WireError, match="cannot be sent|Cannot send"):
        dumps(value)


@pytest.mark.parametrize(
    "text, message",
    [
        ("{not json", "Malformed JSON"),
        ("NaN", "not valid JSON"),
        ('{"_t":"pickle","v":"x"}', "Unknown wire type 'pickle'"),
        ('{"_t":"date","v":"yesterday"}', "Invalid date"),
        ('{"_t":"date","v":5}', "must be sent as a string"),
        ('{"_t":"tuple","v":"abc"}', "must be sent as a list"),
        ('{"_t":"range","v":[1,2,0]}', "step != 0"),
        ('{"_t":"set","v":[[1]]}', "hashable"),
        ('{"_t":"date","v":"2026-01-01","x":1}', "exactly the keys"),
        ('{"_t":"dict","v":[[1]]}', "key, value"),
        ('{"_t":"decimal","v":"abc"}', "Invalid decimal"),
    ],
)
def test_malformed_messages_are_refused_with_what_is_wrong(text, message):
    with pytest.raises(WireError, match=message):
        loads(text)


# Hostile input: decoding raises WireError and nothing else (security review, finding 5) -----


@pytest.mark.parametrize(
    "text, message",
    [
        ("[" * 100_000, "nested deeper than 100"),
        ("[" * 101 + "]" * 101, "nested deeper than 100"),
        ('{"a":' * 101 + "1" + "}" * 101, "nested deeper than 100"),
        ('{"_t":"tuple","v":[' * 60 + "]}" * 60, "nested deeper than 100"),
        ("1" * 5000, "more than 300 digits"),
        ("-" + "1" * 301, "more than 300 digits"),
        ("NaN", "not valid JSON"),
        ("Infinity", "not valid JSON"),
        ("[-Infinity]", "not valid JSON"),
        ("1e999", "too large"),
        ("[-1e999]", "too large"),
        ('"\\ud800"', "lone surrogate"),
        ('{"\\udc00": 1}', "lone surrogate"),
        ('["\ud800"]', "lone surrogate"),  # In the text itself, not escaped.
        ('{"a": {"\udfff": 1}}', "lone surrogate"),
        ('["\ud800"]'.encode("utf-8", "surrogatepass"), "lone surrogate"),
        ('{"_t":"decimal","v":"NaN"}', "Invalid decimal"),
        ('{"_t":"decimal","v":"-Infinity"}', "Invalid decimal"),
        ('{"_t":"decimal","v":"' + "9" * 301 + '"}', "Invalid decimal"),
        ('{"_t":"month","v":"99999999999999999999-01"}', "Invalid month"),
        ('{"_t":"week","v":"99999999999999999999-W01"}', "Invalid week"),
        ('{"_t":"month","v":"2026"}', "Invalid month"),
        (b"\xff\xfe\x00", "Malformed JSON"),
    ],
)
def test_hostile_input_is_refused_with_a_wire_error(text, message):
    with pytest.raises(WireError, match=message):
        loads(text)


@pytest.mark.parametrize("value", [None, 5, ["[]"]])
def test_what_is_not_text_is_refused_with_a_wire_error(value):
    with pytest.raises(WireError, match="must be JSON text"):
        loads(value)


def test_the_limits_leave_room_for_real_messages():
    assert loads("[" * 100 + "]" * 100) is not None
    assert loads("9" * 300) == int("9" * 300)
    assert loads("1e308") == 1e308
    assert loads('"\\ud83d\\ude00"') == "\U0001f600"  # A surrogate pair is a character.


# Property tests: whatever arrives, the decoder raises only its one documented error.

# Big integers and lone surrogates are what real JSON encoders also produce.
BIG_INTEGERS = st.integers(min_value=-(10**4000), max_value=10**4000)
# (st.text() never yields surrogates, whatever its alphabet.)
ANY_TEXT = st.lists(st.characters() | st.characters(categories=["Cs"]), max_size=10).map("".join)
JSON_LEAVES = st.none() | st.booleans() | st.integers() | BIG_INTEGERS | st.floats() | ANY_TEXT
TAGS = st.sampled_from(["date", "datetime", "time", "decimal", "tuple", "set", "frozenset", "deque", "range", "dict"])


def json_values():
    def extend(children):
        tagged = st.fixed_dictionaries({"_t": TAGS | st.text(max_size=8), "v": children})
        return st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4) | tagged

    return st.recursive(JSON_LEAVES | st.sampled_from(["month", "week", "2026-W48", "2026-11"]), extend, max_leaves=20)


def decode_or_wire_error(text):
    """The property: decoding raises nothing but WireError, and what it accepts can be sent back."""
    try:
        value = loads(text)
    except WireError:
        return
    dumps(value).encode("utf-8")  # Decoding accepts nothing that encoding refuses.


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_decodes_or_raises_a_wire_error(text):
    decode_or_wire_error(text)


@settings(max_examples=300, deadline=None)
@given(st.binary())
def test_any_bytes_decode_or_raise_a_wire_error(data):
    decode_or_wire_error(data)


@settings(max_examples=500, deadline=None)
@given(json_values())
def test_any_json_value_with_any_tags_decodes_or_raises_a_wire_error(value):
    decode_or_wire_error(json.dumps(value))


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=5000), json_values())
def test_json_nested_to_any_depth_decodes_or_raises_a_wire_error(depth, value):
    decode_or_wire_error("[" * depth + json.dumps(value) + "]" * depth)


@settings(max_examples=300, deadline=None)
@given(json_values(), st.integers(min_value=0), st.text(max_size=3))
def test_json_cut_or_spliced_anywhere_decodes_or_raises_a_wire_error(value, position, splice):
    text = json.dumps(value)
    position %= len(text) + 1
    decode_or_wire_error(text[:position] + splice + text[position:])
