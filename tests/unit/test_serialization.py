"""The wire format: every supported type round-trips; anything else is refused clearly."""

from collections import deque
from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest

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
