"""The test project's settings, plus the ported todomvc app and the stand-in for 1.5's demo site."""

from tests.settings import *
from tests.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "website", "todomvc"]
ROOT_URLCONF = "tests.hypergen15_host.urls"
