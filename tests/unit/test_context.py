"""The per-request context."""

import asyncio

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from hypergen.context import context, context_middleware
from hypergen.template import hypergen, p


def test_missing_values_raise_a_helpful_attribute_error():
    with pytest.raises(AttributeError, match="context.nothing is not set here"):
        _ = context.nothing


def test_with_blocks_nest_and_restore():
    with context(a=1, b=2):
        with context(b=3):
            assert (context.a, context.b) == (1, 3)
        assert (context.a, context.b) == (1, 2)
    assert "a" not in context


def test_setting_an_attribute_lasts_until_the_block_ends():
    with context():
        context.colour = "red"
        assert context.get("colour") == "red"
    assert context.get("colour", "none") == "none"


def test_context_hypergen_is_the_running_render():
    seen = []
    hypergen(lambda: (p(id="x"), seen.append(set(context.hypergen.ids))))
    assert seen == [{"x"}]
    with pytest.raises(AttributeError, match="only available while hypergen is rendering"):
        _ = context.hypergen


def test_sync_middleware_sets_request_and_user():
    request = RequestFactory().get("/")
    request.user = "ann"
    middleware = context_middleware(lambda r: HttpResponse(f"{context.request.path} {context.user}"))
    assert middleware(request).content == b"/ ann"
    assert "request" not in context


def test_async_middleware_sets_request_per_task():
    async def view(request):
        await asyncio.sleep(0)
        return HttpResponse(context.request.path)

    middleware = context_middleware(view)

    async def main():
        requests = [RequestFactory().get(f"/{n}/") for n in range(3)]
        return await asyncio.gather(*(middleware(r) for r in requests))

    assert [r.content for r in asyncio.run(main())] == [b"/0/", b"/1/", b"/2/"]
