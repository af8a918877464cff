"""Mistakes in using the liveview API fail early, saying what to change."""

import re

import pytest
from django.core.exceptions import ImproperlyConfigured

from hypergen import js
from hypergen.callbacks import THIS, callback, command
from hypergen.core import arguments_problem, runs_on_loop
from hypergen.liveview import NO_PERM_REQUIRED, action, liveview
from hypergen.template import button, div, hypergen, input_, p
from tests import live_views


def test_perm_is_required():
    with pytest.raises(TypeError, match="@liveview\\(\\) needs perm="):

        @liveview()
        def page(request):
            pass


@pytest.mark.parametrize("perm", ["no_dot", ["app.ok", 3], []])
def test_malformed_perms_are_refused(perm):
    with pytest.raises(TypeError, match="perm"):

        @action(perm=perm)
        def act(request):
            pass


def test_path_and_re_path_together_are_refused():
    with pytest.raises(TypeError, match="path= or re_path=, not both"):

        @action(perm=NO_PERM_REQUIRED, path="a/", re_path="^a/$")
        def act(request):
            pass


def test_base_view_must_be_a_liveview():
    with pytest.raises(TypeError, match="base_view must be a function decorated with @liveview"):

        @action(perm=NO_PERM_REQUIRED, base_view=lambda request: None)
        def act(request):
            pass


def test_callback_to_a_liveview_is_refused():
    with pytest.raises(TypeError, match='"counter" is a @liveview; callbacks need an @action or @consumer'):
        callback(live_views.counter)


def test_callback_to_something_else_is_refused():
    with pytest.raises(TypeError, match="must be an @action, a @consumer or a URL string"):
        callback(print)


def test_callback_renders_a_js_call_with_element_references():
    def template():
        field = input_(value=5)
        div(onclick=callback("/x/", field, THIS, (1, 2), debounce=100, when=["hypergen.when.keycode", "Enter"]))

    html = hypergen(template)
    generated = re.match(r'<input id="(hg-[0-9a-f]+-1)" value="5">', html).group(1)
    assert "hypergen.callback(event,&quot;/x/&quot;,[{&quot;_t&quot;:&quot;element&quot;" in html
    assert f"[&quot;{generated}&quot;,&quot;int&quot;]" in html
    assert "&quot;debounce&quot;:100" in html


def test_generated_ids_are_stable_across_renders_of_a_view():
    from hypergen.template import RenderState, render_into

    def template():
        a = input_()
        with div(id="content"):
            pass
        p(onclick=callback("/x/", a))

    def render():
        state = RenderState()
        with render_into(state):
            template()
        return state.html()

    assert render() == render()
    assert 'id="hg-1"' in render()


def test_each_fragment_gets_ids_of_its_own_so_appending_it_never_duplicates_an_id():
    def item():
        field = input_()
        button("Save", onclick=callback("/x/", field))

    def ids(html):
        return re.findall(r' id="([^"]+)"', html)

    def page():
        item()
        js.append("list", hypergen(item))  # Inside a render, as in an action or consumer.
        js.append("list", hypergen(item))

    from hypergen.template import RenderState, render_into

    state = RenderState()
    state.commands = []
    with render_into(state):
        page()
    everything = ids(state.html()) + ids(state.commands[0][2]) + ids(state.commands[1][2]) + ids(hypergen(item))
    assert len(everything) == 4 and len(set(everything)) == 4, everything


def test_an_element_already_placed_inside_another_gets_its_id_where_it_is():
    def template():
        field = input_(name="q")
        div(field, class_="wrap")
        p(onclick=callback("/x/", field))

    html = hypergen(template)
    generated = re.match(r'<div class="wrap"><input id="(hg-[0-9a-f]+-1)" name="q"></div><p onclick=', html).group(1)
    assert f"[&quot;{generated}&quot;,null]" in html


def test_referencing_one_of_identical_placed_elements_is_a_clear_error():
    def template():
        field = input_()
        div(field)
        div(field)  # A copy: two identical <input>s now.
        callback("/x/", field)

    with pytest.raises(RuntimeError, match="identical copies of it"):
        hypergen(template)


def test_coerce_to_must_be_a_supported_type():
    def template():
        callback("/x/", input_(coerce_to=list))

    with pytest.raises(TypeError, match="coerce_to=<class 'list'>"):
        hypergen(template)


def test_unsupported_callback_arguments_are_refused():
    with pytest.raises(ValueError, match="cannot send a object"):
        callback("/x/", object())


def test_command_outside_a_view_is_a_clear_error():
    with pytest.raises(RuntimeError, match="must run inside a @liveview, @action or @consumer"):
        command("hypergen.reload")
    with pytest.raises(RuntimeError):
        hypergen(js.reload)


def test_reverse_without_a_registered_namespace_says_how_to_fix_it():
    @action(perm=NO_PERM_REQUIRED)
    def lonely(request):
        pass

    lonely.hypergen.namespace = "nowhere"
    with pytest.raises(ImproperlyConfigured, match="app_name = 'nowhere'"):
        lonely.reverse()


def test_consumer_urls_are_wss_behind_a_tls_proxy(settings, rf):
    from chat.views import send_message

    from hypergen.context import context

    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    with context(request=rf.get("/", HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")):
        assert send_message.reverse(room_name="lobby") == "wss://127.0.0.1/chat/lobby"
    with context(request=rf.get("/", HTTP_HOST="localhost")):
        assert send_message.reverse(room_name="lobby") == "ws://localhost/chat/lobby"


def test_consumer_urls_outside_a_request_are_relative_to_the_page():
    from chat.views import send_message

    assert send_message.reverse(room_name="lobby") == "ws:/chat/lobby"


def test_the_star_import_has_the_whole_public_api():
    import hypergen.imports as everything

    public = ["liveview", "action", "consumer", "callback", "command", "call_js", "autourls", "NO_PERM_REQUIRED"]
    public += ["THIS", "context", "hypergen", "js", "push", "apush", "Group", "div", "input", "input_", "raw"]
    for name in public:
        assert name in everything.__all__, name
    assert "path" not in everything.__all__  # Would shadow django.urls.path.


def test_perms_without_the_auth_middleware_say_what_to_add(rf):
    request = rf.get("/")  # No AuthMiddleware: no request.user.
    with pytest.raises(ImproperlyConfigured, match="AuthenticationMiddleware"):
        live_views.members_only(request)


def test_appstate_without_sessions_says_what_to_add(rf):
    from hypergen.appstate import load_appstate

    with pytest.raises(ImproperlyConfigured, match="SessionMiddleware"):
        load_appstate(rf.get("/"), live_views.options.hypergen)


def test_push_from_async_code_points_to_apush():
    import asyncio

    from hypergen.websocket import Group, push

    async def from_async_code():
        push(Group("anyone"), [["hypergen.reload"]])

    with pytest.raises(RuntimeError, match="use `await apush"):
        asyncio.run(from_async_code())


def test_listen_perm_is_checked_for_shape_like_perm():
    from hypergen.websocket import consumer

    with pytest.raises(TypeError, match="'polls' is not a permission"):

        @consumer(perm=NO_PERM_REQUIRED, listen_perm="polls")
        def vote(consumer, request):
            pass


def test_by_id_refers_to_an_element_the_template_writes_later():
    from hypergen.imports import button, by_id, callback, hypergen, input_

    def search_box():
        button("Search", onclick=callback("/shop/search/", by_id("q"), by_id("page", coerce_to=int)))
        input_(id="q", type="search")
        input_(id="page", value="1")

    html = hypergen(search_box)
    assert (
        "[{&quot;_t&quot;:&quot;element&quot;,&quot;v&quot;:[&quot;q&quot;,null]},"
        "{&quot;_t&quot;:&quot;element&quot;,&quot;v&quot;:[&quot;page&quot;,&quot;int&quot;]}]"
    ) in html


@pytest.mark.parametrize("bad", ["", 7, None, "two words"])
def test_by_id_needs_an_id(bad):
    from hypergen.imports import by_id

    with pytest.raises(TypeError, match=r"by_id\(.*\): give the id of an element"):
        by_id(bad)


def test_a_remembered_argument_shape_never_lets_another_count_through():
    @action(perm=NO_PERM_REQUIRED, autourl=False)
    def takes_one(request, n):
        pass

    info = takes_one.hypergen
    assert arguments_problem(info, ("request", 1), {}, 1) is None
    assert arguments_problem(info, ("request", 1), {}, 1) is None  # Known shape now.
    assert arguments_problem(info, ("request",), {}, 1) == "takes_one was sent 0 arguments; it takes 1."
    assert arguments_problem(info, ("request", 1, 2), {}, 1) == "takes_one was sent 2 arguments; it takes 1."
    assert arguments_problem(info, ("request", 1), {"extra": 1}, 1) is not None


def test_a_function_taking_any_count_remembers_a_bounded_number_of_shapes():
    @action(perm=NO_PERM_REQUIRED, autourl=False)
    def takes_any(request, *numbers):
        pass

    for count in range(100):
        assert arguments_problem(takes_any.hypergen, ("request", *range(count)), {}, 1) is None
    assert len(takes_any.hypergen.bindable) <= 32


def test_only_async_consumers_that_need_no_blocking_work_run_on_the_event_loop():
    from hypergen.websocket import consumer

    @consumer(perm=NO_PERM_REQUIRED, autourl=False)
    async def public(consumer, request):
        pass

    @consumer(perm="chat.can_chat", autourl=False)
    async def guarded(consumer, request):
        pass

    @consumer(perm=NO_PERM_REQUIRED, autourl=False, appstate=dict)
    async def with_appstate(consumer, request):
        pass

    @consumer(perm=NO_PERM_REQUIRED, autourl=False)
    def sync(consumer, request):
        pass

    assert runs_on_loop(public.hypergen)
    assert not runs_on_loop(guarded.hypergen)  # The permission is looked up in the database.
    assert not runs_on_loop(with_appstate.hypergen)  # The session.
    assert not runs_on_loop(sync.hypergen)  # It may block: a worker thread.
