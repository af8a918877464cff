"""The chat rooms of docs/websockets.md (from the user's own description), as written there."""

from chat.models import Message
from demo.layout import page, two_columns
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


# The chat rooms of the demo site: the same idea, with the history kept in the database.


def message_item(message):
    li(b(message.author), message.text)


def online_people(members):
    """Who is in the room: told to everyone in it whenever someone comes or goes."""
    names = sorted({member.user or "a guest" for member in members})
    js.morph("online", hypergen(lambda: [li(name) for name in names]))


@consumer(perm="chat.can_chat", path="rooms/<slug:room_name>/socket/", presence=True, on_presence=online_people)
def post_message(consumer, request, text):
    text = text.strip()
    if text:
        room_name = request.resolver_match.kwargs["room_name"]
        message = Message.objects.create(room=room_name, author=request.user.username, text=text[:2000])
        js.append("messages", hypergen(message_item, message))
        js.scroll_into_view("message")


def chat_room(room_name):
    send = post_message.reverse(room_name=room_name)
    enter = ["hypergen.when.keycode", "Enter"]
    with ul(id="messages", class_="messages"):
        for message in list(Message.objects.filter(room=room_name).order_by("-created")[:50])[::-1]:
            message_item(message)
    with div(class_="muted"):  # A <ul> cannot sit inside a <p>: the browser would split the paragraph.
        write("Here now: ")
        ul(id="online", class_="online")  # Filled in when this page's socket joins the room.
    message = input(id="message", placeholder="Say something", onkeyup=callback(send, THIS, clear=True, when=enter))
    button("Send", id="send", onclick=callback(send, message, clear=True))
    with p(class_="muted"):
        write("Rooms: ")
        for other in ("lobby", "garden", "kitchen"):
            a(other, href=room.reverse(room_name=other), style={"margin_right": "0.6rem"})


@liveview(perm="chat.can_chat", base_template=page("Chat rooms"), path="rooms/<slug:room_name>/")
def room(request, room_name):
    h2("Room ", room_name)
    two_columns(lambda: chat_room(room_name), chat_room, online_people, post_message, example_id="room")
