"""manage.py check reports Hypergen misconfiguration with stable ids."""

import pytest

from hypergen.checks import check_consumers_are_served, check_redis_read_timeout, check_settings, check_static_files


def ids(problems):
    return [problem.id for problem in problems]


def test_a_well_configured_project_has_no_problems(settings):
    settings.DEBUG = True
    assert check_settings() == []
    assert check_consumers_are_served() == []


def test_missing_context_middleware_is_a_warning(settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != "hypergen.context.context_middleware"]
    assert "hypergen.W001" in ids(check_settings())


def test_missing_channels_is_an_error(settings):
    settings.INSTALLED_APPS = [app for app in settings.INSTALLED_APPS if app != "channels"]
    assert "hypergen.E001" in ids(check_settings())


def test_daphne_not_first_is_a_warning(settings):
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS[1:], "daphne"]
    assert "hypergen.W002" in ids(check_settings())


def test_in_memory_layer_in_production_is_a_warning(settings):
    settings.DEBUG = False
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    assert "hypergen.W003" in ids(check_settings())
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer"}}
    assert "hypergen.W003" not in ids(check_settings())


def test_consumers_without_an_asgi_application_are_an_error(settings):
    del settings.ASGI_APPLICATION
    [problem] = check_consumers_are_served()
    assert problem.id == "hypergen.E002"
    assert "increment" in problem.msg


@pytest.mark.parametrize("hosts", [["*"], ["shop.example", "*"]])
def test_any_host_allowed_with_websocket_consumers_is_a_warning(settings, hosts):
    settings.ALLOWED_HOSTS = hosts
    [problem] = check_consumers_are_served()
    assert problem.id == "hypergen.W005"
    assert "ALLOWED_HOSTS contains '*'" in problem.msg and "Origin check" in problem.msg
    assert "CSRF_TRUSTED_ORIGINS" in problem.hint


def test_explicit_hosts_or_no_consumers_give_no_host_warning(settings):
    settings.ALLOWED_HOSTS = ["shop.example", ".shop.example"]
    assert check_consumers_are_served() == []
    settings.ALLOWED_HOSTS = ["*"]
    settings.ROOT_URLCONF = "tests.urls_without_consumers"
    assert check_consumers_are_served() == []


def redis_layer(backend, *hosts):
    return {"default": {"BACKEND": backend, "CONFIG": {"hosts": list(hosts)}}}


@pytest.mark.parametrize(
    "host",
    [
        "redis://127.0.0.1:6379/0?socket_timeout=5",
        {"address": "redis://127.0.0.1:6379/0", "socket_timeout": 3},
        {"host": "127.0.0.1", "port": 6379, "socket_timeout": 5},
        {"master_name": "mymaster", "sentinels": [("127.0.0.1", 26379)], "socket_timeout": 5},
    ],
)
def test_channels_redis_with_a_short_read_timeout_is_a_warning(settings, host):
    settings.CHANNEL_LAYERS = redis_layer("channels_redis.core.RedisChannelLayer", host)
    [problem] = check_redis_read_timeout()
    assert problem.id == "hypergen.W004"
    assert "hypergen.layers.RedisChannelLayer" in problem.hint


def test_channels_redis_with_redis_pys_default_read_timeout_is_a_warning_on_redis_py_8(settings):
    import redis

    settings.CHANNEL_LAYERS = redis_layer("channels_redis.core.RedisChannelLayer", "redis://127.0.0.1:6379/0")
    expected = ["hypergen.W004"] if int(redis.__version__.split(".")[0]) >= 8 else []
    assert ids(check_redis_read_timeout()) == expected


@pytest.mark.parametrize(
    "layers",
    [
        redis_layer("channels_redis.core.RedisChannelLayer", {"address": "redis://h:6379", "socket_timeout": None}),
        redis_layer("channels_redis.core.RedisChannelLayer", {"address": "redis://h:6379", "socket_timeout": 30}),
        redis_layer("hypergen.layers.RedisChannelLayer", "redis://127.0.0.1:6379/0?socket_timeout=5"),
        redis_layer("channels_redis.pubsub.RedisPubSubChannelLayer", "redis://127.0.0.1:6379/0"),
        {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}},
    ],
)
def test_layers_whose_blocking_reads_can_wait_are_fine(settings, layers):
    settings.CHANNEL_LAYERS = layers
    assert check_redis_read_timeout() == []


# The client script must be reachable: hypergen.W006 -----------------------------------------


def test_static_url_unset_is_a_warning(settings):
    settings.STATIC_URL = None
    [problem] = [p for p in check_static_files() if p.id == "hypergen.W006"]
    assert "STATIC_URL is not set" in problem.msg and "STATIC_URL = 'static/'" in problem.hint


def test_no_staticfiles_app_and_an_application_serving_no_static_files_is_a_warning(settings):
    settings.INSTALLED_APPS = [app for app in settings.INSTALLED_APPS if app != "django.contrib.staticfiles"]
    settings.ASGI_APPLICATION = "tests.asgi_apps.not_serving"
    [problem] = check_static_files()
    assert problem.id == "hypergen.W006"
    assert "hypergen/hypergen.min.js" in problem.msg and "django.contrib.staticfiles" in problem.hint
    settings.ASGI_APPLICATION = "tests.asgi_apps.serving"
    assert check_static_files() == []


def test_the_staticfiles_app_is_enough(settings):
    settings.ASGI_APPLICATION = "tests.asgi_apps.not_serving"
    assert check_static_files() == []
