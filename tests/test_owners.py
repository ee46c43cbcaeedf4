"""Owners resolved across a story's articles, and owner disagreement in grouping."""

from __future__ import annotations

from newswatch.claims.entities import story_owners
from newswatch.claims.groups import ClaimRecord, group_claims

TEXTS = [
    "Veteran guard Marla Quince, 29, scored 31 points. Quince said the team had trained hard.",
    "Guard Marla Quinse scored 30 points, while rookie Dev Ortiz added 12 points for the visitors.",
    "The Halvard Labs campus, Halvard's Tessel site, drew 40 megawatts. Ortiz called it a blowout.",
    "Harbour officials said veteran climber Jonah Pell, 41, was rescued. The climber later thanked them.",
]


def test_one_owner_named_several_ways_is_one_known_owner():
    owners = story_owners(["Marla Quince", "Quince", "Marla Quinse", "Guard Marla Quinse", "Dev Ortiz",
                           "Ortiz", "veteran climber", "Jonah Pell"], TEXTS)
    assert owners["Marla Quince"] == owners["Quince"] == owners["Marla Quinse"] == owners["Guard Marla Quinse"]
    assert owners["Dev Ortiz"] == owners["Ortiz"] != owners["Quince"]
    assert owners["veteran climber"] == owners["Jonah Pell"]  # "veteran climber Jonah Pell"


def test_a_company_is_its_possession_and_descriptions_stay_unknown():
    owners = story_owners(["Halvard", "Halvard's Tessel", "Tessel", "the team", "the event"], TEXTS)
    assert owners["Halvard"] == owners["Tessel"]
    assert "the team" not in owners and "the event" not in owners


def test_a_capitalised_word_opening_a_sentence_is_no_name():
    owners = story_owners(["Harbour", "Dev Ortiz"], TEXTS)
    assert "Harbour" not in owners and "Dev Ortiz" in owners


def _claim(cid, article, value, entity, sentence):
    return ClaimRecord(claim_id=cid, article_id=article, source_id=article, value=value, unit="point",
                       surface=f"{value} points", entity=entity, property="points scored", sentence=sentence)


def test_claims_of_two_known_owners_are_kept_apart_but_an_unknown_owner_meets_either():
    quince = _claim(1, 1, 31, "Marla Quince", "Veteran guard Marla Quince, 29, scored 31 points.")
    ortiz = _claim(3, 3, 12, "Dev Ortiz", "Dev Ortiz scored 12 points on the night.")
    player = _claim(4, 4, 31, "player", "The player scored 31 points on the night.")
    texts = TEXTS + [ortiz.sentence, player.sentence]
    apart, _ = group_claims([quince, ortiz], texts)
    assert len(apart) == 2  # Ortiz's points are not Quince's
    together, _ = group_claims([quince, player], texts)
    assert len(together) == 1


def test_an_owner_the_sentence_does_not_name_is_unknown():
    quince = _claim(1, 1, 31, "Marla Quince", "Veteran guard Marla Quince, 29, scored 31 points.")
    carried = _claim(3, 3, 12, "Dev Ortiz", "The visitors scored 12 points on the night.")
    together, _ = group_claims([quince, carried], TEXTS + [carried.sentence])
    assert len(together) == 1


def test_a_person_the_sentence_refers_to_by_pronoun_stays_known():
    quince = _claim(1, 1, 31, "Marla Quince", "Veteran guard Marla Quince, 29, scored 31 points.")
    ortiz = _claim(3, 3, 12, "Dev Ortiz", "He added 12 points in the second half.")
    apart, _ = group_claims([quince, ortiz], TEXTS + [ortiz.sentence])
    assert len(apart) == 2


def test_a_comma_between_two_versions_of_one_family_is_no_apposition():
    """"Compared with the Vireo 7, the Vireo 8 doubles..." reads like "A, the B" but names two
    machines; a later model is never its predecessor."""
    from newswatch.claims.entities import resolve_story_entities
    texts = ["Compared with the Vireo 7, the Vireo 8 doubles the memory to 96GB.",
             "The Vireo 8 draws 900 watts."]
    canon = resolve_story_entities(["Vireo 7", "Vireo 8"], texts)
    assert canon["Vireo 7"] != canon["Vireo 8"]
    owners = story_owners(["Vireo 7", "Vireo 8"], texts)
    assert owners.get("Vireo 7") != owners.get("Vireo 8")


def test_a_pair_of_names_is_searched_with_its_own_pattern_only_where_they_may_stand_together(monkeypatch) -> None:
    """A long story has a hundred names and few ever side by side: the pattern joining two names
    is compiled only for a text where the one follows the other with what apposition allows in
    between; the joins are those of searching every text with every pair's pattern."""
    from newswatch.claims import entities

    compiled: list[str] = []
    real = entities._pattern.__wrapped__
    entities._pattern.cache_clear()
    monkeypatch.setattr(entities, "_pattern", lambda p: compiled.append(p) or real(p))
    texts = ["Orion Labs said Nexa Cloud and Halden Compute will share the Pinewood site.",
             "Halden Compute, the Oulu operator, and Nexa Cloud met. Orion Labs declined to comment.",
             "Duncan Rait, 36, an Australian climber, was rescued; Nexa Cloud paid."]
    names = ["Orion Labs", "Nexa Cloud", "Halden Compute", "the Oulu operator", "Duncan Rait",
             "climber", "Pinewood"]
    canon = entities.resolve_story_entities(names, texts)
    owners = story_owners(names, texts)
    assert canon["Halden Compute"] == canon["the Oulu operator"] != canon["Nexa Cloud"]
    assert owners["climber"] == owners["Duncan Rait"] != owners["Orion Labs"]
    pairs = [p for p in compiled if "Nexa" in p and ("Orion" in p or "Halden" in p or "Pinewood" in p)]
    assert pairs == []  # named in one text, never side by side: no pair's pattern compiled
