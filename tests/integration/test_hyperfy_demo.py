"""Every demo page, turned into Python by hyperfy and rendered again, is the same HTML."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver

from hypergen.hyperfy import hyperfy
from hypergen.template import hypergen

# Values for the URL parameters of pages that take one.
URL_ARGUMENTS = {"room_name": "lobby", "room": "gold"}


def _liveview_urls(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _liveview_urls(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            info = getattr(pattern.callback, "hypergen", None)
            if getattr(info, "kind", None) == "liveview":
                route = prefix + str(pattern.pattern)
                yield "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: URL_ARGUMENTS[m.group(1)], route)


def demo_pages():
    import demo.urls

    return sorted(set(_liveview_urls(demo.urls.urlpatterns)))


DEMO_PAGES = demo_pages()


@pytest.fixture
def admin_client(client, django_user_model, monkeypatch):
    """Logged in as a superuser: the chat and the stats page need permissions."""
    from demo import realtime

    # The dashboard starts a thread pushing to its sockets, which this process has none of: the
    # push would fail. As if it ran already, the page renders and no thread starts.
    monkeypatch.setitem(realtime._feed, "started", True)
    client.force_login(django_user_model.objects.create_superuser("admin"))
    return client


def _round_trip(html, **options):
    code = hyperfy(html, "page", **options)
    namespace = {}
    exec(compile(code, "<hyperfy>", "exec"), namespace)
    return hypergen(namespace["page"])


def test_the_demo_has_the_pages_we_expect_to_check():
    # The list is found from the URLconf; this guards against finding nothing.
    assert {"/", "/templates/", "/inputs/", "/chart/", "/rooms/lobby/", "/vip/gold/", "/seed/counter/"} <= set(
        DEMO_PAGES
    )


@pytest.mark.django_db
@pytest.mark.parametrize("url", DEMO_PAGES)
@pytest.mark.parametrize("keep_whitespace", [False, True], ids=["default", "keep-whitespace"])
def test_a_demo_page_round_trips_exactly(admin_client, url, keep_whitespace):
    response = admin_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    # Hypergen writes no indentation between tags, so even the default mode (which leaves it out) is exact.
    assert _round_trip(html, keep_whitespace=keep_whitespace) == html


@pytest.mark.django_db
def test_the_login_page_a_django_template_round_trips_exactly_keeping_whitespace(client):
    html = client.get("/login/").content.decode()
    assert "\n    <label" in html  # Hand-indented: the test would prove nothing without indentation.
    assert _round_trip(html, keep_whitespace=True) == html
    # By default the indentation goes (by design, see docs/hyperfy.md); what the browser shows stays.
    tidy = _round_trip(html)
    assert "\n" not in tidy.split("<style>")[0] and 'for="id_username">Username</label> <input' in tidy


@pytest.mark.django_db
def test_the_code_hyperfy_writes_for_the_demo_pages_is_already_ruff_formatted_and_lint_clean(admin_client, tmp_path):
    ruff = Path(sys.executable).parent / "ruff"
    if not ruff.exists():
        pytest.fail(f"{ruff} is missing: run ./scripts/test, which installs the development tools.")
    for url in DEMO_PAGES:
        code = hyperfy(admin_client.get(url).content.decode(), "page")
        name = re.sub(r"\W", "_", url)
        (tmp_path / f"page{name}.py").write_text(code)
    config = Path(__file__).resolve().parents[2] / "pyproject.toml"  # The project's own rules, as docs/hyperfy.md says.
    for command in (["format", "--check", "--diff"], ["check", "--output-format=concise"]):
        result = subprocess.run([ruff, *command, "--config", config, str(tmp_path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
