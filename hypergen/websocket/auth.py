"""Sockets follow their user's login: closed when it ends, and when a permission they need is lost.

Every socket of a logged-in user joins the group of that user (``user_group(pk)``). When that
user's login changes anywhere, on any process, a control message goes to the group:

- logging out (``user_logged_out``), or a session deleted from the database (``flush()``, an admin
  ending it), names the session that ended: its sockets close with 4401;
- a saved user (a new password rotates the session hash; ``is_active=False``) asks every socket of
  the user to check its session again: those whose session no longer logs that user in close with 4401.

The client reloads the page on 4401, so the login redirect happens. Before a group message is
forwarded to a socket of a consumer with ``perm=``, the permission is checked again (at most every
``HYPERGEN["WEBSOCKET_PERMISSION_RECHECK_SECONDS"]``): a user who lost it is closed with 4403.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import time
from importlib import import_module
from typing import Any

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction

from hypergen.conf import hypergen_settings
from hypergen.layers import UNREACHABLE_ERRORS
from hypergen.permissions import matched_perms
from hypergen.websocket import protocol
from hypergen.websocket.groups import group_name

logger = logging.getLogger("hypergen.websocket")

#: The channel message type of the control messages; the consumer's handler is hypergen_auth().
CONTROL_TYPE = "hypergen.auth"


def user_group(user_pk: Any) -> str:
    """The group every socket of the user with this primary key joins."""
    return group_name(str(user_pk), "user")


def session_digest(session_key: str) -> str:
    """What a control message names a session by: never the key itself (it logs the user in)."""
    return hashlib.sha256(f"hypergen.session:{session_key}".encode()).hexdigest()[:32]


def _session_key(consumer: Any) -> str | None:
    session = consumer.scope.get("session")
    return getattr(session, "session_key", None)


def _user_pk(consumer: Any) -> Any:
    user = consumer.scope.get("user")
    return user.pk if user is not None and user.is_authenticated else None


# On the consumer: joining, the control messages, the check before group messages -----------------


async def join(consumer: Any) -> None:
    """Join the socket's user's group (nothing for anonymous users)."""
    consumer.permission_checked_at = time.monotonic()  # connect() has just checked it.
    pk = _user_pk(consumer)
    if pk is None:
        return
    try:
        await consumer.channel_layer.group_add(user_group(pk), consumer.channel_name)
    except UNREACHABLE_ERRORS as error:  # The socket still works; a logout elsewhere just won't close it.
        logger.debug("websocket %s: cannot join its user's group: %s", consumer.scope.get("path"), error)
        return
    consumer.user_group = user_group(pk)


async def leave(consumer: Any) -> None:
    group = getattr(consumer, "user_group", None)
    if group:
        with contextlib.suppress(*UNREACHABLE_ERRORS):
            await consumer.channel_layer.group_discard(group, consumer.channel_name)


async def on_control(consumer: Any, message: dict) -> None:
    """A control message for the socket's user: close the socket if its session ended."""
    key = _session_key(consumer)
    if consumer.gone or key is None:
        return
    if message.get("ended") == session_digest(key):
        await _close(consumer, protocol.CLOSE_UNAUTHENTICATED, "its session ended (logged out)")
    elif message.get("recheck"):
        user = await database_sync_to_async(session_user)(key)
        if not user.is_authenticated or user.pk != _user_pk(consumer):
            await _close(consumer, protocol.CLOSE_UNAUTHENTICATED, "its session no longer logs the user in")


async def may_receive(consumer: Any) -> bool:
    """Whether a group message may go to this socket: its user still has the consumer's permission.

    Checked at most every WEBSOCKET_PERMISSION_RECHECK_SECONDS; a user who lost it is closed with
    4403 (4401 when the session no longer logs anyone in).
    """
    info = getattr(consumer, "info", None)
    if consumer.gone:
        return False
    if info is None or not info.perms:
        return True
    now = time.monotonic()
    if now - getattr(consumer, "permission_checked_at", 0.0) < hypergen_settings().websocket_permission_recheck_seconds:
        return True
    user, allowed = await database_sync_to_async(_user_and_permission)(_session_key(consumer), info)
    if not user.is_authenticated and _user_pk(consumer) is not None:
        await _close(consumer, protocol.CLOSE_UNAUTHENTICATED, "its session no longer logs the user in")
        return False
    if not allowed:
        await _close(consumer, protocol.CLOSE_PERMISSION_DENIED, f"its user lost the permission {info.name} needs")
        return False
    consumer.permission_checked_at = now
    return True


async def _close(consumer: Any, code: int, why: str) -> None:
    logger.info("websocket %s: closed with %s: %s", consumer.scope.get("path"), code, why)
    consumer.gone = True  # Nothing more goes to it.
    with contextlib.suppress(Exception):  # The client may be gone already.
        await consumer.close(code=code)


def session_user(session_key: str | None) -> Any:
    """The user the session logs in now (AnonymousUser when it ended or its hash is stale)."""
    from django.contrib.auth import get_user
    from django.contrib.auth.models import AnonymousUser

    if not session_key:
        return AnonymousUser()
    request = _SessionHolder(import_module(settings.SESSION_ENGINE).SessionStore(session_key))
    return get_user(request)


def _user_and_permission(session_key: str | None, info: Any) -> tuple[Any, bool]:
    user = session_user(session_key)
    return user, matched_perms(user, info) is not None


class _SessionHolder:
    def __init__(self, session: Any) -> None:
        self.session = session


# The signals: where a login ends or changes ---------------------------------------------------


def _tell_user(user_pk: Any, message: dict) -> None:
    """Send a control message to every socket of the user, once the transaction (if any) commits."""

    def send() -> None:
        from hypergen.websocket.push import _run_sync

        layer = get_channel_layer()
        if layer is None:
            return
        try:
            _run_sync(layer.group_send(user_group(user_pk), {"type": CONTROL_TYPE, **message}))
        except Exception as error:  # A logout must not fail because the channel layer is down.
            logger.warning("Could not tell the sockets of user %s that their login changed: %s", user_pk, error)

    transaction.on_commit(send)


def on_logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    if user is not None and session is not None and session.session_key:
        _tell_user(user.pk, {"ended": session_digest(session.session_key)})


def on_session_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    from django.contrib.auth import SESSION_KEY

    try:
        user_pk = instance.get_decoded().get(SESSION_KEY)
    except Exception:  # A session that cannot be decoded logs no one in.
        return
    if user_pk is not None:
        _tell_user(user_pk, {"ended": session_digest(instance.session_key)})


def on_user_saved(sender: Any, instance: Any, update_fields: Any = None, **kwargs: Any) -> None:
    if update_fields is not None and not {"password", "is_active"} & set(update_fields):
        return  # last_login and the like: the sessions are as good as before.
    if instance.pk is not None:
        _tell_user(instance.pk, {"recheck": True})


def connect_signals() -> None:
    """Connect the receivers (AppConfig.ready())."""
    from django.apps import apps
    from django.contrib.auth import get_user_model
    from django.contrib.auth.signals import user_logged_out
    from django.db.models.signals import post_delete, post_save

    user_logged_out.connect(on_logged_out, dispatch_uid="hypergen.websocket.auth.logged_out")
    post_save.connect(on_user_saved, sender=get_user_model(), dispatch_uid="hypergen.websocket.auth.user_saved")
    if apps.is_installed("django.contrib.sessions"):
        from django.contrib.sessions.models import Session

        post_delete.connect(on_session_deleted, sender=Session, dispatch_uid="hypergen.websocket.auth.session")
