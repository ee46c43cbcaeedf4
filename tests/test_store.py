"""The store: migrations produce the contract's schema; writes are idempotent."""

import subprocess
import sys
from pathlib import Path

import pytest

from newswatch.migrations import MIGRATIONS
from newswatch.store import NewArticle, Store

# CONTRACT.md: the columns that must exist (tables may have more).
CONTRACT = {
    "sources": {"id", "name", "reliability", "reliability_low", "reliability_high",
                "checked_claims", "agreed", "disagreed", "scored_at"},
    "source_scores": {"source_id", "at", "reliability", "reliability_low", "reliability_high",
                      "checked_claims"},
    "feeds": {"id", "url", "source_id"},
    "articles": {"id", "url", "source_id", "feed_id", "title", "published", "text", "story_id"},
    "stories": {"id", "title", "first_seen", "last_seen"},
    "claims": {"id", "article_id", "story_id", "subject", "attribute", "value", "unit", "qualifier", "surface",
               "sentence"},
    "discrepancies": {"id", "story_id", "subject", "attribute", "unit"},
    "discrepancy_claims": {"discrepancy_id", "claim_id"},
    # claims issue (frames and groups)
    "claim_groups": {"id", "story_id", "entity", "property", "unit", "scope", "claims", "outlets",
                     "independent_reports", "consensus_value", "consensus_text"},
    "discrepancy_sides": {"discrepancy_id", "side", "value", "value_text", "outlets", "independent_reports",
                          "first_article_id", "first_source_id", "first_published"},
}
CONTRACT["claims"] |= {"low", "high", "group_id", "property", "entity", "time_ref", "scope", "modality", "value_text"}
CONTRACT["discrepancies"] |= {"group_id", "kind", "consensus_value"}


# Every column of every table, exactly (llm's test_migrate): a migration that adds, drops or
# retypes a column must change this too, on purpose.
SCHEMA = {
    "_migrations": {"name": str, "applied_at": str},
    "sources": {"id": int, "name": str, "reliability": float, "created_at": str,
                "reliability_low": float, "reliability_high": float, "checked_claims": int,
                "agreed": float, "disagreed": float, "scored_at": str, "first_party": int,
                "rescore_pending": int},
    "source_scores": {"id": int, "source_id": int, "at": str, "reliability": float,
                      "reliability_low": float, "reliability_high": float, "checked_claims": int},
    "feeds": {"id": int, "url": str, "source_id": int, "title": str, "interval_seconds": int, "etag": str,
              "last_modified": str, "last_fetched_at": str, "last_success_at": str, "last_status": int,
              "next_fetch_at": str, "consecutive_errors": int, "last_error": str, "added_at": str,
              "last_warning": str},
    "stories": {"id": int, "title": str, "first_seen": str, "last_seen": str, "centroid": bytes, "profile": str,
                "article_count": int, "outlet_count": int, "report_count": int, "created_at": str,
                "updated_at": str, "merged_into": int, "claims_checked_hash": str, "regroup_pending": int,
                "summary_pending": int},
    "articles": {"id": int, "url": str, "guid": str, "source_id": int, "feed_id": int, "title": str,
                 "author": str, "published": str, "site_name": str, "discovered_at": str, "summary": str,
                 "feed_content": str, "text": str, "content_hash": str, "extracted_at": str,
                 "extract_method": str, "extract_note": str, "extract_attempts": int, "story_id": int,
                 "clustered_at": str, "claims_hash": str, "claims_extracted_at": str},
    "feed_articles": {"feed_id": int, "article_id": int, "first_seen": str},
    "claims": {"id": int, "article_id": int, "story_id": int, "subject": str, "attribute": str, "value": float,
               "unit": str, "qualifier": str, "surface": str, "sentence": str, "low": float, "high": float,
               "start": int, "end": int, "scope": str, "raw_value": float, "raw_unit": str, "property": str,
               "entity": str, "time_ref": str, "modality": str, "value_text": str, "group_id": int,
               "agreement": float, "checked_at": str, "follows_source_id": int, "repeats_previous": int},
    "claim_groups": {"id": int, "story_id": int, "entity": str, "property": str, "unit": str, "scope": str,
                     "time_ref": str, "claims": int, "outlets": int, "independent_reports": int,
                     "consensus_value": float, "consensus_text": str, "scored_at": str},
    "discrepancies": {"id": int, "story_id": int, "subject": str, "attribute": str, "unit": str,
                      "severity": float, "scope": str, "intra_article": int, "sides": int, "checked_at": str,
                      "group_id": int, "kind": str, "consensus_value": float},
    "discrepancy_sides": {"discrepancy_id": int, "side": int, "value": float, "value_text": str, "outlets": int,
                          "independent_reports": int, "first_article_id": int, "first_source_id": int,
                          "first_published": str},
    "discrepancy_claims": {"discrepancy_id": int, "claim_id": int, "side": int},
    "fetch_errors": {"id": int, "feed_id": int, "article_id": int, "url": str, "time": str, "kind": str,
                     "status": int, "message": str},
    "runs": {"id": int, "job": str, "started_at": str, "finished_at": str, "outcome": str, "details": str,
             "error": str, "pid": int},
    "articles_fts": {"title": str, "text": str},
    "embeddings": {"article_id": int, "model": str, "text_hash": str, "content_hash": str, "dims": int,
                   "vector": bytes, "embedded_at": str},
    "story_merges": {"id": int, "from_story": int, "into_story": int, "time": str, "score": float},
    "story_moves": {"id": int, "article_id": int, "from_story": int, "into_story": int, "reason": str,
                    "score": float, "time": str},
    "digests": {"day": str, "format": str, "path": str, "written_at": str, "emailed_at": str},
}
FTS_SHADOW = {"articles_fts_data", "articles_fts_idx", "articles_fts_docsize", "articles_fts_config"}


def test_schema_is_exactly_the_migrations_result(store: Store) -> None:
    db = store.db
    assert set(db.table_names()) == set(SCHEMA) | FTS_SHADOW
    for table, columns in SCHEMA.items():
        assert db[table].columns_dict == columns, table


def test_migrations_are_registered_in_file_order_with_ascending_names() -> None:
    import ast
    import inspect

    from newswatch import migrations

    tree = ast.parse(inspect.getsource(migrations))
    defined = [n.name for n in tree.body if isinstance(n, ast.FunctionDef) and n.name[:1] == "m"
               and n.name[1:4].isdigit()]
    assert [m.__name__ for m in MIGRATIONS] == defined == sorted(defined)


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


def test_a_new_run_marks_runs_of_dead_processes_interrupted(tmp_path: Path) -> None:
    """A killed `run --once` stayed `running` in the runs table after the next run finished;
    only `status` derived "interrupted" when displaying it."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    with Store(tmp_path / "news.db") as store:
        with store.transaction():
            dead = store.db["runs"].insert({"job": "run-once", "started_at": "2026-01-01T00:00:00Z",
                                            "outcome": "running", "pid": proc.pid}).last_pk
        run_id = store.start_run("process")
        store.finish_run(run_id, "ok")
        rows = {r["id"]: r for r in store.db.query("select * from runs")}
    assert rows[dead]["outcome"] == "interrupted" and rows[dead]["error"]
    assert rows[run_id]["outcome"] == "ok"
