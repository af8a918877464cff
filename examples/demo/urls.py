from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import include, path

from demo import chart, forms, realtime, seed, stats, todos, views
from hypergen.liveview import autourls

urlpatterns = [
    # Pages without a <link rel="icon"> (the seed's examples) ask for this; no content, no 404.
    path("favicon.ico", lambda request: HttpResponse(status=204)),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="/"), name="logout"),
    path("", include((autourls(views, namespace="demo"), "demo"))),
    path("", include((autourls(todos, namespace="todos"), "todos"))),
    path("", include((autourls(realtime, namespace="realtime"), "realtime"))),
    path("", include((autourls(forms, namespace="forms"), "forms"))),
    path("stats/metrics/", stats.metrics, name="metrics"),
    path("", include((autourls(stats, namespace="stats"), "stats"))),
    path("", include((autourls(chart, namespace="chart"), "chart"))),
    path("seed/", include((autourls(seed, namespace="seed"), "seed"))),
    path("", include("chat.urls")),
]
