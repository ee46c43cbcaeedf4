"""Same input, same store: two runs over the sample site into fresh databases store the same
articles, stories, claims and discrepancies, whatever order the fetch threads finish in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newswatch.cli import main
from newswatch.sample_server import SampleServer
from newswatch.store import Store

SNAPSHOT = {
    "articles": "select id, url, feed_id, title, extract_method, content_hash, story_id from articles",
    "feed_articles": "select feed_id, article_id from feed_articles",
    "stories": "select id, title, article_count, outlet_count, report_count, merged_into, first_seen, "
               "last_seen from stories",
    "story_moves": "select article_id, from_story, into_story, reason from story_moves",
    "claims": "select id, article_id, story_id, subject, attribute, value, unit, qualifier, surface, "
              "start, end, scope from claims",
    "discrepancies": "select id, story_id, subject, attribute, unit, scope, severity, intra_article, "
                     "sides from discrepancies",
    "discrepancy_claims": "select discrepancy_id, claim_id, side from discrepancy_claims",
}


def _run_once(server: SampleServer, folder: Path) -> dict[str, list[tuple[Any, ...]]]:
    folder.mkdir()
    config = server.write_config(folder / "feeds.yaml", folder / "news.db")
    result = CliRunner().invoke(main, ["--config", str(config), "run", "--once"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    with Store(folder / "news.db") as store:
        return {name: sorted(tuple(r) for r in store.db.execute(sql).fetchall())
                for name, sql in SNAPSHOT.items()}


@pytest.mark.slow
def test_two_runs_over_the_same_news_store_the_same_results(tmp_path: Path,
                                                            sample_server: SampleServer) -> None:
    first = _run_once(sample_server, tmp_path / "a")
    second = _run_once(sample_server, tmp_path / "b")
    assert first["articles"] and first["stories"] and first["claims"]
    for table in SNAPSHOT:
        assert first[table] == second[table], table
