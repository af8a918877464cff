import os

from django.apps import AppConfig, apps
from django.conf import settings

from hypergen.conf import hypergen_settings

#: Per-channel queue size of the default in-memory layer. Channels' default (100) drops
#: messages silently under bursts; this leaves room for them.
DEFAULT_CAPACITY = 1000
#: On Redis one queue holds the messages of every socket of a process, so it gets more room.
DEFAULT_REDIS_CAPACITY = 10_000
#: The in-memory layer has no other processes to outlive: its members leave when they disconnect,
#: never because they stayed connected for long (Channels' default drops them after a day).
IN_MEMORY_GROUP_EXPIRY = 10 * 365 * 86400


def default_channel_layers() -> dict:
    """The channel layer used when the project configures none: Redis with REDIS_URL, else in-memory."""
    redis_url = getattr(settings, "REDIS_URL", None) or os.environ.get("REDIS_URL")
    if redis_url:
        return {
            "default": {
                "BACKEND": "hypergen.layers.RedisChannelLayer",
                "CONFIG": {
                    "hosts": [redis_url],
                    "capacity": DEFAULT_REDIS_CAPACITY,
                    "expiry": 60,
                    "group_expiry": hypergen_settings().redis_group_expiry,
                    "prefix": hypergen_settings().redis_prefix,
                },
            }
        }
    return {
        "default": {
            "BACKEND": "channels.layers.InMemoryChannelLayer",
            "CONFIG": {"capacity": DEFAULT_CAPACITY, "group_expiry": IN_MEMORY_GROUP_EXPIRY},
        }
    }


class HypergenConfig(AppConfig):
    name = "hypergen"
    verbose_name = "Hypergen"

    def ready(self) -> None:
        if not getattr(settings, "CHANNEL_LAYERS", None):
            settings.CHANNEL_LAYERS = default_channel_layers()
        from hypergen import checks  # noqa: F401 - registers the system checks

        uses_sockets = apps.is_installed("channels") or getattr(settings, "ASGI_APPLICATION", None)
        if uses_sockets and apps.is_installed("django.contrib.auth"):
            from hypergen.websocket.auth import connect_signals

            connect_signals()  # Logging out closes the user's sockets (docs/security.md).
