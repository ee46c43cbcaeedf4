"""The store: migrations produce the contract's schema; writes are idempotent."""

from pathlib import Path

import pytest

from newswatch.migrations import MIGRATIONS
from newswatch.store import NewArticle, Store

# CONTRACT.md: the columns that must exist (tables may have more).
CONTRACT = {
    "sources": {"id", "name", "reliability"},
    "feeds": {"id", "url", "source_id"},
    "articles": {"id", "url", "source_id", "feed_id", "title", "published", "text", "story_id"},
    "stories": {"id", "title", "first_seen", "last_seen"},
    "claims": {"id", "article_id", "story_id", "subject", "attribute", "value", "unit", "qualifier", "surface",
               "sentence"},
    "discrepancies": {"id", "story_id", "subject", "attribute", "unit"},
    "discrepancy_claims": {"discrepancy_id", "claim_id"},
}


def test_blank_database_migrates_to_contract_schema(tmp_path: Path) -> None:
    with Store(tmp_path / "x.db") as store:
        db = store.db
        for table, cols in CONTRACT.items():
            assert table in db.table_names(), table
            assert cols <= set(db[table].columns_dict), (table, cols - set(db[table].columns_dict))
        assert db["claims"].columns_dict["value"] is float
        assert db["sources"].columns_dict["reliability"] is float
        assert db.execute("pragma journal_mode").fetchone()[0] == "wal"
        assert {r["name"] for r in db["_migrations"].rows} == {m.__name__ for m in MIGRATIONS}
        fks = {(fk.column, fk.other_table) for fk in db["articles"].foreign_keys}
        assert {("source_id", "sources"), ("feed_id", "feeds"), ("story_id", "stories")} <= fks
        unique = {tuple(i.columns) for i in db["articles"].indexes if i.unique}
        assert ("url",) in unique
        assert "articles_fts" in db.table_names()


def test_reopen_does_not_reapply(tmp_path: Path) -> None:
    Store(tmp_path / "x.db").close()
    with Store(tmp_path / "x.db") as store:
        assert store.applied == []


def test_articles_deduplicated_by_url_and_guid(tmp_path: Path) -> None:
    with Store(tmp_path / "x.db") as store:
        sid = store.source_id("Outlet")
        assert store.source_id("Outlet") == sid
        ids = store.sync_feeds([type("F", (), {"url": "https://o.example/a", "source": "Outlet", "interval": 60})(),
                                type("F", (), {"url": "https://o.example/b", "source": "Outlet", "interval": 60})()])
        fa, fb = ids.values()
        first = store.add_articles([NewArticle(url="https://o.example/1", source_id=sid, feed_id=fa, guid="g1")])
        assert len(first) == 1
        # same URL from the outlet's other feed, and same GUID under a new URL: both known
        again = store.add_articles([
            NewArticle(url="https://o.example/1", source_id=sid, feed_id=fb, guid="g1"),
            NewArticle(url="https://o.example/1-moved", source_id=sid, feed_id=fa, guid="g1"),
        ])
        assert again == []
        assert store.count("articles") == 1
        assert store.db["feed_articles"].count == 2


def test_full_text_search(tmp_path: Path) -> None:
    with Store(tmp_path / "x.db") as store:
        sid = store.source_id("Outlet")
        (aid,) = store.add_articles([NewArticle(url="https://o.example/1", source_id=sid, title="Colossus deal")])
        store.save_extraction(aid, text="Anthropic gets the compute of a supercomputer in Memphis.", method="ingest")
        hits = list(store.db["articles"].search("memphis"))
        assert [h["id"] for h in hits] == [aid]


def test_a_transaction_inside_another_joins_it(tmp_path: Path) -> None:
    """store methods open their own transactions; inside an outer one they must not commit."""
    with Store(tmp_path / "news.db") as store:
        source = store.source_id("Example Wire")
        with pytest.raises(RuntimeError), store.transaction():
            store.add_articles([NewArticle(url="https://x.example/1", source_id=source, title="a")])
            raise RuntimeError("fails after the inner transaction")
        assert store.count("articles") == 0
        store.add_articles([NewArticle(url="https://x.example/1", source_id=source, title="a")])
        assert store.count("articles") == 1


def test_an_ingested_file_is_stored_with_its_text_or_not_at_all(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from newswatch.ingest.stage import ingest_files

    path = tmp_path / "note.txt"
    path.write_text("A headline\n\nThe body of the article, long enough to matter.\n")
    with Store(tmp_path / "news.db") as store:
        def dies(*args: object, **kwargs: object) -> None:
            raise KeyboardInterrupt  # the process is stopped between the row and its text

        monkeypatch.setattr(store, "save_extraction", dies)
        with pytest.raises(KeyboardInterrupt):
            ingest_files(store, [path], "Notes")
        assert store.count("articles") == 0  # no row left pending without its text
        monkeypatch.undo()
        [(_, article_id, _)] = ingest_files(store, [path], "Notes")
        row = store.db["articles"].get(article_id)
        assert row["title"] == "A headline" and row["text"].startswith("The body")


def test_placement_and_regrouping_queue_summaries_in_the_store(tmp_path: Path) -> None:
    """Summarising finds its stories in the store (summary_pending), so it can run alone or
    after a run killed between placement and summary."""
    with Store(tmp_path / "news.db") as store:
        source = store.source_id("Outlet")
        [a, b] = store.add_articles([NewArticle(url=f"https://x.example/{i}", source_id=source,
                                                title=f"t{i}") for i in range(2)])
        story = {"id": None, "centroid": b"\0" * 4, "profile": "{}", "article_count": 1,
                 "first_seen": "2026-01-01T00:00:00Z", "last_seen": "2026-01-01T00:00:00Z"}
        first = store.save_placement(a, story)
        assert store.stories_to_summarise() == [first] and store.stories_to_regroup() == [first]
        store.save_story_summary(first, title="t0", article_count=1, outlet_count=1, report_count=1)
        assert store.stories_to_summarise() == []
        real = store.save_regrouping({-1: {**story, "id": -1}}, [(a, first, -1, "split", 0.5)], {},
                                     done=[first])
        assert store.stories_to_summarise() == [real[-1]] and store.stories_to_regroup() == []
        store.summarised([real[-1]])
        assert store.stories_to_summarise() == []
