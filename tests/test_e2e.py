"""End to end: the real CLI fetches the bundled sample from a server on 127.0.0.1.

The sample's pages wrap each article in navigation, a cookie banner, a related-stories sidebar
with other numbers, a newsletter box and a footer; none of that may reach the stored text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newswatch.cli import main
from newswatch.sample_server import FURNITURE_MARKERS, SampleServer, load_manifest
from newswatch.store import Store

SEEDS = Path(__file__).parent / "fixtures" / "seeds"


def cli(config: Path, *args: str) -> Any:
    result = CliRunner().invoke(main, ["--config", str(config), *args], catch_exceptions=False)
    return result


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("e2e")
    with SampleServer() as server:
        config = server.write_config(tmp / "feeds.yaml", tmp / "news.db")
        first = cli(config, "run", "--once")
        assert first.exit_code == 0, first.output
        yield {"server": server, "config": config, "db": tmp / "news.db", "first": first}


def _articles(db: Path) -> list[dict[str, Any]]:
    with Store(db) as store:
        return list(store.db.query(
            "select articles.*, sources.name as source from articles join sources on sources.id = source_id"))


def _manifest_articles() -> list[dict[str, Any]]:
    return load_manifest()["articles"]


def test_every_sample_article_stored_once_with_text(sample: dict[str, Any]) -> None:
    rows = _articles(sample["db"])
    expected = _manifest_articles()
    assert len(rows) == len(expected)
    assert len({r["url"] for r in rows}) == len(rows)
    assert all("utm_" not in r["url"] for r in rows)
    by_title = {r["title"]: r for r in rows}
    for art in expected:
        row = by_title.get(art["title"])
        assert row is not None, art["title"]
        assert row["extract_method"] in ("trafilatura", "feed-content"), (art["slug"], row["extract_note"])
        assert len(row["text"]) > 500, art["slug"]


def test_stored_text_is_the_body_without_furniture(sample: dict[str, Any]) -> None:
    rows = _articles(sample["db"])
    for row in rows:
        for marker in FURNITURE_MARKERS:
            assert marker not in row["text"], (row["title"], marker)


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + 4]) for i in range(len(words) - 3)}


@pytest.mark.parametrize("seed", sorted(p.name for p in SEEDS.glob("*.txt")))
def test_seed_body_survives_extraction(sample: dict[str, Any], seed: str) -> None:
    """Each seed's body is in its stored text: nearly all of its 4-word shingles, and every
    sentence with a number that the claims stage will need."""
    body = (SEEDS / seed).read_text(encoding="utf-8").split("\n", 1)[1]
    art = next(a for a in _manifest_articles() if a["text_file"] == seed)
    row = next(r for r in _articles(sample["db"]) if r["title"] == art["title"])
    stored = _shingles(row["text"])
    wanted = _shingles(body)
    coverage = len(wanted & stored) / len(wanted)
    assert coverage > 0.85, f"{seed}: only {coverage:.0%} of the body was kept"
    for needle in ("220,000", "300", "Colossus"):
        if needle in body:
            assert needle in row["text"], (seed, needle)


def test_second_run_gets_304_and_adds_nothing(sample: dict[str, Any]) -> None:
    server = sample["server"]
    before = len(_articles(sample["db"]))
    mark = len(server.request_log())
    second = cli(sample["config"], "run", "--once", "--all")
    assert second.exit_code == 0, second.output
    feed_paths = {f["url"].split(server.base_url, 1)[1] for f in server.feeds()}
    new_requests = server.request_log()[mark:]
    statuses = {path: status for _, path, status in new_requests if path in feed_paths}
    assert statuses and set(statuses.values()) == {304}, statuses
    assert not [p for _, p, _ in new_requests if p not in feed_paths and p != "/robots.txt"]
    assert len(_articles(sample["db"])) == before
    assert "not_modified" in second.output


def test_failing_feeds_do_not_stop_the_others(tmp_path: Path) -> None:
    with SampleServer() as server:
        config = server.write_config(tmp_path / "feeds.yaml", tmp_path / "news.db")
        feeds = server.feeds()
        broken, garbage = feeds[0], feeds[1]
        server.set_route(broken["url"].split(server.base_url, 1)[1], status=500, body=b"oops")
        server.set_route(garbage["url"].split(server.base_url, 1)[1], status=200,
                         body=b"\x00\xffthis is not xml at all", headers={"Content-Type": "application/rss+xml"})
        result = cli(config, "fetch")
        assert result.exit_code == 0, result.output
        with Store(tmp_path / "news.db") as store:
            errors = {r["url"]: r for r in store.db["fetch_errors"].rows}
            assert errors[broken["url"]]["kind"] == "http" and errors[broken["url"]]["status"] == 500
            assert errors[garbage["url"]]["kind"] == "parse"
            failing = {r["url"] for r in store.db.query("select url from feeds where consecutive_errors > 0")}
            assert failing == {broken["url"], garbage["url"]}
            stored_feeds = {r["feed_id"] for r in store.db["feed_articles"].rows}
            healthy = {r["id"] for r in store.db.query("select id from feeds where consecutive_errors = 0")}
            assert healthy and healthy <= stored_feeds


def test_all_feeds_failing_is_an_error(tmp_path: Path) -> None:
    with SampleServer() as server:
        config = server.write_config(tmp_path / "feeds.yaml", tmp_path / "news.db")
        for f in server.feeds():
            server.set_route(f["url"].split(server.base_url, 1)[1], status=503, body=b"")
        result = CliRunner().invoke(main, ["--config", str(config), "run", "--once"])
        assert result.exit_code == 1
        assert "feeds failed" in result.output


def test_private_addresses_refused_without_allow_private(tmp_path: Path) -> None:
    with SampleServer() as server:
        config = server.write_config(tmp_path / "feeds.yaml", tmp_path / "news.db")
        config.write_text(config.read_text().replace("allow_private: true", "allow_private: false"))
        result = CliRunner().invoke(main, ["--config", str(config), "fetch"])
        assert result.exit_code == 1
        assert server.request_log() == []
        with Store(tmp_path / "news.db") as store:
            kinds = {r["kind"] for r in store.db["fetch_errors"].rows}
            assert kinds == {"blocked"}


def test_demo_prints_articles_with_outlets_and_lengths() -> None:
    result = CliRunner().invoke(main, ["demo"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    expected = _manifest_articles()
    assert f"{len(expected)} articles stored" in result.output
    for outlet in {o["name"] for o in load_manifest()["outlets"]}:
        assert outlet[:24] in result.output
    assert re.search(r"\d[\d,]* chars", result.output)
    # it ends with the sample's digest and how to browse the result
    digest = result.output[result.output.index("# newswatch digest for "):]
    assert "## Numbers that disagree" in digest and "## Reliability changes" in digest
    from newswatch.claims.frames import extract_claims

    if extract_claims("Colossus 1 has over 220,000 GPUs.")[0].entity:  # claims are grouped by their frames
        assert re.search(r"- \*\*Side 2: .+\*\*", digest)
    assert "serve --open" in result.output.splitlines()[-1]


def test_page_failures_fall_back_to_the_feed_and_say_why(tmp_path: Path) -> None:
    """A dead page (404) and a page with no article text keep the feed's summary, with the reason."""
    with SampleServer() as server:
        config = server.write_config(tmp_path / "feeds.yaml", tmp_path / "news.db")
        paged = [a for a in _manifest_articles() if not _full_content(a)]
        dead, empty = paged[0], paged[1]
        server.set_route(server.article_url(dead["slug"]).split(server.base_url, 1)[1], status=404, body=b"gone")
        server.set_route(server.article_url(empty["slug"]).split(server.base_url, 1)[1], status=200,
                         body=b"<html><body><nav>Home</nav></body></html>", headers={"Content-Type": "text/html"})
        assert cli(config, "run", "--once").exit_code == 0
        rows = {r["title"]: r for r in _articles(tmp_path / "news.db")}
        for art, reason in ((dead, "page fetch failed: http"), (empty, "extraction failed")):
            row = rows[art["title"]]
            assert row["extract_method"] == "feed-summary", row
            assert row["extract_note"].startswith(reason), row["extract_note"]
            assert row["text"] and row["text"] in art["summary"] + " " + art["body"]
        with Store(tmp_path / "news.db") as store:
            assert store.db.execute("select count(*) from fetch_errors where status = 404").fetchone()[0] == 1


def _full_content(article: dict[str, Any]) -> bool:
    outlets = {o["slug"]: o for o in load_manifest()["outlets"]}
    feeds = {f["slug"]: f for f in outlets[article["outlet"]]["feeds"]}
    return any(feeds[f].get("full_content") for f in article["feeds"])
