"""Terminal rendering: the text the CLI prints for counts, stories, a story, sources, feeds,
the demo and ``status``.

Pure functions from rows (as the store returns them) to text, so cli.py holds no formatting
and the digest can reuse the same pieces. Nothing here reads the store or the network.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from ..config import FeedConfig, format_duration
from .digest import format_value


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


def _count(x: Any) -> str:
    """A (soft) count of checks: whole numbers without decimals."""
    if x is None:
        return "-"
    return f"{x:.0f}" if abs(x - round(x)) < 1e-9 else f"{x:.1f}"


def _score_cells(r: dict[str, Any]) -> tuple[str, str]:
    """(mean, interval) when the evidence supports a number, else the view's words for why not."""
    text = r.get("reliability_text") or ""
    if r.get("reliability") is None or not text[:1].isdigit():
        return text, ""
    low, high = r.get("reliability_low"), r.get("reliability_high")
    return f"{r['reliability']:.2f}", (f"{low:.2f}-{high:.2f}" if low is not None and high is not None else "")


def sources(rows: list[dict[str, Any]]) -> str:
    """``newswatch sources``: outlets in the leaderboard's order (the lower bound of the 90 %
    interval), each with its mean, interval and evidence; "not enough evidence" below the
    minimum of checked claims, "not scored yet" before any check."""
    lines = [f"{'rank':>4}  {'source':<32} {'reliability':>19}  {'90% interval':<13} {'checked':>7} "
             f"{'agreed':>6} {'disagreed':>9} {'claims':>6} {'articles':>8}"]
    rank = 0
    for r in rows:
        mean, interval = _score_cells(r)
        shown = "-"
        if interval:
            rank += 1
            shown = str(rank)
        name = clean(r["name"]) + (" (first-party)" if r.get("first_party") else "")
        lines.append(f"{shown:>4}  {name:<32.32} {mean:>19}  {interval:<13} {r.get('checked_claims') or 0:>7} "
                     f"{_count(r.get('agreed')):>6} {_count(r.get('disagreed')):>9} {r['claims']:>6} "
                     f"{r['articles']:>8}")
    return "\n".join(lines) + "\n"


def _consensus(c: dict[str, Any]) -> str:
    if c.get("consensus_text"):
        return _quoted(c["consensus_text"])
    if c.get("consensus_value") is None:
        return "undecided"
    return format_value(c["consensus_value"], c.get("group_unit")) or f"{c['consensus_value']:g}"


def _check(c: dict[str, Any], width: int) -> list[str]:
    others = "; ".join(f"{clean(o['outlet'])} {_quoted(o['value_text'] or o['surface'])}" for o in c["others"][:6])
    more = len(c["others"]) - 6
    lines = [f"\n* {_frame({**c, 'unit': c.get('group_unit')})} (story {c['story_id']}, "
             f"{clean(c.get('published'))[:10] or 'undated'})",
             f"  wrote {_quoted(c['value_text'] or c['surface'])}; consensus {_consensus(c)} "
             f"(agreement {c['agreement']:.2f}, {_plural(c.get('independent_reports') or 0, 'independent report')})",
             "  others: " + (others + (f"; and {more} more" if more > 0 else "") if others else "none")]
    lines.extend(textwrap.wrap(clean(c.get("sentence")), width=width, initial_indent="    > ",
                               subsequent_indent="      "))
    if c.get("url"):
        lines.append(f"    {clean(c['url'])}")
    return lines


def source_detail(row: dict[str, Any], lowered: list[dict[str, Any]], raised: list[dict[str, Any]],
                  width: int = 100) -> str:
    """``newswatch show-source``: an outlet's score and evidence, then the claims that lowered
    it and those that raised it, each with its value as written, the group's consensus, the
    other outlets' values, the quote and the link. Web text is cleaned before printing."""
    mean, interval = _score_cells(row)
    head = f"{clean(row['outlet'])}{' (first-party: decides its groups)' if row.get('first_party') else ''}: "
    if interval:
        head += f"reliability {mean}, 90% interval {interval}"
    elif row.get("reliability") is not None:
        head += f"{mean} (reliability {row['reliability']:.2f}, 90% interval "
        head += f"{row['reliability_low']:.2f}-{row['reliability_high']:.2f}, mostly its prior)"
    else:
        head += mean
    checked = row.get("checked_claims") or 0
    lines = [head,
             f"  {_plural(checked, 'checked claim')}: {_count(row.get('agreed') or 0)} agreed with the "
             f"consensus, {_count(row.get('disagreed') or 0)} disagreed; {_plural(row.get('claims') or 0, 'claim')} "
             f"from {_plural(row.get('articles') or 0, 'article')}, {_plural(row.get('feeds') or 0, 'feed')}"]
    if row.get("scored_at"):
        lines.append(f"  scored {clean(row['scored_at'])}")
    for title, found in (("Claims that lowered it", lowered), ("Claims that raised it", raised)):
        lines.append(f"\n{title} ({len(found)} shown):" if found else f"\n{title}: none")
        for c in found:
            lines.extend(_check(c, width))
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
    """Claims as the ``claims`` command prints them (JSON-ready dicts): the contract's fields,
    then the frame (bounds, what is measured, of whom, when, which part, how it is asserted)
    and the value and unit as written."""
    return [{"value": c.value, "unit": c.unit, "surface": c.surface, "qualifier": c.qualifier,
             "subject": c.subject, "attribute": c.attribute, "start": c.start, "end": c.end,
             "low": c.low, "high": c.high, "property": c.property, "entity": c.entity,
             "time_ref": c.time_ref, "scope": c.scope, "modality": c.modality, "value_text": c.value_text,
             "raw_value": c.raw_value, "raw_unit": c.raw_unit}
            for c in claims]


# --- a story's claims: discrepancies and groups ----------------------------------------------

_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_KIND = {"conflict": "conflict (independent reports disagree)",
         "update": "update (later reports revise the figure)",
         "intra-article": "intra-article (one article contradicts itself)"}


def clean(text: Any) -> str:
    """Text safe to print: no terminal escapes, no direction overrides, one line."""
    return " ".join(_UNSAFE.sub("", str(text or "")).split())


def _quoted(surface: Any) -> str:
    return f"“{clean(surface)}”"


def _frame(row: dict[str, Any]) -> str:
    entity = clean(row.get("entity") or row.get("subject")) or "?"
    prop = clean(row.get("property") or row.get("attribute")) or "?"
    extra = [f"[{clean(row['unit'])}]"] if row.get("unit") else []
    if row.get("scope"):
        extra.append(clean(row["scope"]))
    if row.get("time_ref") and row["time_ref"] != "current":
        extra.append(f"as of {clean(row['time_ref'])}")
    return f"{entity}: {prop}" + (f" {' '.join(extra)}" if extra else "")


def _side_label(claims: list[dict[str, Any]], side: dict[str, Any]) -> str:
    if side.get("value_text"):
        return _quoted(side["value_text"])
    written = Counter(clean(c["surface"]) for c in claims)
    return ", ".join(f"“{s}”" for s, _ in written.most_common(3))


def _discrepancy(d: dict[str, Any], width: int) -> list[str]:
    kind = _KIND.get(d.get("kind") or "", clean(d.get("kind")) or "discrepancy")
    lines = [f"\n* {_frame(d)}, severity {d.get('severity') or 0:.2f}", f"  {kind}"]
    claims_by_side: dict[int, list[dict[str, Any]]] = {}
    for c in d["claims"]:
        claims_by_side.setdefault(c["side"] or 0, []).append(c)
    sides = d.get("side_rows") or [{"side": k} for k in sorted(claims_by_side)]
    total = sum(s.get("independent_reports") or 0 for s in sides)
    major = max(sides, key=lambda s: (s.get("independent_reports") or 0, s.get("outlets") or 0,
                                      -(s["side"] or 0)))
    tie = sum(1 for s in sides if (s.get("independent_reports") or 0) == (major.get("independent_reports") or 0)) > 1
    for s in sides:
        claims = claims_by_side.get(s["side"], [])
        head = f"  side {s['side'] + 1}: {_side_label(claims, s)}"
        if s.get("outlets") is not None:
            head += (f"  ({_plural(s['outlets'], 'outlet')}, "
                     f"{_plural(s['independent_reports'], 'independent report')})")
        if s is major and not tie and total:
            head += f"  <- most independent reports ({s['independent_reports']} of {total})"
        lines.append(head)
        if s.get("first_outlet"):
            lines.append(f"    first reported by {clean(s['first_outlet'])}"
                         f"{', ' + clean(s['first_published'])[:10] if s.get('first_published') else ''}")
        for c in claims:
            lines.append(f"    - {clean(c['outlet'])}: {_quoted(c['surface'])}  {clean(c.get('url'))}".rstrip())
            lines.extend(textwrap.wrap(clean(c.get("sentence")), width=width, initial_indent="        > ",
                                       subsequent_indent="          "))
    if tie and total:
        lines.append(f"  (no majority: sides tie at {major['independent_reports']} independent reports)")
    if d.get("intra_article") and d.get("kind") != "intra-article":
        lines.append("  (an article on one side also contradicts itself)")
    return lines


def story_claims(groups: list[dict[str, Any]], discrepancies: list[dict[str, Any]],
                        width: int = 100) -> str:
    """The claims part of ``show``: each discrepancy with its kind, every side's values as written,
    outlets, quotes and links, and the side most independent reports take; then the groups of
    claims about one figure. Everything shown came from the web: control characters and
    direction overrides are removed before it reaches a terminal."""
    if not discrepancies:
        lines = ["No numeric discrepancies found in this story."]
    else:
        n = len(discrepancies)
        lines = [f"{n} numeric discrepanc{'y' if n == 1 else 'ies'}:"]
        for d in discrepancies:
            lines.extend(_discrepancy(d, width))
    shared = [g for g in groups if (g.get("claims") or 0) > 1]
    lines.append(f"\n{_plural(len(groups), 'claim group')} ({len(shared)} with more than one claim):")
    for g in shared:
        members = g.get("members") or []
        values = Counter((clean(m["surface"]), clean(m["outlet"])) for m in members)
        shown = "; ".join(f"“{s}” ({o})" for (s, o), _ in values.most_common(6))
        lines.append(f"  - {_frame(g)}: {_plural(g['claims'], 'claim')}, {_plural(g['outlets'], 'outlet')}, "
                     f"{_plural(g['independent_reports'], 'independent report')}: {shown}")
    return "\n".join(lines)


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
            lines.append(f"        {d.get('kind') or 'discrepancy'}: {d['subject']} {d['attribute']}: {shown}")
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
