"""The browser client: its own unit tests (client/test/, node's test runner), and its size."""

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.unit.bench_scripts import loaded

CLIENT = Path(__file__).resolve().parent.parent.parent / "client"


@pytest.fixture(scope="module")
def bench_client():
    yield from loaded("client")


def test_the_client_unit_tests_pass():
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing: the client's tests (and its build, see the README) need Node.js 20+.")
    result = subprocess.run([node, "--test", "test/"], cwd=CLIENT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout


def test_the_committed_bundle_is_within_its_size_budget(bench_client):
    """Every page loads the bundle: issue #15 set it a budget, measured as bench/client.py does."""
    size, budget = bench_client.gzip_kb(bench_client.BUNDLE.read_bytes()), bench_client.BUDGET_KB
    assert size <= budget, (
        f"hypergen/static/hypergen/hypergen.min.js is {size:.2f} KiB gzipped (-9), over its {budget} KiB budget."
        " See what grew with `cd client && npx esbuild src/index.js --bundle --minify --target=es2022"
        " --analyze --outfile=/dev/null`, make it smaller, then `npm run build` and commit the bundle"
        " (raise BUDGET_KB in bench/client.py only with a reason in the commit)."
    )
