"""A channel layer for tests that reaches other processes, as far as Hypergen can tell: it records."""

from channels.layers import BaseChannelLayer


class RecordingLayer(BaseChannelLayer):
    """Keeps what is sent to groups in ``sent`` instead of delivering it."""

    sent: list[tuple[str, dict]] = []

    extensions = ["groups"]

    async def group_send(self, group, message):
        RecordingLayer.sent.append((group, message))

    async def group_add(self, group, channel):
        pass

    async def group_discard(self, group, channel):
        pass
