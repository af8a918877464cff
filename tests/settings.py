"""Settings for the test suite: the demo site plus test-only pages."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "examples"))

from demo.settings import *
from demo.settings import INSTALLED_APPS

DEBUG = os.environ.get("DJANGO_DEBUG", "0") == "1"
INSTALLED_APPS = [*INSTALLED_APPS, "tests"]
ROOT_URLCONF = "tests.urls"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("HYPERGEN_TEST_DB", ":memory:"),
    }
}
