from django.urls import include, path

from demo import views
from hypergen.liveview import autourls

urlpatterns = [
    path("", include((autourls(views, namespace="demo"), "demo"))),
]
