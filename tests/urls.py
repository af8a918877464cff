from django.urls import include, path

from hypergen.liveview import autourls
from tests import hook_views, live_views, pages, ws_views

urlpatterns = [
    path("test/", include(pages.urlpatterns)),
    path("live/", include((autourls(live_views, namespace="live"), "live"))),
    path("ws/", include((autourls(ws_views, namespace="ws"), "ws"))),
    path("hooks/", include((autourls(hook_views, namespace="hooks"), "hooks"))),
    path("", include("demo.urls")),
]
