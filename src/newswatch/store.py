"""The SQLite store: the queue between stages and the product users query.

Only this module (and migrations.py) talks to SQLite. Stages ask it for their pending rows and
hand back results, each batch written in one transaction with a timestamp, so every stage can be
re-run, resumed after a crash and inspected in Datasette. The Store's methods follow the
pipeline's order (pipeline.py): fetch, extract, embed and place, regroup, summarise, claims,
reliability; then what is read for display, and the runs.

The database runs in WAL mode with a busy timeout so Datasette (``newswatch serve``) can read
while the daemon writes without users seeing "database is locked".
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlite_utils

from .errors import StopRequested, StoreError
from .lock import run_alive
from .migrations import migrate

BUSY_TIMEOUT_MS = 30_000
# The claim columns the claims stage writes: the contract's, the span and bounds, and the frame.
_CLAIM_COLUMNS = ("subject", "attribute", "value", "unit", "qualifier", "surface", "sentence", "low", "high",
                  "start", "end", "scope", "raw_value", "raw_unit", "property", "entity", "time_ref",
                  "modality", "value_text")


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
        self._local = threading.local()  # transaction nesting depth, per thread
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
            self.ensure_views()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path}: cannot open the database: {exc}") from None

    def close(self) -> None:
        self.db.conn.close()

    def columns(self, table: str) -> set[str]:
        """The columns ``table`` has now (empty when it does not exist)."""
        return {row[1] for row in self.db.execute(f"pragma table_info([{table}])")}

    def schema(self) -> dict[str, set[str]]:
        """Every table and view with its columns (what `serve` fits its metadata to)."""
        names = [r[0] for r in self.db.execute(
            "select name from sqlite_master where type in ('table', 'view')")]
        return {name: self.columns(name) for name in names}

    def ensure_views(self) -> None:
        """(Re)create the read-side views (:data:`VIEWS`) for the columns the schema has now.

        Views are not migrations: they are derived, so they follow the schema as later
        migrations add columns (discrepancy kinds, reliability intervals) without a new
        migration per change. A view whose SQL is already current is left alone, so opening a
        database the daemon is writing takes no write lock."""
        wanted = {name: build(self) for name, build in VIEWS.items()}
        current = {name: sql for name, sql in self.db.execute(
            "select name, sql from sqlite_master where type = 'view'")}
        stale = [name for name, sql in wanted.items() if current.get(name) != sql]
        if not stale:
            return
        with self.transaction():
            for name in stale:
                self.db.execute(f"drop view if exists [{name}]")
            for name in stale:
                self.db.execute(wanted[name])

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic write: everything inside commits together or not at all.

        The transaction is opened explicitly (``BEGIN IMMEDIATE``: the write lock is taken up
        front, so a busy database waits here under the busy timeout instead of failing half
        way). Relying on sqlite3's implicit BEGIN was not enough: sqlite-utils commits its own
        ``BEGIN``..``COMMIT`` when no transaction is open yet, so a block that started with a
        sqlite-utils insert committed that insert on its own.

        Re-entrant: a transaction opened inside another joins it, so a caller can make several
        store methods one atomic step (an ingested file's row and its text).
        """
        if getattr(self._local, "depth", 0):
            self._local.depth += 1
            try:
                yield
            finally:
                self._local.depth -= 1
            return
        self._check_stop()  # a stopping daemon ends its jobs here, between transactions
        conn = self.db.conn
        if not conn.in_transaction:
            conn.execute("BEGIN IMMEDIATE")
        self._local.depth = 1
        try:
            yield
        except BaseException:
            conn.rollback()
            raise
        else:
            conn.commit()
        finally:
            self._local.depth = 0

    # The daemon's stop flag: transaction() raises StopRequested once it is set, so a job ends
    # between two transactions (daemon.py sets it on SIGINT/SIGTERM).
    stop_event: threading.Event | None = None

    def _check_stop(self) -> None:
        if self.stop_event is not None and self.stop_event.is_set():
            raise StopRequested("newswatch is stopping")

    # --- fetch: sources, feeds and their errors --------------------------------------------------

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

    def feed_by_url(self, url: str) -> dict[str, Any] | None:
        rows = list(self.db.query(
            "select feeds.*, sources.name as source from feeds join sources on sources.id = feeds.source_id "
            "where feeds.url = ?", [url]))
        return rows[0] if rows else None

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

    def feed_warning(self, feed_id: int, url: str | None, warning: str | None) -> None:
        """A feed that parsed despite a problem (feedparser's bozo: wrong encoding, undefined
        entity...). One fetch_errors row (kind ``parse_warning``) per new problem, not per poll;
        ``None`` means the feed parsed cleanly and clears it."""
        row = self.db.execute("select last_warning from feeds where id = ?", [feed_id]).fetchone()
        if row is None or row[0] == warning:
            return
        with self.transaction():
            self.db.execute("update feeds set last_warning = ? where id = ?", [warning, feed_id])
            if warning:
                self.db["fetch_errors"].insert(
                    {"feed_id": feed_id, "url": url, "time": iso(utcnow()), "kind": "parse_warning",
                     "status": None, "message": warning[:1000]})

    def record_error(self, *, kind: str, message: str, url: str | None = None, feed_id: int | None = None,
                     article_id: int | None = None, status: int | None = None) -> None:
        with self.transaction():
            self.db["fetch_errors"].insert(
                {"feed_id": feed_id, "article_id": article_id, "url": url, "time": iso(utcnow()),
                 "kind": kind, "status": status, "message": message}
            )

    # --- fetch and extract: articles -------------------------------------------------------------

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
        """Articles discovered but not yet extracted, oldest first, with the URL of the feed that
        carried them (``feed_url``: the fetcher's private-address permission is the feed's)."""
        return list(self.db.query(
            "select articles.*, feeds.url as feed_url from articles left join feeds on feeds.id = articles.feed_id"
            " where articles.extracted_at is null order by articles.id limit ?", [limit]
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

    def retry_extraction_later(self, article_id: int, attempts: int) -> None:
        """A transient page failure: count the attempt, leave the article pending."""
        with self.transaction():
            self.db["articles"].update(article_id, {"extract_attempts": attempts})

    # --- embed and place -------------------------------------------------------------------------
    # Embeddings and online clustering. An article is pending embedding when it has
    # no embedding of the configured model or its text changed since (content_hash differs);
    # it is pending clustering when it is extracted, embedded and has no story. Stories keep
    # their running state (mean embedding blob, evidence profile JSON) so placing an article
    # reads only the stories of its time window, never every article.

    def articles_pending_embedding(self, model: str, limit: int = 1000) -> list[dict[str, Any]]:
        """Extracted articles with no embedding of ``model`` or one from an older text."""
        return list(self.db.query(
            "select a.id, a.title, a.text, a.content_hash, e.text_hash as old_text_hash "
            "from articles a left join embeddings e on e.article_id = a.id "
            "where a.extracted_at is not null and (e.article_id is null or e.model != ? "
            "or coalesce(e.content_hash, '') != coalesce(a.content_hash, '')) "
            "order by a.id limit ?", [model, limit]))

    def keep_embeddings(self, rows: list[tuple[int, str | None]]) -> None:
        """(article, content hash): the embedded part of the text did not change, so the vector
        stays and is marked current for the article's new text."""
        with self.transaction():
            for article_id, content in rows:
                self.db["embeddings"].update(article_id, {"content_hash": content})

    def save_embeddings(self, rows: list[dict[str, Any]]) -> None:
        """Upsert embeddings (article_id, model, text_hash, content_hash, dims, vector) at once."""
        now = iso(utcnow())
        with self.transaction():
            self.db["embeddings"].upsert_all(
                [{**r, "embedded_at": now} for r in rows], pk="article_id")

    def articles_to_cluster(self, model: str, limit: int = 1000) -> list[dict[str, Any]]:
        """Embedded articles without a story, oldest first (online order is time order)."""
        return list(self.db.query(
            "select a.id, a.title, a.text, a.source_id, a.published, a.discovered_at, "
            "coalesce(a.published, a.discovered_at) as time, e.vector "
            "from articles a join embeddings e on e.article_id = a.id "
            "where a.story_id is null and a.extracted_at is not null and e.model = ? "
            "order by coalesce(a.published, a.discovered_at), a.id limit ?", [model, limit]))

    def candidate_story_ids(self, start: datetime, end: datetime, limit: int = 2000,
                            max_span_days: float = 60) -> list[int]:
        """Live (unmerged) stories whose span touches [start, end], most recent first.

        The index on (merged_into, last_seen) bounds the range on both sides: a story that was
        still reported more than ``max_span_days`` after ``end`` is not considered for an older
        article (a backfill), which keeps the cost flat there too. ``limit`` bounds the work on
        a pathological day."""
        upper = end + timedelta(days=max_span_days)
        return [r[0] for r in self.db.execute(
            "select id from stories where merged_into is null and last_seen >= ? and last_seen <= ? "
            "and first_seen <= ? and centroid is not null order by last_seen desc limit ?",
            [iso(start), iso(upper), iso(end), limit])]

    def latest_story_time(self) -> datetime | None:
        """When the newest live story was last reported (an index lookup on last_seen)."""
        row = self.db.execute("select max(last_seen) from stories where merged_into is null").fetchone()
        return parse_iso(row[0]) if row and row[0] else None

    def story_rows(self, ids: list[int]) -> list[dict[str, Any]]:
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        return list(self.db.query(f"select * from stories where id in ({marks})", ids))

    def save_placement(self, article_id: int, story: dict[str, Any],
                       merges: list[tuple[int, int, float]] = ()) -> int:
        """Write one placement in one transaction: the story's new state (inserted when it has
        no id), the article's story, and each merge (from, into, score): the merged story's
        articles move to the surviving one and the old row points at it via merged_into."""
        now = iso(utcnow())
        with self.transaction():
            row = {k: v for k, v in story.items() if k != "id"}
            row["updated_at"] = now
            row["regroup_pending"] = 1
            row["summary_pending"] = 1
            if story.get("id") is None:
                story_id = self.db["stories"].insert({**row, "created_at": now}).last_pk
            else:
                story_id = story["id"]
                self.db["stories"].update(story_id, row)
            for from_id, into_id, score in merges:
                self.db.execute("update articles set story_id = ? where story_id = ?", [into_id, from_id])
                self.db["stories"].update(from_id, {"merged_into": into_id, "updated_at": now})
                self.db.execute("update stories set merged_into = ? where merged_into = ?",
                                [into_id, from_id])
                self.db["story_merges"].insert(
                    {"from_story": from_id, "into_story": into_id, "time": now, "score": score})
            self.db["articles"].update(article_id, {"story_id": story_id, "clustered_at": now})
        return story_id

    # --- regroup ---------------------------------------------------------------------------------

    def story_directions(self, ids: Iterable[int]) -> list[dict[str, Any]]:
        """id, centroid, first_seen and last_seen of live stories: what choosing a touched
        story's neighbours needs, without decoding every candidate's profile."""
        ids = list(ids)
        out: list[dict[str, Any]] = []
        for chunk, marks in _in_chunks(ids):
            out += self.db.query(
                "select id, centroid, first_seen, last_seen from stories "
                f"where id in ({marks}) and merged_into is null and centroid is not null", chunk)
        return out

    def window_members(self, story_ids: Iterable[int], model: str) -> list[dict[str, Any]]:
        """The articles of the given stories with their embedding, each story's in join order."""
        ids = list(story_ids)
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        return list(self.db.query(
            "select a.id, a.story_id, a.title, a.text, a.content_hash, a.published, "
            "a.discovered_at, e.vector from articles a join embeddings e on e.article_id = a.id "
            f"where a.story_id in ({marks}) and e.model = ? "
            "order by a.story_id, a.clustered_at, a.id", [*ids, model]))

    def stories_to_regroup(self, limit: int = 5000) -> list[int]:
        """Live stories that gained articles since they were last reconsidered."""
        return [r[0] for r in self.db.execute(
            "select id from stories where regroup_pending = 1 and merged_into is null "
            "order by id limit ?", [limit])]

    def regrouped(self, ids: Iterable[int]) -> None:
        """Mark stories as reconsidered (see save_regrouping, which does it in its transaction)."""
        with self.transaction():
            self.db.conn.executemany("update stories set regroup_pending = null where id = ?",
                                     [(i,) for i in ids])

    def save_regrouping(self, stories: dict[int, dict[str, Any]],
                        moves: list[tuple[int, int, int, str, float]],
                        emptied: dict[int, int], done: Iterable[int] = ()) -> dict[int, int]:
        """Write a regrouping in one transaction and return how its temporary ids mapped.

        ``stories`` are new or changed story rows keyed by id (a negative id is a story a split
        made, inserted here); ``moves`` are (article, from, into, reason, score) in the order
        they happened; ``emptied`` maps a story left without articles to where they went: it
        is marked merged into that story, as a merge is. ``done`` are the stories that were
        reconsidered: their pending mark is cleared in the same transaction.
        """
        now = iso(utcnow())
        real: dict[int, int] = {}
        with self.transaction():
            for story_id, row in sorted(stories.items()):
                fields = {k: v for k, v in row.items() if k != "id"}
                fields["updated_at"] = now
                fields["summary_pending"] = 1
                if story_id < 0:
                    real[story_id] = self.db["stories"].insert({**fields, "created_at": now}).last_pk
                else:
                    self.db["stories"].update(story_id, fields)

            def known(story_id: int) -> int:
                if story_id < 0 and story_id not in real:  # made by a split, emptied again
                    real[story_id] = self.db["stories"].insert(
                        {"created_at": now, "updated_at": now, "article_count": 0}).last_pk
                return real.get(story_id, story_id)

            for article_id, from_id, into_id, reason, score in moves:
                from_id, into_id = known(from_id), known(into_id)
                self.db["articles"].update(article_id, {"story_id": into_id, "clustered_at": now})
                self.db["story_moves"].insert({
                    "article_id": article_id, "from_story": from_id, "into_story": into_id,
                    "reason": reason, "score": score, "time": now})
            for from_id, into_id in emptied.items():
                from_id, into_id = known(from_id), known(into_id)
                self.db["stories"].update(from_id, {"merged_into": into_id, "article_count": 0,
                                                    "updated_at": now})
                self.db.execute("update stories set merged_into = ? where merged_into = ?",
                                [into_id, from_id])
                self.db["story_merges"].insert(
                    {"from_story": from_id, "into_story": into_id, "time": now, "score": None})
            self.regrouped(done)
        return real

    # --- summarise -------------------------------------------------------------------------------

    def story_members(self, story_id: int) -> list[dict[str, Any]]:
        """A story's articles with what titles and report counting need."""
        return list(self.db.query(
            "select a.id, a.title, a.text, a.source_id, e.vector from articles a "
            "left join embeddings e on e.article_id = a.id where a.story_id = ? order by a.id",
            [story_id]))

    def stories_to_summarise(self, limit: int = 5000) -> list[int]:
        """Stories whose members changed since their title and counts were computed."""
        return [r[0] for r in self.db.execute(
            "select id from stories where summary_pending = 1 order by id limit ?", [limit])]

    def summarised(self, ids: Iterable[int]) -> None:
        """Take stories off the summary queue (save_story_summary does it for the one it saves)."""
        with self.transaction():
            self.db.conn.executemany("update stories set summary_pending = null where id = ?",
                                     [(i,) for i in ids])

    def save_story_summary(self, story_id: int, *, title: str, article_count: int,
                           outlet_count: int, report_count: int) -> None:
        with self.transaction():
            self.db["stories"].update(story_id, {
                "title": title, "article_count": article_count, "outlet_count": outlet_count,
                "report_count": report_count, "summary_pending": None})

    # --- claims ----------------------------------------------------------------------------------
    # Claims with their frames, claim groups and discrepancies. An article's claims are
    # re-extracted when its text hash differs from the one they came from; a story is regrouped
    # when its claims (re-extraction, articles joining or leaving, a changed date) differ from
    # the ones its groups were computed from. Each replace is one transaction.

    def articles_pending_claims(self, limit: int = 1000) -> list[dict[str, Any]]:
        """Extracted articles whose claims were never taken or came from an older text."""
        return list(self.db.query(
            "select id, text, content_hash, story_id, source_id from articles "
            "where extracted_at is not null and coalesce(claims_hash, '') != coalesce(content_hash, '') "
            "order by id limit ?", [limit]))

    def replace_article_claims(self, article_id: int, claims: list[dict[str, Any]],
                               text_hash: str | None) -> list[int]:
        """Replace an article's claims with their frames (and drop the discrepancies that cited
        the old ones; grouping recomputes them). Returns the new claim ids."""
        story = self.db.execute("select story_id from articles where id = ?", [article_id]).fetchone()
        story_id = story[0] if story else None
        with self.transaction():
            stale = ("select discrepancy_id from discrepancy_claims where claim_id in "
                     "(select id from claims where article_id = ?)")
            self.db.execute(f"delete from discrepancy_sides where discrepancy_id in ({stale})", [article_id])
            self.db.execute(f"delete from discrepancy_claims where discrepancy_id in ({stale})", [article_id])
            self.db.execute(
                "delete from discrepancies where id not in (select discrepancy_id from discrepancy_claims)")
            self.db.execute("delete from claims where article_id = ?", [article_id])
            ids = []
            for c in claims:
                row = {k: c.get(k) for k in _CLAIM_COLUMNS}
                row.update(article_id=article_id, story_id=story_id)
                ids.append(self.db["claims"].insert(row).last_pk)
            self.db["articles"].update(article_id, {"claims_hash": text_hash or "",
                                                    "claims_extracted_at": iso(utcnow())})
        return ids

    def sync_claim_stories(self) -> int:
        """Give claims the story of their article (clustering may have moved the article)."""
        with self.transaction():
            cur = self.db.execute(
                "update claims set story_id = (select story_id from articles where articles.id = claims.article_id) "
                "where story_id is not (select story_id from articles where articles.id = claims.article_id)")
        return cur.rowcount

    def stories_needing_check(self) -> list[tuple[int, str]]:
        """(story id, claims hash) of stories whose claims changed since they were last grouped.

        The hash covers the claim ids and, per article, the text its claims came from and its
        publication time: SQLite reuses the highest deleted id, so a re-extracted article can
        get its old ids back."""
        rows = self.db.execute(
            """
            select s.id, s.claims_checked_hash,
                   (select group_concat(id) from (select id from claims where story_id = s.id order by id))
                   || '|' || coalesce((select group_concat(x) from (
                       select a.id || ':' || coalesce(a.claims_hash, '') || ':' || coalesce(a.published, '') as x
                       from articles a where a.story_id = s.id order by a.id)), '')
            from stories s
            where exists (select 1 from claims where story_id = s.id)
               or exists (select 1 from discrepancies where story_id = s.id)
               or exists (select 1 from claim_groups where story_id = s.id)
               or s.claims_checked_hash is not null
            """).fetchall()
        out = []
        for story_id, checked, ids in rows:
            current = content_hash(ids or "")
            if checked != current:
                out.append((story_id, current))
        return out

    def story_claims(self, story_id: int) -> list[dict[str, Any]]:
        """A story's claims with their article (publication time, link), outlet and group."""
        return list(self.db.query(
            """
            select claims.*, articles.source_id, articles.url, articles.title as article_title,
                   articles.published, sources.name as outlet
            from claims join articles on articles.id = claims.article_id
            join sources on sources.id = articles.source_id
            where claims.story_id = ? order by claims.article_id, claims.start, claims.id
            """, [story_id]))

    def story_report_articles(self, story_id: int) -> list[dict[str, Any]]:
        """The articles of a story that have claims, with outlet, time and text (for counting
        independent reports: copies are found by their wording)."""
        return list(self.db.query(
            """
            select a.id, a.source_id, sources.name as outlet, a.published, a.text
            from articles a join sources on sources.id = a.source_id
            where a.story_id = ? order by a.id
            """, [story_id]))

    def replace_story_groups(self, story_id: int, groups: list[dict[str, Any]],
                             discrepancies: list[dict[str, Any]], claims_hash: str) -> list[int]:
        """Replace a story's claim groups and discrepancies in one transaction.

        ``groups``: dicts with entity, property, unit, scope, time_ref, outlets,
        independent_reports and ``claims`` (claim ids). Each is written with ``scored_at`` NULL:
        pending for the reliability stage. ``discrepancies``: dicts with ``group`` (an index into
        ``groups``), subject, attribute, unit, scope, kind, severity, intra_article and ``sides``:
        dicts with value, value_text, outlets, independent_reports, first_article_id,
        first_source_id, first_published and ``claims`` (claim ids). Returns the discrepancy ids.
        """
        now = iso(utcnow())
        with self.transaction():
            self._delete_story_groups(story_id)
            group_ids = []
            for g in groups:
                gid = self.db["claim_groups"].insert({
                    "story_id": story_id, "entity": g["entity"], "property": g["property"],
                    "unit": g["unit"], "scope": g.get("scope") or "", "time_ref": g.get("time_ref") or "current",
                    "claims": len(g["claims"]), "outlets": g["outlets"],
                    "independent_reports": g["independent_reports"], "consensus_value": None,
                    "consensus_text": None, "scored_at": None,
                }).last_pk
                group_ids.append(gid)
                marks = ",".join("?" * len(g["claims"]))
                self.db.execute(f"update claims set group_id = ? where id in ({marks})", [gid, *g["claims"]])
            ids = []
            for d in discrepancies:
                did = self.db["discrepancies"].insert({
                    "story_id": story_id, "group_id": group_ids[d["group"]], "subject": d["subject"],
                    "attribute": d["attribute"], "unit": d["unit"], "scope": d.get("scope") or "",
                    "kind": d["kind"], "severity": d["severity"],
                    "intra_article": int(bool(d.get("intra_article"))), "sides": len(d["sides"]),
                    "consensus_value": None, "checked_at": now,
                }).last_pk
                for n, side in enumerate(d["sides"]):
                    self.db["discrepancy_sides"].insert({
                        "discrepancy_id": did, "side": n, "value": side.get("value"),
                        "value_text": side.get("value_text"), "outlets": side["outlets"],
                        "independent_reports": side["independent_reports"],
                        "first_article_id": side.get("first_article_id"),
                        "first_source_id": side.get("first_source_id"),
                        "first_published": side.get("first_published")})
                    self.db["discrepancy_claims"].insert_all(
                        [{"discrepancy_id": did, "claim_id": cid, "side": n} for cid in side["claims"]])
                ids.append(did)
            self.db["stories"].update(story_id, {"claims_checked_hash": claims_hash})
        return ids

    def _delete_story_groups(self, story_id: int) -> None:
        story_discs = "select id from discrepancies where story_id = ?"
        self.db.execute(f"delete from discrepancy_sides where discrepancy_id in ({story_discs})", [story_id])
        self.db.execute(f"delete from discrepancy_claims where discrepancy_id in ({story_discs})", [story_id])
        self.db.execute("delete from discrepancies where story_id = ?", [story_id])
        self.db.execute("update claims set group_id = null where group_id in "
                        "(select id from claim_groups where story_id = ?)", [story_id])
        self.db.execute("update claims set group_id = null where story_id = ? and group_id is not null", [story_id])
        self.db.execute("delete from claim_groups where story_id = ?", [story_id])

    def story_groups(self, story_id: int) -> list[dict[str, Any]]:
        """A story's claim groups, most independent reports first, each with its claims (value
        as written, outlet, sentence, link)."""
        out = []
        for g in self.db.query("select * from claim_groups where story_id = ? "
                               "order by independent_reports desc, claims desc, id", [story_id]):
            g["members"] = list(self.db.query(
                """
                select claims.id, claims.surface, claims.value, claims.unit, claims.qualifier,
                       claims.value_text, claims.sentence, claims.article_id, articles.url,
                       articles.published, sources.name as outlet
                from claims join articles on articles.id = claims.article_id
                join sources on sources.id = articles.source_id
                where claims.group_id = ? order by articles.published, sources.name, claims.id
                """, [g["id"]]))
            out.append(g)
        return out

    def story_discrepancies(self, story_id: int) -> list[dict[str, Any]]:
        """A story's discrepancies, most severe first, each with its group's frame, its sides
        (``side_rows``: value, outlets, independent reports, first reporter) and its claims
        (side, value as written, outlet, sentence, link), read from the ``discrepancy_overview``
        view."""
        return _group_discrepancies(self.db.query(
            "select * from discrepancy_overview where story_id = ? "
            "order by severity desc, discrepancy_id, side, outlet, claim_id", [story_id]))

    # --- reliability: claim groups pending scoring, claims' checks, sources' posteriors ----------
    # A group is pending while its scored_at is NULL (the claims stage writes every group so).
    # A claim's check (agreement, checked_at; m010) lives on the claim row, so scoring a
    # regrouped story again overwrites its checks; a source's score is the sum of its claims'
    # checks. The stage holds one transaction per batch around these writes.

    def pending_group_stories(self, limit: int = 200) -> list[int]:
        """Stories that have a claim group not scored since it was (re)written."""
        return [r[0] for r in self.db.execute(
            "select distinct story_id from claim_groups where scored_at is null "
            "order by story_id limit ?", [limit])]

    def pending_groups(self, story_ids: list[int]) -> list[dict[str, Any]]:
        """The pending claim groups of these stories."""
        if not story_ids:
            return []
        marks = ",".join("?" * len(story_ids))
        return list(self.db.query(
            f"select * from claim_groups where scored_at is null and story_id in ({marks}) "
            "order by story_id, id", story_ids))

    def sources_to_score(self, source_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
        """Each source's current score, evidence and first-party flag."""
        ids = sorted(set(source_ids))
        out: dict[int, dict[str, Any]] = {}
        for chunk, marks in _in_chunks(ids):
            for r in self.db.query(
                    "select id, name, reliability, reliability_low, reliability_high, checked_claims, "
                    f"agreed, disagreed, first_party from sources where id in ({marks})", chunk):
                out[r["id"]] = r
        return out

    def set_first_party(self, flags: dict[str, bool]) -> list[int]:
        """Mark sources (by name) first-party or not, as feeds.yaml says. Returns the ids whose
        flag changed (their prior changed, so their score must be recomputed)."""
        changed = []
        with self.transaction():
            for name, flag in flags.items():
                row = self.db.execute("select id, first_party from sources where name = ?", [name]).fetchone()
                if row and bool(row[1]) != flag:
                    self.db.execute("update sources set first_party = ? where id = ?", [int(flag), row[0]])
                    changed.append(row[0])
        return changed

    def save_group_scores(self, scores: list[dict[str, Any]], now: str) -> None:
        """Write scored groups: ``scores`` holds dicts with group_id, consensus_value,
        consensus_text, ``checks`` ({claim id: agreement}) and optionally ``follows`` ({claim
        id: (outlet id it follows, repeats it)}). The group's claims lose their old checks and
        follows first, so a claim checked before and not now is no longer counted."""
        with self.transaction():
            for g in scores:
                gid = g["group_id"]
                self.db.execute("update claims set agreement = null, checked_at = null "
                                "where group_id = ? and agreement is not null", [gid])
                self.db.conn.executemany(
                    "update claims set agreement = ?, checked_at = ? where id = ? and group_id = ?",
                    [(agreement, now, cid, gid) for cid, agreement in g["checks"].items()])
                self.db.execute("update claims set follows_source_id = null, repeats_previous = null "
                                "where group_id = ? and follows_source_id is not null", [gid])
                self.db.conn.executemany(
                    "update claims set follows_source_id = ?, repeats_previous = ? "
                    "where id = ? and group_id = ?",
                    [(prev, int(same), cid, gid) for cid, (prev, same) in g.get("follows", {}).items()])
                self.db.execute(
                    "update claim_groups set consensus_value = ?, consensus_text = ?, scored_at = ? "
                    "where id = ?", [g["consensus_value"], g["consensus_text"], now, gid])
                self.db.execute("update discrepancies set consensus_value = ? where group_id = ?",
                                [g["consensus_value"], gid])

    def sources_pending_rescore(self) -> list[int]:
        """Sources that lost a checked claim (m010's trigger marks them)."""
        return [r[0] for r in self.db.execute("select id from sources where rescore_pending = 1")]

    def clear_orphan_checks(self) -> list[int]:
        """Drop the checks of claims that no longer belong to a group (regrouping left them
        out). Returns their sources, whose scores must be recomputed."""
        with self.transaction():
            sources = [r[0] for r in self.db.execute(
                "select distinct a.source_id from claims c join articles a on a.id = c.article_id "
                "where c.group_id is null and c.agreement is not null")]
            if sources:
                self.db.execute("update claims set agreement = null, checked_at = null "
                                "where group_id is null and agreement is not null")
            self.db.execute("update claims set follows_source_id = null, repeats_previous = null "
                            "where group_id is null and follows_source_id is not null")
        return sources

    def echo_evidence(self, source_ids: Iterable[int]) -> dict[int, list[tuple[int, bool, int]]]:
        """Each outlet's stored follows: (outlet it followed, repeated it, how many claims)."""
        ids = sorted(set(source_ids))
        out: dict[int, list[tuple[int, bool, int]]] = {sid: [] for sid in ids}
        for chunk, marks in _in_chunks(ids):
            for sid, prev, same, n in self.db.execute(
                    "select a.source_id, c.follows_source_id, c.repeats_previous, count(*) "
                    "from claims c join articles a on a.id = c.article_id "
                    f"where c.follows_source_id is not null and a.source_id in ({marks}) "
                    "group by 1, 2, 3", chunk):
                out[sid].append((prev, bool(same), n))
        return out

    def check_sums(self, source_ids: Iterable[int]) -> dict[int, tuple[int, float, float]]:
        """(checked claims, agreed, disagreed) of each source from its claims' stored checks."""
        ids = sorted(set(source_ids))
        out = {sid: (0, 0.0, 0.0) for sid in ids}
        for chunk, marks in _in_chunks(ids):
            for sid, n, agreed, disagreed in self.db.execute(
                    "select a.source_id, count(*), total(c.agreement), total(1 - c.agreement) "
                    "from articles a join claims c on c.article_id = a.id "
                    f"where a.source_id in ({marks}) and c.agreement is not null group by a.source_id", chunk):
                out[sid] = (n, agreed, disagreed)
        return out

    def save_source_scores(self, rows: list[dict[str, Any]], now: str, rescored: Iterable[int] = (),
                           written: Collection[int] = ()) -> None:
        """Write changed scores (id, reliability, reliability_low, reliability_high,
        checked_claims, agreed, disagreed) and their ``source_scores`` history row, one per
        source and scoring run: for a source in ``written`` (an earlier batch of this run wrote
        its row) that latest row is updated. Clears the rescore mark of every source in
        ``rescored``."""
        with self.transaction():
            self.db.conn.executemany("update sources set rescore_pending = null where id = ? and rescore_pending = 1",
                                     [(sid,) for sid in rescored])
            for r in rows:
                self.db.execute(
                    "update sources set reliability = ?, reliability_low = ?, reliability_high = ?, "
                    "checked_claims = ?, agreed = ?, disagreed = ?, scored_at = ? where id = ?",
                    [r["reliability"], r["reliability_low"], r["reliability_high"], r["checked_claims"],
                     r["agreed"], r["disagreed"], now, r["id"]])
                values = [r["reliability"], r["reliability_low"], r["reliability_high"], r["checked_claims"]]
                if r["id"] in written:
                    self.db.execute(
                        "update source_scores set at = ?, reliability = ?, reliability_low = ?, "
                        "reliability_high = ?, checked_claims = ? where id = "
                        "(select max(id) from source_scores where source_id = ?)", [now, *values, r["id"]])
                else:
                    self.db.execute(
                        "insert into source_scores (source_id, at, reliability, reliability_low, "
                        "reliability_high, checked_claims) values (?, ?, ?, ?, ?, ?)", [r["id"], now, *values])

    def source_by_name(self, name: str) -> dict[str, Any] | None:
        """An outlet's ``source_leaderboard`` row (exact name, else the one name that matches
        ignoring case)."""
        rows = list(self.db.query("select * from source_leaderboard where outlet = ?", [name]))
        if not rows:
            rows = list(self.db.query("select * from source_leaderboard where outlet = ? collate nocase",
                                      [name]))
        return rows[0] if len(rows) == 1 else None

    def source_checks(self, source_id: int, *, lowered: bool, limit: int = 10) -> list[dict[str, Any]]:
        """An outlet's checked claims that lowered its score (agreement below 1: most wrong
        first) or raised it (agreement above 0: most right first), newest first within that,
        each with its group's consensus and frame, its quote and link, and ``others``: the
        other outlets' claims in the group (outlet, value as written, link)."""
        where, order = ("c.agreement < 1", "c.agreement") if lowered else ("c.agreement > 0", "c.agreement desc")
        rows = list(self.db.query(
            f"""
            select c.id, c.surface, c.value, c.unit, c.value_text, c.qualifier, c.sentence, c.agreement,
                   c.checked_at, a.id as article_id, a.url, a.title as article_title,
                   coalesce(a.published, a.discovered_at) as published, g.id as group_id, g.story_id,
                   g.entity, g.property, g.unit as group_unit, g.scope, g.time_ref, g.consensus_value,
                   g.consensus_text, g.independent_reports
            from articles a join claims c on c.article_id = a.id
            join claim_groups g on g.id = c.group_id
            where a.source_id = ? and c.agreement is not null and {where}
            order by {order}, coalesce(a.published, a.discovered_at) desc, c.id desc limit ?
            """, [source_id, limit]))
        others: dict[int, list[dict[str, Any]]] = {r["group_id"]: [] for r in rows}
        if others:
            marks = ",".join("?" * len(others))
            for o in self.db.query(
                    f"""
                    select c.group_id, c.surface, c.value, c.value_text, c.agreement, s.name as outlet, a.url
                    from claims c join articles a on a.id = c.article_id join sources s on s.id = a.source_id
                    where c.group_id in ({marks}) and a.source_id != ?
                    order by c.group_id, coalesce(a.published, a.discovered_at), s.name, c.id
                    """, [*others, source_id]):
                others[o["group_id"]].append(o)
        for r in rows:
            r["others"] = others[r["group_id"]]
        return rows

    # --- reading: what the CLI and the daily digest show -----------------------------------------

    def articles(self, limit: int = 100) -> list[dict[str, Any]]:
        return list(self.db.query(
            "select articles.*, sources.name as source from articles join sources on sources.id = articles.source_id "
            "order by coalesce(published, discovered_at) desc, articles.id desc limit ?", [limit]
        ))

    def count(self, table: str) -> int:
        return self.db[table].count

    def source_rows(self) -> list[dict[str, Any]]:
        """Outlets with their score (mean, 90 % interval, checked/agreed/disagreed claims) and
        feed, article and claim counts, in the ``source_leaderboard`` view's order: by the
        interval's lower bound, then those with too few checks, then the unscored."""
        return list(self.db.query(
            "select source_id as id, outlet as name, reliability, reliability_low, reliability_high, "
            "reliability_text, checked_claims, agreed, disagreed, first_party, feeds, articles, "
            "claims from source_leaderboard"))

    def feed_rows(self) -> list[dict[str, Any]]:
        """Every feed the store knows, with its polling state."""
        return list(self.db.query("select * from feeds order by id"))

    def recent_stories(self, limit: int = 20) -> list[dict[str, Any]]:
        """Live stories (the ``story_overview`` view), most recently updated by the news first."""
        return list(self.db.query(
            "select story_id as id, title, first_seen, last_seen, articles as article_count, "
            "outlets as outlet_count, independent_reports as report_count, discrepancies "
            "from story_overview order by last_seen desc, story_id desc limit ?", [limit]))

    def story(self, story_id: int) -> dict[str, Any] | None:
        rows = list(self.db.query("select * from stories where id = ?", [story_id]))
        return rows[0] if rows else None

    def story_articles(self, story_id: int) -> list[dict[str, Any]]:
        """A story's articles with their outlet, date and link, oldest first."""
        return list(self.db.query(
            "select a.id, a.title, a.url, coalesce(a.published, a.discovered_at) as date, "
            "sources.name as outlet from articles a join sources on sources.id = a.source_id "
            "where a.story_id = ? order by coalesce(a.published, a.discovered_at), a.id", [story_id]))

    def story_moves_out(self, story_id: int) -> list[tuple[int, str, int]]:
        """(story, reason, articles) for each story that articles of ``story_id`` left for and
        are still in: a split-off half, or a story that fit them better."""
        return [tuple(r) for r in self.db.execute(
            "select m.into_story, m.reason, count(distinct m.article_id) from story_moves m "
            "join articles a on a.id = m.article_id and a.story_id = m.into_story "
            "where m.from_story = ? group by m.into_story, m.reason order by m.into_story",
            [story_id])]

    # --- runs and status -------------------------------------------------------------------------

    def start_run(self, job: str) -> int:
        """Record a run as ``running``. Runs left ``running`` by a process that is gone are marked
        ``interrupted`` first: the table users query must not say a killed run is still going."""
        with self.transaction():
            self.interrupt_stale_runs()
            return self.db["runs"].insert(
                {"job": job, "started_at": iso(utcnow()), "outcome": "running", "pid": os.getpid()}
            ).last_pk

    def finish_run(self, run_id: int, outcome: str, details: dict[str, Any] | None = None,
                   error: str | None = None) -> None:
        with self.transaction():
            self.db["runs"].update(run_id, {
                "finished_at": iso(utcnow()), "outcome": outcome,
                "details": json.dumps(details or {}, sort_keys=True), "error": error,
            })

    def pending_count(self) -> int:
        return self.db.execute("select count(*) from articles where extracted_at is null").fetchone()[0]

    def failing_feeds(self, quiet: bool = False) -> list[dict[str, Any]]:
        """Feeds whose last poll failed (the ``failing_feeds`` view), and with ``quiet`` also
        those that went quiet: never dropped, shown by `status` and in the digest."""
        where = "" if quiet else " where problem = 'failed'"
        return list(self.db.query(f"select * from failing_feeds{where}"))

    def last_runs(self, limit: int = 15) -> list[dict[str, Any]]:
        """The latest runs, newest first, each with ``stale`` true when it is marked running but
        its process is gone (killed, crashed, or the machine went down)."""
        rows = list(self.db.query("select * from runs order by id desc limit ?", [limit]))
        for r in rows:
            r["stale"] = r["outcome"] == "running" and not run_alive(r)
        return rows

    def interrupt_stale_runs(self) -> int:
        """Mark runs whose process is gone as interrupted (the daemon does this on start)."""
        stale = [r["id"] for r in self.db.query("select id, pid, started_at, outcome from runs where outcome = 'running'")
                 if not run_alive(r)]
        if stale:
            with self.transaction():
                for run_id in stale:
                    self.db["runs"].update(run_id, {
                        "outcome": "interrupted",
                        "error": "the process ended before the run finished (killed, crashed or shut down)"})
        return len(stale)

    def prune_runs(self, before: datetime, jobs: tuple[str, ...] = ("poll",)) -> int:
        """Forget old routine runs (one per feed poll adds up); failures are kept."""
        marks = ",".join("?" * len(jobs))
        with self.transaction():
            cur = self.db.execute(
                f"delete from runs where job in ({marks}) and outcome = 'ok' and started_at < ?",
                [*jobs, iso(before)])
        return cur.rowcount

    def status_rows(self, limit: int = 15) -> dict[str, Any]:
        """What `status` shows from the store: counts, the latest runs, the failing feeds."""
        return {"feeds_known": self.count("feeds"), "articles": self.count("articles"),
                "pending": self.pending_count(), "runs": self.last_runs(limit),
                "failing": self.failing_feeds()}

    # --- reading: the digest (views) and the digests written (m008) ---------------------------
    # A day is [start, end) in UTC; an article belongs to the day of its publication date,
    # or of its discovery when the feed and the page gave none.

    def source_leaderboard(self) -> list[dict[str, Any]]:
        """Every outlet with its reliability (or "not scored yet"), feeds, articles, claims."""
        return list(self.db.query("select * from source_leaderboard"))

    def day_stories(self, start: datetime, end: datetime, limit: int = 20) -> list[dict[str, Any]]:
        """Stories with an article in [start, end), most independent reports first, each with
        how many of its articles fall in the day."""
        return list(self.db.query(
            "select so.*, count(a.id) as day_articles from story_overview so "
            "join articles a on a.story_id = so.story_id "
            "where coalesce(a.published, a.discovered_at) >= ? "
            "and coalesce(a.published, a.discovered_at) < ? group by so.story_id "
            "order by so.independent_reports desc, so.outlets desc, day_articles desc, "
            "so.story_id limit ?", [iso(start), iso(end), limit]))

    def stories_articles(self, story_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
        """The articles of each story (outlet, title, link, date, feed summary, opening of the
        text), oldest first."""
        out: dict[int, list[dict[str, Any]]] = {i: [] for i in story_ids}
        for chunk, marks in _in_chunks(story_ids):
            for row in self.db.query(
                    "select a.id, a.story_id, a.title, a.url, a.summary, substr(a.text, 1, 600) as lead, "
                    "coalesce(a.published, a.discovered_at) as date, so.name as outlet "
                    f"from articles a join sources so on so.id = a.source_id where a.story_id in ({marks}) "
                    "order by coalesce(a.published, a.discovered_at), a.id", chunk):
                out[row["story_id"]].append(row)
        return out

    def day_discrepancies(self, start: datetime, end: datetime) -> list[dict[str, Any]]:
        """Discrepancies with a side published in [start, end), each with every side's claims."""
        return _group_discrepancies(self.db.query(
            "select * from discrepancy_overview where discrepancy_id in (select discrepancy_id "
            "from discrepancy_overview where published >= ? and published < ?) "
            "order by severity desc, discrepancy_id, side, outlet, claim_id", [iso(start), iso(end)]))

    def reliability_changes(self, start: datetime, end: datetime) -> list[dict[str, Any]] | None:
        """Outlets whose score changed in [start, end): the last score of the day beside the
        one before it. ``None`` while reliability is not scored at all (no history table, or
        one no scoring run has written to yet)."""
        if (not self.columns("source_scores")
                or not self.db.execute("select 1 from source_scores limit 1").fetchone()):
            return None
        return list(self.db.query(
            """
            select s.id as source_id, s.name as outlet, now.reliability as reliability,
                   now.reliability_low, now.reliability_high, now.checked_claims, now.at,
                   (select p.reliability from source_scores p where p.source_id = now.source_id
                    and p.at < ? order by p.at desc limit 1) as previous
            from source_scores now join sources s on s.id = now.source_id
            where now.at = (select max(at) from source_scores x where x.source_id = now.source_id
                            and x.at >= ? and x.at < ?)
            order by abs(now.reliability - coalesce(previous, now.reliability)) desc, s.name
            """, [iso(start), iso(start), iso(end)]))

    def day_claims_per_outlet(self, start: datetime, end: datetime) -> list[dict[str, Any]]:
        """Claims taken from each outlet's articles of the day, most first."""
        return list(self.db.query(
            "select so.name as outlet, count(c.id) as claims from claims c "
            "join articles a on a.id = c.article_id join sources so on so.id = a.source_id "
            "where coalesce(a.published, a.discovered_at) >= ? and coalesce(a.published, a.discovered_at) < ? "
            "group by so.id order by claims desc, so.name", [iso(start), iso(end)]))

    def day_counts(self, start: datetime, end: datetime) -> dict[str, int]:
        """The digest footer: the day's articles, outlets, claims and feed errors."""
        day = "coalesce(a.published, a.discovered_at) >= ? and coalesce(a.published, a.discovered_at) < ?"
        row = self.db.execute(
            f"select count(*), count(distinct a.source_id), count(distinct a.story_id) "
            f"from articles a where {day}", [iso(start), iso(end)]).fetchone()
        claims = self.db.execute(
            f"select count(*) from claims c join articles a on a.id = c.article_id where {day}",
            [iso(start), iso(end)]).fetchone()[0]
        errors = self.db.execute("select count(*) from fetch_errors where time >= ? and time < ?",
                                 [iso(start), iso(end)]).fetchone()[0]
        return {"articles": row[0], "outlets": row[1], "stories": row[2], "claims": claims,
                "fetch_errors": errors, "feeds": self.count("feeds")}

    def article_times(self) -> list[str]:
        """Every article's date (published, else discovered): what picks the demo's day."""
        return [r[0] for r in self.db.execute(
            "select coalesce(published, discovered_at) from articles where coalesce(published, discovered_at) is not null")]

    def digests_of(self, day: str) -> dict[str, dict[str, Any]]:
        """The recorded digests of a day (YYYY-MM-DD), by format."""
        return {r["format"]: r for r in self.db.query("select * from digests where day = ?", [day])}

    def digest_days(self, fmt: str = "html", limit: int = 100) -> list[dict[str, Any]]:
        """The latest days with a recorded digest in ``fmt``, newest first."""
        return list(self.db.query("select * from digests where format = ? order by day desc limit ?",
                                  [fmt, limit]))

    def record_digest(self, day: str, fmt: str, path: str) -> None:
        """A digest file was (re)written; when it was emailed is kept."""
        with self.transaction():
            self.db.execute(
                "insert into digests (day, format, path, written_at) values (?, ?, ?, ?) "
                "on conflict (day, format) do update set path = excluded.path, "
                "written_at = excluded.written_at", [day, fmt, path, iso(utcnow())])

    def digest_emailed(self, day: str, fmt: str = "html") -> None:
        with self.transaction():
            self.db.execute("update digests set emailed_at = ? where day = ? and format = ?",
                            [iso(utcnow()), day, fmt])

def _group_discrepancies(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """discrepancy_overview rows (one per claim) -> one dict per discrepancy with ``claims``."""
    out: dict[int, dict[str, Any]] = {}
    for r in rows:
        d = out.get(r["discrepancy_id"])
        if d is None:
            d = out[r["discrepancy_id"]] = {
                "id": r["discrepancy_id"], "story_id": r["story_id"], "story_title": r["story_title"],
                "subject": r["subject"], "attribute": r["attribute"], "unit": r["unit"],
                "scope": r["scope"], "severity": r["severity"] or 0.0, "kind": r["kind"],
                "sides": r["sides"], "entity": r["entity"], "property": r["property"],
                "time_ref": r["time_ref"], "group_id": r["group_id"],
                "intra_article": int(r["intra_article"] or r["kind"] == "intra-article"),
                "consensus_value": r["consensus_value"], "consensus_text": r.get("consensus_text"),
                "scored": r.get("group_scored_at") is not None, "claims": [], "side_rows": []}
        if r["side_outlets"] is not None and all(x["side"] != r["side"] for x in d["side_rows"]):
            d["side_rows"].append({
                "side": r["side"], "value": r["side_value"], "value_text": r["side_value_text"],
                "outlets": r["side_outlets"], "independent_reports": r["side_independent_reports"],
                "first_article_id": r["first_article_id"], "first_outlet": r["first_outlet"],
                "first_published": r["first_published"]})
        d["claims"].append({
            "side": r["side"], "id": r["claim_id"], "surface": r["value_as_written"],
            "value": r["value"], "unit": r["unit"], "qualifier": r["qualifier"],
            "sentence": r["quote"], "article_id": r["article_id"], "url": r["url"],
            "article_title": r["article_title"], "outlet": r["outlet"], "published": r["published"]})
    for d in out.values():
        d["side_rows"].sort(key=lambda x: x["side"])
    return list(out.values())

# --- the read side: named views ------------------------------------------------------------------
# Read once, show everywhere: the terminal, the digest and Datasette's canned queries read these
# views, so "what a story is" or "when a feed counts as quiet" is written in one place. Each is
# built from the columns the schema has now: columns later migrations add (discrepancy kinds,
# consensus, reliability intervals) are picked up when they exist and are NULL before.

QUIET_FACTOR = 4  # a feed is quiet after this many of its usual gaps without a new entry
NOT_SCORED = "not scored yet"
NOT_ENOUGH_EVIDENCE = "not enough evidence"
MIN_EVIDENCE = 5  # checked claims below which a score is not shown as a number (truth.Params)


def _in_chunks(ids: Sequence[Any], size: int = 500) -> Iterator[tuple[list[Any], str]]:
    """``ids`` in slices small enough for one ``in (...)`` list (SQLite caps bound parameters),
    each with its placeholders."""
    for start in range(0, len(ids), size):
        chunk = list(ids[start : start + size])
        yield chunk, ",".join("?" * len(chunk))


def _col(store: Store, table: str, column: str, expr: str | None = None, default: str = "null") -> str:
    """``expr`` (default ``table.column``) when the column exists, else ``default``."""
    return (expr or f"{table}.{column}") if column in store.columns(table) else default


def _story_overview(store: Store) -> str:
    return """CREATE VIEW story_overview AS
select s.id as story_id, s.title, s.first_seen, s.last_seen,
       (select count(*) from articles a where a.story_id = s.id) as articles,
       (select count(distinct a.source_id) from articles a where a.story_id = s.id) as outlets,
       coalesce(s.report_count, (select count(distinct a.source_id) from articles a
                                 where a.story_id = s.id)) as independent_reports,
       (select group_concat(name, ', ') from (select distinct so.name from articles a
         join sources so on so.id = a.source_id where a.story_id = s.id order by so.name))
         as outlet_names,
       (select count(*) from claims c where c.story_id = s.id) as claims,
       (select count(*) from discrepancies d where d.story_id = s.id) as discrepancies,
       (select a.id from articles a where a.story_id = s.id
         order by coalesce(a.published, a.discovered_at), a.id limit 1) as first_article_id
from stories s
where s.merged_into is null and exists (select 1 from articles a where a.story_id = s.id)"""


def _discrepancy_overview(store: Store) -> str:
    kind = _col(store, "discrepancies", "kind", default="null")
    fallback = "case when d.intra_article = 1 then 'intra-article' else 'conflict' end"
    kind = f"coalesce(d.kind, {fallback})" if kind != "null" else fallback
    consensus = _col(store, "discrepancies", "consensus_value", "d.consensus_value")
    group = _col(store, "discrepancies", "group_id", "d.group_id")
    scored = _col(store, "claim_groups", "scored_at", "g.scored_at")
    consensus_text = _col(store, "claim_groups", "consensus_text", "g.consensus_text")
    return f"""CREATE VIEW discrepancy_overview AS
select d.id as discrepancy_id, d.story_id, st.title as story_title, d.subject, d.attribute,
       d.unit, d.scope, {kind} as kind, d.severity, d.sides, {consensus} as consensus_value,
       {group} as group_id, g.entity, g.property, g.time_ref, {scored} as group_scored_at,
       {consensus_text} as consensus_text, d.intra_article,
       dc.side, ds.value as side_value, ds.value_text as side_value_text, ds.outlets as side_outlets,
       ds.independent_reports as side_independent_reports, ds.first_article_id,
       fso.name as first_outlet, ds.first_published,
       c.id as claim_id, c.surface as value_as_written,
       c.value, c.qualifier, c.sentence as quote, a.id as article_id, a.title as article_title,
       a.url, coalesce(a.published, a.discovered_at) as published, so.id as source_id,
       so.name as outlet, d.checked_at
from discrepancies d
join discrepancy_claims dc on dc.discrepancy_id = d.id
join claims c on c.id = dc.claim_id
join articles a on a.id = c.article_id
join sources so on so.id = a.source_id
left join stories st on st.id = d.story_id
left join claim_groups g on g.id = d.group_id
left join discrepancy_sides ds on ds.discrepancy_id = d.id and ds.side = dc.side
left join sources fso on fso.id = ds.first_source_id"""


def _source_leaderboard(store: Store) -> str:
    """Every outlet, ranked by the lower bound of its interval: a bound that is high is a score
    the evidence supports, where a high mean over three claims is mostly the prior. Outlets
    with fewer than MIN_EVIDENCE checked claims follow, then the unscored."""

    def col(name: str) -> str:
        return _col(store, "sources", name, f"s.{name}")

    # each count is one grouped scan, joined once (correlated subqueries per outlet re-read
    # the claims table for every outlet)
    return f"""CREATE VIEW source_leaderboard AS
with claim_counts as (
  select a.source_id, count(*) as claims from claims c join articles a on a.id = c.article_id
  group by a.source_id
), disputed as (
  select a.source_id, count(distinct dc.discrepancy_id) as discrepancies from discrepancy_claims dc
  join claims c on c.id = dc.claim_id join articles a on a.id = c.article_id group by a.source_id
), feed_counts as (
  select source_id, count(*) as feeds from feeds group by source_id
), article_counts as (
  select source_id, count(*) as articles from articles group by source_id
)
select s.id as source_id, s.name as outlet, s.reliability,
       {col('reliability_low')} as reliability_low, {col('reliability_high')} as reliability_high,
       case when s.reliability is null then '{NOT_SCORED}'
            when coalesce({col('checked_claims')}, 0) < {MIN_EVIDENCE} then '{NOT_ENOUGH_EVIDENCE}'
            else printf('%.2f', s.reliability) end as reliability_text,
       {col('checked_claims')} as checked_claims, {col('agreed')} as agreed,
       {col('disagreed')} as disagreed, {col('scored_at')} as scored_at,
       coalesce({col('first_party')}, 0) as first_party,
       coalesce(f.feeds, 0) as feeds, coalesce(ac.articles, 0) as articles,
       coalesce(cc.claims, 0) as claims, coalesce(d.discrepancies, 0) as discrepancies
from sources s
left join feed_counts f on f.source_id = s.id
left join article_counts ac on ac.source_id = s.id
left join claim_counts cc on cc.source_id = s.id
left join disputed d on d.source_id = s.id
order by s.reliability is null, coalesce({col('checked_claims')}, 0) < {MIN_EVIDENCE},
         {col('reliability_low')} desc, s.reliability desc, coalesce(cc.claims, 0) desc, s.name"""


def _failing_feeds(store: Store) -> str:
    """Failed: the last poll failed. Quiet: no new entry for QUIET_FACTOR times the feed's usual
    gap between entries (from their publication dates, never less than its poll interval);
    a feed needs three dated entries before it can be called quiet."""
    return f"""CREATE VIEW failing_feeds AS
with entries as (
  select fa.feed_id, count(*) as n, max(fa.first_seen) as last_new_entry,
         min(a.published) as first_pub, max(a.published) as last_pub,
         count(a.published) as dated
  from feed_articles fa join articles a on a.id = fa.article_id group by fa.feed_id
), gaps as (
  select f.*, s.name as source, e.last_new_entry, e.n as entries,
         case when e.dated >= 3 then max(coalesce(f.interval_seconds, 0),
              (julianday(e.last_pub) - julianday(e.first_pub)) * 86400.0 / (e.dated - 1))
         end as usual_gap_seconds
  from feeds f join sources s on s.id = f.source_id left join entries e on e.feed_id = f.id
)
select id as feed_id, url, source, title,
       case when coalesce(consecutive_errors, 0) > 0 then 'failed' else 'quiet' end as problem,
       consecutive_errors, last_error, last_status, last_success_at, next_fetch_at,
       last_new_entry, entries, cast(usual_gap_seconds as integer) as usual_gap_seconds,
       cast((julianday('now') - julianday(last_new_entry)) * 86400 as integer) as quiet_seconds
from gaps
where coalesce(consecutive_errors, 0) > 0
   or (usual_gap_seconds > 0 and last_new_entry is not null
       and (julianday('now') - julianday(last_new_entry)) * 86400
           > {QUIET_FACTOR} * usual_gap_seconds)
order by problem, consecutive_errors desc, url"""


VIEWS = {
    "story_overview": _story_overview,
    "discrepancy_overview": _discrepancy_overview,
    "source_leaderboard": _source_leaderboard,
    "failing_feeds": _failing_feeds,
}
