"""Discrepancy check: qualifier-aware agreement, sides, scopes, and the seed story."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newswatch.check import ClaimRecord, claim_interval, find_discrepancies, subject_key
from newswatch.claims import extract_claims

FIXTURES = Path(__file__).parent / "fixtures"


def rec(i, article, value, unit="GPU", qualifier="=", surface=None, subject="Colossus 1",
        attribute="gpu_count", scope="", low=None, high=None):
    return ClaimRecord(claim_id=i, article_id=article, source_id=article, value=value, unit=unit,
                       surface=surface or f"{value:,.0f}", qualifier=qualifier, subject=subject,
                       attribute=attribute, scope=scope, low=low, high=high)


def records_from_texts(texts: dict[int, str]) -> list[ClaimRecord]:
    out, n = [], 0
    for article, text in texts.items():
        for c in extract_claims(text):
            n += 1
            out.append(ClaimRecord.from_claim(c, n, article, article))
    return out


@pytest.mark.parametrize("a,b", [
    (rec(1, 1, 220000, qualifier=">", surface="over 220,000"), rec(2, 2, 230000, surface="230,000")),
    (rec(1, 1, 48000, qualifier="~", surface="about 48,000"), rec(2, 2, 48500, surface="48,500")),
    (rec(1, 1, 3e8, "W", surface="300 MW", attribute="power"), rec(2, 2, 3e8, "W", surface="0.3 GW", attribute="power")),
    (rec(1, 1, 220000, surface="220,000"), rec(2, 2, 220000, qualifier=">", surface="over 220,000")),
    (rec(1, 1, 220000, qualifier=">=", surface="220,000+"), rec(2, 2, 220000, qualifier=">", surface="more than 220,000")),
    (rec(1, 1, 3e8, "W", qualifier=">=", surface="300+ MW", attribute="power"), rec(2, 2, 3e8, "W", surface="300 megawatts", attribute="power")),
    (rec(1, 1, 1.1e10, "W", qualifier="range", low=1e10, high=1.2e10, surface="10-12 GW", attribute="power"),
     rec(2, 2, 1.15e10, "W", surface="11.5 GW", attribute="power")),
])
def test_agreeing_claims_are_not_flagged(a, b):
    assert find_discrepancies([a, b]) == []


def test_conflict_lists_every_claim_on_every_side():
    claims = [rec(1, 1, 1e6, qualifier=">", surface="over 1 million"), rec(2, 1, 1_024_000, surface="1,024,000"),
              rec(3, 2, 220000, qualifier=">", surface="over 220,000"), rec(4, 3, 220000, qualifier=">=", surface="220,000+")]
    (d,) = find_discrepancies(claims)
    assert sorted(d.claim_ids) == [1, 2, 3, 4]
    sides = sorted(sorted(c.claim_id for c in s.claims) for s in d.sides)
    assert sides == [[1, 2], [3, 4]]
    assert 0.7 < d.severity < 0.85


def test_different_scope_subject_or_unit_dimension_is_not_compared():
    base = rec(1, 1, 3e8, "W", surface="300 MW", attribute="power")
    assert find_discrepancies([base, rec(2, 2, 5e9, "W", surface="5 GW", attribute="power", scope="by 2028")]) == []
    assert find_discrepancies([base, rec(2, 2, 5e9, "W", surface="5 GW", attribute="power", subject="Colossus 2")]) == []
    assert find_discrepancies([base, rec(2, 2, 5e9, "Wh", surface="5 GWh", attribute="power")]) == []
    assert find_discrepancies([base, rec(2, 2, 4e7, "W", surface="40 MW", attribute="power", subject="")]) == []


def test_intra_article_contradiction_counts_for_headline_attributes():
    a = rec(1, 7, 1.08, "", surface="1.08", attribute="pue")
    b = rec(2, 7, 1.12, "", surface="1.12", attribute="pue")
    (d,) = find_discrepancies([a, b])
    assert d.intra_article and d.attribute == "pue"
    s1 = rec(3, 7, 2e17, "B", surface="200 PB", attribute="storage")
    s2 = rec(4, 7, 8e15, "B", surface="8 PB", attribute="storage")
    assert find_discrepancies([s1, s2]) == []  # components of one system, not a contradiction


def test_subject_aliases():
    assert subject_key("xAI’s Colossus 1 supercomputer") == subject_key("Colossus 1") == "colossus 1"
    assert subject_key("Colossus 2") != subject_key("Colossus 1")


def test_interval_uses_written_precision():
    lo, hi = claim_interval(rec(1, 1, 220000, surface="220,000"))
    assert lo == pytest.approx(215000) and hi == pytest.approx(225000)
    lo, hi = claim_interval(rec(1, 1, 1.08, "", surface="1.08", attribute="pue"))
    assert hi < 1.09 and lo > 1.07


def _seed_records():
    seeds = FIXTURES / "seeds"
    if not (seeds / "000_0f09f7e659b21d55.txt").exists():
        seeds = Path(__file__).resolve().parents[2] / "shared" / "seeds"
    files = sorted(seeds.glob("00*_*.txt"))
    if len(files) < 5:
        pytest.skip("seed articles not available")
    return records_from_texts({i: f.read_text(encoding="utf-8") for i, f in enumerate(files)})


def test_seed_story_discrepancies():
    recs = _seed_records()
    found = {(d.subject, d.attribute): d for d in find_discrepancies(recs)}
    gpu = found[("Colossus 1", "gpu_count")]
    side_articles = [{c.article_id for c in s.claims} for s in gpu.sides]
    assert any(arts == {0} for arts in side_articles)  # 000 alone on a side
    assert {1, 2, 3, 4} <= set().union(*(a for a in side_articles if a != {0}))
    assert any("1 million" in c.surface for s in gpu.sides for c in s.claims)
    assert any("1,024,000" in c.surface for s in gpu.sides for c in s.claims)
    assert any("4,096" in c.surface for s in gpu.sides for c in s.claims)
    power = found[("Colossus 1", "power")]
    sides = [{c.article_id for c in s.claims} for s in power.sides]
    assert {0} in sides and any(arts and 0 not in arts for arts in sides)
    assert {c.surface for s in power.sides for c in s.claims} >= {"40 MW", "over 40 MW", "300+ MW"}
    assert ("Colossus 1", "pue") in found


def test_seed_story_non_conflicts_are_not_flagged():
    recs = _seed_records()
    for d in find_discrepancies(recs):
        surfaces = {c.surface for s in d.sides for c in s.claims}
        assert not surfaces & {"5 GW", "$200 billion", "10 MW"}, d
        # 220,000 / over 220,000 / 220,000+ and 300 MW / 300+ MW / 300 megawatts are on one side each
        sides_with_220k = [s for s in d.sides if any("220,000" in c.surface for c in s.claims)]
        assert len(sides_with_220k) <= 1
        sides_with_300 = [s for s in d.sides if any("300" in c.surface and c.unit == "W" for c in s.claims)]
        assert len(sides_with_300) <= 1


EVENT_FILES = sorted((FIXTURES / "claims" / "events").glob("*.json"))


@pytest.mark.parametrize("path", EVENT_FILES, ids=[p.stem for p in EVENT_FILES])
def test_fixture_events(path):
    ev = json.loads(path.read_text(encoding="utf-8"))
    recs = records_from_texts({a["id"]: a["text"] for a in ev["articles"]})
    found = find_discrepancies(recs)
    for exp in ev["expect_discrepancies"]:
        match = [d for d in found if d.attribute == exp["attribute"] and exp["subject_contains"] in d.subject]
        assert match, f"missing {exp}: {[(d.subject, d.attribute) for d in found]}"
        sides = sorted(sorted({c.article_id for c in s.claims}) for s in match[0].sides)
        assert sides == sorted(sorted(s) for s in exp["sides"])
    for absent in ev.get("expect_absent", []):
        assert not [d for d in found if all(getattr(d, k) == v for k, v in absent.items())]
