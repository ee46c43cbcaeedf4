"""`newswatch status`: is the daemon running, what did its last runs do, which feeds are failing.

Read-only: it never writes to the store, so it is safe to run next to the daemon (WAL lets it
read while the daemon writes). A run still marked ``running`` whose process is gone is shown as
``interrupted``; the daemon records it as such on its next start.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from .config import Config
from .lock import lock_holder
from .store import Store, parse_iso, utcnow


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
    start, end = parse_iso(run.get("started_at")), parse_iso(run.get("finished_at"))
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


def render_status(store: Store, config: Config, *, limit: int = 15, now: datetime | None = None) -> str:
    now = now or utcnow()
    holder = lock_holder(config.database)
    lines = []
    if holder is None:
        lines.append(f"daemon: not running (database {config.database})")
    elif holder[1] == "daemon":
        pid = holder[0]
        lines.append(f"daemon: running, pid {pid if pid > 0 else '?'} (database {config.database})")
    else:
        lines.append(f"daemon: not running; {holder[1]} (pid {holder[0]}) is writing to "
                     f"{config.database}")
    failing = store.failing_feeds()
    n_feeds = store.count("feeds")
    lines.append(f"feeds: {n_feeds} known, {len(config.feeds)} configured, {len(failing)} failing; "
                 f"articles: {store.count('articles')} stored, {store.pending_count()} waiting for processing")

    runs = store.last_runs(limit)
    lines += ["", f"latest runs ({len(runs)}):"]
    if not runs:
        lines.append("  none yet")
    for r in runs:
        outcome = "interrupted" if r["stale"] else r["outcome"]
        started = parse_iso(r["started_at"])
        lines.append(f"  #{r['id']:<6} {r['job']:<9} {r['started_at'] or '-':<20} {_ago(started, now):>9}  "
                     f"{_duration(r):>6}  {outcome:<11}  {_summary(r)}")

    lines += ["", f"failing feeds ({len(failing)}):"]
    if not failing:
        lines.append("  none: every feed's last poll succeeded")
    for f in failing:
        nxt = parse_iso(f.get("next_fetch_at"))
        lines.append(f"  {f['source']}: {f['url']}")
        lines.append(f"      {f['consecutive_errors']} failure{'s' if f['consecutive_errors'] != 1 else ''} in a row, "
                     f"last success {f.get('last_success_at') or 'never'}, next try {f.get('next_fetch_at') or '-'} "
                     f"({_ago(nxt, now)})")
        lines.append(f"      last error: {(f.get('last_error') or '')[:200]}")
    return "\n".join(lines) + "\n"
