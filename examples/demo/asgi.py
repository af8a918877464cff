"""ASGI entry point of the demo site (and of the test suite's live servers)."""

import os

from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "demo.settings")
# The demo serves its static files (the Hypergen client) itself, so that it runs with
# nothing else installed. A production site lets its web server or WhiteNoise do that.
application = ASGIStaticFilesHandler(get_asgi_application())
