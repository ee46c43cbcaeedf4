"""Truth discovery (newswatch.reliability.truth) on literal claim groups, and on the public
truth-discovery data sets when they are present."""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from newswatch.reliability.truth import (
    FIRST_PARTY,
    Claim,
    Item,
    Params,
    beta_interval,
    discover,
)

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "truth_discovery.py"


def _items(rows: list[dict[str, float | str]]) -> list[Item]:
    out = []
    for n, row in enumerate(rows):
        claims = [Claim(s, text=v) if isinstance(v, str) else Claim(s, float(v))
                  for s, v in row.items()]
        out.append(Item(n, claims))
    return out


def test_agreement_raises_and_disagreement_lowers() -> None:
    # a, b and c agree on every item; sloppy gives another value on 6 of 12
    rows = []
    for i in range(12):
        v = 1000 + i * 10
        rows.append({"a": v, "b": v, "c": v, "sloppy": v + 7 if i % 2 else v})
    res = discover(_items(rows))
    s = res.sources
    assert s["sloppy"].reliability < s["a"].reliability
    assert s["sloppy"].disagreed > 4 and s["a"].disagreed < 1
    assert [r.source for r in res.ranking()][-1] == "sloppy"
    assert all(res.items[i].value == 1000 + i * 10 for i in range(12))


def test_reliable_source_wins_a_split_item() -> None:
    # "good" agrees with the others on 10 items, "bad" never does; on the last item the two
    # stand alone against each other and the better record decides
    rows = [{"good": i, "bad": i + 1, "x": i, "y": i} for i in range(100, 110)]
    rows.append({"good": 500, "bad": 900})
    res = discover(_items(rows))
    assert res.items[10].value == 500
    assert res.sources["good"].low > res.sources["bad"].high


def test_copies_of_one_report_count_once() -> None:
    # the wire story (and three outlets crediting it) says 300; two independent reports say 250
    items = []
    for i in range(8):
        base = 200.0 + i
        claims = [Claim("wire", base + 50, report="w"),
                  Claim("copy1", base + 50, report="w", copy=True),
                  Claim("copy2", base + 50, report="w", copy=True),
                  Claim("copy3", base + 50, report="w", copy=True),
                  Claim("indep1", base), Claim("indep2", base)]
        items.append(Item(i, claims))
    res = discover(items)
    assert all(res.items[i].value == 200.0 + i for i in range(8))
    assert res.items[0].reports == 3
    # copiers are neither credited nor blamed for the copied value
    assert res.sources["copy1"].checked == 0
    assert res.sources["copy1"].agreed == res.sources["copy1"].disagreed == 0
    assert res.sources["wire"].checked == 8 and res.sources["wire"].disagreed > 4


def test_undeclared_copier_sharing_rare_wrong_values_is_found() -> None:
    # "copier" repeats "leaky" everywhere, including leaky's odd values nobody else gives
    rows = []
    for i in range(20):
        v = 100 + i
        odd = v + 13 if i % 3 == 0 else v
        rows.append({"a": v, "b": v, "c": v, "leaky": odd, "copier": odd, "d": v})
    assert discover(_items(rows)).dependent == []  # detection is opt-in
    # DEPEN on its own (the copier follows leaky in every item, so echo detection finds it too)
    res = discover(_items(rows), params=Params(detect_copies=True, detect_echo=False))
    pairs = {frozenset((d.a, d.b)) for d in res.dependent}
    assert frozenset(("leaky", "copier")) in pairs
    assert frozenset(("a", "b")) not in pairs
    assert {e.source for e in discover(_items(rows)).echoes if e.probability > 0.5} == {"copier"}


def test_dependence_is_judged_from_the_copy_blind_fixed_point() -> None:
    # five copies of one careless source; on 12 items they outnumber the four accurate sources
    # there, on 30 the eight accurate sources outnumber them. The first round's plain majority
    # gives the copies the 12 items, which must not make the accurate sources look like
    # copiers of each other (they would share 12 "wrong" values)
    rows = []
    for i in range(42):
        v = 1000 + i
        accurate = 4 if i < 12 else 8
        rows.append({**{f"a{k}": v for k in range(accurate)},
                     **{f"copy{k}": v + 5 for k in range(5)}})
    res = discover(_items(rows), params=Params(detect_copies=True, detect_echo=False))
    pairs = {frozenset((d.a, d.b)) for d in res.dependent}
    assert frozenset(("copy0", "copy1")) in pairs
    assert frozenset(("a0", "a1")) not in pairs
    assert all(res.items[i].value == 1000 + i for i in range(42))


def test_qualified_claim_supports_values_it_allows() -> None:
    # "over 220,000" agrees with 230,000; "under 100,000" does not
    items = []
    for i in range(6):
        items.append(Item(i, [Claim("precise1", 230000.0 + i), Claim("precise2", 230000.0 + i),
                              Claim("over", 220000.0, qualifier=">"),
                              Claim("under", 100000.0, qualifier="<")]))
    res = discover(items)
    assert all(res.items[i].value == 230000.0 + i for i in range(6))
    assert res.sources["over"].agreed > 5.5
    assert res.sources["under"].disagreed > 5.5


def test_range_and_rounding_agree() -> None:
    items = [Item(0, [Claim("a", 1.92e9), Claim("b", None, low=1.8e9, high=2.0e9),
                      Claim("c", 1.9e9, precision=1e8), Claim("d", 1.5e9)])]
    res = discover(items)
    assert res.items[0].value == 1.92e9
    checks = {c.source: c.agreement for c in res.checks}
    assert checks["b"] == pytest.approx(1.0, abs=0.3) and checks["c"] > 0.5
    assert checks["d"] < 0.4


def test_mixed_numeric_and_text_items() -> None:
    rows = []
    for i in range(6):
        rows.append({"a": 220000 + i, "b": 220000 + i, "c": 220000 + i, "odd": 100000 + i})
        rows.append({"a": "Memphis, Tennessee", "b": "Memphis, Tennessee", "c": "Memphis",
                     "odd": "Texas"})
    res = discover(_items(rows))
    assert res.items[1].text == "Memphis, Tennessee" and res.items[1].value is None
    assert res.items[0].value == 220000
    assert res.sources["odd"].reliability < min(res.sources[s].reliability for s in "abc")
    checks = {(c.source, c.item): c.agreement for c in res.checks}
    assert checks[("c", 1)] > 0.99  # "Memphis" is consistent with "Memphis, Tennessee"
    assert checks[("odd", 1)] < 0.01


def test_few_checked_claims_stay_near_the_prior_and_are_flagged() -> None:
    rows = [{"a": 10 + i, "b": 10 + i, "new": 10 + i if i == 0 else None} for i in range(8)]
    rows = [{k: v for k, v in r.items() if v is not None} for r in rows]
    res = discover(_items(rows))
    new = res.sources["new"]
    assert new.checked == 1 and not new.enough_evidence
    assert res.sources["a"].enough_evidence
    assert new.high - new.low > 0.4  # wide interval: one claim says little
    ranked = [r.source for r in res.ranking()]
    assert ranked[-1] == "new"


def test_first_party_prior_starts_strong() -> None:
    # one item, the company's release against one outlet: the release wins, and stays high
    items = [Item(0, [Claim("outlet", 250.0), Claim("company", 300.0)])]
    res = discover(items, priors={"company": FIRST_PARTY})
    assert res.items[0].value == 300.0
    assert res.sources["company"].reliability > 0.9
    assert res.sources["outlet"].reliability < res.sources["company"].reliability


def test_one_vote_per_source_per_item_is_its_latest_claim() -> None:
    items = [Item(0, [Claim("a", 5.0), Claim("a", 7.0), Claim("b", 7.0)])]
    res = discover(items)
    assert res.items[0].reports == 2 and res.items[0].value == 7.0


def test_beta_interval() -> None:
    lo, hi = beta_interval(1.0, 1.0, 0.90)
    assert lo == pytest.approx(0.05, abs=1e-6) and hi == pytest.approx(0.95, abs=1e-6)
    lo, hi = beta_interval(91.0, 11.0, 0.90)
    assert 0.83 < lo < 0.86 < 0.93 < hi < 0.95


def test_no_items_no_sources() -> None:
    res = discover([])
    assert res.items == {} and res.sources == {} and res.dependent == []


def _bench():
    spec = importlib.util.spec_from_file_location("truth_bench", BENCH)
    mod = importlib.util.module_from_spec(spec)
    sys.modules["truth_bench"] = mod
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.dataset
def test_public_sets_held_out_beat_majority() -> None:
    """On the held-out halves the default method clearly beats majority vote on flights and is
    no worse on population, and its weights follow measured accuracy on flights."""
    bench = _bench()
    if not bench.DEFAULT_DATA.exists():
        pytest.skip("truth-discovery data sets absent")

    def exact(v, g):
        return v is not None and any(abs(v - x) < 1e-9 for x in g)

    def within1pct(v, g):
        return v is not None and any(abs(v - x) <= 0.01 * abs(x) for x in g)

    items, truth = bench.load_flights(bench.DEFAULT_DATA)
    r = bench.evaluate(items, truth, exact)
    assert r["newswatch"]["held-out"] >= r["majority"]["held-out"] + 0.1
    assert r["newswatch"]["held-out"] >= 0.9
    assert r["spearman"] > 0.7
    # declared first-party, the airlines' sites win the items only they get right, which a
    # strong prior alone does not
    strong = replace(FIRST_PARTY, decisive=False)
    prior_only = bench.evaluate(items, truth, exact, {a: strong for a in bench.AIRLINES})
    assert prior_only["newswatch"]["held-out"] >= r["newswatch"]["held-out"]
    first_party = bench.evaluate(items, truth, exact, {a: FIRST_PARTY for a in bench.AIRLINES})
    assert first_party["newswatch"]["held-out"] >= prior_only["newswatch"]["held-out"] + 0.02
    # DEPEN judged from the copy-blind fixed point does not undo it (judged from the first
    # round's majority it marked the airline's own site a copier and lost 0.11)
    depen = bench.evaluate(items, truth, exact, params=Params(detect_copies=True))
    assert depen["newswatch"]["held-out"] >= r["newswatch"]["held-out"] - 0.01
    items, truth = bench.load_spectrum(bench.DEFAULT_DATA, "population")
    r = bench.evaluate(items, truth, within1pct)
    assert r["newswatch"]["held-out"] >= r["majority"]["held-out"]
    # the echoing bots' repeats count once: at most 12 % of held-out items more than 1 % off
    assert r["newswatch"]["held-out"] >= 0.88


def _echo_items() -> list[Item]:
    """A bot that re-saves whatever value it finds: on 20 pages it repeats a one-off editor's
    value, and on 6 it repeats a vandal's change of the value the good editor gave."""
    items = [Item(("page", i), [Claim(f"editor{i}", 100.0 + i), Claim("bot", 100.0 + i)])
             for i in range(20)]
    items += [Item(("good", i), [Claim("good", 500.0 + i), Claim("e1", 500.0 + i),
                                 Claim("e2", 500.0 + i)]) for i in range(10)]
    items += [Item(("vandalised", i), [Claim("good", 900.0 + i), Claim(f"vandal{i}", 1.0 + i),
                                       Claim("bot", 1.0 + i)]) for i in range(6)]
    return items


def test_a_source_echoing_the_claim_before_it_counts_once() -> None:
    items = _echo_items()
    res = discover(items)
    echo = {e.source: e for e in res.echoes}
    assert echo["bot"].probability > 0.9 and echo["bot"].repeats == 26
    assert echo["e2"].probability < 0.5  # agreeing with an accurate source is not echoing
    assert all(res.items[("vandalised", i)].value == 900.0 + i for i in range(6))
    assert res.items[("vandalised", 0)].reports == 2  # the bot's repeat is the vandal's report
    # but the bot said it: a repeat is still checked as its own claim where another report
    # exists (on the 20 pages the editor's and the bot's claim are one report: nothing to check)
    bot = res.sources["bot"]
    assert bot.checked == 6 and bot.disagreed == 6
    assert res.sources["vandal0"].checked == 1 and res.sources["vandal0"].disagreed == 1
    # without echo detection the bot's long record of repeats outvotes the good editor
    plain = discover(items, params=Params(detect_echo=False))
    assert plain.items[("vandalised", 0)].value == 1.0 and plain.echoes == []


def test_default_prior_is_fitted_to_the_sources_checks() -> None:
    # twelve one-off sources, eight of them wrong against two sources that agree throughout
    rows = [{"a": 10 + i, "b": 10 + i, f"once{i}": 10 + i if i < 4 else 99 + i} for i in range(12)]
    res = discover(_items(rows), params=Params(learn_prior=True))
    assert res.prior_mean < 0.6
    assert discover(_items(rows)).prior_mean == 0.75  # opt-in
    # a one-off source that agreed sits near the fitted prior, not near a fixed 0.75
    assert res.sources["once0"].reliability < 0.75


def test_benchmark_ceiling_counts_the_sources_right_per_item() -> None:
    """The ceiling counts, per scored item, the sources that claim a correct value: none (no
    method picking a claimed value gets it), one (only by trusting that one over the rest)."""
    bench = _bench()
    items = [Item("a", [Claim("x", 1.0), Claim("y", 2.0), Claim("z", 2.0)]),
             Item("b", [Claim("x", 5.0), Claim("y", 6.0)]),
             Item("c", [Claim("x", 7.0), Claim("y", 7.0)]),
             Item("unscored", [Claim("x", 9.0)])]
    truth = {"a": {1.0}, "b": {4.0}, "c": {7.0}}

    def exact(v, g):
        return v is not None and v in g

    assert bench.reachable(items, truth, exact) == {"a": 1, "b": 0, "c": 2}


def test_a_decisive_source_outvotes_a_group_that_a_strong_prior_does_not() -> None:
    # five outlets repeat one figure on every item; on the last the company's own site differs
    items = [Item(i, [Claim(f"o{k}", 10.0 + i) for k in range(5)] + [Claim("company", 10.0 + i)])
             for i in range(10)]
    items.append(Item("own", [Claim(f"o{k}", 99.0) for k in range(5)] + [Claim("company", 42.0)]))
    strong = discover(items, priors={"company": replace(FIRST_PARTY, decisive=False)})
    assert strong.items["own"].value == 99.0
    decisive = discover(items, priors={"company": FIRST_PARTY})
    assert decisive.items["own"].value == 42.0
    assert decisive.sources["o0"].disagreed == 1.0 and strong.sources["o0"].disagreed == 0.0
    # two decisive sources that differ are weighed as usual: the one the outlets back wins
    two = [Item(0, [Claim("a", 1.0), Claim("b", 2.0), Claim("o", 2.0)])]
    auth = replace(FIRST_PARTY, decisive=True)
    assert discover(two, priors={"a": auth, "b": auth}).items[0].value == 2.0
