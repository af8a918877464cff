"""``@consumer``: a function called over a websocket, ``f(consumer, request, *args)``."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse

from hypergen.routing import ViewInfo, view_decorator
from hypergen.websocket.groups import group_of_consumer
from hypergen.websocket.signing import signed_websocket_url
from hypergen.websocket.urls import websocket_url


def consumer(
    perm: Any = None,
    path: str | None = None,
    re_path: str | None = None,
    target_id: str | None = None,
    base_template: Callable | None = None,
    any_perm: bool = False,
    autourl: bool = True,
    partial: bool = True,
    base_view: Callable | None = None,
    appstate: Callable[[], Any] | None = None,
    group_name: Callable[[Any], str] | None = None,
    broadcast: bool = True,
    presence: Callable[[Any], dict] | bool = False,
    on_presence: Callable[[list], Any] | None = None,
    signed: bool = False,
    listen_perm: Any = None,
    denied_message: str | None = None,
) -> Callable[[Callable], Callable]:
    """Make ``func(consumer, request, *args)`` callable over a websocket with ``callback(func, *args)``.

    ``group_name=lambda consumer: "..."`` picks the group a connection joins (default:
    one group per consumer URL). ``broadcast=False`` answers only the sender. ``presence=True`` (or
    a function of the consumer returning a small dict) lists each socket among its group's members;
    ``on_presence=render`` calls ``render(members)`` when one joins or leaves, for the whole group
    (hypergen/websocket/presence.py). ``signed=True`` binds ``reverse(**kwargs)`` to those kwargs and
    the request's user: another URL or user gets 4403.
    ``listen_perm=`` is who may connect and hear the group (default: ``perm``); ``perm`` is
    who may send events: ``listen_perm=NO_PERM_REQUIRED, perm="polls.vote"`` lets everyone watch.
    """
    if group_name is not None and not callable(group_name):
        raise TypeError(f"@consumer(group_name={group_name!r}): give a function of the consumer returning a str.")
    if not (isinstance(presence, bool) or callable(presence)):
        raise TypeError(f"@consumer(presence={presence!r}): give True, or a function of the consumer returning a dict.")
    if on_presence is not None and not callable(on_presence):
        raise TypeError(f"@consumer(on_presence={on_presence!r}): give a function of the members that renders them.")
    if on_presence is not None and not presence:
        raise TypeError("@consumer(on_presence=...) needs presence=True (or a function): nobody would be listed.")
    decorate = view_decorator(
        "consumer",
        _http_view,
        perm=perm,
        path=path,
        re_path=re_path,
        target_id=target_id,
        base_template=base_template,
        any_perm=any_perm,
        autourl=autourl,
        partial=partial,
        base_view=base_view,
        appstate=appstate,
        group_name=group_name,
        broadcast=broadcast,
        presence=presence,
        on_presence=on_presence,
        listen_perm=listen_perm,
        denied_message=denied_message,
        absolute_url=websocket_url,
        signed=bool(signed),
    )
    if not signed:
        return decorate

    def decorate_signed(func: Callable) -> Callable:
        view = decorate(func)
        view.hypergen.absolute_url = functools.partial(signed_websocket_url, view.hypergen)
        return view

    return decorate_signed


def _http_view(info: ViewInfo) -> Callable:
    """What a consumer's URL answers to plain HTTP: 426, with a hint."""

    def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return JsonResponse(
            {"error": f"{info.name} is a @consumer: connect to it with a websocket, not plain HTTP."}, status=426
        )

    view.group = functools.partial(group_of_consumer, info)  # type: ignore[attr-defined]
    return view
