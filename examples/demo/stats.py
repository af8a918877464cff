"""Telemetry: Hypergen's signals fed to Prometheus-style counters, on an admin-only page.

A real project would hand these to prometheus_client or StatsD; the receivers are the same.
"""

import threading
from collections import Counter

from django.dispatch import receiver
from django.http import HttpResponse

from demo.layout import page, two_columns
from hypergen import signals
from hypergen.imports import *

_lock = threading.Lock()
counts: Counter = Counter()  # (metric, labels) -> value
seconds: Counter = Counter()  # (view, transport) -> total seconds spent in events


def _count(metric: str, amount: float = 1, **labels: str) -> None:
    with _lock:
        counts[(metric, tuple(sorted(labels.items())))] += amount


@receiver(signals.socket_connected)
def _connected(sender, path, **details):
    _count("hypergen_sockets_connected_total", view=sender.name)


@receiver(signals.socket_disconnected)
def _disconnected(sender, path, code, **details):
    _count("hypergen_sockets_disconnected_total", view=sender.name, code=str(code))


@receiver(signals.event_finished)
def _finished(sender, transport, duration, code, **details):
    _count("hypergen_events_total", view=sender.name, transport=transport, outcome=code or "ok")
    _count("hypergen_event_seconds_total", duration, view=sender.name, transport=transport)


@receiver(signals.event_failed)
def _failed(sender, transport, exception, **details):
    _count("hypergen_events_failed_total", view=sender.name, transport=transport, error=type(exception).__name__)


@receiver(signals.broadcast)
def _broadcast(sender, group, messages, **details):
    _count("hypergen_group_messages_total", messages)


@receiver(signals.replayed)
def _replayed(sender, path, messages, **details):
    _count("hypergen_replays_total", view=sender.name, kind="resync" if messages is None else "replay")


@receiver(signals.rate_limited)
def _rate_limited(sender, path, closed, **details):
    _count("hypergen_rate_limited_total", view=sender.name, closed=str(closed).lower())


def exposition() -> str:
    """The counters in Prometheus' text format."""
    with _lock:
        items = sorted(counts.items())
    lines = []
    for (metric, labels), value in items:
        label_text = ",".join(f'{name}="{value}"' for name, value in labels)
        lines.append(f"{metric}{{{label_text}}} {value:g}")
    return "\n".join(lines) + "\n"


def stats_example():
    p("What Hypergen's signals reported since this process started (admins only).")
    button("Refresh", id="refresh", onclick=callback(refresh))
    stats_table()
    p(a("The same, as Prometheus scrapes it", href="/stats/metrics/"))


@liveview(perm="auth.view_user", base_template=page("Stats"), path="stats/")
def stats(request):
    two_columns(stats_example, _connected, _finished, exposition, stats_table)


def stats_table():
    with _lock:
        items = sorted(counts.items())
    with table(id="stats"):
        tr(th("metric"), th("labels"), th("value"))
        for (metric, labels), value in items:
            tr(td(metric), td(", ".join(f"{name}={value}" for name, value in labels)), td(f"{value:g}"))


@action(perm="auth.view_user", base_view=stats)
def refresh(request):
    pass


def metrics(request):
    """The counters for a Prometheus scraper (admins only, like the page)."""
    if not request.user.has_perm("auth.view_user"):
        return HttpResponse(status=403)
    return HttpResponse(exposition(), content_type="text/plain; version=0.0.4")
