"""The ported app under /todomvc/, as 1.5's demo site mounted it, and the page its base template links to."""

from django.http import HttpResponse
from django.urls import include, path


def documentation(request):
    return HttpResponse("<h1>Documentation</h1>")


urlpatterns = [
    path("todomvc/", include("todomvc.urls")),
    path("documentation/", include(([path("", documentation, name="documentation")], "website"))),
]
