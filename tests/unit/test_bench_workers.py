"""bench/workers.py's arguments and table (not its measurements, which run servers for minutes)."""

from __future__ import annotations

import pytest

from tests.unit.bench_scripts import loaded


@pytest.fixture(scope="module")
def workers():
    yield from loaded("workers")


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
        2: {"ours": (1500.0, 1.9), "raw": (3000.0, 1.5)},
        1: {"ours": (1000.0, 0.8), "raw": (2000.0, 0.9)},
        4: {"ours": (1600.0, 1.95), "raw": (3100.0, 1.6)},
    }
    assert workers.format_table(results, cores=2).splitlines() == [
        "| workers | ours: round trips/s | vs 1 worker | cores busy | raw: round trips/s | vs 1 worker | cores busy |",
        "|---|---|---|---|---|---|---|",
        "| 1 | 1,000 | 1.00x | 0.80 | 2,000 | 1.00x | 0.90 |",
        "| 2 | 1,500 | 1.50x | 1.90 | 3,000 | 1.50x | 1.50 |",
        "| 4 | 1,600 | 1.60x | 1.95 | 3,100 | 1.55x | 1.60 |",
        "",
        "2 cores: the workers together can never keep more than 2 busy.",
    ]


def test_without_one_worker_there_is_no_speed_up_to_show(workers) -> None:
    assert workers.format_table({2: {"ours": (1500.0, 1.5)}}, cores=None).splitlines()[-1] == "| 2 | 1,500 | - | 1.50 |"


def test_cpu_time_is_read_from_proc(workers) -> None:
    import os

    assert workers.cpu_seconds(os.getpid()) > 0
