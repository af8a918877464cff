"""A live chart: the server pushes points, a client hook (static/demo/hooks.js) draws them."""

import json
import random
import threading
from collections import deque
from pathlib import Path

from demo.layout import page, two_columns
from hypergen import js
from hypergen.imports import *
from hypergen.websocket import consumer, push

HOOKS_JS = Path(__file__).resolve().parent / "static" / "demo" / "hooks.js"


class Series:
    """The chart's data, shared by every tab: the last ``keep`` points of a random walk."""

    def __init__(self, keep=60):
        self._points = deque(maxlen=keep)
        self._lock = threading.Lock()
        self._x, self._y = 0, 50.0
        for _ in range(20):
            self.add()

    def add(self):
        with self._lock:
            self._x += 1
            self._y = min(100.0, max(0.0, self._y + random.uniform(-8, 8)))
            point = {"x": self._x, "y": round(self._y, 1)}
            self._points.append(point)
            return point

    def points(self):
        with self._lock:
            return list(self._points)


class Feed:
    """The background job: every ``interval`` seconds ``send(running)``, until stopped or ``limit`` times."""

    def __init__(self, send, interval=1.0, limit=120):
        self.send, self.interval, self.limit = send, interval, limit
        self._stopped = threading.Event()
        self._thread = None
        self._lock = threading.Lock()

    @property
    def running(self):
        return self._thread is not None and self._thread.is_alive() and not self._stopped.is_set()

    def start(self):
        with self._lock:
            if not self.running:
                self._stopped = threading.Event()  # Each run its own: a run being stopped stays stopped.
                self._thread = threading.Thread(target=self._run, args=(self._stopped,), name="chart-feed", daemon=True)
                self._thread.start()

    def stop(self):
        self._stopped.set()

    def join(self, timeout=None):
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self, stopped):
        for n in range(1, self.limit + 1):
            if stopped.wait(self.interval):  # True: stop() was called; no sleeping through it.
                return
            self.send(n < self.limit)


def new_point(running):
    """What the feed pushes: a point for the chart's hook, and the controls."""
    js.dispatch("chart", "chart:point", series.add())
    controls(running)


def push_point(running):
    push(chart_feed, new_point, running)


series = Series()
feed = Feed(push_point)


def controls(running):
    p("The feed is running." if running else "The feed is stopped.", id="chart-status", class_="muted")
    button("Add a point", id="chart-add", onclick=callback(chart_feed, "add"))
    button("Start the feed", id="chart-start", onclick=callback(chart_feed, "start"), disabled=running)
    button("Stop", id="chart-stop", onclick=callback(chart_feed, "stop"), disabled=not running)


@consumer(perm=NO_PERM_REQUIRED, path="chart/socket/", target_id="chart-controls")
def chart_feed(consumer, request, what):
    """Every tab on the page shares this group: a point or the feed's state reaches them all."""
    if what == "add":
        js.dispatch("chart", "chart:point", series.add())
    elif what == "start":
        feed.start()
    elif what == "stop":
        feed.stop()
    controls(feed.running)


def live_chart():
    p("The hook LiveChart draws the chart in the browser; the server only sends points.", class_="muted")
    div(id="chart", class_="chart", hook="LiveChart", data_points=json.dumps(series.points()))
    with div(id="chart-controls", class_="filters"):
        controls(feed.running)


@liveview(perm=NO_PERM_REQUIRED, base_template=page("Live chart"), path="chart/")
def chart_page(request):
    two_columns(live_chart, live_chart, controls, chart_feed, new_point, example_id="chart-example")
    with details(class_="source-panel"):
        summary("The hook: static/demo/hooks.js")
        pre(code(HOOKS_JS.read_text()), class_="source")
