"""Every ``python`` block of docs/testing.md is a module of tests, run here as written there."""

import re
from pathlib import Path

import pytest

from tests.integration.test_websockets import fresh_channel_layer  # noqa: F401 (an autouse fixture)

DOC = Path(__file__).resolve().parent.parent.parent / "docs" / "testing.md"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)


def doc_blocks() -> list[tuple[int, str]]:
    """(line where the code starts, code) of each python block."""
    text = DOC.read_text()
    return [(text.count("\n", 0, match.start(1)), match.group(1)) for match in BLOCK.finditer(text)]


def doc_tests() -> list:
    tests = []
    for number, (line, code) in enumerate(doc_blocks(), 1):
        namespace: dict = {"__name__": f"docs_testing_block_{number}"}
        # Padded so that a failure's traceback points at the line of docs/testing.md.
        exec(compile("\n" * line + code, str(DOC), "exec"), namespace)
        for name, value in namespace.items():
            if name.startswith("test_") and callable(value):
                tests.append(pytest.param(value, marks=getattr(value, "pytestmark", []), id=name))
    return tests


def test_every_python_block_has_tests():
    for line, code in doc_blocks():
        has_tests = re.search(r"^def test_", code, re.MULTILINE)
        assert has_tests, f"docs/testing.md:{line + 1}: a python block without a test"


@pytest.mark.parametrize("example", doc_tests())
def test_docs_example(example):
    example()
