"""App state: per-user state kept in the session for views that share an ``appstate=`` factory."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured

from hypergen.serialization import WireError, dumps, loads

if TYPE_CHECKING:
    from hypergen.routing import ViewInfo

logger = logging.getLogger("hypergen.appstate")


def _key(info: ViewInfo) -> str:
    factory = info.appstate
    return f"hypergen_appstate:{factory.__module__}.{factory.__qualname__}"


def _session(request: Any) -> Any:
    session = getattr(request, "session", None)
    if session is None:
        raise ImproperlyConfigured(
            "appstate= keeps state in the session: add 'django.contrib.sessions.middleware.SessionMiddleware' "
            "to MIDDLEWARE."
        )
    return session


def load_appstate(request: Any, info: ViewInfo) -> Any:
    """This user's app state for ``info.appstate``; the factory's value on first use."""
    stored = _session(request).get(_key(info))
    if stored is not None:
        try:
            return loads(stored)
        except WireError as error:
            # Written by another version of the app, or edited: it cannot be used, and saying so
            # is better than a user's state vanishing without a trace.
            logger.warning(
                "The app state of %s in session %s could not be read (%s); it starts over from %s().",
                info.name,
                getattr(_session(request), "session_key", None),
                error,
                info.appstate.__qualname__,
            )
    return info.appstate()


def save_appstate(request: Any, info: ViewInfo, appstate: Any) -> bool:
    """Store the (possibly changed) app state back in the session; True if it changed."""
    if info.appstate is None:
        return False
    session = _session(request)
    key = _key(info)
    serialized = dumps(appstate)
    if session.get(key) == serialized:
        return False
    session[key] = serialized
    return True
