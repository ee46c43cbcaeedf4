"""When to poll a feed next: the interval, stretched when the feed asks, backed off on failure.

Pure functions so the policy is testable with literals. Failing feeds back off exponentially
with jitter, capped at about a day, and are never abandoned: they keep being retried and keep
showing up in `status` and the digest.
"""

from __future__ import annotations

import random
import re
from datetime import datetime, timedelta

MAX_BACKOFF = 24 * 3600
MAX_STRETCH = 24 * 3600  # a feed's own ttl/max-age never pushes a poll further than this
JITTER = 0.1  # +-10 %, so feeds configured alike do not fire together


def cache_max_age(cache_control: str | None) -> int | None:
    if not cache_control:
        return None
    m = re.search(r"(?:^|,)\s*max-age\s*=\s*\"?(\d+)", cache_control, re.I)
    return int(m.group(1)) if m else None


def _jitter(seconds: float, rng: random.Random | None) -> float:
    r = rng or random
    return seconds * (1 + r.uniform(-JITTER, JITTER))


def next_poll_after_success(now: datetime, interval: int, *, ttl: int | None = None,
                            cache_control: str | None = None, rng: random.Random | None = None) -> datetime:
    """The configured interval, stretched (never shortened) by RSS ttl or Cache-Control max-age."""
    wait = float(interval)
    for hint in (ttl, cache_max_age(cache_control)):
        if hint and hint > wait:
            wait = float(min(hint, MAX_STRETCH))
    return now + timedelta(seconds=_jitter(wait, rng))


def next_poll_after_failure(now: datetime, interval: int, consecutive_errors: int, *,
                            retry_after: float | None = None, rng: random.Random | None = None) -> datetime:
    """Exponential backoff: interval * 2**(errors-1), jittered, capped at MAX_BACKOFF; a server's
    Retry-After is honoured when longer (also capped)."""
    n = max(1, consecutive_errors)
    wait = min(float(MAX_BACKOFF), interval * (2 ** min(n - 1, 20)))
    wait = _jitter(wait, rng)
    if retry_after and retry_after > wait:
        wait = min(float(retry_after), float(MAX_BACKOFF))
    return now + timedelta(seconds=min(wait, MAX_BACKOFF * (1 + JITTER)))
