from django.urls import include, path

from tests import pages

urlpatterns = [
    path("test/", include(pages.urlpatterns)),
    path("", include("demo.urls")),
]
