"""A custom group name: every VIP room, whatever its URL, shares one group."""

from hypergen import js
from hypergen.imports import *
from hypergen.websocket import consumer


@consumer(perm=NO_PERM_REQUIRED, path="vip/<slug:room>/send", group_name=lambda consumer: "vip_group")
def send_message(consumer, request, message):
    js.append("messages", hypergen(lambda: li(f"{request.resolver_match.kwargs['room']}: {message}")))


@liveview(perm=NO_PERM_REQUIRED, path="vip/<slug:room>/")
def vip_room(request, room):
    h1("VIP room ", room)
    ul(id="messages")
    message = input(id="message")
    button("Send", id="send", onclick=callback(send_message.reverse(room=room), message, clear=True))
