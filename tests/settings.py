"""Settings for the test suite: the demo site plus test-only pages."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "examples"))

from demo.settings import *
from demo.settings import INSTALLED_APPS

DEBUG = os.environ.get("DJANGO_DEBUG", "0") == "1"
INSTALLED_APPS = [*INSTALLED_APPS, "tests"]
ROOT_URLCONF = "tests.urls"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("HYPERGEN_TEST_DB", ":memory:"),
    }
}

# With REDIS_URL set (the multi-process tests set it), hypergen configures channels_redis;
# each test run uses its own key prefix so that runs sharing a Redis never meet.
HYPERGEN = {"REDIS_PREFIX": os.environ.get("HYPERGEN_TEST_REDIS_PREFIX", "hypergen-test:")}
# The chaos tests see a killed process leave its groups in seconds.
if os.environ.get("HYPERGEN_TEST_GROUP_EXPIRY"):
    HYPERGEN["REDIS_GROUP_EXPIRY"] = int(os.environ["HYPERGEN_TEST_GROUP_EXPIRY"])
# Servers started by the chaos tests use a short heartbeat, to see dead links in seconds.
if os.environ.get("HYPERGEN_TEST_HEARTBEAT"):
    interval, timeout = os.environ["HYPERGEN_TEST_HEARTBEAT"].split(",")
    HYPERGEN["WEBSOCKET_HEARTBEAT_INTERVAL"] = float(interval)
    HYPERGEN["WEBSOCKET_HEARTBEAT_TIMEOUT"] = float(timeout)
# Servers started to measure or test websocket compression under daphne.
if os.environ.get("HYPERGEN_TEST_COMPRESSION"):
    HYPERGEN["WEBSOCKET_COMPRESSION"] = True
# bench/wire.py measures websockets with splices off too (HYPERGEN_TEST_DIFF_BYTES=0).
if os.environ.get("HYPERGEN_TEST_DIFF_BYTES"):
    HYPERGEN["WEBSOCKET_DIFF_BYTES"] = int(os.environ["HYPERGEN_TEST_DIFF_BYTES"])
# A server that rate-limits hard ("rate,burst,close_after"), to see 4429 in a browser.
if os.environ.get("HYPERGEN_TEST_RATE"):
    _rate, _burst, _close_after = os.environ["HYPERGEN_TEST_RATE"].split(",")
    HYPERGEN.update(
        WEBSOCKET_RATE=float(_rate), WEBSOCKET_BURST=int(_burst), WEBSOCKET_RATE_LIMIT_CLOSE_AFTER=int(_close_after)
    )
# Benchmarks send thousands of frames a second from one socket: no rate limit for them.
if os.environ.get("HYPERGEN_TEST_NO_RATE_LIMIT"):  # A firehose of events, as the chaos tests send.
    HYPERGEN["WEBSOCKET_RATE"] = None
    HYPERGEN["WEBSOCKET_MAX_WAITING_EVENTS"] = HYPERGEN["WEBSOCKET_MAX_WAITING_BYTES"] = None
# Benchmarks compare replay history on (the default) and off (0).
if os.environ.get("HYPERGEN_TEST_HISTORY_SIZE"):
    HYPERGEN["WEBSOCKET_HISTORY_SIZE"] = int(os.environ["HYPERGEN_TEST_HISTORY_SIZE"])
# The slow-client chaos test closes sockets holding more than this many unsent bytes.
if os.environ.get("HYPERGEN_TEST_MAX_PENDING_BYTES"):
    HYPERGEN["WEBSOCKET_MAX_PENDING_BYTES"] = int(os.environ["HYPERGEN_TEST_MAX_PENDING_BYTES"])
# tests/redis/test_sharded.py runs servers on two Redis instances: channels_redis shards channels
# and groups over its hosts by consistent hashing.
if os.environ.get("HYPERGEN_TEST_REDIS_HOSTS"):
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "hypergen.layers.RedisChannelLayer",
            "CONFIG": {"hosts": os.environ["HYPERGEN_TEST_REDIS_HOSTS"].split(","), "prefix": HYPERGEN["REDIS_PREFIX"]},
        }
    }
