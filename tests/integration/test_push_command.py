"""manage.py hypergen_push: send commands to a group from the command line."""

import pytest
from django.core.management import CommandError, call_command


def test_pushes_to_a_named_group(capsys):
    call_command("hypergen_push", "--group", "vip_group", '[["hypergen.reload"]]')
    assert "Sent 1 command(s) to <hypergen group 'vip_group'>." in capsys.readouterr().out


def test_pushes_to_a_consumer_url(capsys):
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
def test_mistakes_are_reported_clearly(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("hypergen_push", *args)
