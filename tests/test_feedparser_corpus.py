"""Replay feedparser's own test corpus (2,000+ small, often deliberately broken feeds) through the
parse-and-store layer: ``feeds.parse_feed`` and ``ingest.stage.save_poll`` into a temporary store,
the same path a poll takes after the network.

The claim is not that every feed yields articles (many have no entries, or no links), but that
nothing crashes and every feed ends in exactly one of: articles stored, parsed with nothing
usable, or rejected with a recorded reason (a ``fetch_errors`` row). Skipped when the dataset is
absent (../shared/datasets/feedparser-tests, see its README).
"""

from __future__ import annotations

import re
import time
import zlib
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newswatch.config import FeedConfig
from newswatch.errors import FeedError
from newswatch.ingest.feeds import parse_feed
from newswatch.ingest.fetch import Response, _Inflater
from newswatch.ingest.stage import FetchReport, save_poll
from newswatch.store import Store

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "datasets" / "feedparser-tests"
HEADER = re.compile(rb"^\s*Header:\s*([A-Za-z0-9-]+):\s*(.*?)\s*$", re.M)
CAP = 10 * 1024 * 1024

pytestmark = [pytest.mark.dataset]


def corpus_files() -> list[Path]:
    return sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.suffix in (".xml", ".gz", ".z"))


def response_headers(path: Path, body: bytes) -> dict[str, str]:
    """What a local server would send with the file: the ``Header:`` lines of its leading comment
    (only files under http/ paths carry them), else application/xml as for any .xml file, and
    Content-Encoding from the extension, as the README says."""
    headers: dict[str, str] = {}
    if "http" in path.parts or "http" in path.as_posix():
        for name, value in HEADER.findall(body[:4000]):
            if name.lower() != b"status":
                headers[name.decode("ascii").lower()] = value.decode("latin-1")
    # a server sends a Content-Type; without one feedparser flags every file NonXMLContentType
    headers.setdefault("content-type", "application/xml")
    if path.suffix == ".gz":
        headers["content-encoding"] = "gzip"
    elif path.suffix == ".z":
        headers["content-encoding"] = "deflate"
    return headers


def decode(body: bytes, headers: dict[str, str]) -> bytes:
    """What fetch.py would hand over for this body (its own bounded inflater)."""
    coding = headers.get("content-encoding")
    if not coding:
        return body
    inflater = _Inflater(coding)
    return inflater.feed(body, CAP) + inflater.flush()


def test_feedparser_corpus_parses_and_stores_or_is_rejected_with_a_reason(tmp_path: Path) -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"dataset absent: {CORPUS}")
    files = corpus_files()
    assert len(files) > 2000, len(files)
    base = "http://feedparser.test/"
    urls = {p: base + p.relative_to(CORPUS).as_posix() for p in files}
    outcome: dict[Path, str] = {}
    reasons: Counter[str] = Counter()
    crashes: list[str] = []
    new_total = 0
    started = time.monotonic()
    with Store(tmp_path / "corpus.db") as store:
        store.sync_feeds([FeedConfig(url=urls[p], source="feedparser corpus") for p in files])
        feeds = {r["url"]: r for r in store.db.query("select * from feeds")}
        now = datetime.now(UTC)
        for path in files:
            feed = feeds[urls[path]]
            raw = path.read_bytes()
            headers = response_headers(path, raw)
            report = FetchReport()
            parsed, error = None, None
            try:
                body = decode(raw, headers)
                resp = Response(urls[path], urls[path], 200, headers, body)
                try:
                    parsed = parse_feed(body, urls[path], headers)
                except FeedError as exc:
                    error = exc
            except zlib.error as exc:  # what fetch.py reports as "cannot decode the response"
                resp, error = None, FeedError(f"cannot decode the response: {exc}")
            try:
                new = save_poll(store, feed, resp, parsed, error, now=now, report=report)
            except Exception as exc:  # noqa: BLE001 - collected, the assertion below names them
                crashes.append(f"{path.relative_to(CORPUS)}: {type(exc).__name__}: {exc}")
                continue
            if error is not None:
                outcome[path] = "rejected"
                reasons[str(error).split(" (")[0].split(":")[0]] += 1
            elif parsed is not None and parsed.entries:
                outcome[path] = "stored"
                new_total += len(new)
            elif parsed is not None and parsed.skipped:
                outcome[path] = "entries without links"  # parsed; nothing an article can point to
            else:
                outcome[path] = "no entries"  # a valid feed, or a 304
        elapsed = time.monotonic() - started
        errors = {r["feed_id"]: r for r in store.db.query("select * from fetch_errors where kind = 'parse'")}
        integrity = store.db.execute("pragma integrity_check").fetchone()[0]
        articles = store.count("articles")
        distinct = store.db.execute("select count(distinct url) from articles").fetchone()[0]
        with_entries = {r["feed_id"] for r in store.db.query("select distinct feed_id from feed_articles")}

    counts = Counter(outcome.values())
    print(f"\nfeedparser corpus: {len(files)} files in {elapsed:.1f}s: {dict(counts)}; "
          f"{articles} distinct articles; rejections: {dict(reasons)}")
    assert not crashes, crashes[:10]
    assert sum(counts.values()) == len(files)
    assert integrity == "ok"
    assert articles == distinct  # canonical URLs unique: entries shared between files stored once
    # every rejected feed has its reason on record, and only those
    rejected_ids = {feeds[urls[p]]["id"] for p, o in outcome.items() if o == "rejected"}
    assert rejected_ids == set(errors), "rejections without a fetch_errors row (or the reverse)"
    assert all(errors[i]["message"] for i in rejected_ids)
    # every feed whose entries parsed is linked to its stored articles
    stored_ids = {feeds[urls[p]]["id"] for p, o in outcome.items() if o == "stored"}
    assert stored_ids == with_entries
    assert new_total == articles
    # most cases test channel and entry elements without any <link>; those parse and have
    # nothing to store, which is not an error
    assert counts["stored"] >= 50
    assert counts["rejected"] < len(files) // 20
    rejected_wellformed = [p for p, o in outcome.items() if o == "rejected" and p.parts[len(CORPUS.parts)] == "wellformed"]
    print("rejected wellformed:", [str(p.relative_to(CORPUS)) for p in rejected_wellformed])
