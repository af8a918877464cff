"""Websocket URLs: absolute for the current request's host and scheme, or relative to the page."""

from __future__ import annotations

from hypergen.context import context

#: The prefix of a websocket URL relative to the page: ``ws:/chat/lobby/`` is the page's own host,
#: over wss when the page is https (client/src/websocket.js resolves it).
RELATIVE_PREFIX = "ws:"


def websocket_url(path: str) -> str:
    """The websocket URL of ``path``: ws:// or wss:// for the current request's host and scheme.

    Outside a request (push() from a worker, a script, a thread) there is no host to name: the URL
    is then relative to the page that receives it, ``ws:/path``.
    """
    request = context.get("request")
    if request is None:
        return RELATIVE_PREFIX + path
    scheme = "wss" if request.is_secure() else "ws"
    return f"{scheme}://{request.get_host()}{path}"
