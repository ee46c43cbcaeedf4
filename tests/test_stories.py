"""The stories stage on the bundled sample: real model, real store, no HTTP.

The sample manifest (src/newswatch/sample/manifest.yaml) gives every article its outlet, feeds,
date and ``event``; the articles are stored as extraction would store them and the stage runs
on them. Each event must be one story, and no story may hold two events.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import run_stories

from newswatch.cli import main
from newswatch.config import Config
from newswatch.sample_server import load_manifest
from newswatch.store import NewArticle, Store
from newswatch.stories import embed


@pytest.fixture(scope="session")
def model() -> object:
    return embed.load_model()  # cached per process: loaded once per test session


def _config(db: Path) -> Config:
    return Config(path=None, database=db)


def _store_sample(store: Store, articles: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """Store manifest articles as the fetch+extract stages would; returns id -> article."""
    by_id = {}
    for a in articles:
        source = store.source_id(a["outlet_name"])
        ids = store.add_articles([NewArticle(url=f"https://{a['outlet']}.example/{a['slug']}",
                                             source_id=source, title=a["title"],
                                             published=a["published"])])
        store.save_extraction(ids[0], text=a["body"], method="ingest")
        by_id[ids[0]] = a
    return by_id


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory, model: object) -> dict[str, Any]:
    db = tmp_path_factory.mktemp("stories") / "news.db"
    manifest = load_manifest()
    store = Store(db)
    by_id = _store_sample(store, manifest["articles"])
    counts = run_stories(store, _config(db))
    stories = {row["id"]: row["story_id"] for row in store.db.query("select id, story_id from articles")}
    ids_before = dict(stories)
    yield {"store": store, "db": db, "by_id": by_id, "counts": counts, "story_of": stories,
           "ids_before": ids_before, "manifest": manifest}
    store.close()


def _events_to_stories(sample: dict[str, Any]) -> dict[str, set[int]]:
    out: dict[str, set[int]] = defaultdict(set)
    for article_id, story_id in sample["story_of"].items():
        out[sample["by_id"][article_id]["event"]].add(story_id)
    return out


def test_every_article_is_placed(sample: dict[str, Any]) -> None:
    assert all(story is not None for story in sample["story_of"].values())
    assert sample["counts"]["embedded"] == len(sample["by_id"])
    assert sample["counts"]["placed"] == len(sample["by_id"])


def test_the_five_seed_articles_form_one_story(sample: dict[str, Any]) -> None:
    seeds = [i for i, a in sample["by_id"].items() if a["seed"]]
    assert len(seeds) == 5
    assert len({sample["story_of"][i] for i in seeds}) == 1


def test_each_fixture_event_is_its_own_story(sample: dict[str, Any]) -> None:
    events = _events_to_stories(sample)
    assert all(len(stories) == 1 for stories in events.values()), events
    story_ids = [next(iter(s)) for s in events.values()]
    assert len(set(story_ids)) == len(events)  # no story holds two events


def test_same_kind_same_week_events_stay_apart(sample: dict[str, Any]) -> None:
    events = sample["manifest"]["events"]
    assert events["meridian-reno"]["kind"] == events["ironwood-cheyenne"]["kind"]
    placed = _events_to_stories(sample)
    assert placed["meridian-reno"].isdisjoint(placed["ironwood-cheyenne"])


def test_story_title_is_one_of_its_headlines(sample: dict[str, Any]) -> None:
    store = sample["store"]
    for story in store.recent_stories(100):
        headlines = {a["title"] for a in store.story_articles(story["id"])}
        assert story["title"] in headlines


def test_rerun_changes_no_story_and_embeds_nothing(sample: dict[str, Any]) -> None:
    store = sample["store"]
    counts = run_stories(store, _config(sample["db"]))
    assert counts["embedded"] == 0 and counts["placed"] == 0
    after = {row["id"]: row["story_id"] for row in store.db.query("select id, story_id from articles")}
    assert after == sample["ids_before"]


def test_unchanged_embedded_text_is_not_embedded_again(sample: dict[str, Any]) -> None:
    store = sample["store"]
    article_id, article = next(iter(sample["by_id"].items()))
    before = store.db["embeddings"].get(article_id)
    # the tail of the text changes: the embedded part (headline + lead) does not
    store.save_extraction(article_id, text=article["body"] + "\n\nCorrection: a typo was fixed.",
                          method="ingest")
    counts = run_stories(store, _config(sample["db"]))
    assert counts["embedded"] == 0 and counts["unchanged"] == 1
    assert store.db["embeddings"].get(article_id)["vector"] == before["vector"]


def test_wire_copies_and_feeds_of_one_outlet_count_once(sample: dict[str, Any]) -> None:
    store = sample["store"]
    wire = [i for i, a in sample["by_id"].items() if a.get("syndication")]
    assert len(wire) >= 2
    story_id = sample["story_of"][wire[0]]
    members = [i for i, s in sample["story_of"].items() if s == story_id]
    outlets = {sample["by_id"][i]["outlet"] for i in members}
    row = store.story(story_id)
    assert row["outlet_count"] == len(outlets)
    assert row["report_count"] == len(members) - (len(wire) - 1)


def test_one_outlets_two_feeds_count_once(tmp_path: Path, model: object) -> None:
    """The same article listed by two feeds of one outlet, and the same text at a second URL."""
    manifest = load_manifest()
    event = [a for a in manifest["articles"] if a["event"] == "halcyon-gpu-loan"]
    with Store(tmp_path / "news.db") as store:
        by_id = _store_sample(store, event)
        first_id, first = next(iter(by_id.items()))
        source = store.source_id(first["outlet_name"])
        feeds = []
        for n in (1, 2):
            feeds.append(store.db["feeds"].insert(
                {"url": f"https://x.example/feed{n}.xml", "source_id": source}).last_pk)
        # both feeds list the same link: stored once
        again = store.add_articles([NewArticle(url=f"https://{first['outlet']}.example/{first['slug']}",
                                               source_id=source, feed_id=f, title=first["title"])
                                    for f in feeds])
        assert again == []
        # the outlet republishes the same text under another URL (e.g. a regional edition)
        copy = store.add_articles([NewArticle(url=f"https://{first['outlet']}.example/amp/{first['slug']}",
                                              source_id=source, title=first["title"],
                                              published=first["published"])])
        store.save_extraction(copy[0], text=first["body"], method="ingest")
        run_stories(store, _config(tmp_path / "news.db"))
        story_id = store.db["articles"].get(first_id)["story_id"]
        assert store.db["articles"].get(copy[0])["story_id"] == story_id
        row = store.story(story_id)
        outlets = {a["outlet_name"] for a in event}
        assert row["article_count"] == len(event) + 1
        assert row["outlet_count"] == len(outlets)
        assert row["report_count"] == len(event)


def test_stories_and_show_commands(sample: dict[str, Any]) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["--db", str(sample["db"]), "stories"], catch_exceptions=False)
    assert result.exit_code == 0
    seed_story = sample["story_of"][next(i for i, a in sample["by_id"].items() if a["seed"])]
    assert any(line.split()[0] == str(seed_story) for line in result.output.splitlines()[1:])
    shown = runner.invoke(main, ["--db", str(sample["db"]), "show", str(seed_story)])
    assert shown.exit_code == 0
    assert shown.output.count("https://") == 5
    missing = runner.invoke(main, ["--db", str(sample["db"]), "show", "99999"])
    assert missing.exit_code != 0
    assert "no story 99999" in missing.output and "Traceback" not in missing.output


def test_configured_model_that_cannot_load_is_a_user_error(tmp_path: Path) -> None:
    from newswatch.errors import NewswatchError

    with Store(tmp_path / "news.db") as store:
        _store_sample(store, load_manifest()["articles"][:1])
        config = _config(tmp_path / "news.db")
        config.embedding.model = str(tmp_path / "no-such-model")
        with pytest.raises(NewswatchError, match="cannot load embedding model"):
            run_stories(store, config)
        assert store.db["embeddings"].count == 0
