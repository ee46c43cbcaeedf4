"""The SQLite store: the queue between stages and the product users query.

Only this module (and migrations.py) talks to SQLite. Stages ask it for their pending rows and
hand back results, each batch written in one transaction with a timestamp, so every stage can be
re-run, resumed after a crash and inspected in Datasette.

The database runs in WAL mode with a busy timeout so Datasette (``newswatch serve``) can read
while the daemon writes without users seeing "database is locked".
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from .errors import StoreError
from .migrations import migrate

BUSY_TIMEOUT_MS = 30_000


def utcnow() -> datetime:
    return datetime.now(UTC)


def iso(dt: datetime | None) -> str | None:
    """The one time format of the store: ISO-8601 UTC to the second, e.g. 2026-05-14T09:30:00Z.
    One fixed format keeps text comparisons (``where published > ?``) correct."""
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(text: str | None) -> datetime | None:
    if not text:
        return None
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@dataclass
class NewArticle:
    """An article discovered in a feed or ingested from a file, before extraction."""

    url: str
    source_id: int
    feed_id: int | None = None
    guid: str | None = None
    title: str | None = None
    author: str | None = None
    published: str | None = None
    summary: str | None = None
    feed_content: str | None = None


class Store:
    """An open newswatch database. Migrates on construction."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        try:
            if str(path) != ":memory:":
                self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
            self.db = sqlite_utils.Database(conn)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if str(path) != ":memory:":
                self.db.enable_wal()
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = NORMAL")
            self.applied = migrate(self.db)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path}: cannot open the database: {exc}") from None

    def close(self) -> None:
        self.db.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic write: everything inside commits together or not at all."""
        with self.db.conn:
            yield

    # --- sources and feeds -----------------------------------------------------------------

    def source_id(self, name: str) -> int:
        """The id of the outlet called ``name``, created when new."""
        row = self.db.execute("select id from sources where name = ?", [name]).fetchone()
        if row:
            return row[0]
        with self.transaction():
            return self.db["sources"].insert({"name": name, "created_at": iso(utcnow())}).last_pk

    def sync_feeds(self, feeds: list[Any]) -> dict[str, int]:
        """Make the feeds table list the configured feeds (url, source, interval).

        Feeds removed from the config stay in the table (their articles keep their feed_id) but
        are no longer polled, because polling follows the config, not the table.
        Returns {url: feed_id}.
        """
        ids: dict[str, int] = {}
        now = iso(utcnow())
        for f in feeds:
            sid = self.source_id(f.source)
            row = self.db.execute("select id from feeds where url = ?", [f.url]).fetchone()
            with self.transaction():
                if row:
                    self.db["feeds"].update(row[0], {"source_id": sid, "interval_seconds": f.interval})
                    ids[f.url] = row[0]
                else:
                    ids[f.url] = self.db["feeds"].insert(
                        {"url": f.url, "source_id": sid, "interval_seconds": f.interval,
                         "added_at": now, "consecutive_errors": 0}
                    ).last_pk
        return ids

    def feed(self, feed_id: int) -> dict[str, Any]:
        return self.db["feeds"].get(feed_id)

    def due_feeds(self, feed_ids: list[int], now: datetime) -> list[dict[str, Any]]:
        """Feeds among ``feed_ids`` whose next poll time has come (or that never ran)."""
        if not feed_ids:
            return []
        marks = ",".join("?" * len(feed_ids))
        rows = self.db.query(
            f"select feeds.*, sources.name as source from feeds join sources on sources.id = feeds.source_id "
            f"where feeds.id in ({marks}) and (next_fetch_at is null or next_fetch_at <= ?) order by feeds.id",
            [*feed_ids, iso(now)],
        )
        return list(rows)

    def feed_succeeded(self, feed_id: int, *, status: int, etag: str | None, last_modified: str | None,
                       next_fetch_at: datetime, title: str | None = None) -> None:
        now = iso(utcnow())
        updates: dict[str, Any] = {
            "last_fetched_at": now, "last_success_at": now, "last_status": status,
            "next_fetch_at": iso(next_fetch_at), "consecutive_errors": 0, "last_error": None,
        }
        if status != 304:  # a 304 carries no new validators worth replacing
            updates.update({"etag": etag, "last_modified": last_modified})
        if title:
            updates["title"] = title
        with self.transaction():
            self.db["feeds"].update(feed_id, updates)

    def feed_failed(self, feed_id: int, *, kind: str, message: str, status: int | None,
                    next_fetch_at: datetime, url: str | None = None) -> None:
        """Record a failed poll: an error row, the feed's error streak and its next try."""
        now = iso(utcnow())
        with self.transaction():
            self.db.execute(
                "update feeds set last_fetched_at = ?, last_status = ?, next_fetch_at = ?, "
                "consecutive_errors = coalesce(consecutive_errors, 0) + 1, last_error = ? where id = ?",
                [now, status, iso(next_fetch_at), f"{kind}: {message}", feed_id],
            )
            self.db["fetch_errors"].insert(
                {"feed_id": feed_id, "url": url, "time": now, "kind": kind, "status": status,
                 "message": message}
            )

    def record_error(self, *, kind: str, message: str, url: str | None = None, feed_id: int | None = None,
                     article_id: int | None = None, status: int | None = None) -> None:
        with self.transaction():
            self.db["fetch_errors"].insert(
                {"feed_id": feed_id, "article_id": article_id, "url": url, "time": iso(utcnow()),
                 "kind": kind, "status": status, "message": message}
            )

    # --- articles ---------------------------------------------------------------------------

    def add_articles(self, items: list[NewArticle]) -> list[int]:
        """Store newly discovered articles; returns the ids of those that were new.

        An entry is a duplicate when its canonical URL is known, or when its outlet already has
        an article with the same GUID (feeds that change links but keep GUIDs). Duplicates are
        only linked to the feed that carried them. All in one transaction.
        """
        new_ids: list[int] = []
        now = iso(utcnow())
        with self.transaction():
            for a in items:
                row = self.db.execute("select id from articles where url = ?", [a.url]).fetchone()
                if row is None and a.guid:
                    row = self.db.execute(
                        "select id from articles where source_id = ? and guid = ?", [a.source_id, a.guid]
                    ).fetchone()
                if row is not None:
                    article_id = row[0]
                else:
                    article_id = self.db["articles"].insert(
                        {"url": a.url, "guid": a.guid, "source_id": a.source_id, "feed_id": a.feed_id,
                         "title": a.title, "author": a.author, "published": a.published,
                         "summary": a.summary, "feed_content": a.feed_content, "discovered_at": now,
                         "extract_attempts": 0}
                    ).last_pk
                    new_ids.append(article_id)
                if a.feed_id is not None:
                    self.db.execute(
                        "insert or ignore into feed_articles (feed_id, article_id, first_seen) values (?, ?, ?)",
                        [a.feed_id, article_id, now],
                    )
        return new_ids

    def pending_extraction(self, limit: int = 500) -> list[dict[str, Any]]:
        """Articles discovered but not yet extracted, oldest first."""
        return list(self.db.query(
            "select * from articles where extracted_at is null order by id limit ?", [limit]
        ))

    def save_extraction(self, article_id: int, *, text: str, method: str, note: str | None = None,
                        title: str | None = None, author: str | None = None,
                        published: str | None = None, site_name: str | None = None) -> None:
        """Store an article's text. Feed metadata wins over the page's where both exist, except
        the title when the feed gave none."""
        current = self.db["articles"].get(article_id)
        updates: dict[str, Any] = {
            "text": text, "content_hash": content_hash(text), "extracted_at": iso(utcnow()),
            "extract_method": method, "extract_note": note,
            "extract_attempts": (current.get("extract_attempts") or 0) + 1,
        }
        for key, value in (("title", title), ("author", author), ("published", published),
                           ("site_name", site_name)):
            if value and not current.get(key):
                updates[key] = value
        with self.transaction():
            self.db["articles"].update(article_id, updates)

    def articles(self, limit: int = 100) -> list[dict[str, Any]]:
        return list(self.db.query(
            "select articles.*, sources.name as source from articles join sources on sources.id = articles.source_id "
            "order by coalesce(published, discovered_at) desc, articles.id desc limit ?", [limit]
        ))

    def count(self, table: str) -> int:
        return self.db[table].count

    # --- runs -------------------------------------------------------------------------------

    def start_run(self, job: str) -> int:
        with self.transaction():
            return self.db["runs"].insert(
                {"job": job, "started_at": iso(utcnow()), "outcome": "running"}
            ).last_pk

    def finish_run(self, run_id: int, outcome: str, details: dict[str, Any] | None = None,
                   error: str | None = None) -> None:
        with self.transaction():
            self.db["runs"].update(run_id, {
                "finished_at": iso(utcnow()), "outcome": outcome,
                "details": json.dumps(details or {}, sort_keys=True), "error": error,
            })
