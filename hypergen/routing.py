"""What the decorators know about a view, reversing its URL, and ``autourls()``."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.urls import NoReverseMatch, URLPattern, get_resolver
from django.urls import path as django_path
from django.urls import re_path as django_re_path
from django.urls import reverse as django_reverse
from django.utils.functional import Promise

from hypergen.permissions import normalize_perm

__all__ = ["autourls"]


@dataclass(eq=False)
class ViewInfo:
    """Everything a @liveview, @action or @consumer decorator was told; ``view.hypergen``."""

    kind: str
    func: Callable
    perm: Any
    any_perm: bool = False
    path: str | None = None
    re_path: str | None = None
    base_template: Callable | None = None
    target_id: str | None = None
    autourl: bool = True
    partial: bool = True
    appstate: Callable[[], Any] | None = None
    base_view: Callable | None = None
    login_url: str | None = None
    raise_exception: bool = False
    redirect_field_name: str | None = None
    group_name: Callable[[Any], str] | None = None  # Consumers: the group a connection joins.
    broadcast: bool = False  # Consumers: commands go to the whole group.
    listen_perm: Any = None  # Consumers: who may connect and hear the group; None: as perm.
    denied_message: Any = None  # What a visitor refused by perm= is told; None: the setting's.
    absolute_url: Callable[[str], str] | None = None  # Consumers: the ws:// URL of a path.
    presence: Callable[[Any], dict] | bool = False  # Consumers: sockets announce themselves in the group.
    on_presence: Callable[[list], Any] | None = None  # Consumers: renders who is there, for the group.
    signed: bool = False  # Consumers: reverse() signs the URL for the user (hypergen/websocket/signing.py).
    namespace: str | None = None
    view: Callable | None = None
    perms: tuple[str, ...] = ()
    listen_perms: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self.perms = normalize_perm(self.kind, self.perm)
        if self.listen_perm is None:
            self.listen_perms = self.perms
        else:
            self.listen_perms = normalize_perm(self.kind, self.listen_perm, keyword="listen_perm")
        if self.path is not None and self.re_path is not None:
            raise TypeError(f"@{self.kind}() for {self.func.__name__}: give path= or re_path=, not both.")
        if self.denied_message is not None and not isinstance(self.denied_message, (str, Promise)):
            raise TypeError(
                f"@{self.kind}(denied_message={self.denied_message!r}): give the text a visitor is shown, a str."
            )
        if self.base_view is not None and not isinstance(getattr(self.base_view, "hypergen", None), ViewInfo):
            raise TypeError(
                f"@{self.kind}(base_view={self.base_view!r}): base_view must be a function decorated with @liveview."
            )

    @property
    def name(self) -> str:
        return self.func.__name__

    @functools.cached_property
    def signature(self) -> inspect.Signature:
        return inspect.signature(self.func)

    @functools.cached_property
    def is_async(self) -> bool:
        """Whether the function is an ``async def`` one (asked for every event it runs)."""
        return inspect.iscoroutinefunction(self.func)

    @functools.cached_property
    def bindable(self) -> set[tuple[int, tuple[str, ...]]]:
        """(number of positional arguments, keyword names) the signature was found to take: binding
        depends on nothing else, so an event with a known shape is not bound again."""
        return set()

    @property
    def resolved_target_id(self) -> str | None:
        """Where this view's HTML goes: its target_id, its base template's, or its base view's."""
        if self.target_id is not None:
            return self.target_id
        if self.base_template is not None and getattr(self.base_template, "target_id", None):
            return self.base_template.target_id
        if self.base_view is not None:
            return self.base_view.hypergen.resolved_target_id
        return None

    @property
    def resolved_base_template(self) -> Callable | None:
        if self.base_template is not None:
            return self.base_template
        if self.base_view is not None:
            return self.base_view.hypergen.base_template
        return None

    def reverse(self, *args: Any, **kwargs: Any) -> str:
        """The URL of this view: a path, or for a consumer the ws:// or wss:// URL."""
        path = self.reverse_path(*args, **kwargs)
        return self.absolute_url(path) if self.absolute_url else path

    def reverse_path(self, *args: Any, **kwargs: Any) -> str:
        """The URL path of this view."""
        if self.namespace is None:
            # autourls() names the namespace when the URLconf is imported, which a worker, a script or a
            # thread started early may not have done yet.
            _ = get_resolver().url_patterns
        if self.namespace is None:
            try:
                return django_reverse(self.view, args=args or None, kwargs=kwargs or None)
            except NoReverseMatch as error:
                raise NoReverseMatch(
                    f"{self.name}.reverse(): no URL routes to it. Add `urlpatterns = autourls(views, "
                    f'namespace="...")` to the urls.py of its app, or route it yourself. ({error})'
                ) from error
        if self.namespace not in get_resolver().namespace_dict and self.namespace not in get_resolver().app_dict:
            raise ImproperlyConfigured(
                f"{self.name}.reverse(): the URL namespace {self.namespace!r} is not registered. In the urls.py "
                f"that calls autourls(..., namespace={self.namespace!r}), add `app_name = {self.namespace!r}`, "
                "and include() that urls.py from the project's urls.py."
            )
        return django_reverse(f"{self.namespace}:{self.name}", args=args or None, kwargs=kwargs or None)


def view_decorator(kind: str, build_view: Callable[[ViewInfo], Callable], **options: Any) -> Callable:
    """The decorator behind @liveview, @action and @consumer: ``options`` describe the view (see
    ViewInfo); ``build_view(info)`` makes the Django view that serves it."""

    def decorator(func: Callable) -> Callable:
        info = ViewInfo(kind=kind, func=func, **options)
        view = functools.wraps(func)(build_view(info))
        view.hypergen = info
        view.reverse = info.reverse
        info.view = view
        return view

    return decorator


def view_info(value: Any) -> ViewInfo | None:
    info = getattr(value, "hypergen", None)
    return info if isinstance(info, ViewInfo) else None


def autourls(module: ModuleType, namespace: str) -> list[URLPattern]:
    """URL patterns for every @liveview, @action and @consumer defined in ``module``.

    Each gets ``path=``, ``re_path=`` or, by default, ``"<function name>/"``, and
    the function name as URL name. The urls.py calling this must set
    ``app_name = namespace``.
    """
    if not isinstance(module, ModuleType):
        raise TypeError(f"autourls() takes the views module itself, got {module!r}.")
    patterns = []
    for value in vars(module).values():
        info = view_info(value)
        if info is None or not info.autourl or info.func.__module__ != module.__name__:
            continue
        info.namespace = namespace
        # A consumer's pattern answers plain HTTP with 426; the websocket router resolves
        # socket paths with these same patterns, so reverse() and namespaces just work.
        if info.re_path is not None:
            patterns.append(django_re_path(info.re_path, info.view, name=info.name))
        else:
            route = info.path if info.path is not None else f"{info.name}/"
            patterns.append(django_path(route, info.view, name=info.name))
    return patterns
