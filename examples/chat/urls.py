from django.urls import include, path

from chat import views, vip
from hypergen.liveview import autourls

urlpatterns = [
    path("", include((autourls(views, namespace="chat"), "chat"))),
    path("", include((autourls(vip, namespace="vip"), "vip"))),
]
