"""The clustering decision on literal inputs: small hand-made embeddings and evidence."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime

import numpy as np
import pytest

from newswatch.stories import cluster, dedup
from newswatch.stories.cluster import ArticleFeatures, ClusterParams, Evidence

PARAMS = ClusterParams()


def unit(*xs: float) -> np.ndarray:
    v = np.array(xs, dtype=np.float32)
    return v / np.linalg.norm(v)


def evidence(entities: list[str] = (), numbers: list[str] = (), years: set[int] = frozenset()) -> Evidence:
    def vec(keys: list[str]) -> dict[str, float]:
        return {k: 1 / np.sqrt(len(keys)) for k in keys} if keys else {}

    return Evidence(entities=vec(list(entities)), numbers=vec(list(numbers)), years=frozenset(years))


def article(id_: int, emb: np.ndarray, ev: Evidence, title: str = "", day: int | None = None) -> ArticleFeatures:
    when = datetime(2026, 5, day, tzinfo=UTC) if day else None
    return ArticleFeatures(id=id_, embedding=emb, title=title, evidence=ev, published=when)


# two data-center openings of one week: nearly the same embedding, different names and numbers
RENO = evidence(["meridian", "reno", "nevada", "rno-1"], ["120", "2.5"])
CHEYENNE = evidence(["ironwood", "cheyenne", "wyoming", "lumora"], ["200", "150"])
KIND = unit(1, 0.3, 0)  # "a data center opens"


def test_same_event_joins_the_story() -> None:
    story = cluster.new_story(article(1, KIND, RENO, day=12), story_id=7)
    same = article(2, unit(1, 0.32, 0.05), RENO, day=13)
    assert cluster.assign(same, [story], PARAMS) == 7


def test_same_kind_of_event_starts_a_new_story() -> None:
    story = cluster.new_story(article(1, KIND, RENO, day=12), story_id=7)
    other = article(2, unit(1, 0.31, 0.02), CHEYENNE, day=13)
    assert cluster.score(other, story, PARAMS) < PARAMS.threshold
    assert cluster.assign(other, [story], PARAMS) is None


def test_best_of_several_candidates_wins() -> None:
    reno = cluster.new_story(article(1, KIND, RENO), story_id="reno")
    cheyenne = cluster.new_story(article(2, KIND, CHEYENNE), story_id="cheyenne")
    assert cluster.assign(article(3, KIND, CHEYENNE), [reno, cheyenne], PARAMS) == "cheyenne"


def test_unrelated_embedding_never_joins_even_with_shared_names() -> None:
    story = cluster.new_story(article(1, unit(1, 0, 0), evidence(["nvidia"])), story_id=1)
    far = article(2, unit(0, 0, 1), evidence(["nvidia"]))
    assert cluster.assign(far, [story], PARAMS) is None


def test_no_candidates_means_new_story() -> None:
    assert cluster.assign(article(1, KIND, RENO), [], PARAMS) is None
    placed = cluster.place(article(1, KIND, RENO, day=3), [], PARAMS, new_id=42)
    assert placed.created and placed.story.id == 42 and placed.story.members == [1]


def test_disjoint_years_count_against_a_story() -> None:
    story = cluster.new_story(article(1, KIND, evidence(["waitrose"], years={2008})), story_id=1)
    same_year = article(2, KIND, evidence(["waitrose"], years={2008}))
    other_year = article(3, KIND, evidence(["waitrose"], years={2013}))
    assert cluster.score(other_year, story, PARAMS) < cluster.score(same_year, story, PARAMS)


def test_add_article_updates_centroid_profile_and_span() -> None:
    story = cluster.new_story(article(1, unit(1, 0, 0), RENO, day=12), story_id=1)
    grown = cluster.add_article(story, article(2, unit(0, 1, 0), RENO, day=14))
    assert grown.size == 2 and grown.members == [1, 2]
    np.testing.assert_allclose(grown.centroid, [0.5, 0.5, 0.0], atol=1e-6)
    assert grown.first_seen.day == 12 and grown.last_seen.day == 14
    assert grown.entities["meridian"] == pytest.approx(2 * RENO.entities["meridian"])
    assert story.size == 1  # the input is not changed


def test_profile_round_trips_through_json() -> None:
    ev = replace(evidence(["a", "b"], ["120"], {2026}), terms={"quake": 0.6, "qeshm": 0.8})
    story = cluster.new_story(article(1, KIND, ev), story_id=1)
    entities, numbers, years, terms = cluster.profile_from_json(cluster.profile_to_json(story))
    assert entities == pytest.approx(story.entities, abs=1e-4)
    assert numbers == pytest.approx(story.numbers, abs=1e-4)
    assert years == Counter({2026: 1})
    assert terms == pytest.approx({"quake": 0.6, "qeshm": 0.8}, abs=1e-4)
    # a story stored before the word profile existed reads back with an empty one
    assert cluster.profile_from_json({"entities": {"a": 1.0}})[3] == {}


def test_bridging_article_merges_the_younger_story_into_the_older() -> None:
    ev = evidence(["northstar", "cascade", "fission"], ["1.5", "23"])
    older = cluster.new_story(article(1, KIND, ev, day=11), story_id=3)
    younger = cluster.new_story(article(2, unit(1, 0.3, 0.02), ev, day=12), story_id=9)
    placed = cluster.place(article(5, unit(1, 0.31, 0.01), ev, day=12), [younger, older], PARAMS)
    assert not placed.created
    assert [(f.id, i.id) for f, i, _ in placed.merges] == [(9, 3)]
    assert placed.removed == [9]
    assert placed.story.id == 3 and sorted(placed.story.members) == [1, 2, 5]


def test_stories_of_same_kind_are_not_merged() -> None:
    reno = cluster.new_story(article(1, KIND, RENO, day=12), story_id=1)
    cheyenne = cluster.new_story(article(2, KIND, CHEYENNE, day=13), story_id=2)
    assert cluster.find_merges(reno, [cheyenne], PARAMS) == []
    same = cluster.new_story(article(3, KIND, RENO, day=14), story_id=3)
    assert [(f.id, i.id) for f, i, _ in cluster.find_merges(same, [reno, cheyenne], PARAMS)] == [(3, 1)]


def test_title_is_the_headline_closest_to_the_centroid() -> None:
    members = [("Opinion: what it all means", unit(0, 1, 0)),
               ("Meridian opens 120 MW Reno campus", unit(1, 0.1, 0)),
               ("Reno campus goes live", unit(1, 0.3, 0))]
    assert cluster.representative_title(members, unit(1, 0.1, 0)) == "Meridian opens 120 MW Reno campus"
    assert cluster.representative_title([("", unit(1, 0, 0))]) == ""


def test_entities_skip_grammar_capitals_and_common_words() -> None:
    text = ("Fire crews fought the fire at the Waitrose store in Banstead on Friday.\n"
            "The store in Banstead was destroyed, Surrey Police said.")
    names = cluster.extract_entities("Fire guts Waitrose store in Banstead", text)
    assert {"waitrose", "banstead", "surrey"} <= set(names)
    assert not {"fire", "the", "friday"} & set(names)


def test_numbers_and_years() -> None:
    numbers, years = cluster.extract_numbers("Ironwood opens a 200 MW campus with 100,000 GPUs in 2026; 3 halls.")
    assert set(numbers) == {"200", "100000"}
    assert years == frozenset({2026})


def test_independent_reports_count_outlets_and_wire_copies_once() -> None:
    wire = ("Northstar Cloud signed a 20-year agreement with Cascade Fission for 1.5 GW of power from "
            "small modular reactors, the companies said on Monday, in a deal valued at $23 billion.")
    copy = "By Compass Wire. " + wire + " Shares rose."
    own = ("Northstar's nuclear bet is the largest power purchase by a neocloud so far, analysts told "
           "us, and it will take years before the first reactor in Oregon delivers electricity.")
    reports = [
        dedup.Report(1, "Silicon Ledger", wire),
        dedup.Report(2, "Watt Street Journal", copy),     # syndicated copy: same report
        dedup.Report(3, "Grid & Compute Weekly", own),
        dedup.Report(4, "Grid & Compute Weekly", own),   # same article in a second feed of one outlet
    ]
    counts = dedup.count_reports(reports)
    assert counts.outlets == 3
    assert counts.independent == 2
    assert dedup.similarity(wire, own) < 0.2 < 0.5 < dedup.similarity(wire, copy)


def test_rare_words_weigh_more_than_topic_words_and_grammar() -> None:
    assert cluster.general_idf("the") < cluster.general_idf("earthquake") < cluster.general_idf("qeshm")
    terms = cluster.extract_terms("Quake hits Qeshm island", "The quake killed 3 people on Qeshm.")
    assert {"quake", "hits", "qeshm", "island", "killed", "people"} == set(terms)  # no "the", "3"
    assert terms["qeshm"] == 3  # the headline counts twice


def test_shared_rare_details_tell_the_event_apart_from_its_sibling() -> None:
    """Two quakes on one island: the story's words decide which report belongs to it."""
    first = cluster.extract_evidence(
        "Magnitude 5.9 quake strikes Qeshm island, Tabl village destroyed",
        "The earthquake flattened houses in Tabl and killed seven villagers on Qeshm island.")
    same = cluster.extract_evidence(
        "Seven dead as quake hits Iran's Qeshm island",
        "Villagers in Tabl on Qeshm island said the earthquake destroyed their houses.")
    sibling = cluster.extract_evidence(
        "Earthquake jolts Qeshm island again, Dargahan residents flee",
        "A new earthquake shook Qeshm island; people in Dargahan slept outdoors.")
    story = cluster.new_story(article(1, KIND, first), story_id=1)
    assert cluster._cosine(same.terms, story.terms) > cluster._cosine(sibling.terms, story.terms)


def test_stories_of_another_embedding_model_are_never_candidates() -> None:
    """After `embedding.model` changes, stored stories have centroids of another size."""
    old = cluster.new_story(article(1, unit(1, 0.3, 0), RENO), story_id=7)
    new = article(2, unit(1, 0.3, 0, 0.1), RENO)
    assert cluster.rank(new, [old], PARAMS) == []
    placed = cluster.place(new, [old], PARAMS, new_id=8)
    assert placed.created and placed.story.id == 8


def test_a_texts_minhash_is_that_of_its_shingles_one_by_one() -> None:
    """The digest is computed in one batch; it must be the one adding each shingle gives, or
    stored near-duplicate judgements would change."""
    from datasketch import MinHash

    text = "Colossus 1 draws 300 MW from the Memphis grid, the utility said on Tuesday evening."
    one_by_one = MinHash(num_perm=dedup.NUM_PERM, seed=1)
    words = text.lower().replace(",", " ").replace(".", " ").split()
    for i in range(len(words) - dedup.SHINGLE_WORDS + 1):
        one_by_one.update(" ".join(words[i:i + dedup.SHINGLE_WORDS]).encode("utf-8"))
    assert (dedup.minhash(text).hashvalues == one_by_one.hashvalues).all()
    assert (dedup.minhash("").hashvalues == MinHash(num_perm=dedup.NUM_PERM, seed=1).hashvalues).all()
