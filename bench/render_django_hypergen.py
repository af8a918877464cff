"""Render the standard page with django-hypergen 1.5.6, in a process of its own.

Run by bench/render.py; prints one JSON object. django-hypergen's package is also
called ``hypergen``, so it is installed into its own folder, put first on sys.path
here, and never meets ours.
"""

import json
import sys
from pathlib import Path

PEER_DIR = Path(sys.argv[1]).resolve()
sys.path.insert(0, str(PEER_DIR))

import django  # noqa: E402
from django.conf import settings  # noqa: E402

settings.configure(INSTALLED_APPS=[], USE_TZ=True)
django.setup()

from django.test import RequestFactory  # noqa: E402

import hypergen.template  # noqa: E402
from hypergen.context import context  # noqa: E402

if not Path(hypergen.template.__file__).resolve().is_relative_to(PEER_DIR):
    sys.exit(f"Imported the wrong hypergen: {hypergen.template.__file__}")

from measure import measure  # noqa: E402
from page_hypergen import page  # noqa: E402
from standard_page import page_data  # noqa: E402

data = page_data()
request = RequestFactory().get("/")


def render():
    with context(request=request):
        return hypergen.template.hypergen(page, data)


result = measure(render, min_runs=3, max_runs=5, budget_s=5)
Path(sys.argv[2]).write_text(result.pop("output"))
print(json.dumps(result))
