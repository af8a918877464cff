"""A project's own Channels consumer, routed beside Hypergen's @consumer functions."""

from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.urls import path, re_path


class Notes(AsyncJsonWebsocketConsumer):
    """Answers each message with who sent it and the URL's kwargs: a plain Channels consumer."""

    async def connect(self):
        await self.accept()

    async def receive_json(self, content, **kwargs):
        user = self.scope["user"]
        await self.send_json(
            {
                "you_said": content,
                "user": user.username if user.is_authenticated else None,
                "kwargs": self.scope["url_route"]["kwargs"],
            }
        )


websocket_urlpatterns = [
    path("own/notes/<slug:topic>/", Notes.as_asgi()),
    re_path(r"^own/raw/$", Notes.as_asgi()),
]
