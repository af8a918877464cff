from django.urls import include, path

from hypergen.liveview import autourls
from tests import live_views, pages

urlpatterns = [
    path("test/", include(pages.urlpatterns)),
    path("live/", include((autourls(live_views, namespace="live"), "live"))),
    path("", include("demo.urls")),
]
