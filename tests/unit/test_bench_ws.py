"""bench/ws.py's tables (not its measurements, which run servers for minutes)."""

from __future__ import annotations

import pytest

from tests.unit.bench_scripts import loaded


@pytest.fixture(scope="module")
def ws():
    yield from loaded("ws")


def test_our_cost_is_the_median_of_the_per_round_ratios_with_their_quartiles(ws) -> None:
    # Rounds where ours did 100, 50, 100, 100 trips/s while the raw peer did 120, 120, 110, 130.
    assert ws.ratio_cell([100, 50, 100, 100], [120, 120, 110, 130]) == "1.25x (1.12-2.12)"
    assert ws.ratio_cell([100], [150]) == "1.50x"


def test_every_round_trip_pair_and_both_replay_settings_are_printed(ws, capsys) -> None:
    rates = {(server, peer): [100.0, 100.0] for server in ws.SERVERS for peer in ws.PEERS}
    fan = {(server, peer): [{"seconds": 1.0, "per_second": 10.0, "lost": 0}] for server in ws.SERVERS
           for peer in (ws.OURS_FANOUT, ws.RAW_FANOUT)}  # fmt: skip
    ws.print_tables({"sequential": rates, "concurrent": rates, "fanout": fan}, list(ws.SERVERS), 2)
    out = capsys.readouterr().out
    for server in ("replay on", "replay off"):
        for ours, _ in ws.PAIRS:
            assert f"| {server} | {ours} | 100 | 1.00x (1.00-1.00) |" in out
        assert f"| {server} | median 1.00x: 1.00x |" in out
        for raw in (ws.RAW_SYNC, ws.RAW_ASYNC):  # Once a table, though two of ours compare with raw sync.
            assert out.count(f"| {server} | {raw} | 100 | - |") == 2
