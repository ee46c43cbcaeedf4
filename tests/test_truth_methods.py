"""The published truth-discovery methods (newswatch.reliability.methods) on literal tables."""

from __future__ import annotations

import pytest

from newswatch.reliability import methods
from newswatch.reliability.truth import Claim, Item


def _items() -> list[Item]:
    # good1..3 always give the truth; sloppy1..2 agree on a wrong value on half the items,
    # so majority vote is split there and only source weights can decide
    items = []
    for i in range(20):
        v = 100.0 + i
        wrong = v + 5 if i % 2 else v
        claims = [Claim("good1", v), Claim("good2", v),
                  Claim("sloppy1", wrong), Claim("sloppy2", wrong), Claim("sloppy3", wrong)]
        if i % 2 == 0:
            claims.append(Claim("good3", v))
        items.append(Item(i, claims))
    return items


@pytest.mark.parametrize("name", ["crh_vote", "catd", "gtm", "truthfinder", "median"])
def test_methods_return_claimed_values(name: str) -> None:
    t = methods.table(_items())
    est = methods.METHODS[name](t)
    assert len(est.values) == t.n_items == 20
    claimed = set(t.value.tolist())
    assert all(v in claimed for v in est.values)


def test_majority_follows_the_larger_wrong_cluster() -> None:
    t = methods.table(_items())
    assert methods.majority(t).as_dict(t)[1] == 106.0


def test_weighted_methods_trust_the_consistent_sources() -> None:
    # good sources agree everywhere; each sloppy one errs on its own on half the items; on a
    # last item good1 and sloppy1 stand alone against each other and the weights decide
    items = []
    for i in range(20):
        v = 100.0 + i
        items.append(Item(i, [Claim("good1", v), Claim("good2", v), Claim("good3", v),
                              Claim("sloppy1", v + 3 if i % 2 else v),
                              Claim("sloppy2", v + 7 if i % 2 == 0 else v)]))
    items.append(Item("split", [Claim("sloppy1", 1.0), Claim("good1", 2.0)]))
    t = methods.table(items)
    for fn in (methods.crh_vote, methods.catd, methods.gtm, methods.truthfinder):
        est = fn(t)
        w = dict(zip(t.sources, est.weights, strict=True))
        assert w["good1"] > w["sloppy1"], fn.__name__
        assert est.as_dict(t)["split"] == 2.0, fn.__name__


def test_declared_copies_collapse_into_one_row() -> None:
    items = [Item(0, [Claim("wire", 5.0, report="w"), Claim("copy", 5.0, report="w", copy=True),
                      Claim("other", 5.0, report="w"), Claim("x", 7.0)])]
    t = methods.table(items)
    assert len(t.item) == 2


def test_chi2_ppf() -> None:
    assert methods.chi2_ppf(0.025, 1) == pytest.approx(0.000982, rel=1e-2)
    assert methods.chi2_ppf(0.975, 10) == pytest.approx(20.483, rel=1e-3)
    assert methods.chi2_ppf(0.025, 100) == pytest.approx(74.222, rel=1e-3)
