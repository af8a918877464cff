"""The websocket examples of docs/websockets.md (from the user's own description), as written there."""

from contextlib import contextmanager

from hypergen.imports import *
from hypergen.websocket import consumer


@contextmanager
def base_template():
    doctype()
    with html(), body(), div(id="content"):
        yield


base_template.target_id = "content"


def template(n):
    count = input(id="count", value=n, disabled=True)
    button("Increment", onclick=callback(increment, count))


@liveview(perm=NO_PERM_REQUIRED, base_template=base_template)
def counter(request):
    command("hypergen.websocket.open", increment.reverse())
    template(1)


@consumer(perm=NO_PERM_REQUIRED, base_template=base_template)
def increment(consumer, request, count):
    template(count + 1)


# App state kept on the consumer: it lives as long as the page (reconnects and restarts included).


def my_template(app_state):
    ul(li(item) for item in app_state)
    button("Add", id="add", onclick=callback(my_consumer))


@liveview(perm=NO_PERM_REQUIRED, base_template=base_template)
def app_state(request):
    my_template([])


@consumer(perm=NO_PERM_REQUIRED, target_id="content")
def my_consumer(consumer, request):
    if not hasattr(consumer, "my_app_state"):
        consumer.my_app_state = [1, 2, 3]
    else:
        consumer.my_app_state.append(len(consumer.my_app_state) + 1)

    my_template(consumer.my_app_state)
