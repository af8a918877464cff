"""Template tags so Django templates can use Hypergen callbacks: ``{% load hypergen %}``.

``{% hypergen_head %}`` in <head> loads the client. ``{% callback %}`` renders an
event attribute's value::

    <input id="count" value="{{ n }}">
    <button onclick="{% callback 'counter:increment' 'count'|element:'int' %}">Increment</button>

The first argument is a URL name (``namespace:name``), a URL, or an @action/@consumer
passed in the template context. ``'id'|element`` reads the element with that id when
the event fires (``'id'|element:'int'`` coerces its value: int, float, decimal, date,
datetime, time, str). Every other argument is sent as it is: a string is always a
string, whatever it starts with (it may be a user's data). Keyword arguments are
callback()'s options; ``when`` is written ``"hypergen.when.keycode,Enter"``.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, resolve, reverse
from django.utils.safestring import SafeString, mark_safe

from hypergen.callbacks import Callback, callback
from hypergen.context import context as hypergen_context
from hypergen.liveview import client_head
from hypergen.routing import view_info

register = template.Library()

_COERCIONS = {"int", "float", "decimal", "date", "datetime", "time", "str"}


class _ElementById:
    """An element reference, written ``'id'|element`` (or ``'id'|element:'int'``) in a template."""

    def __init__(self, element_id: Any, coerce: str | None) -> None:
        if not isinstance(element_id, str) or not element_id:
            raise template.TemplateSyntaxError(
                f"{{% callback %}}: {element_id!r}|element names no element id; write 'the-id'|element."
            )
        if coerce and coerce not in _COERCIONS:
            raise template.TemplateSyntaxError(
                f"{{% callback %}}: unknown coercion {coerce!r} in {element_id!r}|element:{coerce!r}; use one of "
                f"{sorted(_COERCIONS)}."
            )
        self.wire = {"_t": "element", "v": [element_id, coerce or None]}


@register.filter
def element(element_id: Any, coerce: str | None = None) -> _ElementById:
    """``{% callback 'app:view' 'count'|element:'int' %}``: the value of the element with that id."""
    return _ElementById(element_id, coerce)


@register.simple_tag(takes_context=True)
def hypergen_head(context: template.Context) -> SafeString:
    """The <script> tags that load the Hypergen client; put it inside <head>."""
    request = context.get("request")
    if request is None:
        raise template.TemplateSyntaxError(
            "{% hypergen_head %} needs the request in the template context: render with render(request, ...) and "
            "keep 'django.template.context_processors.request' in TEMPLATES' context_processors."
        )
    return mark_safe(client_head(request))


def _target(target: Any, request: Any) -> Any:
    """A URL name becomes its view's URL: a path for an action, a websocket URL for a consumer."""
    if not isinstance(target, str) or target.startswith("/") or "://" in target or target.startswith("ws:/"):
        return target  # A URL already ('ws:chat' is the URL name 'chat' in the namespace 'ws').
    try:
        path = reverse(target)
    except NoReverseMatch as error:
        raise template.TemplateSyntaxError(f"{{% callback {target!r} %}}: no URL has that name ({error}).") from error
    info = view_info(resolve(path).func)
    if info is not None and info.absolute_url is not None:
        with hypergen_context(request=request):
            return info.absolute_url(path)
    return path


@register.simple_tag(takes_context=True)
def callback_tag(context: template.Context, target: Any, *args: Any, **options: Any) -> str:
    """The value of an event attribute calling an @action or @consumer."""
    references = list(args)
    if isinstance(options.get("when"), str):
        options["when"] = options["when"].split(",")
    url = _target(target, context.get("request"))
    made: Callback = callback(url, *[r for r in references if not isinstance(r, _ElementById)], **options)
    # Element references are put back in order, as the wire form callback() would have made.
    wire_args = iter(made.args)
    made.args = [r.wire if isinstance(r, _ElementById) else next(wire_args) for r in references]
    return str(made)


register.tag("callback", register.tags.pop("callback_tag"))
