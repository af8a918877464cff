"""Every ``>>>`` example in the docs runs and prints what the docs say."""

import doctest
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
DOCS = sorted((ROOT / "docs").glob("*.md"))
# Docs whose examples are configuration files run by their own tests, or that have no examples.
TESTED_ELSEWHERE = {
    "deployment.md": "tests/redis/test_deployment.py",
    "architecture.md": "no code examples",
    "testing.md": "tests/integration/test_testing_docs.py",
    "tutorial.md": "tests/integration/test_tutorial.py",
}


@pytest.mark.parametrize("path", DOCS, ids=[p.name for p in DOCS])
def test_doc_examples(path):
    result = doctest.testfile(str(path), module_relative=False, optionflags=doctest.ELLIPSIS, verbose=False)
    if path.name not in TESTED_ELSEWHERE:
        assert result.attempted > 0, f"{path.name} has no examples"
    assert result.failed == 0, f"{result.failed} example(s) in {path.name} failed; see the output above"


@pytest.mark.parametrize(
    "language, shipped", [("nginx", "deploy/nginx/hypergen.conf"), ("ini", "deploy/systemd/hypergen@.service")]
)
def test_deployment_doc_shows_the_shipped_files(language, shipped):
    doc = (ROOT / "docs" / "deployment.md").read_text()
    block = re.search(rf"```{language}\n(.*?)```", doc, re.DOTALL).group(1)
    shipped_lines = {line.split("  #")[0].strip() for line in (ROOT / shipped).read_text().splitlines()}
    for line in block.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            assert line in shipped_lines, f"docs/deployment.md shows {line!r}, which {shipped} does not have"


def test_the_security_doc_names_only_tests_that_exist():
    doc = (ROOT / "docs" / "security.md").read_text()
    references = re.findall(r"`(tests/[\w/]+\.py)::(\w+)`", doc)
    assert len(references) > 20
    missing = [
        f"{path}::{name}"
        for path, name in references
        if not re.search(rf"^(async )?def {name}\(", (ROOT / path).read_text(), re.MULTILINE)
    ]
    assert missing == []


def test_the_presence_example_is_the_demo_chats_own_code():
    """docs/websockets.md shows the chat's presence code; the browser tests run the chat itself."""
    doc = (ROOT / "docs" / "websockets.md").read_text()
    block = re.search(r"```python\n(def online_people.*?)```", doc, re.DOTALL).group(1)
    chat = (ROOT / "examples" / "chat" / "views.py").read_text()
    for line in block.splitlines():
        if line.strip() and not line.endswith(": ..."):
            assert line in chat, line
