"""Absolute websocket URLs for the current request's host and scheme."""

from __future__ import annotations

from hypergen.context import context


def websocket_url(path: str) -> str:
    """The absolute ws:// or wss:// URL of ``path`` for the current request's host and scheme."""
    request = context.get("request")
    if request is None:
        raise RuntimeError(
            f"The websocket URL of {path!r} depends on the request's host and scheme, and no request is active. "
            "Call reverse() while a request is handled, or build the URL yourself."
        )
    scheme = "wss" if request.is_secure() else "ws"
    return f"{scheme}://{request.get_host()}{path}"
