"""bench/render.py compares engines only if they render the same document: keep it that way."""

import asyncio
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent.parent / "bench"
sys.path.insert(0, str(BENCH))

from render import canonical  # noqa: E402
from render_engines import ENGINES  # noqa: E402
from standard_page import page_data  # noqa: E402


@pytest.fixture(autouse=True)
def _close_dominates_event_loop():
    """dominate calls asyncio.get_event_loop(), which would create a loop that nobody closes."""
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    yield
    loop.close()
    asyncio.set_event_loop(None)


@pytest.mark.parametrize("engine", [name for name in ENGINES if name != "hypergen (ours)"])
def test_every_engine_renders_the_same_standard_page_as_ours(engine):
    data = page_data(rows=5)
    ours = canonical(ENGINES["hypergen (ours)"](data)())
    assert ("data", "Item <4.7> & \"quoted\" 'text' ") in ours
    assert canonical(ENGINES[engine](data)()) == ours


def test_canonical_form_notices_a_difference():
    assert canonical('<p class="a">x</p>') != canonical('<p class="b">x</p>')
    assert canonical('<p class="a" id="i">x</p>') == canonical("<p id='i' class=\"a\">x</p>")
