"""hypergen.js and the client's command registry name the same commands."""

import re
from pathlib import Path

from hypergen import js

CLIENT = Path(__file__).resolve().parent.parent.parent / "client" / "src"
# Commands the server sends itself and which have no js.* function of their own.
SERVER_ONLY = {"hypergen.morphPage"}


def client_command_names() -> set[str]:
    names = set()
    for source in CLIENT.glob("*.js"):
        text = source.read_text()
        names.update(re.findall(r'^\s*"(hypergen\.[A-Za-z.]+)":', text, re.MULTILINE))
        names.update(re.findall(r'commands\["(hypergen\.[A-Za-z.]+)"\] =', text))
    return names - {name for name in names if name.startswith("hypergen.when.")}


def test_the_websocket_commands_exist_on_the_client():
    assert websocket_commands() == {"hypergen.websocket.open", "hypergen.websocket.close"}


def test_every_js_function_has_a_client_command_and_back():
    assert set(js.CLIENT_COMMANDS.values()) == client_command_names() - SERVER_ONLY - websocket_commands()


def websocket_commands() -> set[str]:
    return {name for name in client_command_names() if name.startswith("hypergen.websocket.")}


def test_every_js_function_is_public_and_documented():
    assert sorted(js.CLIENT_COMMANDS) == sorted(js.__all__)
    for name in js.__all__:
        assert getattr(js, name).__doc__, name


def test_the_test_client_runs_every_client_command():
    from hypergen.testing.commands import COMMANDS

    assert set(COMMANDS) == client_command_names()
