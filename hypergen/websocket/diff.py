"""Splices: a big morph target sent again over the same socket travels as what changed in it.

A socket's consumer remembers the last HTML it sent on that socket for each morph target (HTML of
at least ``MIN_CHARS``; ``HYPERGEN["WEBSOCKET_DIFF_BYTES"]`` characters a socket at the most, the
least recently morphed targets forgotten first; 0 turns splices off). When a frame it is about to
send morphs a target it remembers, the morph becomes a splice when that is smaller::

    ["hypergen.morphSplice", target_id, base_length, prefix_length, suffix_length, middle]

The new HTML is the first ``prefix_length`` and the last ``suffix_length`` code units of the
remembered HTML (``base_length`` long) with ``middle`` between them. Lengths count UTF-16 code
units, as JavaScript strings do. The client (client/src/diff.js) remembers what it received on
the socket in the order it arrived, which is the order it was sent (TCP), so its base is the
server's; a base it does not have, or of another length, re-renders the page's content instead.

Frames are rewritten as they are sent (``HypergenConsumer.send_text``): what the consumer
remembers follows the order of the frames on the wire, whichever thread built them.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from functools import lru_cache
from typing import Any

from hypergen.serialization import dumps_encoded

__all__ = ["MIN_CHARS", "SPLICE", "SentHtml", "common_prefix", "common_suffix", "splice", "utf16_length"]

#: HTML shorter than this (characters) is not remembered: its morph is about as small as a splice.
MIN_CHARS = 1024
#: The client command a morph becomes.
SPLICE = "hypergen.morphSplice"
_MORPH = "hypergen.morph"
_MORPH_JSON = '"hypergen.morph"'
# What a splice adds beside its middle ("hypergen.morphSplice", three lengths, commas): a morph
# becomes a splice only when it saves more than this.
_SPLICE_OVERHEAD = 48


def utf16_length(text: str) -> int:
    """``text``'s length in UTF-16 code units (JavaScript's ``length``)."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def common_prefix(a: str, b: str) -> int:
    """How many characters ``a`` and ``b`` start with alike (binary search on slices: C speed)."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a.startswith(b[low:middle], low):  # The first ``low`` are known to be equal.
            low = middle
        else:
            high = middle - 1
    return low


def common_suffix(a: str, b: str, limit: int) -> int:
    """How many characters ``a`` and ``b`` end with alike, at most ``limit``."""
    low, high = 0, min(len(a), len(b), limit)
    end_a, end_b = len(a), len(b)
    while low < high:
        middle = (low + high + 1) // 2
        if a.endswith(b[end_b - middle : end_b - low], 0, end_a - low):  # The last ``low`` are equal.
            low = middle
        else:
            high = middle - 1
    return low


@lru_cache(maxsize=16)
def splice(base: str, html: str) -> tuple[int, int, int, str]:
    """``(base_length, prefix_length, suffix_length, middle)`` turning ``base`` into ``html`` (UTF-16 lengths).

    Cached: a group's sockets have the same base and get the same HTML, as the same strings.
    """
    prefix = common_prefix(base, html)
    suffix = common_suffix(base, html, min(len(base), len(html)) - prefix)
    middle = html[prefix : len(html) - suffix]
    if base.isascii():
        return len(base), prefix, suffix, middle
    return utf16_length(base), utf16_length(base[:prefix]), utf16_length(base[len(base) - suffix :]), middle


@lru_cache(maxsize=8)
def _read(frame: str) -> Any:
    """A frame's JSON, read once for every socket of a group it is sent to (do not change it).

    The sockets then remember the very same HTML strings, not a copy each.
    """
    return json.loads(frame)


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
            if type(command) is not list or len(command) != 3 or command[0] != _MORPH:
                continue
            target_id, html = command[1], command[2]
            if type(target_id) is not str or type(html) is not str:
                continue
            base = self._html.get(target_id)
            if base is not None:
                lengths = splice(base, html)
                if len(lengths[3]) + len(target_id) + _SPLICE_OVERHEAD < len(html):
                    if spliced is commands:
                        spliced = list(commands)
                    spliced[index] = [SPLICE, target_id, *lengths]
            self._remember(target_id, html)
        return spliced

    def _remember(self, target_id: str, html: str) -> None:
        """The client now has ``html`` for ``target_id``: remember it, or forget the old one."""
        old = self._html.pop(target_id, None)
        if old is not None:
            self.used -= len(old)
        if len(html) < MIN_CHARS or len(html) > self.budget:
            return
        self._html[target_id] = html
        self.used += len(html)
        while self.used > self.budget:
            _, forgotten = self._html.popitem(last=False)
            self.used -= len(forgotten)
