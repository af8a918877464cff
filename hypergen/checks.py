"""System checks: ``manage.py check`` reports Hypergen misconfiguration with stable ids."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.module_loading import import_string

from hypergen.routing import ViewInfo, view_info

CONTEXT_MIDDLEWARE = "hypergen.context.context_middleware"


def _views(patterns: list[Any]) -> Iterator[ViewInfo]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _views(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            info = view_info(pattern.callback)
            if info is not None:
                yield info


@register(Tags.compatibility)
def check_settings(app_configs: Any = None, **kwargs: Any) -> list:
    problems = []
    if CONTEXT_MIDDLEWARE not in settings.MIDDLEWARE:
        problems.append(
            Warning(
                f"{CONTEXT_MIDDLEWARE!r} is not in MIDDLEWARE, so context.request is unset in plain Django views.",
                hint=f"Add {CONTEXT_MIDDLEWARE!r} to MIDDLEWARE, after the authentication middleware.",
                id="hypergen.W001",
            )
        )
    if "channels" not in settings.INSTALLED_APPS:
        problems.append(
            Error("'channels' is not in INSTALLED_APPS.", hint="Add 'channels' to INSTALLED_APPS.", id="hypergen.E001")
        )
    if "daphne" in settings.INSTALLED_APPS and settings.INSTALLED_APPS[0] != "daphne":
        problems.append(
            Warning(
                "'daphne' is in INSTALLED_APPS but not first, so runserver serves no websockets.",
                hint="Move 'daphne' to the top of INSTALLED_APPS.",
                id="hypergen.W002",
            )
        )
    layers = getattr(settings, "CHANNEL_LAYERS", {}) or {}
    backend = layers.get("default", {}).get("BACKEND", "")
    if not settings.DEBUG and backend.endswith("InMemoryChannelLayer"):
        problems.append(
            Warning(
                "The in-memory channel layer is used with DEBUG=False: websocket groups and push() reach only "
                "the clients of this one process.",
                hint="Set REDIS_URL (or CHANNEL_LAYERS) to use channels_redis when running more than one process.",
                id="hypergen.W003",
            )
        )
    return problems


@register(Tags.urls)
def check_consumers_are_served(app_configs: Any = None, **kwargs: Any) -> list:
    try:
        infos = list(_views(get_resolver().url_patterns))
    except Exception:  # A broken URLconf is reported by Django's own checks.
        return []
    consumers = [info.name for info in infos if info.kind == "consumer"]
    if not consumers:
        return []
    problems = []
    if not getattr(settings, "ASGI_APPLICATION", None):
        problems.append(
            Error(
                f"The URLconf routes to consumers ({', '.join(consumers)}) but ASGI_APPLICATION is not set, "
                "so no server will accept their websockets.",
                hint="Set ASGI_APPLICATION to a module with `application = hypergen.asgi.get_asgi_application()`.",
                id="hypergen.E002",
            )
        )
    if "*" in settings.ALLOWED_HOSTS:
        problems.append(
            Warning(
                "ALLOWED_HOSTS contains '*' and the URLconf routes websockets to consumers "
                f"({', '.join(consumers)}). The websocket Origin check lets in pages whose Origin is the "
                "request's own Host, and with '*' any Host is accepted: a site whose domain points at this "
                "server (DNS rebinding) passes the check, so it cannot protect the sockets.",
                hint="List this site's hosts in ALLOWED_HOSTS (e.g. ['shop.example.com', '.shop.example.com']), "
                "and add other sites whose pages may open sockets to CSRF_TRUSTED_ORIGINS "
                "(e.g. ['https://admin.example.com']).",
                id="hypergen.W005",
            )
        )
    return problems


CLIENT_SCRIPT = "hypergen/hypergen.min.js"


@register(Tags.staticfiles)
def check_static_files(app_configs: Any = None, **kwargs: Any) -> list:
    """The client script (a static file) would 404: every page's callbacks would do nothing."""
    if not getattr(settings, "STATIC_URL", None):
        return [
            Warning(
                f"STATIC_URL is not set, so pages cannot load the Hypergen client ({CLIENT_SCRIPT}): "
                "their callbacks will do nothing.",
                hint="Set STATIC_URL = 'static/' in the settings.",
                id="hypergen.W006",
            )
        ]
    if "django.contrib.staticfiles" in settings.INSTALLED_APPS or _asgi_application_serves_static_files():
        return []
    return [
        Warning(
            f"'django.contrib.staticfiles' is not in INSTALLED_APPS and the ASGI application does not serve static "
            f"files, so {settings.STATIC_URL}{CLIENT_SCRIPT} (the Hypergen client) answers 404 and callbacks do "
            "nothing: runserver serves no static files without the app, and collectstatic cannot collect them.",
            hint="Add 'django.contrib.staticfiles' to INSTALLED_APPS (then runserver serves them, and collectstatic "
            "gathers them for your web server or WhiteNoise), or build the application with "
            "get_asgi_application(serve_static_files=True).",
            id="hypergen.W006",
        )
    ]


def _asgi_application_serves_static_files() -> bool:
    path = getattr(settings, "ASGI_APPLICATION", None)
    if not path:
        return False
    try:
        application = import_string(path)
    except Exception:  # Its import errors are the server's to report.
        return False
    return bool(getattr(application, "serves_static_files", False))


@register(Tags.compatibility)
def check_redis_read_timeout(app_configs: Any = None, **kwargs: Any) -> list:
    """channels_redis' own layer with a read timeout its blocking receive cannot live with."""
    problems = []
    for alias, config in (getattr(settings, "CHANNEL_LAYERS", {}) or {}).items():
        try:
            backend = import_string(config.get("BACKEND", ""))
        except ImportError:
            continue  # Channels itself reports a layer it cannot import.
        if not _is_plain_channels_redis(backend):
            continue
        layer = backend(**config.get("CONFIG", {}))
        for index in range(len(layer.hosts)):
            timeout = _read_timeout(layer.create_pool(index))
            if timeout is not None and timeout <= layer.brpop_timeout:
                problems.append(
                    Warning(
                        f"CHANNEL_LAYERS[{alias!r}] uses channels_redis' RedisChannelLayer with a {timeout:g} s Redis "
                        f"read timeout (host {index}), no longer than its {layer.brpop_timeout} s blocking receive: "
                        "idle websockets will be closed with 1011 every few seconds. redis-py 8 made 5 s the default.",
                        hint="Use 'BACKEND': 'hypergen.layers.RedisChannelLayer' with the same CONFIG: it gives "
                        "blocking reads connections of their own with a longer timeout.",
                        id="hypergen.W004",
                    )
                )
    return problems


def _is_plain_channels_redis(backend: Any) -> bool:
    try:
        from channels_redis.core import RedisChannelLayer as ChannelsRedisChannelLayer

        from hypergen.layers import RedisChannelLayer
    except ImportError:
        return False
    return (
        isinstance(backend, type)
        and issubclass(backend, ChannelsRedisChannelLayer)
        and not issubclass(backend, RedisChannelLayer)
    )


def _read_timeout(pool: Any) -> float | None:
    from hypergen.layers import default_socket_timeout

    return pool.connection_kwargs.get("socket_timeout", default_socket_timeout(pool))
