"""Every ``>>>`` example in the docs runs and prints what the docs say."""

import doctest
from pathlib import Path

import pytest

DOCS = sorted((Path(__file__).resolve().parent.parent.parent / "docs").glob("*.md"))


@pytest.mark.parametrize("path", DOCS, ids=[p.name for p in DOCS])
def test_doc_examples(path):
    result = doctest.testfile(str(path), module_relative=False, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.attempted > 0, f"{path.name} has no examples"
    assert result.failed == 0, f"{result.failed} example(s) in {path.name} failed; see the output above"
