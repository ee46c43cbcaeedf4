"""Regrouping after a batch: splitting a story that holds two events, moving misplaced articles.

The pure decisions on hand-made features first, then the stage on the bundled sample: a
deliberately over-merged store (every article placed in one story) is taken apart again, with
every move recorded and no article lost.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from conftest import run_stories

from newswatch.config import Config
from newswatch.sample_server import load_manifest
from newswatch.store import NewArticle, Store
from newswatch.stories import cluster, embed, regroup
from newswatch.stories.cluster import ArticleFeatures, ClusterParams, Evidence
from newswatch.stories.stage import embed_pending, place_pending, regroup_window

PARAMS = ClusterParams()


def unit(*xs: float) -> np.ndarray:
    v = np.array(xs, dtype=np.float32)
    return v / np.linalg.norm(v)


def evidence(entities: list[str], numbers: list[str]) -> Evidence:
    def vec(keys: list[str]) -> dict[str, float]:
        return {k: 1 / np.sqrt(len(keys)) for k in keys}

    return Evidence(entities=vec(entities), numbers=vec(numbers))


# two data-center openings of one week: nearly the same embedding, different names and numbers
RENO = evidence(["meridian", "reno", "nevada"], ["120", "2.5"])
CHEYENNE = evidence(["ironwood", "cheyenne", "wyoming"], ["200", "150"])


def reno(id_: int, day: int = 12, wobble: float = 0.0) -> ArticleFeatures:
    return ArticleFeatures(id=id_, embedding=unit(1, 0.3, 0.08 + wobble), evidence=RENO,
                           published=datetime(2026, 5, day, tzinfo=UTC))


def cheyenne(id_: int, day: int = 12, wobble: float = 0.0) -> ArticleFeatures:
    return ArticleFeatures(id=id_, embedding=unit(1, 0.3, -0.08 - wobble), evidence=CHEYENNE,
                           published=datetime(2026, 5, day, tzinfo=UTC))


def ids(articles: list[ArticleFeatures]) -> set[int]:
    return {a.id for a in articles}


def counter(start: int = 100):
    it = itertools.count(start)
    return lambda: next(it)


def test_a_story_holding_two_events_is_split_and_the_earliest_half_keeps_the_id() -> None:
    # joined alternately, as two sibling events reported in one week would
    mixed = [cheyenne(1, day=12), reno(2, day=11), cheyenne(3, wobble=0.01), reno(4, wobble=0.01),
             cheyenne(5, wobble=0.02), reno(6, wobble=0.02)]
    keep, leave, value = regroup.split_members(mixed, PARAMS)
    assert (ids(keep), ids(leave)) == ({2, 4, 6}, {1, 3, 5})  # article 2 is the earliest
    assert value < PARAMS.merge_threshold

    result = regroup.regroup({7: mixed}, PARAMS, counter())
    assert result.new_ids == [100]
    assert {(m.article_id, m.from_story, m.into_story, m.reason) for m in result.moves} == {
        (1, 7, 100, "split"), (3, 7, 100, "split"), (5, 7, 100, "split")}
    assert set(result.stories[7].members) == {2, 4, 6}
    assert set(result.stories[100].members) == {1, 3, 5}
    assert result.stories[7].first_seen == datetime(2026, 5, 11, tzinfo=UTC)


def test_one_event_is_not_split() -> None:
    story = [reno(i, wobble=0.01 * i) for i in range(1, 9)]
    assert regroup.split_members(story, PARAMS) is None
    assert regroup.regroup({7: story}, PARAMS, counter()).moves == []


def test_a_split_needs_min_split_articles_on_each_side() -> None:
    story = [reno(1), reno(2, wobble=0.01), reno(3, wobble=0.02), reno(4, wobble=0.03),
             cheyenne(5), cheyenne(6, wobble=0.01)]
    assert regroup.split_members(story, PARAMS) is None  # min_split 3: two are a move's job
    keep, leave, _ = regroup.split_members(story, replace(PARAMS, min_split=2))
    assert ids(leave) == {5, 6}


def test_unchanged_stories_are_not_tried_for_a_split() -> None:
    mixed = [cheyenne(1), reno(2), cheyenne(3, wobble=0.01), reno(4, wobble=0.01),
             cheyenne(5, wobble=0.02), reno(6, wobble=0.02)]
    assert regroup.regroup({7: mixed}, PARAMS, counter(), touched=set()).moves == []


def test_a_misplaced_article_moves_to_the_story_it_fits_and_an_emptied_story_is_merged() -> None:
    stories = {
        1: [reno(1), reno(2, wobble=0.01), cheyenne(3)],  # 3 joined the wrong story early
        2: [cheyenne(4, wobble=0.01), cheyenne(5, wobble=0.02)],
        3: [cheyenne(6, wobble=0.08)],  # a report that started its own story before 4 and 5
    }
    result = regroup.regroup(stories, PARAMS, counter(), touched={2})
    moved = {m.article_id: (m.from_story, m.into_story, m.reason) for m in result.moves}
    assert moved == {3: (1, 2, "better fit"), 6: (3, 2, "better fit")}
    assert result.emptied == {3: 2}
    assert set(result.stories[1].members) == {1, 2}
    assert set(result.stories[2].members) == {4, 5, 3, 6}
    assert result.stories[2].size == 4
    # nothing left to do: a second pass over the result moves nothing
    again = {k: [a for a in itertools.chain(*stories.values()) if a.id in s.members]
             for k, s in result.stories.items()}
    assert regroup.regroup(again, PARAMS, counter()).moves == []


def test_an_article_does_not_move_to_a_story_outside_its_time_window() -> None:
    stories = {
        1: [reno(1), reno(2, wobble=0.01), cheyenne(3, day=1)],
        2: [cheyenne(4, day=28), cheyenne(5, day=29, wobble=0.01)],  # 27 days later
    }
    result = regroup.regroup(stories, replace(PARAMS, window_days=10), counter(), touched={2})
    assert all(m.article_id != 3 for m in result.moves)


def test_remove_article_inverts_add_article() -> None:
    story = cluster.build_story([reno(1), cheyenne(2)], 5)
    back = cluster.remove_article(cluster.add_article(story, reno(3, wobble=0.02)), reno(3, wobble=0.02))
    assert back.size == 2 and back.members == [1, 2]
    assert np.allclose(back.centroid, story.centroid, atol=1e-6)
    assert back.entities.keys() == story.entities.keys()
    with pytest.raises(ValueError):
        cluster.remove_article(cluster.new_story(reno(1)), reno(1))


# --------------------------------------------------------------------------- the stage


@pytest.fixture(scope="module")
def model() -> object:
    return embed.load_model()


def test_the_stage_takes_an_over_merged_store_apart(tmp_path: Path, model: object) -> None:
    """Everything forced into one story (join threshold far below any score) and the process
    stopped before regrouping; the next run regroups the queued story with the real parameters:
    the sample's events come apart, every move is in story_moves, no article is lost, counts
    and titles follow."""
    db = tmp_path / "news.db"
    manifest = load_manifest()
    config = Config(path=None, database=db)
    with Store(db) as store:
        event_of = {}
        for a in manifest["articles"]:
            source = store.source_id(a["outlet_name"])
            [aid] = store.add_articles([NewArticle(
                url=f"https://{a['outlet']}.example/{a['slug']}", source_id=source,
                title=a["title"], published=a["published"])])
            store.save_extraction(aid, text=a["body"], method="ingest")
            event_of[aid] = a["event"]
        everything = ClusterParams(threshold=-100.0, min_cosine=-1.0, merge_threshold=100.0)
        embed_pending(store, config)
        place_pending(store, config, everything)
        [(first_story,)] = store.db.execute("select distinct story_id from articles").fetchall()
        # the process dies here, before regrouping: the story stays queued for the next run
        assert store.stories_to_regroup() == [first_story]

        counts = run_stories(store, config)  # nothing new to place; the queued story is regrouped

        assert counts["placed"] == 0
        assert counts["splits"] >= len(set(event_of.values())) - 1
        assert store.stories_to_regroup() == []
        story_of = dict(store.db.execute("select id, story_id from articles").fetchall())
        assert set(story_of) == set(event_of)  # nothing lost
        stories_of_event = defaultdict(set)
        for aid, sid in story_of.items():
            stories_of_event[event_of[aid]].add(sid)
        # the sample's events are well apart: each ends as exactly one story of its own
        assert all(len(s) == 1 for s in stories_of_event.values()), stories_of_event
        assert len({next(iter(s)) for s in stories_of_event.values()}) == len(stories_of_event)
        # the story users saw keeps its id: it now holds the event of its earliest article
        earliest = min((a for a in manifest["articles"] if a["published"]),
                       key=lambda a: a["published"])
        assert stories_of_event[earliest["event"]] == {first_story}
        # every move is recorded; replaying them from the start gives today's membership
        replay = dict.fromkeys(story_of, first_story)
        for article_id, into in store.db.execute(
                "select article_id, into_story from story_moves order by id"):
            replay[article_id] = into
        assert replay == story_of
        # summaries follow the members
        for sid, n in Counter(story_of.values()).items():
            row = store.story(sid)
            assert row["article_count"] == n and row["merged_into"] is None
            assert row["title"] in {a["title"] for a in manifest["articles"]}

        # `show` on the story users saw points to where its other articles went
        from click.testing import CliRunner

        from newswatch.cli import main

        shown = CliRunner().invoke(main, ["--db", str(db), "show", str(first_story)])
        assert shown.exit_code == 0, shown.output
        assert shown.output.count("split off as story") >= 1
        # a second regroup over the same stories changes nothing
        assert regroup_window(store, config, set(story_of.values())) == {"splits": 0, "moves": 0}


def test_the_neighbourhood_is_the_nearest_stories_of_each_touched_storys_window() -> None:
    touched = {1: cluster.build_story([reno(1, day=12)], 1)}
    candidates = {
        2: cluster.build_story([cheyenne(2, day=13)], 2),  # same kind, same week: looked at
        3: cluster.build_story([reno(3, day=2, wobble=0.01)], 3),  # 10 days before: still in
        4: cluster.build_story([cheyenne(4, day=28)], 4),  # 16 days later: outside the window
        5: cluster.new_story(ArticleFeatures(id=5, embedding=unit(0, 0, 1), evidence=RENO,
                                             published=datetime(2026, 5, 12, tzinfo=UTC)), 5),
    }
    params = replace(PARAMS, window_days=10)
    assert regroup.neighbourhood(touched, candidates, params) == {1, 2, 3}  # 5: unrelated
    assert regroup.neighbourhood(touched, candidates, replace(params, neighbours=1)) == {1, 3}
    # the store's window query may name each touched story's candidates
    assert regroup.neighbourhood(touched, candidates, params, around={1: [2, 4]}) == {1, 2}
