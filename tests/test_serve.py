"""`newswatch serve`: Datasette over a live store, read-only, with the bundled metadata and
canned queries. Runs the real command in a subprocess on a free loopback port."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest

from newswatch.publish.serve import metadata_for, render_match
from newswatch.store import Store

sys.path.insert(0, str(Path(__file__).parent))
from test_digest import seed  # noqa: E402

SRC = str(Path(__file__).resolve().parents[1] / "src")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, dict[str, int]]]:
    db = tmp_path_factory.mktemp("serve") / "news.db"
    with Store(db) as store:
        ids = seed(store)
    port = free_port()
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.Popen([sys.executable, "-m", "newswatch", "--db", str(db), "serve", "--port", str(port)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/-/versions.json", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"serve did not start: {proc.stdout.read() if proc.stdout else ''}")
            time.sleep(0.3)
        yield base, db, ids
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def rows(base: str, path: str, **params: str) -> list[dict]:
    r = httpx.get(f"{base}/news/{path}.json", params={**params, "_shape": "array"}, timeout=10)
    assert r.status_code == 200, r.text
    return r.json()


def test_home_metadata_and_story_page(served) -> None:
    base, _, ids = served
    home = httpx.get(base + "/", timeout=10).text
    assert "newswatch" in home and "AI-infrastructure news" in home
    page = httpx.get(f"{base}/news", timeout=10).text
    for title in ("Numbers that disagree on a day", "Outlet leaderboard", "A story&#39;s timeline",
                  "Feeds that failed or went quiet", "Claims of one outlet", "Search articles"):
        assert title in page
    story = httpx.get(f"{base}/news/stories/{ids['story']}", timeout=10).text
    assert "&lt;script&gt;" in story and "<script>alert" not in story
    assert "Links from other tables" in story and f"/news/articles?story_id={ids['story']}" in story
    table = httpx.get(f"{base}/news/claims", timeout=10).text
    assert "Canonical unit: W, USD" in table  # column descriptions with units
    versions = httpx.get(f"{base}/-/versions.json", timeout=10).json()
    assert versions["datasette"]["version"].startswith("0.65.")


def test_canned_queries(served) -> None:
    base, _, ids = served
    sides = rows(base, "todays_discrepancies", day="2026-05-14")
    assert {(r["outlet"], r["value_as_written"]) for r in sides} == {
        ("Rack <b>Report</b>", "300 MW"), ("DC Pulse", "300 megawatts"), ("Grid Watch", "40 MW")}
    assert rows(base, "todays_discrepancies", day="2026-05-15") == []
    board = rows(base, "outlet_leaderboard", min_claims="1")
    assert len(board) == 3 and {r["reliability"] for r in board} == {"not scored yet"}
    assert [r["outlet"] for r in rows(base, "story_timeline", story_id=str(ids["story"]))] == [
        "Rack <b>Report</b>", "Grid Watch", "DC Pulse"]
    assert [r["url"] for r in rows(base, "failing_feeds", problem="failed")] == ["https://broken.example/feed"]
    assert [r["value_as_written"] for r in rows(base, "outlet_claims", outlet="Grid Watch")] == ["40 MW"]
    found = rows(base, "search_articles", q="Nevada")
    assert len(found) == 3 and all("\ue000Nevada\ue001" in r["match"] for r in found)
    html = httpx.get(f"{base}/news/search_articles", params={"q": "Nevada"}, timeout=10).text
    assert "<mark>Nevada</mark>" in html and "<script>alert" not in html
    html = httpx.get(f"{base}/news/todays_discrepancies", params={"day": "2026-05-14"}, timeout=10).text
    assert f'<a href="/news/stories/{ids["story"]}">' in html  # ids link to row pages
    assert "<b>Report</b>" not in html
    table = httpx.get(f"{base}/news/articles", params={"_search": "Nevada"}, timeout=10)
    assert table.status_code == 200 and "3 rows" in table.text


def test_writes_are_refused_and_a_writer_does_not_block_reads(served) -> None:
    base, db, ids = served
    for sql in ("delete from stories", "update stories set title = 'x'", "pragma query_only = 0"):
        r = httpx.get(f"{base}/news.json", params={"sql": sql}, timeout=10)
        assert r.status_code == 400 and r.json()["ok"] is False
    with Store(db) as store:
        assert store.count("stories") == 2
        store.db.conn.execute("BEGIN IMMEDIATE")  # the daemon in the middle of a write
        store.db.execute("insert into stories (title) values ('written while serving')")
        start = time.monotonic()
        assert rows(base, "story_overview")  # reads go on (WAL)
        assert time.monotonic() - start < 5
        store.db.conn.commit()
    # live, not immutable: the new row is seen
    found = rows(base, "stories", _where="title = 'written while serving'")
    assert len(found) == 1


def test_metadata_follows_the_schema() -> None:
    schema = {"discrepancies": {"id", "attribute", "unit", "intra_article", "severity"},
              "articles": {"id", "title", "published", "source_id"}}
    meta = metadata_for("mydb", schema)
    tables = meta["databases"]["mydb"]["tables"]
    assert set(tables) == {"discrepancies", "articles"}
    assert tables["discrepancies"]["facets"] == ["attribute", "unit", "intra_article"]  # no kind yet
    assert "fts_table" not in tables["articles"]
    schema["discrepancies"].add("kind")
    assert "kind" in metadata_for("mydb", schema)["databases"]["mydb"]["tables"]["discrepancies"]["facets"]
    assert str(render_match("<b>\ue000x\ue001</b>")) == "&lt;b&gt;<mark>x</mark>&lt;/b&gt;"


def test_serve_on_a_missing_database_is_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": SRC}
    res = subprocess.run([sys.executable, "-m", "newswatch", "--db", str(tmp_path / "none.db"), "serve"],
                         env=env, capture_output=True, text=True, timeout=60)
    assert res.returncode == 1 and res.stderr.count("\n") == 1 and "no database at" in res.stderr
    assert not (tmp_path / "none.db").exists()


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def browse(browser: str, url: str, shot: Path) -> str:
    """The page as headless Chromium renders it (DOM after scripts), and a screenshot of it."""
    common = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--window-size=412,1600"]
    subprocess.run([*common, f"--screenshot={shot}", url], capture_output=True, timeout=60, check=True)
    assert shot.stat().st_size > 5000
    dom = subprocess.run([*common, "--dump-dom", url], capture_output=True, text=True, timeout=60, check=True)
    return dom.stdout


def test_in_headless_chromium(served, tmp_path: Path) -> None:
    """Home page, a canned query, a story's page and the HTML digest as a user's browser shows
    them; screenshots are left in the test's tmp folder."""
    browser = _chromium()
    if browser is None:
        pytest.skip("no chromium on PATH (apt-get install chromium): browser test skipped")
    base, db, ids = served
    home = browse(browser, base + "/", tmp_path / "home.png")
    assert "AI-infrastructure news grouped into stories" in home and ">articles</a>" in home
    query = browse(browser, f"{base}/news/todays_discrepancies?day=2026-05-14", tmp_path / "query.png")
    assert "300 megawatts" in query and "40 MW" in query and "Grid Watch" in query
    assert "<b>Report</b>" not in query and "Rack &lt;b&gt;Report&lt;/b&gt;" in query
    story = browse(browser, f"{base}/news/stories/{ids['story']}", tmp_path / "story.png")
    assert "Campus &lt;script&gt;" in story and "<script>alert" not in story
    assert "\u202e" not in story and "[U+202E]gnp.exe" in story
    from newswatch.publish.stage import render_digest

    page = tmp_path / "digest.html"
    with Store(db) as store:
        page.write_text(render_digest(store, date(2026, 5, 14), "UTC", "html"), encoding="utf-8")
    digest = browse(browser, page.as_uri(), tmp_path / "digest.png")
    assert "Numbers that disagree" in digest and "300 megawatts" in digest and "Grid Watch" in digest
    assert "<iframe" not in digest and "<img" not in digest and "<svg" in digest
