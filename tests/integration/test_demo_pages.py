"""The demo site's pages through Django's test client."""

import pytest


@pytest.mark.parametrize("url", ["/", "/templates/"])
def test_demo_pages_render(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.content.startswith(b"<!DOCTYPE html>")


def test_template_gallery_escapes_its_sample_data(client):
    content = client.get("/templates/").content.decode()
    assert "<li>Bread &lt;fresh&gt;</li>" in content
    assert "<script>alert" not in content
