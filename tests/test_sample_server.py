"""The bundled sample and its fixture server: what the end-to-end tests and the demo stand on.

If these fail, every later end-to-end result is suspect, so they check the corpus itself (events,
outlets, deliberate errors, syndicated copy) as well as the HTTP behaviour (feeds that parse,
pages that carry both the article and the furniture, conditional GET, overrides).
"""

from __future__ import annotations

import difflib
import html
import importlib.resources
import io
import re
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from collections import Counter, defaultdict
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path

import feedparser
import pytest
import yaml

from newswatch.sample_server import (
    FURNITURE_MARKERS,
    SAMPLE_DIR,
    SIDEBAR_HEADLINES,
    TEMPLATE_MARKERS,
    SampleServer,
    load_manifest,
    text_to_blocks,
)

REPO = Path(__file__).resolve().parents[1]
FIXTURE_SEEDS = REPO / "tests" / "fixtures" / "seeds"
SHARED_SEEDS = REPO.parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def server():
    with SampleServer() as running:
        yield running


@pytest.fixture(scope="module")
def manifest():
    return load_manifest()


def fetch(url: str, headers: dict | None = None, method: str = "GET") -> tuple[int, dict, bytes]:
    """Plain urllib so these tests do not depend on the product's own HTTP client."""
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def articles_in(manifest: dict, outlet: str, feed: str) -> list[dict]:
    return [a for a in manifest["articles"] if a["outlet"] == outlet and feed in a["feeds"]]


# --- the corpus ------------------------------------------------------------------------------


def test_every_text_file_exists_and_references_resolve():
    raw = yaml.safe_load((SAMPLE_DIR / "manifest.yaml").read_text(encoding="utf-8"))
    outlets = {o["slug"]: o for o in raw["outlets"]}
    for article in raw["articles"]:
        assert (SAMPLE_DIR / "texts" / article["text_file"]).is_file(), article["slug"]
        assert article["outlet"] in outlets, article["slug"]
        feed_slugs = {f["slug"] for f in outlets[article["outlet"]]["feeds"]}
        assert article["feeds"] and set(article["feeds"]) <= feed_slugs, article["slug"]
        assert article["event"] in raw["events"], article["slug"]
        assert "errors" in article and isinstance(article["errors"], list), article["slug"]
        if article["published"] is not None:
            assert re.fullmatch(r"2026-\d\d-\d\dT\d\d:\d\d:\d\dZ", article["published"]), article["slug"]
    for outlet in raw["outlets"]:
        for feed in outlet["feeds"]:
            assert feed["format"] in ("rss", "atom")
            assert isinstance(feed["full_content"], bool)
            assert articles_in({"articles": raw["articles"]}, outlet["slug"], feed["slug"]), (
                f"feed {outlet['slug']}/{feed['slug']} would be empty"
            )
    unused = {p.name for p in (SAMPLE_DIR / "texts").glob("*.txt")} - {a["text_file"] for a in raw["articles"]}
    assert not unused, f"text files not in the manifest: {unused}"


def test_seeds_are_unchanged_copies(manifest):
    seeds = [a for a in manifest["articles"] if a["seed"]]
    assert len(seeds) == 5
    assert {a["event"] for a in seeds} == {"colossus-anthropic"}
    assert len({a["outlet"] for a in seeds}) == 5
    fixture_files = sorted(p.name for p in FIXTURE_SEEDS.glob("*.txt"))
    assert fixture_files == sorted(a["text_file"] for a in seeds)
    for name in fixture_files:
        assert (FIXTURE_SEEDS / name).read_bytes() == (SAMPLE_DIR / "texts" / name).read_bytes()
        if SHARED_SEEDS.is_dir():
            assert (SHARED_SEEDS / name).read_bytes() == (FIXTURE_SEEDS / name).read_bytes()


def test_own_events_are_big_enough(manifest):
    own = [a for a in manifest["articles"] if not a["seed"]]
    assert len(own) >= 14
    by_event = defaultdict(list)
    for article in own:
        by_event[article["event"]].append(article)
    assert "colossus-anthropic" not in by_event
    assert len(by_event) >= 4
    for event, articles in by_event.items():
        assert len(articles) >= 3, event
        assert len({a["outlet"] for a in articles}) >= 3, f"{event} needs several outlets"


def test_own_articles_follow_the_text_format(manifest):
    for article in manifest["articles"]:
        if article["seed"]:
            continue
        lines = article["text"].splitlines()
        assert lines[0] == article["title"], article["slug"]
        assert lines[1] == "", article["slug"]
        words = len(article["body"].split())
        assert 250 <= words <= 700, f"{article['slug']}: {words} words"
        assert len(article["paragraphs"]) >= 5, article["slug"]
        assert all(block["kind"] == "p" for block in article["blocks"]), article["slug"]


def test_two_events_of_the_same_kind_in_one_week(manifest):
    kinds = defaultdict(list)
    for key, event in manifest["events"].items():
        dates = [
            datetime.fromisoformat(a["published"].replace("Z", "+00:00"))
            for a in manifest["articles"] if a["event"] == key and a["published"]
        ]
        kinds[event["kind"]].append((key, min(dates)))
    pairs = [
        (a, b) for events in kinds.values() for i, a in enumerate(events) for b in events[i + 1:]
        if abs((a[1] - b[1]).days) <= 7
    ]
    assert pairs, "need two events of one kind in the same week"


def test_deliberate_errors_are_in_the_texts(manifest):
    """Each error names the wrong figure (in its article) and the right one (in another outlet's)."""
    own_errors = [a for a in manifest["articles"] if a["errors"] and not a["seed"]]
    assert len(own_errors) >= 3
    assert any(a["event"] == "rackline-q1-earnings" for a in manifest["articles"])
    assert not any(a["errors"] for a in manifest["articles"] if a["event"] == "rackline-q1-earnings")
    checked = 0
    for article in manifest["articles"]:
        for error in article["errors"]:
            if " where other outlets say " not in error:
                continue
            before, after = error.split(" where other outlets say ", 1)
            wrong = re.search(r'"([^"]+)"', before).group(1)
            right = re.search(r'"([^"]+)"', after).group(1)
            assert wrong in article["body"], (article["slug"], wrong)
            others = [
                a for a in manifest["articles"]
                if a["event"] == article["event"] and a["outlet"] != article["outlet"]
            ]
            assert any(right in a["body"] for a in others), (article["slug"], right)
            assert not any(wrong in a["body"] for a in others), (article["slug"], wrong)
            checked += 1
    assert checked >= 6


def test_syndicated_pair_is_a_near_duplicate_from_two_outlets(manifest):
    groups = defaultdict(list)
    for article in manifest["articles"]:
        if article.get("syndication"):
            groups[article["syndication"]].append(article)
    assert groups
    for members in groups.values():
        assert len(members) >= 2
        assert len({a["outlet"] for a in members}) == len(members)
        first, second = members[0]["body"], members[1]["body"]
        assert first != second, "syndicated copies should carry small edits"
        assert difflib.SequenceMatcher(None, first, second).ratio() > 0.9


def test_one_outlet_has_two_feeds_sharing_an_article(manifest):
    shared = [
        a for a in manifest["articles"]
        if len(a["feeds"]) >= 2
    ]
    assert shared
    outlet = next(o for o in manifest["outlets"] if o["slug"] == shared[0]["outlet"])
    assert len(outlet["feeds"]) >= 2


def test_sample_variety(manifest):
    formats = Counter(f["format"] for o in manifest["outlets"] for f in o["feeds"])
    assert formats["rss"] and formats["atom"]
    assert {o["template"] for o in manifest["outlets"]} == set(TEMPLATE_MARKERS)
    assert any(f["full_content"] for o in manifest["outlets"] for f in o["feeds"])
    assert any(not f["full_content"] for o in manifest["outlets"] for f in o["feeds"])
    assert sum(a["tracking_params"] for a in manifest["articles"]) >= 2
    assert any(a["published"] is None for a in manifest["articles"] if not a["seed"])


def test_furniture_never_occurs_in_article_texts(manifest):
    """Otherwise "no furniture in stored text" could fail for the corpus's own words."""
    assert "We use cookies" in FURNITURE_MARKERS
    assert set(SIDEBAR_HEADLINES) <= set(FURNITURE_MARKERS)
    for article in manifest["articles"]:
        for marker in FURNITURE_MARKERS:
            assert marker not in article["text"], (article["slug"], marker)
            assert marker not in article["title"], (article["slug"], marker)


def test_text_to_blocks_recognises_lists_tables_and_headings():
    blocks = text_to_blocks(
        "Why This Matters\nA sentence.\n- one\n- two\n| Metric | Value |\n|---|---|\n| Power | 300+ MW |\nEnd."
    )
    assert [b["kind"] for b in blocks] == ["h2", "p", "ul", "table", "p"]
    assert blocks[2]["items"] == ["one", "two"]
    assert blocks[3]["header"] == ["Metric", "Value"] and blocks[3]["rows"] == [["Power", "300+ MW"]]


def test_sample_is_package_data():
    """An installed newswatch must find its sample without the source tree."""
    root = importlib.resources.files("newswatch") / "sample"
    assert (root / "manifest.yaml").is_file()
    assert (root / "templates" / "classic.html.j2").is_file()
    assert (root / "texts" / "000_0f09f7e659b21d55.txt").is_file()
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert '"sample/**/*"' in pyproject


# --- the server ------------------------------------------------------------------------------


def test_starts_on_a_free_loopback_port(server):
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", server.base_url)
    assert server.port != 0
    status, headers, body = fetch(server.base_url + "/robots.txt")
    assert status == 200 and headers["Content-Type"].startswith("text/plain")
    assert b"Allow: /" in body


def test_feeds_list_every_outlet_feed(server, manifest):
    feeds = server.feeds()
    assert len(feeds) == sum(len(o["feeds"]) for o in manifest["outlets"])
    assert len({f["url"] for f in feeds}) == len(feeds)
    assert {f["source"] for f in feeds} == {o["name"] for o in manifest["outlets"]}
    assert all(f["interval"] == "30m" and f["url"].startswith(server.base_url) for f in feeds)


def test_every_feed_parses_with_the_expected_entries(server, manifest):
    for outlet in manifest["outlets"]:
        for feed in outlet["feeds"]:
            url = server.feed_url(outlet["slug"], feed["slug"])
            status, headers, body = fetch(url)
            assert status == 200
            expected_type = "application/rss+xml" if feed["format"] == "rss" else "application/atom+xml"
            assert headers["Content-Type"] == f"{expected_type}; charset=utf-8"
            parsed = feedparser.parse(io.BytesIO(body))
            assert not parsed.bozo, (url, parsed.get("bozo_exception"))
            assert parsed.version == ("rss20" if feed["format"] == "rss" else "atom10")
            expected = {a["slug"]: a for a in articles_in(manifest, outlet["slug"], feed["slug"])}
            assert len(parsed.entries) == len(expected), url
            for entry in parsed.entries:
                article = next(a for a in expected.values() if entry.title == a["title"])
                canonical = server.base_url + article["path"]
                assert entry.id
                assert entry.link.split("?")[0] == canonical
                assert ("utm_source=rss" in entry.link) == article["tracking_params"]
                assert entry.summary and entry.summary in article["summary"]
                assert ("published_parsed" in entry) == (article["published"] is not None)
                if feed["full_content"]:
                    content = html.unescape(entry.content[0].value)
                    assert article["paragraphs"][-1].lstrip("-• ") in content
                    assert not any(marker in content for marker in FURNITURE_MARKERS)
                else:
                    assert "content" not in entry


def test_an_article_in_two_feeds_has_one_link(server, manifest):
    shared = [a for a in manifest["articles"] if len(a["feeds"]) >= 2]
    for article in shared:
        links = []
        for feed_slug in article["feeds"]:
            _, _, body = fetch(server.feed_url(article["outlet"], feed_slug))
            parsed = feedparser.parse(io.BytesIO(body))
            links += [e.link for e in parsed.entries if e.title == article["title"]]
        assert len(links) == len(article["feeds"]) and len(set(links)) == 1
    assert len(server.article_urls()) == len(set(server.article_urls())) == len(manifest["articles"])


def test_pages_carry_the_article_and_the_furniture(server, manifest):
    for article in manifest["articles"]:
        url = server.article_url(article["slug"])
        status, headers, body = fetch(url)
        assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
        page = body.decode("utf-8")
        text = html.unescape(page)
        template = next(o["template"] for o in manifest["outlets"] if o["slug"] == article["outlet"])
        for marker in TEMPLATE_MARKERS[template]:
            assert marker in text, (article["slug"], marker)
        assert sum(headline in text for headline in SIDEBAR_HEADLINES) == 5
        assert re.search(r"<header[ >]", page) and "<nav" in page and "<footer" in page
        assert re.search(r"<aside[^>]*>", page) and "<article" in page
        assert f'<link rel="canonical" href="{url}">' in page
        assert 'property="og:title"' in page and 'property="og:url"' in page
        assert html.unescape(re.search(r"<h1[^>]*>(.*?)</h1>", page).group(1)) == article["title"]
        if article["published"]:
            assert re.search(rf'<time[^>]* datetime="{article["published"]}"', page)
        else:
            assert "<time" not in page
        for block in article["blocks"]:
            pieces = block.get("items") or ([block["text"]] if "text" in block else sum(block["rows"], []))
            for piece in pieces:
                assert piece in text, (article["slug"], piece[:60])


def test_tracking_parameters_do_not_change_the_page(server, manifest):
    article = next(a for a in manifest["articles"] if a["tracking_params"])
    url = server.article_url(article["slug"])
    plain = fetch(url)
    tracked = fetch(url + "?utm_source=rss&utm_medium=feed")
    assert plain[0] == tracked[0] == 200 and plain[2] == tracked[2]


def test_conditional_get(server):
    url = server.feed_url("datacenter-pulse", "news")
    status, headers, body = fetch(url)
    etag, last_modified = headers["ETag"], headers["Last-Modified"]
    assert status == 200 and body
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag), "strong ETag expected"
    parsedate_to_datetime(last_modified)
    status, headers, body = fetch(url, {"If-None-Match": etag})
    assert status == 304 and body == b"" and headers["ETag"] == etag
    status, _, body = fetch(url, {"If-None-Match": '"someone-else", ' + etag})
    assert status == 304 and body == b""
    assert fetch(url, {"If-None-Match": '"stale"'})[0] == 200
    assert fetch(url, {"If-Modified-Since": last_modified})[0] == 304
    earlier = format_datetime(datetime(2026, 1, 1).astimezone(), usegmt=False)
    assert fetch(url, {"If-Modified-Since": earlier})[0] == 200
    # If-None-Match wins over If-Modified-Since.
    assert fetch(url, {"If-None-Match": '"stale"', "If-Modified-Since": last_modified})[0] == 200
    page = server.article_urls()[0]
    _, page_headers, _ = fetch(page)
    assert fetch(page, {"If-None-Match": page_headers["ETag"]})[0] == 304
    assert page_headers["ETag"] != etag


def test_head_and_404(server):
    url = server.article_urls()[0]
    status, headers, body = fetch(url, method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 1000
    assert fetch(server.base_url + "/no/such/page")[0] == 404


def test_set_route_and_request_log(server):
    feed = server.feed_url("silicon-ledger", "main")
    path = feed[len(server.base_url):]
    try:
        server.set_route(path, status=500, body=b"boom")
        status, _, body = fetch(feed)
        assert status == 500 and body == b"boom"
        server.set_route(feed, body=b"<<<not a feed at all")
        status, headers, body = fetch(feed)
        assert status == 200 and body == b"<<<not a feed at all"
        assert headers["Content-Type"].startswith("application/rss+xml")
        server.set_route("/extra/feed.xml", body=b"<rss/>", headers={"Content-Type": "text/xml", "X-Test": "1"})
        status, headers, body = fetch(server.base_url + "/extra/feed.xml")
        assert status == 200 and headers["Content-Type"] == "text/xml" and headers["X-Test"] == "1"
        server.set_route("/moved", status=301, headers={"Location": feed})
        assert fetch(server.base_url + "/moved")[0] == 200  # urllib follows to the feed
    finally:
        server.clear_route(path)
        server.clear_route("/moved")
    status, _, body = fetch(feed)
    assert status == 200 and feedparser.parse(io.BytesIO(body)).entries
    log = server.request_log()
    assert ("GET", path, 500) in log
    assert ("GET", "/extra/feed.xml", 200) in log
    assert ("GET", "/moved", 301) in log
    assert log[-1] == ("GET", path, 200)


def test_write_config(server, tmp_path):
    written = server.write_config(tmp_path / "conf" / "feeds.yaml", tmp_path / "news.db")
    assert written == tmp_path / "conf" / "feeds.yaml"
    config = yaml.safe_load(written.read_text(encoding="utf-8"))
    assert config["database"] == str(tmp_path / "news.db")
    assert config["fetch"] == {"allow_private": True}
    assert config["feeds"] == server.feeds()


def test_stop_releases_the_port_and_logging_is_quiet(capfd):
    running = SampleServer().start()
    base = running.base_url
    fetch(base + "/robots.txt")
    fetch(base + "/missing")
    running.stop()
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(base + "/robots.txt", timeout=2)
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""
    with pytest.raises(RuntimeError):
        _ = running.base_url


def test_module_serves_until_interrupted():
    process = subprocess.Popen(
        [sys.executable, "-m", "newswatch.sample_server", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        first = process.stdout.readline()
        assert first.startswith("Serving the newswatch sample at http://127.0.0.1:")
        feed_line = process.stdout.readline().strip()
        url = feed_line.split()[0]
        assert fetch(url)[0] == 200
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=10)
    assert process.returncode == 0, err
    assert "Traceback" not in err
