"""robots.txt for article pages (RFC 9309): rules per origin, cached with an expiry.

Feeds are not checked: a feed is published to be polled, and robots.txt files routinely
disallow ``/feed/`` paths meant for browsers' crawlers while the site still advertises the feed.
Article pages are what a crawler takes, so those honour the site's wishes.

This module does no I/O. :class:`RobotsCache` is handed a ``fetch`` function by
:class:`newswatch.ingest.fetch.Fetcher`, so robots.txt goes through the same client, timeouts, size cap,
private-address refusal and per-host delay as everything else.

What each answer means (RFC 9309 section 2.3.1):

=====================  ==================================  ===============
robots.txt answer      rules                               kept for
=====================  ==================================  ===============
2xx                    parsed (first 500 KiB) with Protego  ``ROBOTS_TTL``
4xx (404, 401, 403..)  "unavailable": everything allowed    ``ROBOTS_TTL``
5xx, timeout, reset    "unreachable": everything disallowed ``UNREACHABLE_TTL``
=====================  ==================================  ===============

The unreachable case is reported as :class:`~newswatch.errors.RobotsUnavailable`, a transient
network error, so the pipeline retries the page on a later run and only then falls back to the
feed's own text.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from protego import Protego

AGENT = "newswatch"  # the product token robots.txt groups are matched against
ROBOTS_TTL = 24 * 3600  # RFC 9309: SHOULD NOT use a cached copy for more than 24 hours
UNREACHABLE_TTL = 10 * 60  # retry a failing robots.txt after ten minutes, not on every page
MAX_ROBOTS_BYTES = 500 * 1024  # RFC 9309: parse at least the first 500 KiB, may ignore the rest
MAX_CRAWL_DELAY = 60.0  # a Crawl-delay beyond this is taken as this

# fetch(robots_url) -> (status or None, body, error or None). status None means no answer at all.
RobotsFetch = Callable[[str], tuple[int | None, bytes, str | None]]


@dataclass
class Rules:
    """What one origin's robots.txt says, and until when we believe it."""

    expires: float
    parser: Protego | None = None  # None: no rules (allow all) unless unreachable is set
    unreachable: str | None = None  # why robots.txt could not be read: disallow all for now

    def allows(self, url: str, agent: str = AGENT) -> bool:
        if self.unreachable:
            return False
        if self.parser is None:
            return True
        return bool(self.parser.can_fetch(url, agent))

    def crawl_delay(self, agent: str = AGENT) -> float | None:
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(agent)
        if delay is None:
            return None
        return min(float(delay), MAX_CRAWL_DELAY)


def robots_url(url: str) -> str:
    """The robots.txt governing ``url``: same scheme, host and port."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/robots.txt"


def rules_from_answer(status: int | None, body: bytes, error: str | None, now: float) -> Rules:
    """Turn a robots.txt fetch outcome into rules (the table in the module docstring)."""
    if status is not None and 200 <= status < 300:
        text = body[:MAX_ROBOTS_BYTES].decode("utf-8", errors="replace")
        try:
            parser = Protego.parse(text)
        except Exception:  # noqa: BLE001 - a robots.txt nobody can parse has no rules we can follow
            parser = None
        return Rules(expires=now + ROBOTS_TTL, parser=parser)
    if status is not None and 400 <= status < 500:
        return Rules(expires=now + ROBOTS_TTL)
    reason = error or (f"HTTP {status}" if status is not None else "no answer")
    return Rules(expires=now + UNREACHABLE_TTL, unreachable=reason)


class RobotsCache:
    """Rules per origin, fetched once when first needed and again after they expire.

    Thread-safe: when several workers want pages of one site at once, one of them fetches
    robots.txt and the others wait for its answer instead of fetching it too.
    """

    def __init__(self, fetch: RobotsFetch, clock: Callable[[], float] = time.monotonic) -> None:
        self._fetch = fetch
        self._clock = clock
        self._rules: dict[str, Rules] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def rules(self, url: str) -> Rules:
        origin = robots_url(url)
        with self._lock:
            lock = self._locks.setdefault(origin, threading.Lock())
        with lock:
            cached = self._rules.get(origin)
            if cached is not None and cached.expires > self._clock():
                return cached
            status, body, error = self._fetch(origin)
            rules = rules_from_answer(status, body, error, self._clock())
            self._rules[origin] = rules
            return rules

    def forget(self) -> None:
        """Drop every cached answer (tests, or after a long pause)."""
        with self._lock:
            self._rules.clear()
