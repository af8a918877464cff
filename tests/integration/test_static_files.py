"""The quick start's asgi.py serves the client script under plain daphne while DEBUG is on."""

import pytest
from asgiref.sync import async_to_sync
from channels.testing import HttpCommunicator

from hypergen.asgi import get_asgi_application

CLIENT = "/static/hypergen/hypergen.min.js"


def get(application, path):
    """The status and body of a GET (read by hand: a file's last chunk may leave out "body")."""
    request = HttpCommunicator(application, "GET", path, headers=[(b"host", b"127.0.0.1")])

    async def response():
        await request.send_input({"type": "http.request", "body": b""})
        start = await request.receive_output(3)
        body = b""
        while True:
            chunk = await request.receive_output(3)
            body += chunk.get("body", b"")
            if not chunk.get("more_body", False):
                # Let the application finish (it closes the file it served) before leaving.
                await request.wait(3)
                return {"status": start["status"], "body": body}

    return async_to_sync(response)()


@pytest.mark.django_db
def test_with_debug_the_application_serves_the_client_itself(settings):
    settings.DEBUG = True
    response = get(get_asgi_application(), CLIENT)
    assert response["status"] == 200
    assert b"hypergen" in response["body"]


@pytest.mark.django_db
def test_without_debug_static_files_are_the_web_servers(settings):
    settings.DEBUG = False
    assert get(get_asgi_application(), CLIENT)["status"] == 404
    assert get(get_asgi_application(serve_static_files=True), CLIENT)["status"] == 200
