"""JSON with the Python types callbacks need: the wire format between server and browser.

Plain JSON values travel as themselves. Other types travel as a tagged object
``{"_t": TYPE, "v": VALUE}``:

=========== ============================== =================================
``_t``      value                          Python type
=========== ============================== =================================
date        ``"2026-11-24"``               ``datetime.date``
datetime    ``"2026-11-24T10:30:00+00:00"`` ``datetime.datetime``
time        ``"10:30:00"``                 ``datetime.time``
decimal     ``"3.10"``                     ``decimal.Decimal``
tuple       list of values                 ``tuple``
set         list of values                 ``set``
frozenset   list of values                 ``frozenset``
deque       list of values                 ``collections.deque``
range       ``[start, stop, step]``        ``range``
dict        list of ``[key, value]``       ``dict`` whose keys are not all plain strings, or that has a key ``"_t"``
month       ``"2026-11"``                  ``datetime.date`` (the 1st of that month), sent by ``<input type=month>``
week        ``"2026-W48"``                 ``datetime.date`` (that week's Monday), sent by ``<input type=week>``
float       a number                       ``float``, sent by the browser for range inputs and ``coerce_to=float``
=========== ============================== =================================

Anything else is refused with a clear error, in both directions.

Decoding what a browser sent raises :class:`WireError` and nothing else, whatever it is given:
nesting deeper than ``MAX_DEPTH``, integers longer than ``MAX_INT_DIGITS`` digits, ``NaN``,
``Infinity`` and numbers too large for a float (``1e999``), non-finite decimals and lone
surrogates (text that cannot be UTF-8) are refused like malformed JSON.
"""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

__all__ = ["MAX_DEPTH", "MAX_INT_DIGITS", "WireError", "dumps", "dumps_encoded", "encode", "loads"]

#: How deeply lists, objects and tagged values may nest in a decoded message.
MAX_DEPTH = 100
#: The most digits an integer (or a decimal's text) may have in a decoded message.
MAX_INT_DIGITS = 300
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class WireError(ValueError):
    """A value cannot travel over the wire, or a message from the browser is malformed."""


def _is_plain_dict(value: dict) -> bool:
    return "_t" not in value and all(type(key) is str for key in value)


def encode(value: Any, default: Callable[[Any], Any] | None = None) -> Any:
    """Turn a Python value into plain JSON data (tagged objects for the extra types).

    ``default(value)``, if given, encodes values of any other type (or raises WireError).
    """
    kind = type(value)
    if value is None or kind in (str, int, bool):
        return value
    if kind is float:
        if value != value or value in (float("inf"), float("-inf")):
            raise WireError(f"{value!r} cannot be sent: JSON has no NaN or infinity.")
        return value
    if kind is list:
        return [encode(item, default) for item in value]
    if kind is dict:
        if _is_plain_dict(value):
            return {key: encode(item, default) for key, item in value.items()}
        return {"_t": "dict", "v": [[encode(key, default), encode(item, default)] for key, item in value.items()]}
    if kind is datetime:
        return {"_t": "datetime", "v": value.isoformat()}
    if kind is date:
        return {"_t": "date", "v": value.isoformat()}
    if kind is time:
        return {"_t": "time", "v": value.isoformat()}
    if kind is Decimal:
        if not value.is_finite():
            raise WireError(f"{value!r} cannot be sent: only finite decimals can.")
        return {"_t": "decimal", "v": str(value)}
    if kind is tuple:
        return {"_t": "tuple", "v": [encode(item, default) for item in value]}
    if kind is set or kind is frozenset:
        return {"_t": kind.__name__, "v": [encode(item, default) for item in value]}
    if kind is deque:
        return {"_t": "deque", "v": [encode(item, default) for item in value]}
    if kind is range:
        return {"_t": "range", "v": [value.start, value.stop, value.step]}
    if isinstance(value, str):  # SafeString, str enums, ...
        return str(value)
    if isinstance(value, int) and not isinstance(value, bool):  # IntEnum, ...
        return int(value)
    if default is not None:
        return default(value)
    raise WireError(
        f"Cannot send a {kind.__name__} ({value!r}) between server and browser. Supported: JSON values, "
        "date, datetime, time, Decimal, tuple, set, frozenset, deque and range."
    )


def dumps(value: Any, default: Callable[[Any], Any] | None = None) -> str:
    """Serialize to the wire format."""
    return dumps_encoded(encode(value, default))


def dumps_encoded(data: Any) -> str:
    """The JSON text of data that encode() made plain already: the one place JSON is written."""
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def _decode_tagged(kind: str, raw: Any, depth: int) -> Any:
    if kind in ("tuple", "set", "frozenset", "deque", "range", "dict") and type(raw) is not list:
        raise WireError(f"A {kind} must be sent as a list, got {type(raw).__name__}.")
    if kind == "float":
        # JSON has one number type: a browser sends a whole float (a range input, coerce_to=float)
        # tagged, so that Python gets 3.0, not 3.
        if type(raw) not in (int, float) or type(raw) is bool:
            raise WireError(f"A float must be sent as a number, got {type(raw).__name__}.")
        return float(raw)
    if kind in ("date", "datetime", "time", "decimal", "month", "week") and type(raw) is not str:
        raise WireError(f"A {kind} must be sent as a string, got {type(raw).__name__}.")
    try:
        if kind == "date":
            return date.fromisoformat(raw)
        if kind == "datetime":
            return datetime.fromisoformat(raw)
        if kind == "time":
            return time.fromisoformat(raw)
        if kind == "decimal":
            return _decimal(raw)
        if kind == "month":
            year, month = raw.split("-")
            return date(int(year), int(month), 1)
        if kind == "week":
            year, week = raw.split("-W")
            return date.fromisocalendar(int(year), int(week), 1)
    except (ValueError, InvalidOperation, OverflowError) as error:
        raise WireError(f"Invalid {kind}: {raw[:80]!r}.") from error
    items = [_decode(item, depth + 1) for item in raw]
    if kind == "tuple":
        return tuple(items)
    if kind in ("set", "frozenset"):
        try:
            return set(items) if kind == "set" else frozenset(items)
        except TypeError as error:
            raise WireError(f"A {kind} can only hold hashable values.") from error
    if kind == "deque":
        return deque(items)
    if kind == "range":
        if len(items) != 3 or not all(type(n) is int for n in items) or items[2] == 0:
            raise WireError(f"A range must be [start, stop, step] integers with step != 0, got {str(raw)[:80]}.")
        return range(*items)
    # dict
    if not all(type(pair) is list and len(pair) == 2 for pair in raw):
        raise WireError("A dict must be sent as a list of [key, value] pairs.")
    try:
        return dict(items)
    except TypeError as error:
        raise WireError("A dict key must be hashable.") from error


def _decimal(raw: str) -> Decimal:
    value = Decimal(raw) if len(raw) <= MAX_INT_DIGITS else None
    if value is None or not value.is_finite():
        raise ValueError(raw)
    return value


def _decode(value: Any, depth: int = 0, checked: Callable[[str], str] | None = None) -> Any:
    """``value`` with its tagged objects decoded; ``checked`` vets each string (None: _checked_text)."""
    if depth >= MAX_DEPTH:
        raise WireError(f"The message is nested deeper than {MAX_DEPTH} levels.")
    checked = checked or _checked_text
    kind = type(value)
    if kind is str:
        return checked(value)
    if kind is list:
        return [_decode(item, depth + 1, checked) for item in value]
    if kind is dict:
        if "_t" in value:
            if set(value) != {"_t", "v"} or type(value["_t"]) is not str:
                raise WireError(f"Malformed tagged value: {str(value)[:80]} must have exactly the keys _t and v.")
            return _decode_tagged_checked(value["_t"], value["v"], depth)
        return {checked(key): _decode(item, depth + 1, checked) for key, item in value.items()}
    return value


def _as_is(text: str) -> str:
    return text


def _checked_text(text: str) -> str:
    if _LONE_SURROGATE.search(text):
        raise WireError("A string holds a lone surrogate (\\ud800-\\udfff), which is not text.")
    return text


_TAGS = {
    "float",
    "date",
    "datetime",
    "time",
    "decimal",
    "tuple",
    "set",
    "frozenset",
    "deque",
    "range",
    "dict",
    "month",
    "week",
}


def _decode_tagged_checked(kind: str, raw: Any, depth: int) -> Any:
    if kind not in _TAGS:
        raise WireError(f"Unknown wire type {_checked_text(kind)[:40]!r}. Known: {', '.join(sorted(_TAGS))}.")
    return _decode_tagged(kind, raw, depth + 1)


def loads(text: str | bytes) -> Any:
    """Parse the wire format; anything malformed or hostile raises WireError (only) with what is wrong."""
    if not isinstance(text, (str, bytes, bytearray)):
        raise WireError(f"A message must be JSON text, got {type(text).__name__}.")
    try:
        if not isinstance(text, str):
            text = text.decode(json.detect_encoding(text), "surrogatepass")  # As json.loads does.
        data = _JSON_DECODER.decode(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise WireError(f"Malformed JSON: {error}.") from error
    except RecursionError:  # The parser itself recursed too deep: far past MAX_DEPTH.
        raise WireError(f"The message is nested deeper than {MAX_DEPTH} levels.") from None
    # A lone surrogate can only come from a \u escape or be in the text already: text with
    # neither needs no check of each string it holds (the common case, and a cost per event).
    plain = "\\u" not in text and not _LONE_SURROGATE.search(text)
    return _decode(data, checked=_as_is if plain else None)


def _refuse_constant(name: str) -> Any:
    raise WireError(f"{name} is not valid JSON.")


def _parse_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise WireError(f"An integer with more than {MAX_INT_DIGITS} digits is refused.")
    return int(digits)


def _parse_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise WireError(f"The number {text[:40]} is too large for a float.")
    return value


# One decoder for every message (json.loads with hooks would build a new one each call).
_JSON_DECODER = json.JSONDecoder(parse_constant=_refuse_constant, parse_int=_parse_int, parse_float=_parse_float)
