"""The per-request context: ``context.request``, ``context.user``, ``context.hypergen``.

Values live in a ``ContextVar``, so every thread and every asyncio task sees its
own: two requests served at once never see each other's values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from types import MappingProxyType
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction

from hypergen.template import RenderState, current_render_state

__all__ = ["context", "context_middleware"]

_EMPTY: MappingProxyType = MappingProxyType({})
_values: ContextVar[MappingProxyType] = ContextVar("hypergen_context", default=_EMPTY)


class Context:
    """Attribute access to the values of the current context.

    ``with context(name=value):`` sets values for the block and restores the
    previous ones after it; blocks nest. ``context.name = value`` sets a value
    until the end of the current request (or the current ``with`` block).
    """

    def __getattr__(self, name: str) -> Any:
        if name == "hypergen":
            raise AttributeError("context.hypergen is only available while hypergen is rendering.")
        try:
            return _values.get()[name]
        except KeyError:
            raise AttributeError(
                f"context.{name} is not set here. It is set by hypergen's context_middleware "
                f"(request, user) or by `with context({name}=...)`."
            ) from None

    def __setattr__(self, name: str, value: Any) -> None:
        _values.set(MappingProxyType({**_values.get(), name: value}))

    def __contains__(self, name: str) -> bool:
        return name in _values.get()

    def get(self, name: str, default: Any = None) -> Any:
        return _values.get().get(name, default)

    @property
    def hypergen(self) -> RenderState:
        """The state of the render running now (ids, output, and liveview data)."""
        state = current_render_state()
        if state is None:
            # Python retries a property's AttributeError through __getattr__, which says why.
            raise AttributeError("hypergen")
        return state

    @contextmanager
    def __call__(self, **values: Any) -> Iterator[Context]:
        token = _values.set(MappingProxyType({**_values.get(), **values}))
        try:
            yield self
        finally:
            _values.reset(token)

    def __repr__(self) -> str:
        return f"<hypergen context {dict(_values.get())!r}>"


context = Context()


def context_middleware(get_response: Callable) -> Callable:
    """Django middleware that sets ``context.request`` and ``context.user`` for each request."""
    if iscoroutinefunction(get_response):

        async def async_middleware(request: Any) -> Any:
            with context(request=request, user=getattr(request, "user", None)):
                return await get_response(request)

        return markcoroutinefunction(async_middleware)

    def sync_middleware(request: Any) -> Any:
        with context(request=request, user=getattr(request, "user", None)):
            return get_response(request)

    return sync_middleware


context_middleware.sync_capable = True  # type: ignore[attr-defined]
context_middleware.async_capable = True  # type: ignore[attr-defined]
