from django.urls import include, path

from hypergen.liveview import autourls
from tests.http_only import views

urlpatterns = [path("", include((autourls(views, namespace="http_only"), "http_only")))]
