"""Splices: a big morph target sent again over the same socket travels as what changed in it.

A socket's consumer remembers the last HTML it sent on that socket for each morph target (HTML of
at least ``MIN_CHARS``; ``HYPERGEN["WEBSOCKET_DIFF_BYTES"]`` bytes of memory a socket at the most, the
least recently morphed targets forgotten first; 0 turns splices off). When a frame it is about to
send morphs a target it remembers, the morph becomes a splice when that is smaller::

    ["hypergen.morphSplice", target_id, base_length, [[0, 1195], " class=\"done\"", [1195, 23870]]]

The new HTML is its pieces joined: a string is new text, ``[start, end]`` the text between those
offsets of the remembered HTML (``base_length`` long). Offsets count UTF-16 code units, as
JavaScript strings do. The client (client/src/diff.js) remembers what it received on
the socket in the order it arrived, which is the order it was sent (TCP), so its base is the
server's. A splice whose base it does not have, or of another length, is never guessed at: the
client connects again, so that both ends start afresh (docs/protocol.md, "Splices").

Frames are rewritten as they are sent (``HypergenConsumer.send_text``): what the consumer
remembers follows the order of the frames on the wire, whichever thread built them.
"""

from __future__ import annotations

import json
import sys
from collections import OrderedDict
from functools import lru_cache
from typing import Any

from hypergen.serialization import dumps_encoded

__all__ = [
    "MIN_CHARS",
    "SPLICE",
    "ReceivedHtml",
    "SentHtml",
    "common_prefix",
    "common_suffix",
    "pieces",
    "splice",
    "utf16_length",
]

#: HTML shorter than this (characters) is not remembered: its morph is about as small as a splice.
MIN_CHARS = 1024
#: The client command a morph becomes.
SPLICE = "hypergen.morphSplice"
_MORPH = "hypergen.morph"
_MORPH_JSON = '"hypergen.morph"'
# A splice's size beside its new text: a copy ``[12345,23456],`` and the command itself. A morph
# becomes a splice only when that is smaller.
_COPY_CHARS, _SPLICE_CHARS = 14, 48
# The new HTML between what two renders have in common is looked for in the old in pieces of this
# many characters, at most this many times a splice (bounding the work).
_ANCHOR, _MAX_ANCHORS = 32, 32


def utf16_length(text: str) -> int:
    """``text``'s length in UTF-16 code units (JavaScript's ``length``)."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def common_prefix(a: str, b: str, a_start: int = 0, b_start: int = 0, limit: int | None = None) -> int:
    """How many characters ``a[a_start:]`` and ``b[b_start:]`` start with alike, at most ``limit``.

    A binary search comparing slices: C speed, however long the strings.
    """
    low = 0
    high = min(len(a) - a_start, len(b) - b_start) if limit is None else limit
    while low < high:
        middle = (low + high + 1) // 2
        if a.startswith(b[b_start + low : b_start + middle], a_start + low):  # The first ``low`` are alike.
            low = middle
        else:
            high = middle - 1
    return low


def common_suffix(a: str, b: str, a_end: int | None = None, b_end: int | None = None, limit: int | None = None) -> int:
    """How many characters ``a[:a_end]`` and ``b[:b_end]`` end with alike, at most ``limit``."""
    a_end = len(a) if a_end is None else a_end
    b_end = len(b) if b_end is None else b_end
    low, high = 0, min(a_end, b_end) if limit is None else limit
    while low < high:
        middle = (low + high + 1) // 2
        if a.endswith(b[b_end - middle : b_end - low], 0, a_end - low):  # The last ``low`` are alike.
            low = middle
        else:
            high = middle - 1
    return low


def pieces(base: str, html: str) -> list[tuple[int, int] | str]:
    """``html`` as copies of ``base`` (``(start, end)``, in characters) and new text, in order.

    What two renders of a target have in common is found by its common start and end, then, in
    what is left between them, around a piece of the new HTML found in the old (an anchor), on
    each side of it again: two changes far apart (a ticked todo and the "3 left" under the list)
    cost the two changes, not all that lies between them. Every comparison is a C string search.
    """
    found: list[tuple[int, int] | str] = []
    anchors = _MAX_ANCHORS

    def region(b0: int, b1: int, h0: int, h1: int) -> None:
        nonlocal anchors
        prefix = common_prefix(base, html, b0, h0, min(b1 - b0, h1 - h0))
        suffix = common_suffix(base, html, b1, h1, min(b1 - b0, h1 - h0) - prefix)
        if prefix:
            found.append((b0, b0 + prefix))
        b0, h0, b1, h1 = b0 + prefix, h0 + prefix, b1 - suffix, h1 - suffix
        at = where = -1
        if h1 - h0 >= 2 * _ANCHOR and b1 - b0 >= _ANCHOR and anchors > 0:
            anchors -= 1
            at = (h0 + h1 - _ANCHOR) // 2
            anchor = html[at : at + _ANCHOR]
            # Where it is if what came before it kept its length, or what came after; else anywhere.
            for guess in (b0 + at - h0, b1 - (h1 - at)):
                if b0 <= guess and base.startswith(anchor, guess, b1):
                    where = guess
                    break
            else:
                where = base.find(anchor, b0, b1)
        if where < 0:
            if h1 > h0:
                found.append(html[h0:h1])
        else:
            region(b0, where, h0, at)
            region(where, b1, at, h1)
        if suffix:
            found.append((b1, b1 + suffix))

    region(0, len(base), 0, len(html))
    merged: list[tuple[int, int] | str] = []
    for piece in found:
        last = merged[-1] if merged else None
        if type(piece) is str and type(last) is str:
            merged[-1] = last + piece
        elif type(piece) is tuple and type(last) is tuple and last[1] == piece[0]:
            merged[-1] = (last[0], piece[1])
        else:
            merged.append(piece)
    return merged


@lru_cache(maxsize=16)
def splice(base: str, html: str) -> tuple[int, list] | None:
    """``(base_length, pieces)`` turning ``base`` into ``html``, copies as ``[start, end]`` in UTF-16
    code units; None when that is no smaller than ``html`` itself.

    Cached: a group's sockets have the same base and get the same HTML, as the same strings.
    """
    found = pieces(base, html)
    copies = sum(1 for piece in found if type(piece) is tuple)
    if sum(len(piece) for piece in found if type(piece) is str) + copies * _COPY_CHARS + _SPLICE_CHARS >= len(html):
        return None
    if base.isascii():
        return len(base), [piece if type(piece) is str else list(piece) for piece in found]
    # Character offsets to UTF-16 ones, counting each stretch of the base once.
    units, done, at = {0: 0}, 0, 0
    for offset in sorted({offset for piece in found if type(piece) is tuple for offset in piece}):
        done += utf16_length(base[at:offset])
        units[offset], at = done, offset
    return utf16_length(base), [piece if type(piece) is str else [units[piece[0]], units[piece[1]]] for piece in found]


@lru_cache(maxsize=8)
def _read(frame: str) -> Any:
    """A frame's JSON, read once for every socket of a group it is sent to (do not change it).

    The sockets then remember the very same HTML strings, not a copy each.
    """
    return json.loads(frame)


def _morph_target(command: Any) -> str | None:
    """The target of a morph command, or None for any other command.

    Both ends keep one rule (client/src/diff.js): a morph of a target with HTML (whatever other
    arguments follow) is that target's base; a morph of it without HTML makes it forgotten.
    """
    if type(command) is list and len(command) >= 2 and command[0] == _MORPH and type(command[1]) is str:
        return command[1]
    return None


class SentHtml:
    """What one socket was last sent for each morph target, and the splicing of its next frames."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.used = 0
        self._html: OrderedDict[str, str] = OrderedDict()

    def __contains__(self, target_id: str) -> bool:
        return target_id in self._html

    def frame(self, text: str) -> str:
        """``text`` as this socket should get it: its morphs of remembered targets as splices."""
        if self.budget <= 0 or _MORPH_JSON not in text or (not self._html and len(text) < MIN_CHARS):
            return text
        frame = _read(text)
        commands = frame.get("commands") if type(frame) is dict else None
        if type(commands) is not list:
            return text
        spliced = self.commands(commands)
        if spliced is commands:
            return text
        return dumps_encoded({**frame, "commands": spliced})

    def commands(self, commands: list) -> list:
        """``commands`` with morphs of remembered targets as splices (the same list if none is)."""
        spliced = commands
        for index, command in enumerate(commands):
            target_id = _morph_target(command)
            if target_id is None:
                continue
            html = command[2] if len(command) > 2 else None
            if type(html) is not str:
                self._remember(target_id, "")  # Forgotten, as the client forgets it.
                continue
            base = self._html.get(target_id) if len(command) == 3 else None  # Other arguments: sent whole.
            found = None if base is None else splice(base, html)
            if found is not None:
                if spliced is commands:
                    spliced = list(commands)
                spliced[index] = [SPLICE, target_id, *found]
            self._remember(target_id, html)
        return spliced

    def _remember(self, target_id: str, html: str) -> None:
        """The client now has ``html`` for ``target_id``: remember it, or forget the old one.

        The budget counts the memory the strings take (sys.getsizeof: one byte a character for
        ASCII HTML, up to four for other text), not their length.
        """
        old = self._html.pop(target_id, None)
        if old is not None:
            self.used -= sys.getsizeof(old)
        if len(html) < MIN_CHARS or sys.getsizeof(html) > self.budget:
            return
        self._html[target_id] = html
        self.used += sys.getsizeof(html)
        while self.used > self.budget:
            _, forgotten = self._html.popitem(last=False)
            self.used -= sys.getsizeof(forgotten)


class ReceivedHtml:
    """The receiving end of one socket, as client/src/diff.js does it (for ``hypergen.testing``)."""

    def __init__(self) -> None:
        self._html: dict[str, str] = {}

    def expand(self, commands: Any) -> str | None:
        """Turn the splices of ``commands`` back into morphs, in place, and remember each morph's HTML.

        Returns the target of a splice whose base this socket does not have, or None.
        """
        for index, command in enumerate(commands if type(commands) is list else ()):
            if type(command) is list and len(command) == 4 and command[0] == SPLICE:
                target_id, length, found = command[1], command[2], command[3]
                base = self._html.get(target_id)
                units = None if base is None else base.encode("utf-16-le", "surrogatepass")
                if units is None or len(units) // 2 != length or type(found) is not list:
                    return str(target_id)
                commands[index] = command = [_MORPH, target_id, _joined(units, found)]
            target_id = _morph_target(command)
            if target_id is None:
                continue
            html = command[2] if len(command) > 2 else None
            if type(html) is str and utf16_length(html) >= MIN_CHARS:
                self._html[target_id] = html
            else:
                self._html.pop(target_id, None)
        return None


def _joined(units: bytes, found: list) -> str:
    """The HTML a splice's pieces make of a base (``units``: the base in UTF-16)."""
    return b"".join(
        piece.encode("utf-16-le", "surrogatepass") if type(piece) is str else units[2 * piece[0] : 2 * piece[1]]
        for piece in found
    ).decode("utf-16-le", "surrogatepass")
