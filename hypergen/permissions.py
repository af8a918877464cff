"""Permissions for liveviews, actions and consumers: ``perm=`` is required, checked on every call."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied

if TYPE_CHECKING:
    from hypergen.routing import ViewInfo

__all__ = ["NO_PERM_REQUIRED"]


class _NoPermRequired:
    """``perm=NO_PERM_REQUIRED``: anyone may call this view."""

    def __repr__(self) -> str:
        return "NO_PERM_REQUIRED"


NO_PERM_REQUIRED = _NoPermRequired()


def normalize_perm(decorator: str, perm: Any, keyword: str = "perm") -> tuple[str, ...]:
    """The permissions ``perm=`` (or ``keyword=``) asks for, checked for shape at decoration time."""
    if perm is None:
        raise TypeError(
            f"@{decorator}() needs perm=: a permission such as 'shop.view_order', a list of them, "
            "or NO_PERM_REQUIRED for a view anyone may use."
        )
    if perm is NO_PERM_REQUIRED:
        return ()
    perms = (perm,) if isinstance(perm, str) else perm
    try:
        perms = tuple(perms)
    except TypeError:
        raise TypeError(
            f"@{decorator}({keyword}={perm!r}): {keyword} must be a string, a list of strings or NO_PERM_REQUIRED."
        ) from None
    for one in perms:
        if not isinstance(one, str) or "." not in one:
            raise TypeError(
                f"@{decorator}({keyword}={perm!r}): {one!r} is not a permission; write 'app_label.codename', "
                "e.g. 'chat.can_chat'."
            )
    if not perms:
        raise TypeError(f"@{decorator}({keyword}=[]): list at least one permission, or use NO_PERM_REQUIRED.")
    return perms


def user_of(request: Any) -> Any:
    """The request's user; a clear error when the authentication middleware is missing."""
    try:
        return request.user
    except AttributeError:
        raise ImproperlyConfigured(
            "Hypergen checks permissions on request.user: add "
            "'django.contrib.auth.middleware.AuthenticationMiddleware' to MIDDLEWARE."
        ) from None


def matched_perms(user: Any, info: ViewInfo) -> tuple[str, ...] | None:
    """The permissions of ``info.perm`` the user has, or None when that is not enough."""
    if not info.perms:
        return ()
    matched = tuple(perm for perm in info.perms if user.has_perm(perm))
    enough = bool(matched) if info.any_perm else len(matched) == len(info.perms)
    return matched if enough else None


def may_listen(user: Any, info: ViewInfo) -> bool:
    """Whether ``user`` may connect to a consumer and hear its group: ``listen_perm=``, by default ``perm=``."""
    if not info.listen_perms:
        return True
    matched = [perm for perm in info.listen_perms if user.has_perm(perm)]
    return bool(matched) if info.any_perm else len(matched) == len(info.listen_perms)


def refusal(info: ViewInfo) -> str:
    """Why a user without the permissions of ``info`` is refused, for the developer."""
    return f"{info.name} needs {describe(info)}."


def base_view_refusal(user: Any, info: ViewInfo) -> str | None:
    """Why ``user`` may not see the page ``info.base_view`` renders; None if they may.

    An action or consumer with ``base_view=`` answers with that page's HTML, so it needs
    that page's permission as well as its own.
    """
    if info.base_view is None:
        return None
    base = info.base_view.hypergen
    if base.perms and matched_perms(user, base) is None:
        return f"{info.name} renders {base.name}, which needs {describe(base)}."
    return None


def denied_message(info: ViewInfo, error: PermissionDenied) -> str:
    """What the browser is told when running ``info`` raised PermissionDenied."""
    detail = f"{info.name} raised PermissionDenied({str(error)!r})." if str(error) else f"{info.name} refused."
    return visitor_message(info, detail)


def visitor_message(info: ViewInfo, detail: str) -> str:
    """What a refused visitor is told: ``denied_message=`` or ``HYPERGEN["PERMISSION_DENIED_MESSAGE"]``;
    with DEBUG, the developer's ``detail`` too."""
    from hypergen.conf import hypergen_settings

    message = str(info.denied_message or hypergen_settings().permission_denied_message)
    return f"{message} (DEBUG: {detail})" if settings.DEBUG else message


def login_redirect(page: str | None) -> str:
    """The login page (``settings.LOGIN_URL``), with ``?next=`` the page the visitor was on when known."""
    from django.contrib.auth.views import redirect_to_login  # Imports auth models: not at module level.
    from django.shortcuts import resolve_url

    if page is None:
        return resolve_url(settings.LOGIN_URL)
    return redirect_to_login(page, settings.LOGIN_URL).url


def describe(info: ViewInfo) -> str:
    joiner = " or " if info.any_perm else " and "
    return joiner.join(repr(perm) for perm in info.perms)
