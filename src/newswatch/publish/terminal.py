"""Terminal rendering: the text the CLI prints for counts, stories, a story, sources, feeds,
the demo and ``status``.

Pure functions from rows (as the store returns them) to text, so cli.py holds no formatting
and the digest can reuse the same pieces. Nothing here reads the store or the network.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from ..config import FeedConfig, format_duration


def _parse(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


# --- pipeline counts -------------------------------------------------------------------------


def counts(stage_counts: dict[str, Any]) -> str:
    """One line per stage: ``extract: extracted 3, from_page 2, ...``."""
    lines = []
    for stage, value in stage_counts.items():
        if stage != "errors" and isinstance(value, dict):
            lines.append(f"{stage}: " + ", ".join(f"{k} {v}" for k, v in value.items()))
    return "".join(line + "\n" for line in lines)


def errors(messages: Iterable[str]) -> str:
    return "".join(f"  failed: {m}\n" for m in messages)


# --- stories, a story, sources, feeds --------------------------------------------------------


def stories(rows: list[dict[str, Any]]) -> str:
    lines = [f"{'id':>5}  {'first seen':<10} {'last seen':<10} {'outlets':>7} {'reports':>7}  title"]
    for r in rows:
        lines.append(f"{r['id']:>5}  {(r['first_seen'] or '-')[:10]:<10} {(r['last_seen'] or '-')[:10]:<10} "
                     f"{r['outlet_count'] or 0:>7} {r['report_count'] or 0:>7}  {r['title'] or ''}")
    return "\n".join(lines) + "\n"


def story(story: dict[str, Any], articles: list[dict[str, Any]],
          moves_out: list[tuple[int, str, int]], merged: tuple[int, int] | None = None) -> str:
    """The head of ``show``: where a merged id went, the story, its articles, and the stories
    its articles were split off into or moved to. ``merged`` is (the id asked for, the story
    it was merged into) when the id asked for is no longer a story of its own."""
    lines = []
    if merged is not None:
        lines.append(f"story {merged[0]} was merged into story {merged[1]}")
    lines.append(f"story {story['id']}: {story.get('title') or ''}")
    lines.append(f"first seen {story.get('first_seen') or '-'}, last seen {story.get('last_seen') or '-'}; "
                 f"{story.get('outlet_count') or 0} outlets, {story.get('report_count') or 0} independent reports")
    for a in articles:
        lines.append(f"  {(a['date'] or '-')[:10]}  {a['outlet']:<28.28}  {a['title'] or ''}")
        lines.append(f"              {a['url']}")
    for other, reason, count in moves_out:
        what = "split off as" if reason == "split" else "moved to"
        lines.append(f"  ({_plural(count, 'article')} {what} story {other}: `newswatch show {other}`)")
    return "\n".join(lines) + "\n"


def sources(rows: list[dict[str, Any]]) -> str:
    lines = [f"{'id':>4}  {'source':<32} {'feeds':>5} {'articles':>8} {'claims':>6}  reliability"]
    for r in rows:
        lines.append(f"{r['id']:>4}  {r['name']:<32.32} {r['feeds']:>5} {r['articles']:>8} "
                     f"{r['claims']:>6}  {r['reliability_text']}")
    return "\n".join(lines) + "\n"


def feeds(configured: list[FeedConfig], state: dict[str, dict[str, Any]]) -> str:
    """The configured feeds with their outlet, interval, last poll and health (``state`` is the
    store's feed rows by URL; empty before the first run)."""
    lines = []
    for f in configured:
        s = state.get(f.url, {})
        last = s.get("last_fetched_at") or "never"
        health = (f"{s.get('consecutive_errors')} errors ({s.get('last_error')})"
                  if s.get("consecutive_errors") else "ok")
        lines.append(f"{f.source}\t{f.url}\tevery {format_duration(f.interval)}\tlast {last}\t{health}")
    return "".join(line + "\n" for line in lines)


def claims_json(claims: Iterable[Any]) -> list[dict[str, Any]]:
    """Claims as the ``claims`` command prints them (JSON-ready dicts)."""
    out = []
    for c in claims:
        item = {"value": c.value, "unit": c.unit, "surface": c.surface, "qualifier": c.qualifier,
                "subject": c.subject, "attribute": c.attribute, "start": c.start, "end": c.end}
        if c.low is not None:
            item.update(low=c.low, high=c.high)
        if c.scope:
            item["scope"] = c.scope
        out.append(item)
    return out


# --- the demo --------------------------------------------------------------------------------


def demo_articles(rows: list[dict[str, Any]]) -> str:
    lines = [f"{len(rows)} articles stored:"]
    for r in rows:
        title = (r["title"] or "")[:70]
        lines.append(f"  [{r['id']:>3}] {r['source']:<24.24} {len(r['text'] or ''):>6,} chars  "
                     f"{r['extract_method']:<12} {title}")
    return "\n".join(lines) + "\n"


def demo_stories(found: list[tuple[dict[str, Any], list[dict[str, Any]]]]) -> str:
    """The stories found, each with where the outlets' numbers disagree (``found`` pairs a
    story row with its discrepancies, each carrying its claims)."""
    lines = [f"\n{len(found)} stories:"]
    for st, discrepancies in found:
        n = len(discrepancies)
        lines.append(f"  [{st['id']:>3}] {st['outlet_count'] or 0} outlets, {st['report_count'] or 0} independent "
                     f"reports, {n} discrepanc{'y' if n == 1 else 'ies'}  {st['title'] or ''}")
        for d in discrepancies:
            sides: dict[int, list[str]] = {}
            for c in d["claims"]:
                sides.setdefault(c["side"] or 0, []).append(f"{c['surface']} ({c['outlet']})")
            shown = " vs ".join("; ".join(dict.fromkeys(v))[:90] for _, v in sorted(sides.items()))
            lines.append(f"        {d['subject']} {d['attribute']}: {shown}")
    return "\n".join(lines) + "\n"


# --- status ----------------------------------------------------------------------------------


def _ago(when: datetime | None, now: datetime) -> str:
    """'in 2h 05m' / '3m ago' for times near now."""
    if when is None:
        return "-"
    secs = int((when - now).total_seconds())
    future = secs > 0
    secs = abs(secs)
    if secs < 60:
        text = f"{secs}s"
    elif secs < 3600:
        text = f"{secs // 60}m"
    elif secs < 86400:
        text = f"{secs // 3600}h {secs % 3600 // 60:02d}m"
    else:
        text = f"{secs // 86400}d {secs % 86400 // 3600}h"
    return f"in {text}" if future else f"{text} ago"


def _duration(run: dict[str, Any]) -> str:
    start, end = _parse(run.get("started_at")), _parse(run.get("finished_at"))
    if not start or not end:
        return "-"
    return f"{(end - start).total_seconds():.0f}s"


def _summary(run: dict[str, Any]) -> str:
    """One short line from a run's JSON details."""
    if run.get("error"):
        return str(run["error"])[:120]
    try:
        details = json.loads(run.get("details") or "{}")
    except ValueError:
        return ""
    if run["job"] == "poll":
        return f"{details.get('new', 0)} new  {details.get('feed', '')}"
    parts = []
    for key, value in details.items():
        if isinstance(value, dict):
            inner = ", ".join(f"{k} {v}" for k, v in value.items() if v)
            if inner:
                parts.append(f"{key}: {inner}")
        elif key in ("path", "day", "rounds"):
            parts.append(f"{key} {value}")
    return "; ".join(parts)[:160]


def _section(title: str, items: list[dict[str, Any]], empty: str,
             render: Callable[[dict[str, Any]], list[str]]) -> list[str]:
    """A titled block of ``status``: a blank line, ``title (n):``, then each item's lines."""
    return ["", f"{title} ({len(items)}):", *([empty] if not items else []),
            *(line for item in items for line in render(item))]


def status(*, database: Path, holder: tuple[int, str] | None, feeds_known: int, feeds_configured: int,
           articles: int, pending: int, runs: list[dict[str, Any]], failing: list[dict[str, Any]],
           now: datetime) -> str:
    """``newswatch status``: is the daemon running (``holder`` of the single-writer lock), what
    did its last runs do, which feeds are failing. A run marked running whose process is gone
    (``stale``) is shown as interrupted."""
    lines = []
    if holder is None:
        lines.append(f"daemon: not running (database {database})")
    elif holder[1] == "daemon":
        pid = holder[0]
        lines.append(f"daemon: running, pid {pid if pid > 0 else '?'} (database {database})")
    else:
        lines.append(f"daemon: not running; {holder[1]} (pid {holder[0]}) is writing to {database}")
    lines.append(f"feeds: {feeds_known} known, {feeds_configured} configured, {len(failing)} failing; "
                 f"articles: {articles} stored, {pending} waiting for processing")

    lines += _section("latest runs", runs, "  none yet", lambda r: [
        f"  #{r['id']:<6} {r['job']:<9} {r['started_at'] or '-':<20} {_ago(_parse(r['started_at']), now):>9}  "
        f"{_duration(r):>6}  {'interrupted' if r['stale'] else r['outcome']:<11}  {_summary(r)}"])
    lines += _section("failing feeds", failing, "  none: every feed's last poll succeeded", lambda f: [
        f"  {f['source']}: {f['url']}",
        f"      {_plural(f['consecutive_errors'], 'failure')} in a row, "
        f"last success {f.get('last_success_at') or 'never'}, next try {f.get('next_fetch_at') or '-'} "
        f"({_ago(_parse(f.get('next_fetch_at')), now)})",
        f"      last error: {(f.get('last_error') or '')[:200]}"])
    return "\n".join(lines) + "\n"
