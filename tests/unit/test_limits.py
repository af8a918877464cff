"""The per-socket token bucket and the count of refusals that closes a socket (hypergen/websocket/limits.py)."""

from hypergen.websocket.limits import STRIKE_WINDOW, RateLimit, TokenBucket


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_allows_a_burst_then_refills_at_its_rate():
    clock = Clock()
    bucket = TokenBucket(rate=2, burst=3, clock=clock)
    assert [bucket.take() for _ in range(4)] == [True, True, True, False]
    clock.now += 0.5  # One token back at 2 a second.
    assert [bucket.take(), bucket.take()] == [True, False]
    clock.now += 100  # Never more than the burst.
    assert [bucket.take() for _ in range(4)] == [True, True, True, False]


def test_refusals_close_the_socket_only_when_they_come_within_the_window():
    clock = Clock()
    limit = RateLimit(rate=1, burst=1, close_after=3, clock=clock)
    assert [limit.strike(), limit.strike()] == [False, False]
    clock.now += STRIKE_WINDOW + 1  # A new window: the count starts over.
    assert [limit.strike(), limit.strike(), limit.strike()] == [False, False, True]
