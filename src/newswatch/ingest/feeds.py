"""Turn a feed response into entries: canonical URLs, UTC times, text summaries, full content.

Pure functions over bytes and headers: the network stays in fetch.py. feedparser is given the
body as ``BytesIO`` plus the response headers, never a string or URL, so it cannot go to the
network or the disk on its own, and so it sees the charset the server declared.
"""

from __future__ import annotations

import calendar
import html
import io
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit, urlunsplit

import courlan
import feedparser

from ..errors import FeedError

# Parameters that only say where a click came from. courlan strips utm_* and friends; these
# are the ones it leaves and news sites add.
_TRACKING = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|_hsenc|_hsmi|igshid|yclid|ref|ref_src|"
    r"cmpid|ncid|sr_share|smid|ito|xtor|__twitter_impression|rss|s_cid|at_\w+)$",
    re.I,
)


@dataclass
class Entry:
    url: str  # canonical
    guid: str | None
    title: str | None
    published: str | None  # ISO-8601 UTC
    author: str | None
    summary: str | None  # plain text
    content_html: str | None  # the feed's full content, when it carries one


@dataclass
class ParsedFeed:
    title: str | None
    entries: list[Entry]
    ttl_seconds: int | None = None
    warnings: list[str] = field(default_factory=list)
    skipped: int = 0  # entries without a usable link


def canonical_url(url: str, base: str | None = None) -> str:
    """The identity of an article: absolute, lower-cased host, default port and fragment
    dropped, tracking parameters removed, remaining parameters sorted."""
    url = url.strip()
    if base:
        url = urljoin(base, url)
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ValueError(f"not an absolute http(s) URL: {url!r}")
    try:
        cleaned = courlan.normalize_url(url, strict=False, trailing_slash=True)
    except (ValueError, AttributeError):
        cleaned = url
    parts = urlsplit(cleaned)
    query = "&".join(
        sorted(p for p in parts.query.split("&") if p and not _TRACKING.match(p.split("=", 1)[0]))
    )
    path = parts.path or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, query, ""))


def _time(struct: object) -> str | None:
    """feedparser's *_parsed tuples are UTC: calendar.timegm, never time.mktime."""
    if not struct:
        return None
    try:
        ts = calendar.timegm(struct)  # type: ignore[arg-type]
        dt = datetime.fromtimestamp(ts, UTC)
    except (TypeError, ValueError, OverflowError):
        return None
    if dt.year < 1990 or dt.year > 2100:
        return None
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


_TAG = re.compile(r"<[^>]+>")
_WS = re.compile(r"\s+")


def html_to_text(fragment: str | None) -> str | None:
    """A summary's HTML as one line of plain text."""
    if not fragment:
        return None
    text = _WS.sub(" ", html.unescape(_TAG.sub(" ", fragment))).strip()
    return text or None


def parse_feed(body: bytes, url: str, headers: dict[str, str] | None = None) -> ParsedFeed:
    """Parse a feed body. Raises FeedError when nothing usable is in it.

    ``bozo`` is only a warning: many real feeds declare the wrong encoding or have a stray
    entity yet parse fine. It becomes an error only when no entry could be read.
    """
    hdrs = {k.lower(): v for k, v in (headers or {}).items()}
    hdrs["content-location"] = url
    try:
        parsed = feedparser.parse(io.BytesIO(body), response_headers=hdrs, resolve_relative_uris=True,
                                  sanitize_html=True)
    except Exception as exc:  # noqa: BLE001 - feedparser on hostile input: any failure is a parse error
        raise FeedError(f"feed parser failed: {type(exc).__name__}: {exc}") from None
    warnings = []
    if parsed.get("bozo"):
        exc = parsed.get("bozo_exception")
        warnings.append(f"{type(exc).__name__}: {exc}"[:300])
    if not parsed.entries:
        if not body.strip():
            raise FeedError("empty body")
        if parsed.get("version"):
            return ParsedFeed(title=parsed.feed.get("title"), entries=[], warnings=warnings)
        start = body[:200].lstrip().lower()
        if start.startswith((b"<!doctype html", b"<html")):
            raise FeedError("got an HTML page, not a feed")
        raise FeedError("not a feed" + (f" ({warnings[0]})" if warnings else ""))

    entries: list[Entry] = []
    skipped = 0
    try:
        feed_url = canonical_url(url)
    except ValueError:
        feed_url = url
    seen: set[str] = set()
    for e in parsed.entries:
        link = e.get("link") or ""
        if not link:
            for candidate in e.get("links", []):
                if candidate.get("rel") in (None, "alternate") and candidate.get("href"):
                    link = candidate["href"]
                    break
        guid = e.get("id") or None
        if not link and guid and guid.startswith(("http://", "https://")):
            link = guid
        try:
            canon = canonical_url(link, url)
        except ValueError:
            skipped += 1
            continue
        if canon == feed_url:  # feedparser resolves a missing link to the feed itself
            skipped += 1
            continue
        if canon in seen:
            continue
        seen.add(canon)
        content_html = None
        for c in e.get("content", []) or []:
            if c.get("value") and "html" in (c.get("type") or "text/html"):
                if content_html is None or len(c["value"]) > len(content_html):
                    content_html = c["value"]
        summary = html_to_text(e.get("summary"))
        if content_html and summary and html_to_text(content_html) == summary:
            content_html = None  # Atom feeds often repeat the summary as content: not full text
        title = html_to_text(e.get("title"))
        entries.append(Entry(
            url=canon,
            guid=guid,
            title=title,
            published=_time(e.get("published_parsed")) or _time(e.get("updated_parsed")),
            author=html_to_text(e.get("author")),
            summary=summary,
            content_html=content_html,
        ))
    if not entries and warnings:
        raise FeedError(f"broken feed, no usable entry ({warnings[0]})")
    ttl = None
    raw_ttl = parsed.feed.get("ttl")
    if raw_ttl and str(raw_ttl).strip().isdigit():
        ttl = int(str(raw_ttl).strip()) * 60
    return ParsedFeed(title=html_to_text(parsed.feed.get("title")), entries=entries, ttl_seconds=ttl,
                      warnings=warnings, skipped=skipped)
