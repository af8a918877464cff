"""The HTTP half stands alone: a project without Channels uses liveviews and actions."""

import json
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent(
    """
    import json, os, sys
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.http_only.settings"
    import django
    django.setup()
    import hypergen.liveview
    from django.test import Client
    client = Client()
    page = client.get("/counter/")
    answer = client.post("/increment/", data=json.dumps({"args": [], "meta": {}}), content_type="application/json")
    loaded = sorted({name.split(".")[0] for name in sys.modules} & {"channels", "channels_redis", "redis", "daphne"})
    print(json.dumps({"page": page.status_code, "html": page.content.decode(), "action": answer.status_code,
                      "commands": answer.content.decode(), "loaded": loaded}))
    """
)


def test_liveviews_and_actions_work_without_channels_loaded():
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["loaded"] == [], f"importing hypergen.liveview loaded {result['loaded']}"
    assert result["page"] == 200
    assert "Count: 0" in result["html"] and "hypergen.min.js" in result["html"]
    assert result["action"] == 200
    assert "Count: 1" in result["commands"]
