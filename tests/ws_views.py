"""Consumers the websocket tests drive, beside the seed's examples in the demo."""

from contextlib import contextmanager

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


@consumer(perm=NO_PERM_REQUIRED)
async def async_cancelled(consumer, request):
    """Raises CancelledError as awaiting a task that something else cancelled does."""
    import asyncio

    raise asyncio.CancelledError


@consumer(perm=NO_PERM_REQUIRED, broadcast=False)
def sync_cancelled(consumer, request):
    """A sync consumer whose async_to_sync() call raised CancelledError."""
    import asyncio

    raise asyncio.CancelledError


@consumer(perm=NO_PERM_REQUIRED)
def unencodable(consumer, request, private):
    """Returns a command the wire cannot carry (NaN): to the sender, or to the group."""
    context.hypergen.broadcast = not private
    return [["hypergen.setText", "echo", float("nan")]]


@consumer(perm=NO_PERM_REQUIRED, broadcast=False)
async def async_echo(consumer, request, seconds, text):
    """An async consumer: it awaits on the server's event loop, and uses the ORM's async API."""
    import asyncio

    from django.contrib.auth.models import User

    await asyncio.sleep(seconds)
    users = await User.objects.acount()
    js.set_text("echo", f"{text} ({users} users)")


@consumer(perm=NO_PERM_REQUIRED, broadcast=False)
async def async_counter(consumer, request, step):
    """An async consumer that keeps a count for its page (it runs on the event loop, no thread)."""
    if step == "fail":
        raise ValueError("secret detail of the failure")
    consumer.count = getattr(consumer, "count", 0) + step
    js.set_text("count", consumer.count)


@consumer(perm="chat.can_chat", broadcast=False)
async def async_guarded(consumer, request, text):
    """An async consumer with a permission: checked in a worker thread, then run on the loop."""
    js.set_text("echo", f"{request.user.username}: {text}")


@consumer(perm=NO_PERM_REQUIRED, broadcast=False)
def keeps_unkeepable(consumer, request):
    """Keeps what the wire cannot carry: the page's state cannot be stored."""
    consumer._private = object()  # Underscored: for this connection only, never stored.
    consumer.handle = object()
    js.set_text("echo", "kept")


def online_list(members):
    """Who is in the room, for everyone in it."""
    js.morph("online", hypergen(lambda: [li(m.user or "anonymous", title=m.meta.get("mood")) for m in members]))


@consumer(
    perm=NO_PERM_REQUIRED,
    path="present/<slug:room>/",
    presence=lambda consumer: {"mood": consumer.scope["query_string"].decode().partition("mood=")[2] or "calm"},
    on_presence=online_list,
)
def present(consumer, request, text):
    js.append("messages", hypergen(lambda: li(text)))


@consumer(perm=NO_PERM_REQUIRED, path="named/<path:name>", group_name=lambda consumer: consumer.url_kwargs["name"])
def named_by_visitor(consumer, request, text):
    """Names its group from the URL, so a visitor chooses it: it must not reach other kinds of group."""
    js.append("messages", hypergen(lambda: li(text)))


@consumer(perm=NO_PERM_REQUIRED, path="rooms/<str:room>/")
def any_room(consumer, request, text):
    js.append("messages", hypergen(lambda: li(text)))


@consumer(perm="auth.view_user")
def members(consumer, request):
    js.set_text("echo", f"hello {request.user.username}")


@consumer(perm=NO_PERM_REQUIRED, path="clicks/<slug:board>/")
def record(consumer, request, label):
    """Clicks are kept in the database, so that a page that re-renders shows them all."""
    from chat.models import Message

    Message.objects.create(room=f"board-{consumer.url_kwargs['board']}", author="board", text=label)
    js.append("log", hypergen(lambda: li(label)))


@liveview(perm=NO_PERM_REQUIRED, path="board/<slug:board>/")
def board(request, board):
    from chat.models import Message

    url = record.reverse(board=board)
    command("hypergen.websocket.open", url)
    with ul(id="log"):
        for message in Message.objects.filter(room=f"board-{board}"):
            li(message.text)
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


@consumer(perm=NO_PERM_REQUIRED, broadcast=False)
def bench_sync_echo(consumer, request, n):
    """A sync consumer sending its argument back: bench/ws.py's like-for-like peer of a raw sync echo."""
    js.set_text("echo", n)


@consumer(perm=NO_PERM_REQUIRED, broadcast=False)
async def bench_async_echo(consumer, request, n):
    """An ``async def`` consumer sending its argument back: bench/ws.py's peer of a raw async echo."""
    js.set_text("echo", n)


# Socket features as a page uses them (tests/browser/test_socket_client.py) ----------------------


@consumer(perm=NO_PERM_REQUIRED, broadcast=False)
def slow(consumer, request, seconds, label):
    import time

    time.sleep(seconds)
    js.append("log", hypergen(lambda: li(label)))


@consumer(perm=NO_PERM_REQUIRED, broadcast=False)
def typed_values(consumer, request, values):
    from datetime import date
    from decimal import Decimal

    js.set_text("echo", repr(values))
    js.set_text("when", date(2026, 11, 24))
    js.set_text("price", Decimal("3.10"))


@liveview(perm=NO_PERM_REQUIRED)
def socket_features(request):
    ul(id="log")
    p(id="echo")
    p(id="when")
    p(id="price")
    name = input_(type="text", value="Ann", id="name")
    button("Slow, blocking", id="blocking", onclick=callback(slow, 0.6, "blocking", blocks=True))
    button("Fast", id="fast", onclick=callback(slow, 0, "fast"))
    button("Too slow", id="too-slow", onclick=callback(slow, 1.5, "late", timeout=300))
    # Slower than a 1 s + 1 s heartbeat (tests/chaos/test_restarts.py), within its own timeout.
    button("Longer than a heartbeat", id="long", onclick=callback(slow, 3, "long"))
    button("Typed", id="typed", onclick=callback(typed_values, {"name": name, "n": 1}))
    # As a fragment pushed by a worker renders it (no request, so no host): the page's own host.
    button("Relative", id="relative", onclick=callback("ws:/ws/typed_values/", "relative"))


@contextmanager
def pages_base():
    """The base template of the two pages partial navigation moves between."""
    doctype()
    with html(), body():
        a("First", href=first_page.reverse(), id="to-first")
        a("Second", href=second_page.reverse(), id="to-second")
        with div(id="page"):
            yield


pages_base.target_id = "page"


@consumer(perm=NO_PERM_REQUIRED, path="page-socket/<slug:name>/")
def page_socket(consumer, request, text):
    js.set_text("said", f"{consumer.url_kwargs['name']}: {text}")


@liveview(perm=NO_PERM_REQUIRED, path="pages/first/", base_template=pages_base)
def first_page(request):
    p(id="said")
    button("Say", id="say", onclick=callback(page_socket.reverse(name="first"), "hello"))


@liveview(perm=NO_PERM_REQUIRED, path="pages/second/", base_template=pages_base)
def second_page(request):
    p(id="said")
    button("Say", id="say", onclick=callback(page_socket.reverse(name="second"), "hi"))


# base_view= renders another page: only for users that page lets in -------------------------


def _members_only():
    from tests.live_views import members_only

    return members_only


@consumer(perm=NO_PERM_REQUIRED, base_view=_members_only())
def public_consumer_on_members_page(consumer, request):
    pass


@consumer(perm=NO_PERM_REQUIRED)
def refusing(consumer, request):
    from django.core.exceptions import PermissionDenied

    raise PermissionDenied("only on Tuesdays")


# For hypergen.testing's own tests -------------------------------------------------------


@liveview(perm=NO_PERM_REQUIRED)
def socket_errors(request):
    button("Break", id="break", onclick=callback(broken))
    button("Wrong arguments", id="wrong-arguments", onclick=callback(echo))  # echo needs a text.
    button("Echo", id="echo-button", onclick=callback(echo, "hi"))
    p(id="echo")


# Used by bench/wire.py: bytes on the wire for one change to a big target ---------------------

WIRE_TODOS = {n: False for n in range(100)}


def wire_todo_list():
    for n, done in WIRE_TODOS.items():
        with li(id_=("todo", n), class_="done" if done else None):
            input_(type="checkbox", checked=done, onclick=callback(wire_toggle, n))
            span(f"Todo item number {n}: something to do today", class_="title")
            button("Delete", class_="destroy")


@liveview(perm=NO_PERM_REQUIRED)
def wire_todos(request):
    with ul(id="todos"):
        wire_todo_list()


@consumer(perm=NO_PERM_REQUIRED, target_id="todos")
def wire_toggle(consumer, request, n):
    """Toggle one todo of 100 and re-render the whole list into its target, as apps usually do."""
    WIRE_TODOS[n] = not WIRE_TODOS[n]
    wire_todo_list()


# Splices (tests/integration/test_splices.py, tests/browser/test_splices.py): one board, updated
# over HTTP, as an answer to the sender, or to the group --------------------------------------

DIFF_BOARDS: dict[str, dict] = {}


def diff_board_update(room, what):
    """``toggle:7`` ticks or unticks todo 7; ``say:text`` adds a chat message."""
    state = DIFF_BOARDS.setdefault(room, {"done": set(), "said": [], "updates": 0})
    kind, _, value = what.partition(":")
    if kind == "toggle":
        state["done"] ^= {int(value)}
    else:
        state["said"].append(value)
    state["updates"] += 1


def diff_board_content(room):
    state = DIFF_BOARDS.setdefault(room, {"done": set(), "said": [], "updates": 0})
    with ul(id="todos"):
        for n in range(100):
            done = n in state["done"]
            with li(id_=("todo", n), class_="done" if done else None):
                input_(type="checkbox", checked=done)
                span(f"Todo item number {n}: something to do today \N{GRINNING FACE}", class_="title")
    with ul(id="said"):
        for text in state["said"]:
            li(text)
    p(f"{state['updates']} updates", id="updates")


@liveview(perm=NO_PERM_REQUIRED, path="diff_board/<slug:room>/")
def diff_board(request, room):
    url = diff_socket.reverse(room=room)
    command("hypergen.websocket.open", url)
    what = input_(id="what")
    button("HTTP", id="via-http", onclick=callback(diff_http, room, what))
    button("Answer", id="via-answer", onclick=callback(url, what, True))
    button("Group", id="via-group", onclick=callback(url, what, False))
    with div(id="board"):
        diff_board_content(room)


@action(perm=NO_PERM_REQUIRED, target_id="board")
def diff_http(request, room, what):
    diff_board_update(room, what)
    diff_board_content(room)


@consumer(perm=NO_PERM_REQUIRED, path="diff_socket/<slug:room>/", target_id="board")
def diff_socket(consumer, request, what, private):
    """The board's update, to the sender alone (``private``) or to every tab of the room."""
    context.hypergen.broadcast = not private
    room = consumer.url_kwargs["room"]
    diff_board_update(room, what)
    diff_board_content(room)


# Signed consumer URLs (tests/integration/test_abuse.py) ------------------------------------------


@consumer(perm=NO_PERM_REQUIRED, path="signed/<slug:room>/", signed=True)
def signed_room(consumer, request, text):
    js.set_text("echo", f"{consumer.url_kwargs['room']}: {text}")


def signed_content(text):
    p(text, id="echo")
    button("Again", id="again", onclick=callback(signed_echo, "again"))  # Signed anew in each render.


@consumer(perm=NO_PERM_REQUIRED, signed=True, target_id="signed")
def signed_echo(consumer, request, text):
    signed_content(text)


@liveview(perm=NO_PERM_REQUIRED)
def signed_page(request):
    with div(id="signed"):
        signed_content("")


# base_view= on a page with URL arguments, over a socket -------------------------------------


def _shelf():
    from tests.live_views import shelf

    return shelf


@consumer(perm=NO_PERM_REQUIRED, base_view=_shelf(), broadcast=False)
def bump_shelf_over_socket(consumer, request):
    pass


# Everyone watches, some act: listen_perm= and perm= apart -----------------------------------


@consumer(perm="auth.change_user", listen_perm=NO_PERM_REQUIRED, path="poll/")
def vote(consumer, request, choice):
    js.set_text("votes", f"{request.user.username} voted {choice}")


# Exactly once while an event is still running (tests/integration/test_exactly_once.py) ---------

#: How many times each label's event ran, by the consumers below.
RUNS: dict[str, int] = {}


@consumer(perm=NO_PERM_REQUIRED, broadcast=False)
def counted(consumer, request, seconds, label):
    """A sync consumer that takes ``seconds`` and counts its runs in RUNS."""
    import time

    time.sleep(seconds)
    RUNS[label] = RUNS.get(label, 0) + 1
    js.set_text("echo", label)


@consumer(perm=NO_PERM_REQUIRED, broadcast=False)
async def async_counted(consumer, request, seconds, label):
    """counted(), as an async def consumer (it runs on the event loop)."""
    import asyncio

    await asyncio.sleep(seconds)
    RUNS[label] = RUNS.get(label, 0) + 1
    js.set_text("echo", label)


@consumer(perm=NO_PERM_REQUIRED)
def slow_broadcast(consumer, request, seconds, label):
    """Takes ``seconds``, then appends ``label`` to every page on its URL."""
    import time

    time.sleep(seconds)
    js.append("log", hypergen(lambda: li(label)))
