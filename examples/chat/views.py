"""The chat rooms of docs/websockets.md (from the user's own description), as written there."""

from hypergen import js
from hypergen.imports import *
from hypergen.websocket import consumer


@consumer(perm="chat.can_chat", path="chat/<slug:room_name>")
def send_message(consumer, request, message):
    js.append("messages", hypergen(lambda: li(message)))


@liveview(perm="chat.can_chat")
def chat(request):
    ul(id="messages")
    message = input(id="message")
    button("Send", onclick=callback(send_message.reverse(room_name="nice_people_only_room"), message))


@liveview(perm="chat.can_chat", path="rooms/<slug:room_name>/")
def room(request, room_name):
    h1("Room ", room_name)
    ul(id="messages")
    message = input(
        id="message",
        onkeyup=callback(
            send_message.reverse(room_name=room_name), THIS, clear=True, when=["hypergen.when.keycode", "Enter"]
        ),
    )
    button("Send", id="send", onclick=callback(send_message.reverse(room_name=room_name), message, clear=True))
