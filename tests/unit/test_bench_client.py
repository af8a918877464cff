"""bench/client.py's pages, budget verdict and tables (not its chromium run)."""

from __future__ import annotations

import re

import pytest

from tests.unit.bench_scripts import loaded


@pytest.fixture(scope="module")
def client():
    yield from loaded("client")


def test_ten_of_a_thousand_rows_change_between_versions(client) -> None:
    a, b = (re.findall(r"<tr.*?</tr>", client.table_rows(1000, version, 100)) for version in (1, 2))
    assert len(a) == len(b) == 1000
    assert sum(x != y for x, y in zip(a, b, strict=True)) == 10


def test_the_keyed_reorder_moves_every_row_and_keeps_them_all(client) -> None:
    order = client.reordered(100)
    assert sorted(order) == list(range(100))
    assert all(position != row for position, row in enumerate(order))
    assert client.keyed_rows([1, 0]) == (
        '<tr id="k1"><td>1</td><td><span>item 1</span></td></tr><tr id="k0"><td>0</td><td><span>item 0</span></td></tr>'
    )


def test_the_bundle_passes_at_or_under_its_budget(client) -> None:
    assert client.verdict(12.0, 12.0) == "pass" and client.verdict(12.1, 12.0) == "FAIL"
    assert client.parse_args([]).budget_kb == 12.0
    with pytest.raises(SystemExit):
        client.parse_args(["--runs", "1"])


def test_the_tables(client) -> None:
    text = client.format_tables(
        {"ours": 12.6, "morphdom alone": 2.1},
        12.0,
        {
            "1,000 rows, 10 changed": {"median_ms": 3.456, "runs": 30},
            "reorder": {"median_ms": 1.0, "runs": 30, "kept": "100 of 100"},
        },
        {"morphdom": 2.0, "idiomorph": 3.0},
    )
    assert text.splitlines() == [
        "| bundle | KB gzip -9 | budget | result |",
        "|---|---|---|---|",
        "| ours | 12.60 (12,902 bytes) | 12.0 | FAIL |",
        "| morphdom alone | 2.1 | - | - |",
        "",
        "| our client morphing (hypergen.morph, chromium) | median ms | runs | rows kept |",
        "|---|---|---|---|",
        "| 1,000 rows, 10 changed | 3.46 | 30 | - |",
        "| reorder | 1.00 | 30 | 100 of 100 |",
        "",
        "| each library alone: 1,000 rows, 10 changed | median ms | vs fastest |",
        "|---|---|---|",
        "| morphdom | 2.00 | 1.00x |",
        "| idiomorph | 3.00 | 1.50x |",
    ]
