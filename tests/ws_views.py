"""Consumers the websocket tests drive, beside the seed's examples in the demo."""

from hypergen import js
from hypergen.imports import *
from hypergen.websocket import consumer


@consumer(perm=NO_PERM_REQUIRED, broadcast=False)
def private_echo(consumer, request, text):
    js.set_text("echo", f"only you: {text}")


@consumer(perm=NO_PERM_REQUIRED)
def echo(consumer, request, text):
    js.set_text("echo", f"{request.user.is_authenticated} {request.path} {text}")


@consumer(perm=NO_PERM_REQUIRED)
def choose(consumer, request, text, private=False):
    context.hypergen.broadcast = not private
    js.set_text("echo", text)


@consumer(perm=NO_PERM_REQUIRED)
def broken(consumer, request):
    raise ValueError("secret detail of the failure")


@consumer(perm=NO_PERM_REQUIRED, path="rooms/<str:room>/")
def any_room(consumer, request, text):
    js.append("messages", hypergen(lambda: li(text)))


@consumer(perm="auth.view_user")
def members(consumer, request):
    js.set_text("echo", f"hello {request.user.username}")


@consumer(perm=NO_PERM_REQUIRED, path="clicks/<slug:board>/")
def record(consumer, request, label):
    js.append("log", hypergen(lambda: li(label)))


@liveview(perm=NO_PERM_REQUIRED, path="board/<slug:board>/")
def board(request, board):
    url = record.reverse(board=board)
    command("hypergen.websocket.open", url)
    ul(id="log")
    for label in ("A", "B", "C"):
        button(label, id=f"click-{label}", onclick=callback(url, label))
    button("Close the socket", id="close", onclick=call_js("hypergen.websocket.close", url))


@liveview(perm=NO_PERM_REQUIRED)
def chat_without_permission(request):
    from chat.views import send_message

    command("hypergen.websocket.open", send_message.reverse(room_name="lobby"))
    p("This page opens a chat socket its user may not use.")


# Used by bench/ws.py --------------------------------------------------------------------------


@consumer(perm=NO_PERM_REQUIRED, broadcast=False, target_id="list")
def bench_list(consumer, request, n):
    """A typical consumer: render a 10-item list and morph it into the page."""
    with ul(class_="items"):
        for i in range(10):
            li(f"Item {n}.{i}", class_="item", id_=("item", i))


@consumer(perm=NO_PERM_REQUIRED, path="bench-fanout/")
def bench_fanout(consumer, request, n):
    js.set_text("last", n)


@consumer(perm=NO_PERM_REQUIRED, broadcast=False)
def bench_noop(consumer, request, n):
    pass
