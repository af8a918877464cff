"""``@consumer``: a function called over a websocket, ``f(consumer, request, *args)``."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

from hypergen import views as _views
from hypergen.routing import ViewInfo
from hypergen.websocket.groups import group_of_consumer


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
) -> Callable[[Callable], Callable]:
    """Make ``func(consumer, request, *args)`` callable over a websocket with ``callback(func, *args)``.

    ``group_name=lambda consumer: "..."`` picks the group a connection joins (default:
    one group per consumer URL). ``broadcast=False`` answers only the sender.
    """
    options = dict(locals())  # Every keyword argument above; the websocket ones go to ``extra``.
    del options["group_name"], options["broadcast"]
    if group_name is not None and not callable(group_name):
        raise TypeError(f"@consumer(group_name={group_name!r}): give a function of the consumer returning a str.")

    def decorator(func: Callable) -> Callable:
        extra = {"group_name": group_name, "broadcast": broadcast, "signature": inspect.signature(func)}
        info = ViewInfo(kind="consumer", func=func, extra=extra, **options)

        @functools.wraps(func)
        def http_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            return _views.error_response(
                426, f"{func.__name__} is a @consumer: connect to it with a websocket, not plain HTTP."
            )

        http_view.hypergen = info  # type: ignore[attr-defined]
        http_view.reverse = info.reverse  # type: ignore[attr-defined]
        http_view.group = functools.partial(group_of_consumer, info)  # type: ignore[attr-defined]
        info.view = http_view
        return http_view

    return decorator
