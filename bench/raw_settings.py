"""Settings of the servers bench/load.py runs the raw Channels consumers on: the test project with
Channels' own layers as its tutorial configures them (channels_redis with REDIS_URL, else the
in-memory layer with its defaults), instead of the ones Hypergen configures.
"""

import os

from tests.settings import *

if os.environ.get("REDIS_URL"):
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [os.environ["REDIS_URL"]], "prefix": HYPERGEN["REDIS_PREFIX"]},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
