"""Which URLs client commands may send the browser to: no ``javascript:``, ``data:`` or ``vbscript:``.

``js.redirect()`` and ``js.set_attribute()`` check every URL they are given, as Django's
redirects do; ``UnsafeURL(url)`` is the explicit way to send one that is refused.
"""

from __future__ import annotations

import re

__all__ = ["SAFE_SCHEMES", "UnsafeURL", "url_problem"]

#: The schemes a checked URL may have; a URL without one (relative) is always fine.
SAFE_SCHEMES = frozenset({"http", "https", "ftp", "mailto", "tel", "sms"})

# Browsers drop leading and trailing control characters and spaces from a URL, and tabs and
# newlines anywhere in it ("java\tscript:" is "javascript:"), and read "\" as "/".
_STRIPPED_ENDS = "".join(chr(n) for n in range(33))
_TABS_AND_NEWLINES = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")


class UnsafeURL(str):
    """A URL sent unchecked: ``js.redirect(UnsafeURL("javascript:..."))`` for a URL you trust."""

    __slots__ = ()


def _as_the_browser_reads_it(url: str) -> str:
    return _TABS_AND_NEWLINES.sub("", url.strip(_STRIPPED_ENDS)).replace("\\", "/")


def url_problem(url: str, own_host: str | None = None) -> str | None:
    """Why a browser must not be given ``url``, or None.

    A protocol-relative URL (``//host/path``) is fine only for ``own_host``.
    """
    if not isinstance(url, str):
        return f"a URL must be a str, not {type(url).__name__}"
    seen = _as_the_browser_reads_it(url)
    scheme = _SCHEME.match(seen)
    if scheme is not None:
        name = scheme.group(1).lower()
        if name not in SAFE_SCHEMES:
            return f"its {name}: scheme is not one of {', '.join(sorted(SAFE_SCHEMES))}"
        return None
    if seen.startswith("//"):
        host = seen[2:].split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
        if own_host is None or host.lower() != own_host.lower():
            return f"it leaves for the host {host!r} (a protocol-relative URL); write the scheme, https://{host}"
    return None
