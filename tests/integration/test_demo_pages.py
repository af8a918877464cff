"""The demo site's pages through Django's test client."""

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/templates/", "/counter/", "/inputs/", "/chart/"])
def test_demo_pages_render(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.content.startswith(b"<!DOCTYPE html>")


@pytest.mark.django_db
def test_template_gallery_escapes_its_sample_data(client):
    content = client.get("/templates/").content.decode()
    assert "<li>Bread &lt;fresh&gt;</li>" in content
    assert "<script>alert" not in content


@pytest.mark.django_db
def test_partial_load_includes_what_the_base_template_writes_inside_the_target(client):
    import json

    response = client.get("/inputs/", HTTP_X_HYPERGEN_PARTIAL="content")
    commands = json.loads(response.content)
    assert commands[0][:2] == ["hypergen.morph", "content"]
    assert commands[0][2].startswith("<h1>Inputs</h1>")
    assert ["hypergen.setTitle", "Inputs"] in commands


@pytest.mark.django_db
def test_the_stats_page_counts_events_for_admins_only(client, django_user_model):
    from demo import stats
    from hypergen.serialization import dumps

    stats.counts.clear()
    assert client.get("/stats/").status_code == 302  # Anonymous: to the login page.
    client.force_login(django_user_model.objects.create_user("visitor"))
    assert client.get("/stats/").status_code == 403
    assert client.get("/stats/metrics/").status_code == 403
    client.force_login(django_user_model.objects.create_superuser("admin"))
    for _ in range(2):
        client.post("/increment/", dumps({"args": [1], "meta": {}}), content_type="application/json")
    exposition = client.get("/stats/metrics/").content.decode()
    assert 'hypergen_events_total{outcome="ok",transport="http",view="increment"} 2' in exposition
    page = client.get("/stats/").content.decode()
    assert "hypergen_event_seconds_total" in page and "view=increment" in page


def test_the_chart_feed_stops_by_itself_after_its_limit():
    from demo.chart import Feed

    sent = []
    feed = Feed(send=sent.append, interval=0.001, limit=3)
    feed.start()
    feed.join(timeout=5)
    assert not feed.running
    assert sent == [True, True, False]  # Running, running, and with the last point: stopped.


def test_the_chart_feed_stops_when_told_without_waiting_for_its_next_point():
    from demo.chart import Feed

    sent = []
    feed = Feed(send=sent.append, interval=60, limit=3)
    feed.start()
    assert feed.running
    feed.stop()
    feed.join(timeout=5)
    assert not feed.running
    assert sent == []
