"""Politeness: robots.txt for article pages, and a minimum delay between requests to one host."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from newswatch import pipeline
from newswatch.config import FetchConfig, parse_config
from newswatch.errors import NetworkError, RobotsDisallowed, RobotsUnavailable
from newswatch.ingest.fetch import Fetcher
from newswatch.ingest.robots import ROBOTS_TTL, UNREACHABLE_TTL, RobotsCache, rules_from_answer
from newswatch.store import Store

sys.path.insert(0, str(Path(__file__).parent))
from hostile_server import HostileServer  # noqa: E402

# --- robots.txt rules ----------------------------------------------------------------------------


def test_rules_for_each_kind_of_answer() -> None:
    ok = rules_from_answer(200, b"User-agent: *\nDisallow: /private/\n", None, now=0)
    assert ok.allows("https://x.example/news/1") and not ok.allows("https://x.example/private/1")
    assert ok.expires == ROBOTS_TTL
    for status in (404, 401, 403, 410):  # RFC 9309: "unavailable" means no rules
        assert rules_from_answer(status, b"", None, now=0).allows("https://x.example/private/1")
    for status, error in ((500, None), (503, None), (None, "network: timed out")):  # "unreachable"
        rules = rules_from_answer(status, b"", error, now=0)
        assert not rules.allows("https://x.example/news/1")
        assert rules.unreachable and rules.expires == UNREACHABLE_TTL


def test_our_group_is_the_one_that_counts() -> None:
    body = b"User-agent: *\nDisallow: /\n\nUser-agent: newswatch\nAllow: /\nDisallow: /drafts/\n"
    rules = rules_from_answer(200, body, None, now=0)
    assert rules.allows("https://x.example/news/1", "newswatch")
    assert not rules.allows("https://x.example/drafts/1", "newswatch")
    assert not rules.allows("https://x.example/news/1", "otherbot")


def test_cache_per_origin_with_expiry() -> None:
    clock = [1000.0]
    fetched: list[str] = []

    def fetch(url: str) -> tuple[int | None, bytes, str | None]:
        fetched.append(url)
        return (503, b"", None) if "down" in url else (200, b"User-agent: *\nDisallow: /x\n", None)

    cache = RobotsCache(fetch, clock=lambda: clock[0])
    for _ in range(3):
        assert cache.rules("https://a.example/1").allows("https://a.example/1")
    assert fetched == ["https://a.example/robots.txt"]
    cache.rules("http://a.example/1")  # another scheme is another origin
    cache.rules("https://a.example:8443/1")  # so is another port
    assert len(fetched) == 3
    clock[0] += ROBOTS_TTL + 1
    cache.rules("https://a.example/2")
    assert fetched.count("https://a.example/robots.txt") == 2
    cache.rules("https://down.example/1")
    cache.rules("https://down.example/2")
    assert fetched.count("https://down.example/robots.txt") == 1
    clock[0] += UNREACHABLE_TTL + 1  # an unreachable robots.txt is asked again soon
    cache.rules("https://down.example/3")
    assert fetched.count("https://down.example/robots.txt") == 2


# --- robots.txt in the pipeline -------------------------------------------------------------------


def _run(tmp_path: Path, server: HostileServer) -> Store:
    text = (f"database: {tmp_path / 'news.db'}\nfetch:\n  allow_private: true\n  timeout: 2\n  host_delay: 0\n"
            "feeds:\n" + "".join(f"  - url: {u}\n    source: Outlet {i}\n" for i, u in enumerate(server.good_feed_urls())))
    config = parse_config(text, tmp_path / "feeds.yaml")
    store = Store(config.database)
    with Fetcher(config.fetch) as fetcher:
        pipeline.fetch_feeds(store, config, fetcher)
        pipeline.process(store, config, fetcher)
    return store


def test_disallowed_pages_are_not_fetched_and_fall_back_to_the_feed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "STAGES", pipeline.STAGES[:1])  # extract only
    with HostileServer(good_feeds=2, items_per_feed=2) as server:
        # feeds are not subject to robots.txt: disallowing them changes nothing
        server.robots["robots"] = (200, b"User-agent: *\nDisallow: /ok/article-0-\nDisallow: /ok/feed-\n")
        with _run(tmp_path, server) as store:
            rows = {r["url"]: r for r in store.db.query("select * from articles")}
            errors = list(store.db.query("select * from fetch_errors"))
        hits = dict(server.hits)
    assert len(rows) == 4  # both feeds polled
    for i in range(2):
        blocked = rows[server.url(f"/ok/article-0-{i}.html")]
        assert blocked["extract_method"] == "feed-summary"
        assert "robots" in blocked["extract_note"] and "disallowed" in blocked["extract_note"]
        assert hits.get(f"/ok/article-0-{i}.html", 0) == 0  # never requested
        allowed = rows[server.url(f"/ok/article-1-{i}.html")]
        assert allowed["extract_method"] == "trafilatura"
    assert sorted(e["kind"] for e in errors) == ["robots", "robots"]
    assert hits["/robots.txt"] == 1  # fetched once, cached for the host


def test_missing_robots_txt_allows_everything(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "STAGES", pipeline.STAGES[:1])  # extract only
    with HostileServer(good_feeds=1, items_per_feed=2) as server:  # robots.txt answers 404
        with _run(tmp_path, server) as store:
            methods = {r["extract_method"] for r in store.db.query("select * from articles")}
    assert methods == {"trafilatura"}


def test_unreachable_robots_txt_keeps_pages_waiting_then_falls_back(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "STAGES", pipeline.STAGES[:1])  # extract only
    with HostileServer(good_feeds=1, items_per_feed=1) as server:
        server.robots["robots"] = (503, b"busy")
        with _run(tmp_path, server) as store:
            (row,) = store.db.query("select * from articles")
            assert row["extracted_at"] is None and row["extract_attempts"] == 1  # retried on a later run
            (err,) = store.db.query("select * from fetch_errors")
            assert err["kind"] == "robots" and "could not be read" in err["message"]
            config = parse_config("fetch:\n  allow_private: true\n  host_delay: 0\n", tmp_path / "feeds.yaml")
            for _ in range(2):  # each run with a fresh Fetcher asks robots.txt again
                with Fetcher(config.fetch) as fetcher:
                    pipeline.process(store, config, fetcher)
            (row,) = store.db.query("select * from articles")
            assert row["extract_method"] == "feed-summary" and "robots" in row["extract_note"]
        assert server.hits.get("/ok/article-0-0.html", 0) == 0


def test_robots_also_guards_every_redirect_hop() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            body = b"User-agent: *\nDisallow: /\n" if request.url.host == "b.example" else b""
            return httpx.Response(200, content=body)
        if request.url.host == "a.example":
            return httpx.Response(302, headers={"Location": "https://b.example/story"})
        return httpx.Response(200, content=b"<html>page</html>")

    with Fetcher(FetchConfig(allow_private=True, host_delay=0), resolver=_public, transport=httpx.MockTransport(handler)) as f:
        with pytest.raises(RobotsDisallowed, match="b.example/robots.txt"):
            f.get("https://a.example/story", robots=True)
        assert f.get("https://a.example/robots.txt").status == 200  # robots=False by default


# --- per-host delay -------------------------------------------------------------------------------


def _recording_transport(starts: dict[str, list[float]], robots: bytes = b"") -> httpx.MockTransport:
    lock = threading.Lock()

    def handler(request: httpx.Request) -> httpx.Response:
        with lock:
            starts.setdefault(request.url.host, []).append(time.monotonic())
        if request.url.path == "/robots.txt":
            return httpx.Response(200, content=robots)
        return httpx.Response(200, content=b"<html>ok</html>")

    return httpx.MockTransport(handler)


def _public(host: str, port: int) -> list[str]:
    """Mock transports answer any name; resolve it to a public address so the check passes."""
    return ["93.184.216.34"]


def gaps(times: list[float]) -> list[float]:
    times = sorted(times)
    return [b - a for a, b in zip(times, times[1:], strict=False)]


def test_minimum_delay_between_requests_to_one_host() -> None:
    starts: dict[str, list[float]] = {}
    config = FetchConfig(allow_private=True, host_delay=0.25, per_host=4, concurrency=8)
    with Fetcher(config, resolver=_public, transport=_recording_transport(starts)) as f:
        began = time.monotonic()
        threads = [threading.Thread(target=f.get, args=(f"https://news.example/{i}",)) for i in range(4)]
        threads += [threading.Thread(target=f.get, args=(f"https://other.example/{i}",)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert len(starts["news.example"]) == 4
    assert min(gaps(starts["news.example"])) >= 0.24  # even with four concurrent workers
    assert min(starts["other.example"]) - began < 0.2  # other hosts are not held up


def test_crawl_delay_raises_the_hosts_delay_and_loopback_is_exempt() -> None:
    starts: dict[str, list[float]] = {}
    transport = _recording_transport(starts, robots=b"User-agent: *\nCrawl-delay: 0.4\n")
    with Fetcher(FetchConfig(allow_private=True, host_delay=0.05), resolver=_public, transport=transport) as f:
        for i in range(3):
            f.get(f"https://slow.example/{i}", robots=True)
        for i in range(3):
            f.get(f"http://127.0.0.1:9/{i}")
    assert min(gaps(starts["slow.example"])) >= 0.39  # robots.txt, then the pages, 0.4 s apart
    assert max(gaps(starts["127.0.0.1"])) < 0.05  # this machine: no delay


def test_a_stopping_fetcher_sends_nothing_new() -> None:
    starts: dict[str, list[float]] = {}
    with Fetcher(FetchConfig(allow_private=True, host_delay=0), resolver=_public, transport=_recording_transport(starts)) as f:
        f.stopping.set()
        with pytest.raises(NetworkError, match="stopping"):
            f.get("https://news.example/1")
    assert starts == {}


def test_unreachable_robots_is_a_transient_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(500 if request.url.path == "/robots.txt" else 200, content=b"x")

    with Fetcher(FetchConfig(allow_private=True, host_delay=0), resolver=_public, transport=httpx.MockTransport(handler)) as f:
        with pytest.raises(RobotsUnavailable) as info:
            f.get("https://down.example/a", robots=True)
    assert isinstance(info.value, NetworkError) and info.value.kind == "robots"


# --- a slow reply gives its host slot back ---------------------------------------------------------


def test_two_dripping_feeds_do_not_starve_their_host(tmp_path: Path) -> None:
    """Two feeds dripping a byte a second held both of the host's slots for the whole deadline
    (3 x timeout) while thirteen good feeds on the same host waited. A dripped body now fails once
    its average rate is under fetch.min_rate (after the header timeout), freeing the slot early."""
    timeout = 2.0
    with HostileServer(good_feeds=13, items_per_feed=1) as server:
        drips = [server.url("/drip?a"), server.url("/drip?b")]
        feeds = drips + server.good_feed_urls()
        text = (f"database: {tmp_path / 'news.db'}\nfetch:\n  allow_private: true\n  timeout: {timeout}\n"
                "  host_delay: 0\n  per_host: 2\n  concurrency: 8\n"
                "feeds:\n" + "".join(f"  - url: {u}\n    source: Outlet {i}\n" for i, u in enumerate(feeds)))
        config = parse_config(text, tmp_path / "feeds.yaml")
        with Store(config.database) as store, Fetcher(config.fetch) as fetcher:
            started = time.monotonic()
            report = pipeline.fetch_feeds(store, config, fetcher)
            elapsed = time.monotonic() - started
            errors = list(store.db.query("select * from fetch_errors"))
    assert report.new_articles == 13
    assert sorted(e["kind"] for e in errors) == ["network", "network"]
    assert all("min_rate" in e["message"] for e in errors), errors
    # the drips gave their slots back after about one timeout, not the 3 x timeout deadline
    assert elapsed < 2 * timeout, elapsed
