"""bench/sockets.py's arguments, limits and table (not its run, which holds 10,000 sockets)."""

from __future__ import annotations

import os
import resource

import pytest

from tests.unit.bench_scripts import loaded


@pytest.fixture(scope="module")
def sockets():
    yield from loaded("sockets")


def test_ten_thousand_sockets_by_default_ours_and_raw(sockets) -> None:
    args = sockets.parse_args([])
    assert (args.sockets, args.hold, args.only) == (10_000, 30, ["ours", "raw"])
    assert sockets.parse_args(["--sockets", "500", "--only", "ours"]).only == ["ours"]


def test_impossible_setups_are_refused(sockets) -> None:
    for argv in (["--sockets", "2", "--client-processes", "4"], ["--check", "20", "--sockets", "10"]):
        with pytest.raises(SystemExit):
            sockets.parse_args(argv)


def test_the_file_limit_is_raised_only_when_too_low(sockets) -> None:
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    assert sockets.raise_file_limit(16) == soft  # Already enough: left alone.
    assert sockets.files_needed(10_000) > 10_000


def test_server_memory_is_read_from_proc(sockets) -> None:
    assert sockets.rss_bytes(os.getpid()) > 1024 * 1024


def test_the_table_gives_memory_per_socket(sockets) -> None:
    result = sockets.Result(
        name="ours", sockets=1000, connected=1000, dropped=0, checked=10, answered=10,
        connect_seconds=2.0, rss_before=100 * 2**20, rss_held=140 * 2**20,
    )  # fmt: skip
    assert result.per_socket_kib == pytest.approx(40.96)
    assert sockets.format_table([result], hold=30).splitlines()[2] == (
        "| ours | 1,000 of 1,000 | 0 | 500 | 10 of 10 | 40 MiB | 41.0 KiB |"
    )


def test_failed_handshakes_are_listed_by_reason(sockets) -> None:
    from collections import Counter

    result = sockets.Result(
        name="raw", sockets=10, connected=8, dropped=0, checked=1, answered=1,
        connect_seconds=1.0, rss_before=0, rss_held=8 * 1024, failures=Counter({"TimeoutError: x": 2}),
    )  # fmt: skip
    assert sockets.format_table([result], hold=1).splitlines()[-1] == "raw: 2 handshakes failed: TimeoutError: x"
