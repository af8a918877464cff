"""Group names: one group per consumer URL by default, or a name of the consumer's choosing."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from hypergen.routing import ViewInfo

_UNSAFE_GROUP_CHARACTERS = re.compile(r"[^a-zA-Z0-9\-_.]")


#: The kinds of group: a consumer URL's (the default), one a consumer names (group_name=, Group()),
#: and a user's own (hypergen/websocket/auth.py). Kept apart, so that no name chosen for one kind
#: (from user input, say) can ever be a group of another.
GROUP_KINDS = ("url", "named", "user")


def group_name(raw: str, kind: str = "named") -> str:
    """A channel layer group name for ``raw``: a URL path (``kind="url"``), a custom name, or a user.

    Valid for every layer whatever ``raw`` holds (only ASCII letters, digits, ``-_.``, under 100
    characters), and distinct for distinct ``raw`` values and kinds.
    """
    if kind not in GROUP_KINDS:
        raise ValueError(f"group_name(kind={kind!r}): one of {', '.join(GROUP_KINDS)}.")
    digest = hashlib.sha256(f"{kind}:{raw}".encode()).hexdigest()[:16]
    readable = _UNSAFE_GROUP_CHARACTERS.sub("_", raw)[:60]
    prefix = "hypergen" if kind == "url" else f"hypergen.{kind}"
    return f"{prefix}.{readable}.{digest}"


class Group:
    """A group to push to: ``my_consumer.group(room_name="lobby")`` or ``Group("vip_group")``."""

    def __init__(self, name: str, info: ViewInfo | None = None) -> None:
        self.raw_name = name
        # A consumer's URL group, or one a consumer names with group_name= (what Group("...") means).
        self.name = group_name(name, "url" if info is not None else "named")
        self.info = info

    def __repr__(self) -> str:
        return f"<hypergen group {self.raw_name!r}>"


def group_of_consumer(info: ViewInfo, **url_kwargs: Any) -> Group:
    """The group of the sockets connected to ``info``'s URL with these URL kwargs."""
    if info.group_name is not None:
        raise TypeError(
            f"{info.name} names its groups with group_name=, which needs a connected consumer. Push to the "
            "name it returns instead: push(Group('that name'), ...)."
        )
    return Group(info.reverse_path(**url_kwargs), info)
