"""Place claims: where the facility a story is about is, and when two places disagree
(sentences written for these tests)."""

from __future__ import annotations

import pytest

from newswatch.claims import places
from newswatch.claims.frames import extract_claims
from newswatch.claims.groups import ArticleInfo, ClaimRecord, analyse_story


def located(text: str) -> list[tuple[str, str]]:
    """(place, owner) of every place claim in `text`."""
    return [(c.value_text, c.entity) for c in extract_claims(text) if c.value is None]


# ---------------------------------------------------------------- reading places

def test_a_locative_verb_gives_the_place_of_its_subject():
    assert located("Colossus 1 is located in Memphis, Tennessee.") == [("Memphis, Tennessee", "Colossus 1")]
    (c,) = [c for c in extract_claims("The Helios cluster sits in Reno, Nevada, next to a substation.")
            if c.value is None]
    assert c.value_text == "Reno, Nevada" and c.entity == "Helios" and c.property == "location"
    assert c.value is None and c.surface == "Reno, Nevada"


def test_the_place_of_what_a_facility_houses():
    text = "Anthropic gets the Orion 2 supercomputer housed at Nexa's Ohio data center."
    assert located(text) == [("Ohio", "Orion 2")]


def test_a_facility_named_by_its_place_or_with_a_place():
    assert located("Nexa's Columbus supercomputer, Orion, has 50,000 GPUs.") == [("Columbus", "Orion")]
    assert located("The Stargate campus in Abilene, Texas, will draw 1.2 GW.") == [("Abilene, Texas", "Stargate")]
    assert located("The lab trains on Orion 2, a supercomputer in Reno, Nevada.") == [("Reno, Nevada", "Orion 2")]


def test_a_list_item_or_label_takes_the_thing_its_heading_names():
    text = ("What is Orion 2?\nOrion 2 is a supercomputer run by Nexa for model training.\nKey facts:\n"
            "- Uses over 50,000 GPUs\n- Located near Columbus, Ohio\n")
    assert located(text) == [("Columbus, Ohio", "Orion 2")]
    assert [c.qualifier for c in extract_claims(text) if c.value is None] == ["~"]
    text = ("Nexa leases the Orion 2 cluster to a lab for two years.\nThe Orion 2 Cluster\n"
            "- Power: 90 MW of capacity.\n- Location: Columbus, Ohio — close to the grid.\n")
    assert located(text) == [("Columbus, Ohio", "Orion 2")]


def test_a_lone_city_takes_the_state_its_article_writes_after_it():
    text = ("Nexa opened its Orion 2 data center in Columbus, Ohio, last year. "
            "The cluster, housed in Columbus, now runs 50,000 GPUs.")
    assert {v for v, _ in located(text)} == {"Columbus, Ohio"}


@pytest.mark.parametrize("text", [
    "COLUMBUS, Ohio — Nexa said on Monday that it will double its cluster.",  # a dateline
    "Smith, who lives in Columbus, said the data center is loud.",  # where a person is
    "Musk was in Memphis on Tuesday to talk about the supercomputer.",
    "The deal was announced in Washington on Tuesday.",  # where an event was
    "Nexa, based in Austin, runs the cluster.",  # a company's base
    "Nexa's facilities in Texas and Florida run on solar power.",  # several sites
    "Nexa is building its second data center in Dayton, Ohio.",  # another site of the company
    "The data center is not located in Ohio.",  # negated
    "Orion 2 trains models. Nexa moved the team to an office building in Dayton.",  # some unnamed site
    "Orion 2 trains models. Crowds gathered outside the city hall building in Dayton.",
])
def test_what_is_not_the_facility_location(text):
    assert located(text) == []


def test_reference_markers_do_not_break_the_parse():
    assert located("It is the Orion 2 supercomputer housed at Nexa's Ohio data center[2].") == [("Ohio", "Orion 2")]


def test_an_article_without_figures_is_parsed_only_for_places():
    assert located("The Orion 2 supercomputer is located in Columbus, Ohio. It trains models.") == [
        ("Columbus, Ohio", "Orion 2")]
    assert extract_claims("Nexa trains models for customers around the world.") == []


# ---------------------------------------------------------------- comparing places

def test_places_agree_or_disagree_by_level():
    key = places.place_key
    assert key("Memphis, Tennessee") == "memphis|tennessee|us"
    assert key("Texas") == "|texas|us"
    assert key("Memphis, Tennessee", "~") == "|tennessee|us"  # near Memphis
    assert places.compatible(key("Memphis, Tennessee"), key("Tennessee"))
    assert places.compatible(key("Memphis, Tennessee"), key("Memphis"))
    assert places.compatible(key("United States"), key("Texas"))
    assert not places.compatible(key("Memphis, Tennessee"), key("Texas"))
    assert not places.compatible(key("Memphis, Tennessee", "~"), key("Texas"))
    assert not places.compatible(key("Bayern"), key("Ohio"))  # regions of two countries
    # a city's state only from the text: "Memphis" alone and "Texas" are left undecided
    assert places.compatible(key("Memphis"), key("Texas"))
    # a name that is a country and a US state has no level
    assert places.compatible(key("Georgia"), key("Texas"))


_n = iter(range(1, 10_000))


def place(article: int, value: str, entity: str = "Orion 2", qualifier: str = "=") -> ClaimRecord:
    return ClaimRecord(claim_id=next(_n), article_id=article, source_id=article, value=None, surface=value,
                       qualifier=qualifier,
                       entity=entity, property="location", value_text=value,
                       sentence=f"Report {article}: {entity} is located in {value}.")


def _story(claims: list[ClaimRecord]):
    arts = [ArticleInfo(article_id=a, source_id=a, text=f"Article {a} about Orion 2.", outlet=f"Outlet {a}")
            for a in sorted({c.article_id for c in claims})]
    return analyse_story(claims, arts)


def test_a_place_conflict_is_a_non_numeric_discrepancy():
    found = _story([place(1, "Texas"), place(2, "Memphis, Tennessee"), place(3, "Memphis, Tennessee", qualifier="~"),
                    place(4, "Tennessee")])
    (g,) = found.groups
    assert len(g.claims) == 4
    (d,) = found.discrepancies
    assert d.kind == "conflict" and d.severity == 1.0
    sides = sorted(({c.article_id for c in s.claims} for s in d.sides), key=len)
    assert sides == [{1}, {2, 3, 4}]
    assert {s.value_text for s in d.sides} == {"Texas", "Memphis, Tennessee"}
    assert d.sides[d.majority].value_text == "Memphis, Tennessee"


def test_places_that_can_both_hold_are_no_discrepancy():
    found = _story([place(1, "Memphis, Tennessee"), place(2, "Tennessee"), place(3, "Memphis")])
    assert len(found.groups) == 1 and found.discrepancies == []


def test_places_of_different_things_never_meet():
    found = _story([place(1, "Texas", "Orion 2"), place(2, "Memphis, Tennessee", "Orion 3")])
    assert len(found.groups) == 2 and found.discrepancies == []
