from django.urls import include, path

from demo import seed, views
from hypergen.liveview import autourls

urlpatterns = [
    path("", include((autourls(views, namespace="demo"), "demo"))),
    path("seed/", include((autourls(seed, namespace="seed"), "seed"))),
    path("", include("chat.urls")),
]
