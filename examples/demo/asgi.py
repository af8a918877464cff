"""ASGI entry point of the demo site (and of the test suite's live servers)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "demo.settings")

from hypergen.asgi import get_asgi_application

# The demo serves its static files (the Hypergen client) itself, so that it runs with
# nothing else installed. A production site lets its web server or WhiteNoise do that.
application = get_asgi_application(serve_static_files=True)
