"""The ASGI application: HTTP to Django, websockets to the @consumer their path resolves to."""

from __future__ import annotations

import io
import logging
from typing import Any

from channels.auth import AuthMiddlewareStack
from channels.routing import ProtocolTypeRouter, URLRouter
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.handlers.asgi import ASGIRequest
from django.urls import Resolver404, URLPattern, URLResolver, resolve
from django.utils.http import is_same_domain

__all__ = ["SameOriginWebsockets", "get_asgi_application"]

logger = logging.getLogger("hypergen.websocket")


async def _refuse(receive: Any, send: Any, code: int) -> None:
    """Accept and close at once with an application code the client treats as final."""
    message = await receive()
    if message["type"] == "websocket.connect":
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.close", "code": code})


def refusal(scope: dict) -> str | None:
    """Why a websocket handshake must be refused (its Host or its Origin), or None.

    Like Django's checks on HTTP requests: the Host must be in ALLOWED_HOSTS, and a browser's
    Origin must be this very site (scheme, host and port) or in CSRF_TRUSTED_ORIGINS. A client
    that sends no Origin is not a browser, so no other site can be using it.
    """
    request = ASGIRequest({**scope, "type": "http", "method": "GET"}, io.BytesIO())
    try:
        host = request.get_host()
    except DisallowedHost:
        return f"its Host {request.META.get('HTTP_HOST', '')!r} is not in ALLOWED_HOSTS"
    origin = request.META.get("HTTP_ORIGIN")
    if origin is None:
        return None
    own = f"{'https' if request.is_secure() else 'http'}://{host}"
    if origin.lower() == own.lower() or _trusted_origin(origin):
        return None
    return f"its Origin {origin!r} is another site than {own!r} (add it to CSRF_TRUSTED_ORIGINS to allow it)"


def _trusted_origin(origin: str) -> bool:
    scheme, _, netloc = origin.partition("://")
    for trusted in getattr(settings, "CSRF_TRUSTED_ORIGINS", []):
        if trusted.lower() == origin.lower():
            return True
        trusted_scheme, _, trusted_netloc = trusted.partition("://")
        if "*" in trusted_netloc and trusted_scheme == scheme and is_same_domain(netloc, trusted_netloc[1:]):
            return True
    return False


class SameOriginWebsockets:
    """ASGI middleware refusing websockets from other sites or for unknown hosts, with a final close code.

    A refused handshake reads as a network error (1006) in the browser, which would retry it
    forever; accepting and closing with 4403 tells the client to stop.
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "websocket":
            reason = refusal(scope)
            if reason is not None:
                logger.warning("Refused the websocket to %s: %s.", scope.get("path"), reason)
                from hypergen.websocket.protocol import CLOSE_PERMISSION_DENIED

                return await _refuse(receive, send, CLOSE_PERMISSION_DENIED)
        return await self.app(scope, receive, send)


class WebsocketRouter:
    """Route a websocket to the @consumer its path resolves to in the project's URLconf, else to
    the project's own Channels consumers (``websocket_urlpatterns``), else close it with 4404."""

    def __init__(self, websocket_urlpatterns: list | tuple = ()) -> None:
        from hypergen.websocket.connection import HypergenConsumer

        self.consumer_app = HypergenConsumer.as_asgi()
        self.own_router = URLRouter(list(websocket_urlpatterns)) if websocket_urlpatterns else None

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        from hypergen.routing import view_info
        from hypergen.websocket.protocol import CLOSE_NOT_FOUND

        path = scope["path"]
        root_path = scope.get("root_path", "")
        if root_path and path.startswith(root_path):
            path = path[len(root_path) :]
        try:
            match = resolve(path)
        except Resolver404:
            match = None
        info = view_info(match.func) if match is not None else None
        if info is not None and info.kind == "consumer":
            scope = {**scope, "hypergen": (info, match), "url_route": {"args": match.args, "kwargs": match.kwargs}}
            return await self.consumer_app(scope, receive, send)
        if self.own_router is not None and self._own_route_matches(path):
            return await self.own_router(scope, receive, send)
        return await _refuse(receive, send, CLOSE_NOT_FOUND)

    def _own_route_matches(self, path: str) -> bool:
        # As Channels' URLRouter matches: without the leading slash.
        return any(route.pattern.match(path.lstrip("/")) for route in self.own_router.routes)


def _checked_patterns(websocket_urlpatterns: Any) -> list:
    if websocket_urlpatterns is None:
        return []
    if isinstance(websocket_urlpatterns, (list, tuple)) and all(
        isinstance(pattern, (URLPattern, URLResolver)) for pattern in websocket_urlpatterns
    ):
        return list(websocket_urlpatterns)
    raise TypeError(
        f"get_asgi_application(websocket_urlpatterns={websocket_urlpatterns!r}): give a list of "
        'django.urls.path() or re_path() routes to Channels consumers, e.g. [path("notes/", NotesConsumer.as_asgi())].'
    )


class HypergenApplication(ProtocolTypeRouter):
    """The application get_asgi_application() returns: notes that this process serves websockets."""

    serves_static_files = False  # Whether it serves STATIC_URL itself (manage.py check reads it).

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        from hypergen.websocket.push import mark_serving

        mark_serving()  # push() on the in-memory layer reaches this process's sockets only.
        return await super().__call__(scope, receive, send)


def get_asgi_application(
    serve_static_files: bool | None = None, websocket_urlpatterns: list | tuple | None = None
) -> ProtocolTypeRouter:
    """HTTP to Django; websockets, behind Host and Origin checks, sessions and auth, to the consumers.

    ``serve_static_files`` serves static files (the Hypergen client among them) from the
    application itself, as ``runserver`` does. The default, None, serves them while
    ``DEBUG`` is on, so that plain ``daphne mysite.asgi:application`` works in development;
    production leaves them to the web server or WhiteNoise (``collectstatic``).

    ``websocket_urlpatterns`` routes the project's own Channels consumers (``path("notes/",
    NotesConsumer.as_asgi())``) behind the same checks and middleware; a path that is a
    @consumer goes to the @consumer.
    """
    from django.core.asgi import get_asgi_application as django_asgi_application

    own_patterns = _checked_patterns(websocket_urlpatterns)
    http: Any = django_asgi_application()  # First: it sets Django up.
    if serve_static_files is None:
        serve_static_files = settings.DEBUG
    if serve_static_files:
        from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

        http = ASGIStaticFilesHandler(http)
    websocket = SameOriginWebsockets(AuthMiddlewareStack(WebsocketRouter(own_patterns)))
    application = HypergenApplication({"http": http, "websocket": websocket})
    application.serves_static_files = bool(serve_static_files)
    return application
