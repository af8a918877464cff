"""bench/load.py's table, arguments and bookkeeping (not its scenarios, which run real servers for minutes)."""

from __future__ import annotations

import pytest

from tests.unit.bench_scripts import loaded


@pytest.fixture(scope="module")
def load():
    yield from loaded("load")


def test_the_table_has_a_row_per_result_with_pass_fail_or_nothing(load) -> None:
    rows = [
        load.Row("1. idle: dropped", "0", "0", "0", True),
        load.Row("2. kill -9: 5xx", "3", goal="0", passed=False),
        load.Row("1. idle: memory", "36.2 KiB", "32.2 KiB"),
    ]
    assert load.format_table(rows).splitlines() == [
        "| scenario | ours | raw Channels | goal | result |",
        "|---|---|---|---|---|",
        "| 1. idle: dropped | 0 | 0 | 0 | pass |",
        "| 2. kill -9: 5xx | 3 | - | 0 | FAIL |",
        "| 1. idle: memory | 36.2 KiB | 32.2 KiB | - | - |",
    ]


def test_full_size_by_default_and_about_ten_times_smaller_with_quick(load) -> None:
    args = load.parse_args([])
    assert not args.quick and args.only == list(load.SCENARIOS)
    full = load.sizes_for(args)
    assert (full.idle_sockets, full.idle_seconds, full.kill_sockets, full.pushes) == (1000, 60, 500, 3000)
    assert (full.heartbeat_interval, full.heartbeat_timeout) == (25, 10)  # The documented defaults.

    quick = load.sizes_for(load.parse_args(["--quick"]))
    assert (quick.idle_sockets, quick.idle_seconds, quick.kill_sockets, quick.pushes) == (100, 6, 50, 300)
    assert quick.churn_seconds == full.churn_seconds / 10 and quick.stop_seconds == full.stop_seconds / 10


def test_only_some_scenarios_and_no_unknown_ones(load) -> None:
    assert load.parse_args(["--only", "kill", "burst"]).only == ["kill", "burst"]
    with pytest.raises(SystemExit):
        load.parse_args(["--only", "nonsense"])


def test_gaps_and_reorders_are_counted(load) -> None:
    assert load.missing([[0, 1, 2], [0, 2]], sent=3) == 1
    assert load.inversions([0, 2, 1, 3], [0, 1, 2, 3]) == 1
    assert load.inversions([0, 2, 1], [0, 2, 1]) == 0  # The order the clients share, not the send order.
    assert load.seq_gaps([5, 6, 8, 9]) == 1
    assert load.seq_gaps([]) == 0
    assert load.numbers(["<li>message 3</li>", "message 4", "load 1"]) == [3, 4]


def test_the_machine_line_names_cores_python_and_packages(load) -> None:
    line = load.machine_line("7.0.15")
    assert "cores" in line and "Python 3." in line and "channels-redis" in line and "redis-server 7.0.15" in line


def test_the_wire_bench_table_says_how_many_times_fewer_bytes():
    wire = next(loaded("wire"))
    table = wire.table([("(a) x", wire.BASELINE, 1000.0), ("(a) x", "websocket, deflate", 100.0)])
    assert "| (a) x | websocket, deflate | 100 | 10.0x fewer |" in table
    assert f"| (a) x | {wire.BASELINE} | 1,000 | - |" in table  # The baseline: whole morphs, uncompressed.
