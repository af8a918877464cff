"""The browser client's own unit tests (client/test/, node's test runner), run as part of the suite."""

import shutil
import subprocess
from pathlib import Path

import pytest

CLIENT = Path(__file__).resolve().parent.parent.parent / "client"


def test_the_client_unit_tests_pass():
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing: the client's tests (and its build, see the README) need Node.js 20+.")
    result = subprocess.run([node, "--test", "test/"], cwd=CLIENT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout
