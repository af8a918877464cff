"""manage.py check reports Hypergen misconfiguration with stable ids."""

from hypergen.checks import check_consumers_are_served, check_settings


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
