"""bench/workers.py's arguments and table (not its measurements, which run servers for minutes)."""

from __future__ import annotations

import importlib.util
import sys

import pytest

from tests.servers import ROOT


@pytest.fixture(scope="module")
def workers():
    spec = importlib.util.spec_from_file_location("bench_workers", ROOT / "bench" / "workers.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_workers"] = module
    spec.loader.exec_module(module)
    yield module
    del sys.modules["bench_workers"]


def test_one_two_and_four_workers_by_default(workers) -> None:
    args = workers.parse_args([])
    assert args.workers == [1, 2, 4] and args.redis_url is None
    assert workers.parse_args(["--workers", "1", "3", "--redis-url", "redis://x/0"]).workers == [1, 3]


def test_impossible_setups_are_refused(workers) -> None:
    for argv in (["--workers", "0"], ["--clients", "1", "--client-processes", "2"], ["--client-processes", "0"]):
        with pytest.raises(SystemExit):
            workers.parse_args(argv)


def test_clients_are_shared_evenly_between_client_processes(workers) -> None:
    assert workers.share(100, 2) == [50, 50]
    assert workers.share(7, 3) == [3, 2, 2]


def test_the_table_has_a_row_per_worker_count_with_its_speed_up_over_one(workers) -> None:
    results = {
        2: {"ours": 1500.0, "raw": 3000.0},
        1: {"ours": 1000.0, "raw": 2000.0},
        4: {"ours": 1600.0, "raw": 3100.0},
    }
    assert workers.format_table(results, cores=2).splitlines() == [
        "| workers | ours: round trips/s | vs 1 worker | raw: round trips/s | vs 1 worker |",
        "|---|---|---|---|---|",
        "| 1 | 1,000 | 1.00x | 2,000 | 1.00x |",
        "| 2 | 1,500 | 1.50x | 3,000 | 1.50x |",
        "| 4 | 1,600 | 1.60x | 3,100 | 1.55x |",
        "",
        "2 cores: 2x one worker is the most N workers can reach here.",
    ]


def test_without_one_worker_there_is_no_speed_up_to_show(workers) -> None:
    assert workers.format_table({2: {"ours": 1500.0}}, cores=None).splitlines()[-1] == "| 2 | 1,500 | - |"
