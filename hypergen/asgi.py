"""The ASGI application: HTTP to Django, websockets to the @consumer their path resolves to."""

from __future__ import annotations

from typing import Any

from channels.auth import AuthMiddlewareStack
from channels.routing import ProtocolTypeRouter
from channels.security.websocket import AllowedHostsOriginValidator
from django.urls import Resolver404, resolve

__all__ = ["get_asgi_application"]


async def _refuse(receive: Any, send: Any, code: int) -> None:
    """Accept and close at once with an application code the client treats as final."""
    message = await receive()
    if message["type"] == "websocket.connect":
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.close", "code": code})


class WebsocketRouter:
    """Route a websocket to the consumer its path resolves to in the project's URLconf."""

    def __init__(self) -> None:
        from hypergen.websocket import HypergenConsumer

        self.consumer_app = HypergenConsumer.as_asgi()

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        from hypergen.routing import view_info
        from hypergen.websocket import CLOSE_NOT_FOUND

        path = scope["path"]
        root_path = scope.get("root_path", "")
        if root_path and path.startswith(root_path):
            path = path[len(root_path) :]
        try:
            match = resolve(path)
        except Resolver404:
            return await _refuse(receive, send, CLOSE_NOT_FOUND)
        info = view_info(match.func)
        if info is None or info.kind != "consumer":
            return await _refuse(receive, send, CLOSE_NOT_FOUND)
        scope = {**scope, "hypergen": (info, match), "url_route": {"args": match.args, "kwargs": match.kwargs}}
        return await self.consumer_app(scope, receive, send)


def get_asgi_application(serve_static_files: bool = False) -> ProtocolTypeRouter:
    """HTTP to Django; websockets, behind sessions, auth and an Origin check, to the consumers.

    ``serve_static_files=True`` serves static files (the Hypergen client among them)
    from the app itself, like ``runserver`` does: handy for a demo or a test server,
    while production leaves that to the web server or WhiteNoise.
    """
    from django.core.asgi import get_asgi_application as django_asgi_application

    http: Any = django_asgi_application()  # First: it sets Django up.
    if serve_static_files:
        from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

        http = ASGIStaticFilesHandler(http)
    websocket = AllowedHostsOriginValidator(AuthMiddlewareStack(WebsocketRouter()))
    return ProtocolTypeRouter({"http": http, "websocket": websocket})
