"""Permissions for liveviews, actions and consumers: ``perm=`` is required, checked on every call."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpRequest, HttpResponse

if TYPE_CHECKING:
    from hypergen.routing import ViewInfo

__all__ = ["NO_PERM_REQUIRED"]


class _NoPermRequired:
    """``perm=NO_PERM_REQUIRED``: anyone may call this view."""

    def __repr__(self) -> str:
        return "NO_PERM_REQUIRED"


NO_PERM_REQUIRED = _NoPermRequired()


def normalize_perm(decorator: str, perm: Any) -> tuple[str, ...]:
    """The permissions ``perm=`` asks for, checked for shape at decoration time."""
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
            f"@{decorator}(perm={perm!r}): perm must be a string, a list of strings or NO_PERM_REQUIRED."
        ) from None
    for one in perms:
        if not isinstance(one, str) or "." not in one:
            raise TypeError(
                f"@{decorator}(perm={perm!r}): {one!r} is not a permission; write 'app_label.codename', "
                "e.g. 'chat.can_chat'."
            )
    if not perms:
        raise TypeError(f"@{decorator}(perm=[]): list at least one permission, or use NO_PERM_REQUIRED.")
    return perms


def _user(request: Any) -> Any:
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


def require_base_view(user: Any, info: ViewInfo) -> None:
    """Raise PermissionDenied unless ``user`` may see the page ``info.base_view`` renders.

    An action or consumer with ``base_view=`` answers with that page's HTML, so it needs
    that page's permission as well as its own.
    """
    if info.base_view is None:
        return
    base = info.base_view.hypergen
    if base.perms and matched_perms(user, base) is None:
        raise PermissionDenied(f"{info.name} renders {base.name}, which needs {_describe(base)}.")


def denied_message(info: ViewInfo, error: PermissionDenied) -> str:
    """What the browser is told when running ``info`` raised PermissionDenied."""
    return f"Permission denied: {error}" if str(error) else f"Permission denied: {info.name} refused the request."


def check_request(request: HttpRequest, info: ViewInfo, page: bool) -> tuple[str, ...] | HttpResponse:
    """The matched permissions, or the response that refuses the request.

    A page (liveview) sends an anonymous user to the login page, unless
    ``raise_exception``; a user who is logged in gets 403. An action gets a 403
    with a message the client shows.
    """
    if not info.perms:
        return ()
    user = _user(request)
    matched = matched_perms(user, info)
    if matched is not None:
        return matched
    if not page:
        from hypergen.views import error_response

        return error_response(403, f"Permission denied: {info.func.__name__} needs {_describe(info)}.")
    from django.contrib.auth.views import redirect_to_login  # Imports auth models: not at module level.

    if user.is_authenticated or info.raise_exception:
        raise PermissionDenied(f"{info.func.__name__} needs {_describe(info)}.")
    return redirect_to_login(
        request.get_full_path(),
        info.login_url or settings.LOGIN_URL,
        info.redirect_field_name or "next",
    )


def _describe(info: ViewInfo) -> str:
    joiner = " or " if info.any_perm else " and "
    return joiner.join(repr(perm) for perm in info.perms)
