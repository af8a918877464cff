"""A URLconf with liveviews and actions but no @consumer: nothing routes websockets."""

from django.urls import include, path

from hypergen.liveview import autourls
from tests import live_views

urlpatterns = [path("live/", include((autourls(live_views, namespace="live"), "live")))]
