"""manage.py hypergen_push and push() from processes that serve no websockets."""

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.layers import RecordingLayer

EXAMPLES = Path(__file__).resolve().parent.parent.parent / "examples"


@pytest.fixture
def layer_across_processes(settings):
    """A layer that is not the in-memory one, as REDIS_URL would give (it records instead of sending)."""
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "tests.layers.RecordingLayer"}}
    RecordingLayer.sent.clear()
    yield RecordingLayer.sent


def test_refuses_the_in_memory_layer_and_points_to_redis_url(settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    with pytest.raises(CommandError, match="the in-memory one .*Set REDIS_URL"):
        call_command("hypergen_push", "--group", "vip_group", '[["hypergen.reload"]]')


def test_push_from_a_process_that_serves_no_websockets_fails_loudly():
    # A shell is another process than the server: the in-memory layer cannot reach its sockets.
    code = "from hypergen.websocket import Group, push; push(Group('g'), [['hypergen.reload']])"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "demo.settings", "HYPERGEN_DEMO_DB": ":memory:"}
    env.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=EXAMPLES, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: push(): the channel layer is the in-memory one" in result.stderr
    assert "REDIS_URL" in result.stderr


def test_pushes_to_a_named_group(capsys, layer_across_processes):
    call_command("hypergen_push", "--group", "vip_group", '[["hypergen.reload"]]')
    assert "Sent 1 command(s) to <hypergen group 'vip_group'>." in capsys.readouterr().out
    [(group, message)] = layer_across_processes
    assert group.startswith("hypergen.named.vip_group") and message["body"] == '[["hypergen.reload"]]'


def test_pushes_to_a_consumer_url(capsys, layer_across_processes):
    call_command("hypergen_push", "--consumer", "ws:any_room", "--kwarg", "room=news", '[["hypergen.reload"]]')
    assert "/ws/rooms/news/" in capsys.readouterr().out


@pytest.mark.parametrize(
    "args, message",
    [
        (["--group", "g", "{not json"], "not valid JSON"),
        (["--group", "g", '["hypergen.reload"]'], "a list of commands looks like"),
        (["--consumer", "ws:nothing", "[]"], "No consumer URL named 'ws:nothing'"),
        (["--consumer", "live:counter", "[]"], "'live:counter' is not a @consumer"),
        (["--consumer", "ws:any_room", "--kwarg", "room", "[]"], "write name=value"),
    ],
)
def test_mistakes_are_reported_clearly(args, message, layer_across_processes):
    with pytest.raises(CommandError, match=message):
        call_command("hypergen_push", *args)


@pytest.mark.django_db
def test_push_on_the_in_memory_layer_works_once_this_process_serves(monkeypatch, settings):
    from asgiref.sync import async_to_sync
    from channels.testing import HttpCommunicator
    from django.core import mail
    from django.core.exceptions import ImproperlyConfigured

    from hypergen.asgi import get_asgi_application
    from hypergen.websocket import Group, push

    push_module = importlib.import_module("hypergen.websocket.push")

    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    monkeypatch.delattr(mail, "outbox")  # As outside Django's test environment.
    monkeypatch.setattr(push_module, "_serving_pid", None)
    with pytest.raises(ImproperlyConfigured, match="this process serves no websockets"):
        push(Group("g"), [["hypergen.reload"]])
    request = HttpCommunicator(get_asgi_application(), "GET", "/nowhere/", headers=[(b"host", b"127.0.0.1")])
    response = async_to_sync(request.get_response)()
    assert response["status"] == 404
    push(Group("g"), [["hypergen.reload"]])  # The server process: its sockets are in reach.
