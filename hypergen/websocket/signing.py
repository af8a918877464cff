"""Signed consumer URLs: ``@consumer(signed=True)``.

``reverse(**kwargs)`` of a signed consumer adds ``?hg_sig=...``: a timestamped signature
(django.core.signing, so SECRET_KEY and SECRET_KEY_FALLBACKS) of the URL's path (so of its kwargs)
and of the user the page was rendered for (their id; an anonymous visitor's session key), salted
with the consumer's name. At connect a socket whose signature does not match its path and user, is
missing, or is older than ``HYPERGEN["WEBSOCKET_SIGNED_URL_MAX_AGE"]`` seconds is closed with 4403.
Neither the path nor the session key is in the URL: both go into the salt.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import parse_qs, urlencode

from django.core import signing

from hypergen.conf import hypergen_settings
from hypergen.context import context
from hypergen.routing import ViewInfo
from hypergen.websocket import protocol
from hypergen.websocket.urls import websocket_url

logger = logging.getLogger("hypergen.websocket")

#: The query parameter carrying the signature.
SIGNATURE_PARAMETER = "hg_sig"
_VALUE = "hg"  # What is signed; the path, the user and the consumer are all in the salt.


def _salt(info: ViewInfo, path: str, identity: str) -> str:
    return f"hypergen.websocket.signed:{info.func.__module__}.{info.func.__qualname__}|{path}|{identity}"


def identity(user: Any, session: Any) -> str | None:
    """Whom a signature is for: a logged-in user's id, or an anonymous visitor's session key."""
    if user is not None and getattr(user, "is_authenticated", False):
        return f"user:{user.pk}"
    key = getattr(session, "session_key", None)
    return f"session:{key}" if key else None


def _identity_of_request(info: ViewInfo, request: Any) -> str:
    session = getattr(request, "session", None)
    found = identity(getattr(request, "user", None), session)
    if found is None and session is not None and hasattr(session, "save") and not _is_websocket(request):
        # An anonymous visitor without a session yet: give them one (its cookie goes with this response).
        session.save()
        session.modified = True
        found = identity(None, session)
    if found is None:
        raise RuntimeError(
            f"{info.name} is @consumer(signed=True): its URL is bound to the user or session of the request, "
            "and this request has neither. Add SessionMiddleware, or render the URL in a page request first."
        )
    return found


def _is_websocket(request: Any) -> bool:
    """A consumer's request (built from its socket's scope): no cookie can be set from it."""
    return "url_route" in (getattr(request, "scope", None) or {})


def signed_websocket_url(info: ViewInfo, path: str) -> str:
    """The websocket URL of ``path`` with the signature for the current request's user."""
    request = context.get("request")
    if request is None:
        raise RuntimeError(
            f"{info.name} is @consumer(signed=True): its URL is bound to the user of the request it is "
            "rendered in, and there is none here. Reverse it in a liveview, action or consumer."
        )
    signer = signing.TimestampSigner(salt=_salt(info, path, _identity_of_request(info, request)))
    signature = signer.sign(_VALUE).removeprefix(_VALUE + signer.sep)
    return f"{websocket_url(path)}?{urlencode({SIGNATURE_PARAMETER: signature})}"


def refusal(info: ViewInfo, scope: dict) -> str | None:
    """Why a socket to a signed consumer may not connect, or None."""
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    signatures = query.get(SIGNATURE_PARAMETER, [])
    if len(signatures) != 1:
        return "its URL has no signature"
    who = identity(scope.get("user"), scope.get("session"))
    if who is None:
        return "it has no session to check the signature against"
    signer = signing.TimestampSigner(salt=_salt(info, scope["path"], who))
    try:
        signer.unsign(f"{_VALUE}{signer.sep}{signatures[0]}", max_age=hypergen_settings().websocket_signed_url_max_age)
    except signing.SignatureExpired:
        return "its signature has expired (the page was rendered too long ago)"
    except signing.BadSignature:
        return "its signature is not for this URL and user"
    return None


async def admit(consumer: Any) -> bool:
    """True when the socket may connect; else it is accepted and closed with 4403."""
    if not consumer.info.signed:
        return True
    why = refusal(consumer.info, consumer.scope)
    if why is None:
        return True
    logger.warning("Refused the websocket to %s: %s.", consumer.scope.get("path"), why)
    await consumer.accept()
    await consumer.close(code=protocol.CLOSE_PERMISSION_DENIED)
    return False
