"""The ingest stage: poll feeds into pending articles, then give each pending article its text.

The network and parsing live beside it (fetch.py, robots.py, feeds.py, extract.py, polling.py);
this module is the only one of the folder that touches the Store. A failure on one feed or page
is a ``fetch_errors`` row and the batch goes on.
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from ..config import Config
from ..errors import FeedError, FetchError, HTTPStatus, NetworkError
from ..store import NewArticle, Store, utcnow
from .extract import MIN_TEXT_CHARS, extract_page, fragment_to_text, not_text_reason
from .feeds import ParsedFeed, parse_feed
from .fetch import FEED_ACCEPT, Fetcher
from .polling import next_poll_after_failure, next_poll_after_success

log = logging.getLogger("newswatch.ingest")

MAX_EXTRACT_ATTEMPTS = 3  # transient page-fetch failures are retried on later runs, then fall back


@dataclass
class FetchReport:
    polled: int = 0
    not_modified: int = 0
    failed: int = 0
    new_articles: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"polled": self.polled, "not_modified": self.not_modified, "failed": self.failed,
                "new_articles": self.new_articles}


@dataclass
class ExtractReport:
    extracted: int = 0
    from_page: int = 0
    from_feed: int = 0
    fallbacks: int = 0
    retry_later: int = 0

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def poll_feed(fetcher: Fetcher, feed: dict[str, Any]) -> tuple[Any, ParsedFeed | None, Exception | None]:
    """Network + parse for one feed (runs in a worker thread; no store access here). The daemon
    calls it outside its store lock, then hands the result to save_poll."""
    try:
        resp = fetcher.get(feed["url"], etag=feed.get("etag"), last_modified=feed.get("last_modified"),
                           accept=FEED_ACCEPT)
    except FetchError as exc:
        return None, None, exc
    if resp.not_modified:
        return resp, None, None
    try:
        return resp, parse_feed(resp.content, resp.final_url, resp.headers), None
    except FeedError as exc:
        return resp, None, exc


def fetch_feeds(store: Store, config: Config, fetcher: Fetcher, *, now: datetime | None = None,
                force: bool = False) -> FetchReport:
    """Poll every configured feed that is due (all of them with ``force``)."""
    now = now or utcnow()
    report = FetchReport()
    ids = store.sync_feeds(config.feeds)
    feeds = store.due_feeds(list(ids.values()), now if not force else datetime.max.replace(tzinfo=now.tzinfo))
    if not feeds:
        return report
    position = {url: n for n, url in enumerate(ids)}  # the config's order
    feeds.sort(key=lambda f: position.get(f["url"], len(position)))
    # Polls run in parallel, but results are stored in feed order (map yields in submission
    # order): which thread finishes first must not decide article ids, or which of two feeds
    # carrying one article gives it its feed content. Same input, same store.
    started = time.monotonic()

    def poll_timed(feed: dict[str, Any]) -> tuple[Any, ParsedFeed | None, Exception | None, datetime]:
        # A feed's next poll counts from when it was polled, not from the start of the batch
        # (slow hosts and per-host queues put minutes between the two).
        resp, parsed, error = poll_feed(fetcher, feed)
        return resp, parsed, error, now + timedelta(seconds=time.monotonic() - started)

    with ThreadPoolExecutor(max_workers=max(1, min(config.fetch.concurrency, len(feeds)))) as pool:
        for feed, (resp, parsed, error, polled_at) in zip(feeds, pool.map(poll_timed, feeds), strict=True):
            save_poll(store, feed, resp, parsed, error, now=polled_at, report=report)
    return report


def save_poll(store: Store, feed: dict[str, Any], resp: Any, parsed: ParsedFeed | None,
              error: Exception | None, *, now: datetime, report: FetchReport) -> list[int]:
    """Write one feed's poll result: its new articles and next poll time, or the failure with
    its backoff. Returns the ids of new articles. Shared by fetch_feeds and the daemon."""
    report.polled += 1
    if error is not None:
        report.failed += 1
        kind = getattr(error, "kind", "error")
        status = getattr(error, "status", None) or (resp.status if resp is not None else None)
        retry_after = error.retry_after if isinstance(error, HTTPStatus) else None
        errors = (feed.get("consecutive_errors") or 0) + 1
        store.feed_failed(
            feed["id"], kind=kind, message=str(error), status=status, url=feed["url"],
            next_fetch_at=next_poll_after_failure(now, feed["interval_seconds"], errors,
                                                  retry_after=retry_after),
        )
        report.errors.append(f"{feed['url']}: {kind}: {error}")
        return []
    new_ids: list[int] = []
    if resp.not_modified:
        report.not_modified += 1
    if parsed is not None:
        items = [
            NewArticle(url=e.url, source_id=feed["source_id"], feed_id=feed["id"], guid=e.guid,
                       title=e.title, author=e.author, published=e.published, summary=e.summary,
                       feed_content=e.content_html)
            for e in parsed.entries
        ]
        new_ids = store.add_articles(items)
        report.new_articles += len(new_ids)
        if parsed.warnings:
            log.info("feed %s parsed with warnings: %s", feed["url"], "; ".join(parsed.warnings))
    store.feed_succeeded(
        feed["id"], status=resp.status, etag=resp.headers.get("etag"),
        last_modified=resp.headers.get("last-modified"),
        title=parsed.title if parsed else None,
        next_fetch_at=next_poll_after_success(
            now, feed["interval_seconds"], ttl=parsed.ttl_seconds if parsed else None,
            cache_control=resp.headers.get("cache-control")),
    )
    if parsed is not None:  # a malformed feed that still parsed leaves one row per new problem
        store.feed_warning(feed["id"], feed["url"], "; ".join(parsed.warnings) or None)
    return new_ids


# --- extraction ------------------------------------------------------------------------------


def _feed_text(article: dict[str, Any]) -> str:
    return fragment_to_text(article["feed_content"]) if article.get("feed_content") else ""


def _fetch_page(fetcher: Fetcher, article: dict[str, Any]) -> tuple[Any, Exception | None]:
    try:
        # An ingested file has no feed: its own host is its permission, as for a feed.
        return fetcher.get(article["url"], robots=True, feed_url=article.get("feed_url") or article["url"]), None
    except FetchError as exc:
        return None, exc


def extract_pending(store: Store, config: Config, fetcher: Fetcher | None, *,
                    limit: int = 1000) -> dict[str, int]:
    """The extract stage: give every pending article its text. Returns its counts.

    Order of preference: the feed's own full content when it is substantial (no page request
    needed, and no page furniture to remove), else the page through trafilatura, else the feed
    content or summary with the reason recorded in ``extract_note``.
    """
    return _extract(store, config, fetcher, store.pending_extraction(limit)).as_dict()


def _extract(store: Store, config: Config, fetcher: Fetcher | None,
             pending: list[dict[str, Any]]) -> ExtractReport:
    report = ExtractReport()
    need_page = []
    for a in pending:
        feed_text = _feed_text(a)
        if len(feed_text) >= 3 * MIN_TEXT_CHARS:
            store.save_extraction(a["id"], text=feed_text, method="feed-content")
            report.extracted += 1
            report.from_feed += 1
        else:
            need_page.append(a)
    if not need_page:
        return report
    if fetcher is None:
        for a in need_page:
            _fallback(store, a, "no network access in this run", report)
        return report
    with ThreadPoolExecutor(max_workers=max(1, min(config.fetch.concurrency, len(need_page)))) as pool:
        # pages fetched in parallel, stored in article order (as feeds are, in fetch_feeds)
        for a, (resp, error) in zip(need_page, pool.map(lambda a: _fetch_page(fetcher, a), need_page),
                                    strict=True):
            if error is not None:
                store.record_error(kind=getattr(error, "kind", "error"), message=str(error), url=a["url"],
                                   article_id=a["id"], feed_id=a.get("feed_id"),
                                   status=getattr(error, "status", None))
                transient = isinstance(error, NetworkError) or (
                    isinstance(error, HTTPStatus) and (error.status >= 500 or error.status == 429))
                if transient and (a.get("extract_attempts") or 0) + 1 < MAX_EXTRACT_ATTEMPTS:
                    store.retry_extraction_later(a["id"], (a.get("extract_attempts") or 0) + 1)
                    report.retry_later += 1
                    continue
                _fallback(store, a, f"page fetch failed: {getattr(error, 'kind', 'error')}: {error}", report)
                continue
            ctype = resp.headers.get("content-type", "")
            if ctype and "html" not in ctype and "xml" not in ctype and "text" not in ctype:
                _fallback(store, a, f"page is not HTML ({ctype.split(';')[0]})", report)
                continue
            result, reason = extract_page(resp.content, resp.final_url)
            if result is None:
                _fallback(store, a, f"extraction failed: {reason}", report)
                continue
            feed_text = _feed_text(a)
            if len(feed_text) > len(result.text):
                # the feed carried more than the extractor found on the page (e.g. a paywall)
                store.save_extraction(a["id"], text=feed_text, method="feed-content",
                                      note="page text shorter than the feed's content",
                                      title=result.title, author=result.author, published=result.date,
                                      site_name=result.site_name)
                report.from_feed += 1
            else:
                store.save_extraction(a["id"], text=result.text, method="trafilatura", title=result.title,
                                      author=result.author, published=result.date, site_name=result.site_name)
                report.from_page += 1
            report.extracted += 1
    return report


def _fallback(store: Store, article: dict[str, Any], reason: str, report: ExtractReport) -> None:
    text = _feed_text(article)
    method = "feed-content"
    if not text:
        text = article.get("summary") or ""
        method = "feed-summary"
    if not text:
        text = article.get("title") or ""
        method = "title-only"
    store.save_extraction(article["id"], text=text, method=method, note=reason)
    report.extracted += 1
    report.fallbacks += 1


def _decode_text(raw: bytes) -> str:
    """A local text file's text: UTF-8 (with or without BOM), else Windows-1252, else Latin-1."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def ingest_files(store: Store, paths: list[Path], source: str) -> list[tuple[Path, int | None, str]]:
    """Add local HTML or text files as articles of ``source``. Returns (path, id or None, note).

    Text files: the first non-empty line is the headline, the rest the body. HTML files go
    through the same extractor as fetched pages. A file already ingested is not stored twice.
    """
    sid = store.source_id(source)
    out: list[tuple[Path, int | None, str]] = []
    for path in paths:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            out.append((path, None, f"cannot read: {exc.strerror or exc}"))
            continue
        reason = not_text_reason(raw)
        if reason:
            out.append((path, None, f"{reason}, refused"))
            continue
        url = path.resolve().as_uri()
        is_html = path.suffix.lower() in (".html", ".htm", ".xhtml") or raw[:300].lstrip().lower().startswith(
            (b"<!doctype html", b"<html"))
        if is_html:
            result, reason = extract_page(raw, url)
            if result is None:
                out.append((path, None, f"no article text: {reason}"))
                continue
            title, text, author, date, method = result.title, result.text, result.author, result.date, "trafilatura"
        else:
            body = _decode_text(raw).replace("\r\n", "\n").strip()
            if not body:
                out.append((path, None, "empty file"))
                continue
            first, _, rest = body.partition("\n")
            title, text, author, date, method = first.strip(), rest.strip() or first.strip(), None, None, "ingest"
        # the row and its text in one transaction: a kill between the two used to leave a
        # file:// article pending, which extraction then refused and reduced to its title
        with store.transaction():
            ids = store.add_articles([NewArticle(url=url, source_id=sid, title=title,
                                                 author=author, published=date)])
            if ids:
                store.save_extraction(ids[0], text=text, method=method,
                                      note=f"ingested from {path.name}")
        if not ids:
            out.append((path, None, "already stored"))
            continue
        out.append((path, ids[0], f"{len(text):,} characters"))
    return out
