"""The HTTP wire format of actions and liveviews, and every way a request can be bad."""

import json

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from hypergen.serialization import dumps

pytestmark = pytest.mark.django_db

INCREMENT = "/live/increment/"


def post_event(client, url, args, meta=None, **extra):
    body = dumps({"args": args, "meta": meta or {}})
    return client.post(url, body, content_type="application/json", **extra)


def error_of(response):
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)["error"]


def test_an_action_answers_with_commands(client):
    response = post_event(client, INCREMENT, [41])
    assert response.status_code == 200
    commands = json.loads(response.content)
    assert commands[0][0] == "hypergen.morph"
    assert commands[0][1] == "content"
    assert 'value="42"' in commands[0][2]


def test_a_liveview_page_carries_the_client_and_its_config(client):
    html = client.get("/live/counter/").content.decode()
    head = html[: html.index("</head>")]
    assert '<script src="/static/hypergen/hypergen.min.js" defer></script>' in head
    config = json.loads(head.split('id="hypergen-config">')[1].split("</script>")[0])
    assert config["targetId"] == "content"
    assert config["partial"] is True
    assert config["csrfToken"]


def test_config_json_cannot_close_its_script_tag(client, settings):
    from hypergen.liveview import client_head

    class FakeState:
        target_id = "</script><script>alert(1)</script>"
        commands = [["hypergen.setText", "x", "</script><!--"]]
        websocket_urls = []
        own_websocket_url = None

        class info:
            partial = True

    from django.test import RequestFactory

    head = client_head(RequestFactory().get("/"), FakeState())
    assert head.count("</script>") == 2
    assert "<!--" not in head


def test_partial_request_gets_content_title_and_commands(client):
    response = client.get("/live/page-two/", HTTP_X_HYPERGEN_PARTIAL="content")
    assert response["X-Hypergen-Partial"] == "content"
    commands = json.loads(response.content)
    assert commands[0][:2] == ["hypergen.morph", "content"]
    assert '<h1 id="heading">Page two</h1>' in commands[0][2]
    assert "<nav" not in commands[0][2]
    assert ["hypergen.setTitle", "Second page"] in commands


def test_partial_request_for_another_target_gets_the_whole_page(client):
    response = client.get("/live/page-two/", HTTP_X_HYPERGEN_PARTIAL="sidebar")
    assert response["Content-Type"].startswith("text/html")
    assert "X-Hypergen-Partial" not in response


def test_base_view_and_appstate_keep_state_in_the_session(client):
    client.get("/live/options/")
    for expected in (1, 2):
        commands = json.loads(post_event(client, "/live/record_call/", ["x"]).content)
        assert f"calls: {expected}" in commands[0][2]
    assert "calls: 2" in client.get("/live/options/").content.decode()
    assert "calls: 0" in Client().get("/live/options/").content.decode()


def test_app_state_is_kept_when_a_liveview_or_an_action_answers_with_its_own_response(client):
    assert client.get("/live/count_and_redirect/").status_code == 302
    response = post_event(client, "/live/count_and_download/", [])
    assert response["Content-Type"] == "text/csv"
    assert "calls: 2" in client.get("/live/options/").content.decode()


def test_an_unreadable_app_state_starts_over_and_says_so(client, caplog):
    from hypergen.appstate import _key
    from tests import live_views

    client.get("/live/options/")
    session = client.session
    session[_key(live_views.options.hypergen)] = '{"_t": "pickle", "v": 1}'
    session.save()
    with caplog.at_level("WARNING", logger="hypergen.appstate"):
        assert "calls: 0" in client.get("/live/options/").content.decode()
    assert "could not be read" in caplog.text and "Unknown wire type 'pickle'" in caplog.text


@pytest.mark.parametrize(
    "body, message",
    [
        ("{not json", "Malformed JSON"),
        ('["args"]', 'JSON object with an "args" list'),
        ('{"args": 5}', 'JSON object with an "args" list'),
        ('{"args": [], "meta": []}', '"meta" must be a JSON object'),
        ('{"args": [{"_t": "pickle", "v": "x"}]}', "Unknown wire type 'pickle'"),
        ('{"args": [{"_t": "date", "v": "soon"}]}', "Invalid date"),
    ],
)
def test_malformed_events_get_400_with_what_is_wrong(client, body, message):
    response = client.post(INCREMENT, body, content_type="application/json")
    assert response.status_code == 400
    assert message in error_of(response)
    assert post_event(client, INCREMENT, [1]).status_code == 200  # Still serving.


@pytest.mark.parametrize(
    "body, message",
    [
        ("[" * 100_000, "nested deeper than 100"),
        ('{"args": [' + "1" * 5000 + "]}", "more than 300 digits"),
        ('{"args": [1e999]}', "too large for a float"),
        ('{"args": [NaN]}', "NaN is not valid JSON"),
        ('{"args": ["\\ud800"]}', "lone surrogate"),
    ],
)
def test_hostile_events_get_400_with_what_is_wrong(client, body, message):
    # Regression (security review): these were 500s (RecursionError, ValueError) or accepted.
    response = client.post(INCREMENT, body, content_type="application/json")
    assert response.status_code == 400
    assert message in error_of(response)
    assert post_event(client, INCREMENT, [1]).status_code == 200  # Still serving.


@pytest.mark.parametrize("args, counts", [([], "0 arguments; it takes 1"), ([1, 2], "2 arguments; it takes 1")])
def test_wrong_argument_counts_get_400_naming_the_function(client, args, counts):
    response = post_event(client, INCREMENT, args)
    assert response.status_code == 400
    assert error_of(response) == f"increment was sent {counts}."


def test_without_debug_a_bad_arguments_error_shows_no_signature_or_defaults(client):
    # Regression (security review): with DEBUG=False the error showed the signature, defaults
    # (and the secret in one) included.
    response = post_event(client, "/live/with_secret_default/", [])
    assert response.status_code == 400
    assert error_of(response) == "with_secret_default was sent 0 arguments; it takes 1 to 2."


def test_with_debug_a_bad_arguments_error_shows_the_signature(client, settings):
    settings.DEBUG = True
    response = post_event(client, INCREMENT, [])
    assert "increment(request, n) cannot take the arguments the browser sent" in error_of(response)


def test_multipart_without_event_data_gets_400(client):
    response = client.post(INCREMENT, {"other": "x"})
    assert response.status_code == 400
    assert "no hypergen_data field" in error_of(response)


def test_actions_need_a_csrf_token():
    client = Client(enforce_csrf_checks=True)
    client.get("/live/counter/")
    assert post_event(client, INCREMENT, [1]).status_code == 403
    token = client.cookies["csrftoken"].value
    assert post_event(client, INCREMENT, [1], HTTP_X_CSRFTOKEN=token).status_code == 200


def test_actions_answer_post_only_and_liveviews_get_only(client):
    assert client.get(INCREMENT).status_code == 405
    assert "the browser calls it with POST" in error_of(client.get(INCREMENT))
    assert client.post("/live/counter/").status_code == 405


def test_permissions_are_checked_on_every_action_call(client):
    client.force_login(User.objects.create_user("nobody"))
    response = post_event(client, "/live/secret_action/", [])
    assert response.status_code == 403
    assert error_of(response) == "You do not have permission to do that."
    user = User.objects.create_user("viewer")
    user.user_permissions.add(Permission.objects.get(codename="view_user"))
    client.force_login(user)
    commands = json.loads(post_event(client, "/live/secret_action/", []).content)
    assert commands == [["hypergen.setText", "secret-result", "matched ('auth.view_user',)"]]


def test_an_anonymous_visitor_refused_by_an_action_is_sent_to_log_in_and_back(client):
    body = dumps({"args": [], "meta": {}, "page": "/live/forbidden_button/?tab=2"})
    response = client.post("/live/secret_action/", body, content_type="application/json")
    assert response.status_code == 200
    assert json.loads(response.content) == [["hypergen.redirect", "/login/?next=/live/forbidden_button/%3Ftab%3D2"]]
    # Without the page (a script, an old client): the login page itself.
    assert json.loads(post_event(client, "/live/secret_action/", []).content) == [["hypergen.redirect", "/login/"]]


def test_the_permission_denied_message_is_a_setting(client, settings):
    settings.HYPERGEN = {**settings.HYPERGEN, "PERMISSION_DENIED_MESSAGE": "Members only, sorry."}
    client.force_login(User.objects.create_user("nobody"))
    assert error_of(post_event(client, "/live/secret_action/", [])) == "Members only, sorry."


def test_a_view_may_set_its_own_permission_denied_message(client):
    client.force_login(User.objects.create_user("nobody"))
    assert error_of(post_event(client, "/live/staff_note/", [])) == "Only staff may leave notes."


def test_with_debug_the_developer_also_reads_why(client, settings):
    settings.DEBUG = True
    client.force_login(User.objects.create_user("nobody"))
    assert error_of(post_event(client, "/live/secret_action/", [])) == (
        "You do not have permission to do that. (DEBUG: secret_action needs 'auth.view_user'.)"
    )


def test_base_view_is_rendered_only_for_users_its_permission_lets_in(client, settings):
    # Regression (security review): a public action with base_view= returned the HTML of a page
    # that answers 403 to the same user.
    settings.DEBUG = True  # The detail says why.
    client.force_login(User.objects.create_user("nobody"))
    response = post_event(client, "/live/public_action_on_members_page/", [])
    assert response.status_code == 403
    assert error_of(response) == (
        "You do not have permission to do that. (DEBUG: public_action_on_members_page renders members_only, "
        "which needs 'auth.view_user'.)"
    )
    assert b"Welcome" not in response.content
    client.logout()
    assert json.loads(post_event(client, "/live/public_action_on_members_page/", []).content) == [
        ["hypergen.redirect", "/login/"]
    ]
    user = User.objects.create_user("viewer")
    user.user_permissions.add(Permission.objects.get(codename="view_user"))
    client.force_login(user)
    commands = json.loads(post_event(client, "/live/public_action_on_members_page/", []).content)
    assert "Welcome, viewer" in commands[0][2]


def test_liveview_permissions_redirect_anonymous_and_refuse_the_logged_in(client):
    response = client.get("/live/members_only/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/live/members_only/"
    client.force_login(User.objects.create_user("nobody"))
    assert client.get("/live/members_only/").status_code == 403


def test_a_failing_action_is_a_500_without_traceback(client):
    client.raise_request_exception = False
    response = post_event(client, "/live/fail/", [])
    assert response.status_code == 500
    assert b"the action failed on purpose" not in response.content


def test_an_action_may_return_a_redirect(client):
    assert json.loads(post_event(client, "/live/go_elsewhere/", []).content) == [
        ["hypergen.redirect", "/live/page-two/"]
    ]


def test_partial_false_renders_the_whole_page(client):
    commands = json.loads(post_event(client, "/live/whole_page/", []).content)
    assert commands[0][0] == "hypergen.morphPage"
    assert commands[0][1].startswith("<!DOCTYPE html>")
    assert '<div id="content"><h1 id="heading">Whole page</h1></div>' in commands[0][1]


def test_template_tag_errors_name_the_problem():
    from django.template import Context, Template, TemplateSyntaxError

    with pytest.raises(TemplateSyntaxError, match="no URL has that name"):
        Template("{% load hypergen %}{% callback 'live:nothing' %}").render(Context())
    with pytest.raises(TemplateSyntaxError, match="unknown coercion 'list'"):
        Template("{% load hypergen %}{% callback 'live:increment' 'x'|element:'list' %}").render(Context())
    with pytest.raises(TemplateSyntaxError, match="names no element id"):
        Template("{% load hypergen %}{% callback 'live:increment' ''|element %}").render(Context())
    with pytest.raises(TemplateSyntaxError, match="needs the request in the template context"):
        Template("{% load hypergen %}{% hypergen_head %}").render(Context())


def test_template_tag_renders_element_references_in_order():
    from django.template import Context, Template

    template = "{% load hypergen %}{% callback 'live:increment' 1 'count'|element:'int' 'x' 'note'|element %}"
    assert Template(template).render(Context()) == (
        "hypergen.callback(event,&quot;/live/increment/&quot;,[1,{&quot;_t&quot;:&quot;element&quot;,"
        "&quot;v&quot;:[&quot;count&quot;,&quot;int&quot;]},&quot;x&quot;,{&quot;_t&quot;:&quot;element&quot;,"
        "&quot;v&quot;:[&quot;note&quot;,null]}],{})"
    )


def test_template_tag_sends_a_consumer_over_its_websocket(rf):
    from django.template import Context, Template

    tag = Template("{% load hypergen %}{% callback 'ws:echo' 'hi' %}")
    with_request = tag.render(Context({"request": rf.get("/", HTTP_HOST="localhost", secure=True)}))
    assert with_request.startswith("hypergen.callback(event,&quot;wss://localhost/ws/echo/&quot;")
    without_request = tag.render(Context())  # The page's own host: resolved by the client.
    assert without_request.startswith("hypergen.callback(event,&quot;ws:/ws/echo/&quot;")


@pytest.mark.parametrize("user_data", ["#private-note", "#", "#x:list"])
def test_a_string_starting_with_hash_is_a_string_in_the_callback_tag(user_data):
    # Regression (security review): user data "#private-note" became an element reference (a
    # victim's click sent that field's value), and "#" alone was a 500 on every page showing it.
    from django.template import Context, Template

    template = Template("{% load hypergen %}{% callback 'live:increment' user_data %}")
    out = template.render(Context({"user_data": user_data}))
    assert out == f"hypergen.callback(event,&quot;/live/increment/&quot;,[&quot;{user_data}&quot;],{{}})"


def test_an_async_action_is_awaited_and_answers_its_commands(client):
    response = post_event(client, "/live/async_action/", ["quiet"])
    assert json.loads(response.content) == [["hypergen.setText", "echo", "QUIET"]]


# base_view= on a page with URL arguments ---------------------------------------------------


def test_base_view_renders_the_page_the_event_came_from_with_its_url_arguments(client):
    client.get("/live/shelf/poetry/3/")
    body = dumps({"args": [], "meta": {}, "page": "/live/shelf/poetry/3/?sort=title"})
    response = client.post("/live/bump_shelf/", body, content_type="application/json")
    assert response.status_code == 200
    [[name, target, html]] = json.loads(response.content)
    assert (name, target) == ("hypergen.morph", "content")
    assert "shelf poetry, page 3, bumps 1" in html


def test_base_view_refuses_a_page_that_is_another_view(client):
    body = dumps({"args": [], "meta": {}, "page": "/live/counter/"})
    response = client.post("/live/bump_shelf/", body, content_type="application/json")
    assert response.status_code == 400
    assert error_of(response) == (
        "bump_shelf renders shelf (its base_view), but the event came from /live/counter/, which is counter: "
        "use bump_shelf only on shelf's pages, or give it another base_view."
    )
    assert "bumps" not in client.session  # Refused before the action ran.


def test_base_view_with_url_arguments_needs_to_know_the_page(client):
    response = post_event(client, "/live/bump_shelf/", [])
    assert response.status_code == 400
    assert error_of(response) == (
        "bump_shelf renders shelf (its base_view), which takes URL arguments, but the event did not say "
        'which page it came from (the Hypergen client sends it as "page").'
    )


@pytest.mark.parametrize("page", ["https://evil.example/live/shelf/a/1/", "//evil.example/x/", 7, "x" * 3000])
def test_a_malformed_page_is_a_bad_request(client, page):
    body = dumps({"args": [], "meta": {}, "page": page})
    response = client.post("/live/bump_shelf/", body, content_type="application/json")
    assert response.status_code == 400
    assert '"page"' in error_of(response)
