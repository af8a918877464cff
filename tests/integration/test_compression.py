"""permessage-deflate under daphne: off by default, negotiated when HYPERGEN asks for it."""

import asyncio
import urllib.request

import pytest
import websockets

from tests.servers import running_server


def negotiated_extensions(server) -> str | None:
    urllib.request.urlopen(server.url + "/ws/socket_features/").read()  # The first page turns it on.

    async def connect() -> str | None:
        url = server.url.replace("http://", "ws://") + "/ws/typed_values/"
        async with websockets.connect(url, compression="deflate") as socket:
            return socket.response.headers.get("Sec-WebSocket-Extensions")

    return asyncio.run(connect())


@pytest.mark.parametrize("setting, expected", [("", None), ("1", "permessage-deflate")])
def test_daphne_compresses_websockets_only_when_asked(tmp_path, setting, expected):
    with running_server(tmp_path, HYPERGEN_TEST_COMPRESSION=setting) as server:
        extensions = negotiated_extensions(server)
    assert (extensions or "").split(";")[0] == (expected or "")
