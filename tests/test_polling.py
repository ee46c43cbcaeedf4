"""When a feed is polled next: the interval with jitter, stretched when the feed asks, backed off
exponentially (capped at about a day) when it fails, and never abandoned."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from newswatch.ingest.polling import (
    JITTER,
    MAX_BACKOFF,
    MAX_STRETCH,
    cache_max_age,
    next_poll_after_failure,
    next_poll_after_success,
)

NOW = datetime(2026, 5, 14, 9, 30, tzinfo=UTC)


def wait(when: datetime) -> float:
    return (when - NOW).total_seconds()


def within_jitter(seconds: float, expected: float) -> bool:
    return expected * (1 - JITTER) - 1e-6 <= seconds <= expected * (1 + JITTER) + 1e-6


@pytest.mark.parametrize(("header", "expected"), [
    ("max-age=600", 600),
    ("public, max-age=3600", 3600),
    ('private, max-age="120", must-revalidate', 120),
    ("MAX-AGE=90", 90),
    ("no-cache", None),
    ("s-maxage=100", None),  # a shared-cache directive, not ours
    ("", None),
    (None, None),
])
def test_cache_control_max_age(header: str | None, expected: int | None) -> None:
    assert cache_max_age(header) == expected


def test_success_uses_the_interval_with_jitter() -> None:
    rng = random.Random(1)
    waits = [wait(next_poll_after_success(NOW, 1800, rng=rng)) for _ in range(200)]
    assert all(within_jitter(w, 1800) for w in waits)
    assert max(waits) - min(waits) > 0.1 * 1800  # really jittered, so feeds do not fire together


def test_ttl_and_max_age_stretch_but_never_shorten() -> None:
    rng = random.Random(2)
    assert within_jitter(wait(next_poll_after_success(NOW, 1800, ttl=3 * 3600, rng=rng)), 3 * 3600)
    assert within_jitter(wait(next_poll_after_success(NOW, 1800, ttl=60, rng=rng)), 1800)
    assert within_jitter(wait(next_poll_after_success(NOW, 1800, cache_control="max-age=7200", rng=rng)), 7200)
    assert within_jitter(wait(next_poll_after_success(NOW, 1800, cache_control="max-age=10", rng=rng)), 1800)
    # both hints: the longer wins
    both = next_poll_after_success(NOW, 1800, ttl=3600, cache_control="max-age=14400", rng=rng)
    assert within_jitter(wait(both), 14400)


def test_stretch_is_capped() -> None:
    w = wait(next_poll_after_success(NOW, 1800, ttl=30 * 86400, rng=random.Random(3)))
    assert within_jitter(w, MAX_STRETCH)


def test_failures_back_off_exponentially() -> None:
    rng = random.Random(4)
    for errors, factor in [(1, 1), (2, 2), (3, 4), (4, 8), (5, 16)]:
        w = wait(next_poll_after_failure(NOW, 600, errors, rng=rng))
        assert within_jitter(w, 600 * factor), (errors, w)


def test_backoff_is_capped_at_about_a_day_and_never_gives_up() -> None:
    rng = random.Random(5)
    for errors in (10, 30, 100, 10_000):
        w = wait(next_poll_after_failure(NOW, 1800, errors, rng=rng))
        assert MAX_BACKOFF * (1 - JITTER) - 1 <= w <= MAX_BACKOFF * (1 + JITTER) + 1, (errors, w)


def test_backoff_is_jittered() -> None:
    rng = random.Random(6)
    waits = {round(wait(next_poll_after_failure(NOW, 1800, 3, rng=rng))) for _ in range(50)}
    assert len(waits) > 40


def test_retry_after_is_honoured_when_longer() -> None:
    rng = random.Random(7)
    # first failure would wait ~10 minutes; the server asked for two hours
    assert wait(next_poll_after_failure(NOW, 600, 1, retry_after=7200, rng=rng)) == pytest.approx(7200)
    # a Retry-After shorter than the backoff does not shorten it
    assert within_jitter(wait(next_poll_after_failure(NOW, 600, 4, retry_after=30, rng=rng)), 4800)
    # and a silly one is capped
    assert wait(next_poll_after_failure(NOW, 600, 1, retry_after=90 * 86400, rng=rng)) == pytest.approx(MAX_BACKOFF)


def test_times_are_absolute_and_timezone_aware() -> None:
    when = next_poll_after_failure(NOW, 600, 2)
    assert when.tzinfo is not None and when > NOW
    assert when - NOW < timedelta(days=2)
