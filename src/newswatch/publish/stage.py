"""The publish stage: the one module of ``publish/`` that touches the Store.

It reads a day's content from the store's views, hands it to ``digest.build_digest`` and the
renderers, writes the digest folder (``YYYY-MM-DD.md``, ``YYYY-MM-DD.html``, ``atom.xml``)
and emails it when configured. What was written and sent is recorded in the ``digests`` table,
so a restarted daemon never sends a day twice, and a day missed while it was down is written
once when it comes back (up to ``CATCH_UP_DAYS`` back).
"""

from __future__ import annotations

import logging
import os
from contextlib import AbstractContextManager, nullcontext
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from ..config import Config
from ..errors import MailError
from ..store import Store, parse_iso
from . import mail, render
from .digest import Digest, build_digest

log = logging.getLogger("newswatch.publish")

CATCH_UP_DAYS = 7  # a daemon down longer writes only the last week's missed digests
FORMATS = ("markdown", "html", "atom")


def day_bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """[start, end) of a calendar day in ``tz``, in UTC (23 or 25 hours around DST changes)."""
    start = datetime(day.year, day.month, day.day, tzinfo=tz)
    end = start + timedelta(days=1)
    end = datetime(end.year, end.month, end.day, tzinfo=tz)
    return start.astimezone(UTC), end.astimezone(UTC)


def yesterday(timezone: str, now: datetime | None = None) -> date:
    return (now or datetime.now(UTC)).astimezone(ZoneInfo(timezone)).date() - timedelta(days=1)


def busiest_day(store: Store, timezone: str) -> date | None:
    """The local day with the most articles (latest on a tie): the demo's digest day."""
    tz = ZoneInfo(timezone)
    counts: dict[date, int] = {}
    for text in store.article_times():
        when = parse_iso(text)
        if when is not None:
            day = when.astimezone(tz).date()
            counts[day] = counts.get(day, 0) + 1
    return max(counts, key=lambda d: (counts[d], d)) if counts else None


def collect(store: Store, day: date, timezone: str) -> Digest:
    """A day's digest, read from the views (stories, discrepancies, leaderboard, feeds)."""
    start, end = day_bounds(day, ZoneInfo(timezone))
    stories = store.day_stories(start, end, limit=200)
    top = [s["story_id"] for s in stories[:20]]
    return build_digest(
        day, timezone, stories=stories, articles=store.stories_articles(top),
        discrepancies=store.day_discrepancies(start, end),
        reliability=store.reliability_changes(start, end), feeds=store.failing_feeds(quiet=True),
        counts=store.day_counts(start, end), leaderboard=store.source_leaderboard(),
        claims_per_outlet=store.day_claims_per_outlet(start, end))


def atom_feed(store: Store, day: date, timezone: str) -> str:
    """atom.xml as of ``day``: that day's digest and the latest ones written before it."""
    rows = [r for r in store.digest_days("html", render.ATOM_ENTRIES + 1) if r["day"] < day.isoformat()]
    days = [day] + [date.fromisoformat(r["day"]) for r in rows][: render.ATOM_ENTRIES - 1]
    written = {r["day"]: parse_iso(r["written_at"]) for r in rows}
    return render.atom([collect(store, d, timezone) for d in days], written=written)


def render_digest(store: Store, day: date, timezone: str, fmt: str) -> str:
    """One format of a day's digest as text (``digest --format``)."""
    if fmt == "atom":
        return atom_feed(store, day, timezone)
    return render.RENDERERS[fmt](collect(store, day, timezone))


def _write(path: Path, text: str) -> None:
    """Atomically: a reader (or a feed reader polling atom.xml) never sees half a file."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def write_day(store: Store, config: Config, day: date, *, send: bool = True,
              guard: AbstractContextManager[Any] | None = None) -> dict[str, Any]:
    """Write a day's Markdown, HTML and the Atom feed into digest.output, record them, and email
    the day when email is configured and it was not sent before. Raises MailError after the
    files are written and recorded when the email fails (it is tried again next time).

    ``guard`` (the daemon's store lock) is held while the store is used, not while the SMTP
    server is talked to, so a slow mail server never holds up the other jobs' writes."""
    guard = guard or nullcontext()
    tz = config.digest.timezone
    out = Path(config.digest.output)
    out.mkdir(parents=True, exist_ok=True)
    key = day.isoformat()
    email = config.digest.email
    with guard:
        d = collect(store, day, tz)
        text, page = render.markdown(d), render.html(d)
        paths = {"markdown": out / f"{key}.md", "html": out / f"{key}.html"}
        _write(paths["markdown"], text)
        _write(paths["html"], page)
        store.record_digest(key, "markdown", str(paths["markdown"]))
        store.record_digest(key, "html", str(paths["html"]))
        paths["atom"] = out / "atom.xml"
        _write(paths["atom"], atom_feed(store, day, tz))
        store.record_digest(key, "atom", str(paths["atom"]))
        unsent = bool(email) and not store.digests_of(key)["html"].get("emailed_at")
    result: dict[str, Any] = {"day": key, "path": str(paths["markdown"]),
                              "stories": d.total_stories, "disagreements": len(d.disagreements)}
    if send and email and unsent:
        subject = (f"newswatch digest for {key}: {d.total_stories} stories, "
                   f"{len(d.disagreements)} numbers that disagree")
        mail.send(email, subject, text, page)
        with guard:
            store.digest_emailed(key)
        result["emailed"] = ", ".join(email.to)
        log.info("emailed the digest for %s to %s", key, result["emailed"])
    return result


def due_days(store: Store, config: Config, now: datetime | None = None,
             latest: date | None = None) -> list[date]:
    """Days whose digest should exist by ``now`` and does not: the latest day whose digest time
    has passed, and the days missed since digests began, at most CATCH_UP_DAYS back. With
    email configured, the last two days are also due when written but not yet sent (a failed
    send is retried; older ones are not mailed late). The digest job itself passes ``latest``
    (yesterday): it runs at digest time by definition."""
    if latest is None:
        local = (now or datetime.now(UTC)).astimezone(ZoneInfo(config.digest.timezone))
        latest = local.date() - timedelta(days=1 if local.time() >= config.digest.time else 2)
    rows = {r["day"]: r for r in store.digest_days("html", 100_000)}
    first = latest
    if rows:
        first = max(min(date.fromisoformat(d) for d in rows), latest - timedelta(days=CATCH_UP_DAYS - 1))
    due, day = [], first
    while day <= latest:
        row = rows.get(day.isoformat())
        if row is None or (config.digest.email and not row.get("emailed_at")
                           and day >= latest - timedelta(days=1)):
            due.append(day)
        day += timedelta(days=1)
    return due


def write_due(store: Store, config: Config, now: datetime | None = None,
              latest: date | None = None, guard: AbstractContextManager[Any] | None = None) -> dict[str, Any]:
    """The daemon's digest job: write (and send) every due day, oldest first."""
    written, failures = [], []
    with guard or nullcontext():
        days = due_days(store, config, now, latest)
    for day in days:
        try:
            written.append(write_day(store, config, day, guard=guard))
        except MailError as exc:
            failures.append(f"{day.isoformat()}: {exc}")
            log.warning("the digest for %s was written but not emailed: %s", day, exc)
    if failures:
        raise MailError("; ".join(failures))
    return {"days": [w["day"] for w in written], "path": written[-1]["path"] if written else None}
