"""django-hypergen 1.5 names that still work, each warning (DeprecationWarning) with its replacement.

``python -m hypergen.upgrade`` imports these from here where a 1.5 project used them, so a ported
project runs first and is cleaned up after; docs/migrating.md says what replaces each.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable
from typing import Any

from django.http import HttpResponse

from hypergen import serialization
from hypergen.template import hypergen

__all__ = ["dumps", "group_send", "hypergen_to_response", "loads", "ws_url"]


def _deprecated(old: str, new: str) -> None:
    warnings.warn(f"{old} is django-hypergen 1.5's; use {new} (docs/migrating.md).", DeprecationWarning, stacklevel=3)


def ws_url(url: str) -> str:
    """1.5's ``ws_url(path)``: the websocket URL of ``path``. Use ``hypergen.websocket.websocket_url``."""
    _deprecated("hypergen.compat.ws_url()", "hypergen.websocket.websocket_url(), or my_consumer.reverse()")
    from hypergen.websocket.urls import websocket_url  # No Channels import for projects that only use HTTP.

    return websocket_url(url)


def group_send(group_name: str, event: dict) -> None:
    """1.5's ``group_send(group, event)``: a Channels event to a group, from sync code."""
    _deprecated(
        "hypergen.compat.group_send()",
        "hypergen.websocket.push() for a @consumer's group, or the channel layer's group_send for your own consumers",
    )
    from asgiref.sync import async_to_sync
    from channels.layers import get_channel_layer

    async_to_sync(get_channel_layer().group_send)(group_name, event)


def dumps(data: Any, default: Callable[[Any], Any] | None = None, indent: int | None = None) -> str:
    """1.5's ``dumps()``, exported by ``hypergen.imports``: Hypergen's wire JSON."""
    _deprecated("hypergen.compat.dumps()", "hypergen.serialization.dumps()")
    text = serialization.dumps(data, default)
    return text if indent is None else json.dumps(json.loads(text), indent=indent)


def loads(data: str | bytes, integer_keys: bool = False) -> Any:
    """1.5's ``loads()``, exported by ``hypergen.imports``: reads Hypergen's wire JSON.

    ``integer_keys=True`` makes object keys written in ASCII digits ints, as 1.5 did.
    """
    _deprecated("hypergen.compat.loads()", "hypergen.serialization.loads()")
    value = serialization.loads(data)
    return _with_integer_keys(value) if integer_keys else value


def _with_integer_keys(value: Any) -> Any:
    if type(value) is dict:
        return {
            int(key) if type(key) is str and key.isascii() and key.isdigit() else key: _with_integer_keys(item)
            for key, item in value.items()
        }
    if type(value) in (list, tuple):
        return type(value)(_with_integer_keys(item) for item in value)
    return value


def hypergen_to_response(func: Callable, *args: Any, **kwargs: Any) -> HttpResponse:
    """1.5's ``hypergen_to_response(template, ...)``: the rendered HTML as an HttpResponse."""
    _deprecated("hypergen.compat.hypergen_to_response()", "HttpResponse(hypergen(template, ...))")
    return HttpResponse(hypergen(func, *args, **kwargs))
