"""Websocket examples in the demo layout: a shared counter, and a dashboard fed by server push."""

import random
import threading
import time
from datetime import UTC, datetime

from demo.layout import page, two_columns
from hypergen.imports import *
from hypergen.websocket import consumer, push

# A counter every open tab shares -------------------------------------------------------------

shared = {"count": 0}


def shared_counter(n):
    p("Everyone looking at this page shares this count. Open a second tab and click.")
    span(n, id="shared-count", class_="value")
    button("+1", id="shared-increment", onclick=callback(add_one))


@liveview(perm=NO_PERM_REQUIRED, base_template=page("Shared counter"), path="shared-counter/")
def shared_counter_page(request):
    two_columns(lambda: shared_counter(shared["count"]), shared_counter, add_one, example_id="shared")


@consumer(perm=NO_PERM_REQUIRED, path="shared-counter/socket/", target_id="shared")
def add_one(consumer, request):
    shared["count"] += 1
    shared_counter(shared["count"])


# A live dashboard, fed by a background job -----------------------------------------------------


def tiles(metrics):
    with div(class_="tiles", id="tiles"):
        for name, value in metrics.items():
            with div(class_="tile"):
                div(value, class_="value", id_=("metric", name.lower().replace(" ", "-")))
                div(name, class_="muted")


def sample_metrics(previous):
    """What a real dashboard would read from its database; a random walk here."""
    orders = max(0, previous.get("Orders per minute", 40) + random.randint(-5, 5))
    return {
        "Orders per minute": orders,
        "Updates pushed": previous.get("Updates pushed", 0) + 1,
        "Server time": datetime.now(UTC).strftime("%H:%M:%S"),
    }


_feed = {"started": False, "metrics": sample_metrics({})}
_feed_lock = threading.Lock()


def feed_forever(interval=1.0):
    """The background job: every second, render the tiles and push them to every open dashboard."""
    while True:
        _feed["metrics"] = sample_metrics(_feed["metrics"])
        push(dashboard_updates, tiles, _feed["metrics"])
        time.sleep(interval)


def start_feed():
    with _feed_lock:
        if not _feed["started"]:
            threading.Thread(target=feed_forever, name="dashboard-feed", daemon=True).start()
            _feed["started"] = True


@consumer(perm=NO_PERM_REQUIRED, path="dashboard/socket/", target_id="dashboard")
def dashboard_updates(consumer, request):
    """Dashboards only listen; nothing is sent to this consumer."""


@liveview(perm=NO_PERM_REQUIRED, base_template=page("Dashboard"), path="dashboard/")
def dashboard(request):
    start_feed()
    command("hypergen.websocket.open", dashboard_updates.reverse())
    two_columns(lambda: tiles(_feed["metrics"]), tiles, dashboard, feed_forever, example_id="dashboard")
