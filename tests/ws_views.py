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
