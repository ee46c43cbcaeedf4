"""The published truth-discovery methods, as plain functions over one numeric claim table.

These are the comparison points for `truth.discover` (and what it borrows from): each takes a
`Table` (one vote per source per item, declared copies collapsed into their report) and returns
an `Estimate`: one claimed value per item and one weight per source. Methods that estimate a
continuous value (GTM, CATD) return the claimed value nearest to it, so exact-match scoring is
fair to them. Every distance is scaled per item (the spread of its claims), because a
population of millions and a temperature of 40 must share one loss.

* majority, median - the baselines.
* CRH (Li et al. 2014): weights ``-log(loss share)``, truth by weighted vote (0-1 loss) or
  weighted median (absolute loss scaled by the item's spread).
* TruthFinder (Yin, Han and Yu 2007): trust = mean confidence of a source's values; a value's
  score is the sum of ``-ln(1 - trust)`` over its sources plus ``rho`` times the scores of
  nearby values (implication ``exp(-d / scale) - base``), squashed by a logistic.
* CATD (Li et al. 2015): weight = lower chi-square quantile of the source's claim count over its
  summed squared loss, so a source with few claims cannot earn a large weight by luck.
* GTM (Zhao and Han 2012): each source has a variance with an inverse-gamma prior, each item a
  Gaussian truth; standardised per item.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass

import numpy as np

from newswatch.reliability.truth import Item

__all__ = ["Table", "Estimate", "table", "METHODS", "majority", "median", "crh_vote",
           "crh_median", "truthfinder", "catd", "gtm", "chi2_ppf"]


@dataclass
class Table:
    """Numeric claims flattened: one row per (item, source) vote, candidates per item."""

    keys: list[Hashable]
    sources: list[str]
    item: np.ndarray        # row -> item index
    src: np.ndarray         # row -> source index
    value: np.ndarray       # row -> claimed value
    cand: np.ndarray        # row -> candidate index (distinct value of its item)
    cand_item: np.ndarray   # candidate -> item index
    cand_value: np.ndarray
    scale: np.ndarray       # item -> spread of its claims (std, floored)
    order: np.ndarray       # rows sorted by (item, value): for weighted medians

    @property
    def n_items(self) -> int:
        return len(self.keys)


@dataclass
class Estimate:
    values: np.ndarray      # item -> chosen (claimed) value
    weights: np.ndarray     # source -> weight (higher is more trusted)

    def as_dict(self, t: Table) -> dict[Hashable, float]:
        return dict(zip(t.keys, self.values.tolist(), strict=True))


def table(items: Iterable[Item]) -> Table:
    """Flatten items: numeric point claims only, the latest per source, one per declared report
    (its first original), copies marked `copy` dropped."""
    keys: list[Hashable] = []
    sources: list[str] = []
    sidx: dict[str, int] = {}
    item, src, value, cand, cand_item, cand_value = [], [], [], [], [], []
    for it in items:
        latest: dict[str, float] = {}
        reports: set[Hashable] = set()
        for c in it.claims:
            if c.text is not None or c.value is None or not math.isfinite(c.value) or c.copy:
                continue
            latest.pop(c.source, None)
            latest[c.source] = (float(c.value), c.report)
        if not latest:
            continue
        ii = len(keys)
        keys.append(it.key)
        seen: dict[float, int] = {}
        for s, (v, rep) in latest.items():
            if rep is not None:
                if rep in reports:
                    continue
                reports.add(rep)
            if s not in sidx:
                sidx[s] = len(sources)
                sources.append(s)
            if v not in seen:
                seen[v] = len(cand_value)
                cand_value.append(v)
                cand_item.append(ii)
            item.append(ii)
            src.append(sidx[s])
            value.append(v)
            cand.append(seen[v])
    item_a = np.array(item, dtype=np.int64)
    value_a = np.array(value, dtype=float)
    n = len(keys)
    cnt = np.maximum(np.bincount(item_a, minlength=n), 1)
    mean = np.bincount(item_a, weights=value_a, minlength=n) / cnt
    var = np.bincount(item_a, weights=(value_a - mean[item_a]) ** 2, minlength=n) / cnt
    std = np.sqrt(var)
    floor = np.maximum(1e-3 * np.abs(mean), 1e-9)
    scale = np.where(std > floor, std, np.maximum(floor, 1.0 if not n else floor))
    return Table(keys, sources, item_a, np.array(src, dtype=np.int64), value_a,
                 np.array(cand, dtype=np.int64), np.array(cand_item, dtype=np.int64),
                 np.array(cand_value, dtype=float), scale,
                 np.lexsort((value_a, item_a)))


# --------------------------------------------------------------------------- building blocks


def _vote(t: Table, row_w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weighted vote: (winning candidate per item, candidate scores). Ties: first claimed."""
    score = np.bincount(t.cand, weights=row_w, minlength=len(t.cand_value))
    return _argmax_per_item(t, score), score


def _argmax_per_item(t: Table, score: np.ndarray) -> np.ndarray:
    order = np.lexsort((np.arange(len(score)), -score, t.cand_item))
    first = np.searchsorted(t.cand_item[order], np.arange(t.n_items))
    return order[first]


def _weighted_median(t: Table, row_w: np.ndarray) -> np.ndarray:
    """Per item, the lower weighted median of its claimed values."""
    o = t.order
    w = row_w[o]
    cs = np.cumsum(w)
    items = t.item[o]
    start = np.searchsorted(items, np.arange(t.n_items))
    before = np.where(start > 0, cs[np.maximum(start - 1, 0)], 0.0)
    within = cs - before[items]
    total = np.bincount(items, weights=w, minlength=t.n_items)
    ok = within >= total[items] / 2.0 - 1e-12
    pos = np.where(ok, np.arange(len(o)), len(o))
    first = np.minimum.reduceat(pos, start) if len(o) else pos
    return t.value[o][np.minimum(first, len(o) - 1)]


def _nearest_claimed(t: Table, target: np.ndarray) -> np.ndarray:
    """Per item, the claimed value nearest a continuous estimate (ties: the smaller)."""
    d = np.abs(t.value - target[t.item])
    o = np.lexsort((t.value, d, t.item))
    first = np.searchsorted(t.item[o], np.arange(t.n_items))
    return t.value[o][first]


def _neg_log_share(loss: np.ndarray) -> np.ndarray:
    total = loss.sum()
    if total <= 0:
        return np.ones_like(loss)
    return -np.log(np.maximum(loss, 1e-12) / total)


# --------------------------------------------------------------------------- methods


def majority(t: Table) -> Estimate:
    win, _ = _vote(t, np.ones(len(t.item)))
    return Estimate(t.cand_value[win], np.ones(len(t.sources)))


def median(t: Table) -> Estimate:
    return Estimate(_weighted_median(t, np.ones(len(t.item))), np.ones(len(t.sources)))


def crh_vote(t: Table, iterations: int = 10, mean_loss: bool = False) -> Estimate:
    """CRH with categorical values: 0-1 loss, weighted vote. `mean_loss` divides a source's
    loss by its claim count (the paper sums it, which favours sources with few claims)."""
    ns = len(t.sources)
    w = np.ones(ns)
    counts = np.maximum(np.bincount(t.src, minlength=ns), 1)
    win = None
    for _ in range(iterations):
        win, _ = _vote(t, w[t.src])
        loss = np.bincount(t.src, weights=(t.cand != win[t.item]).astype(float), minlength=ns)
        if mean_loss:
            loss = loss / counts
        w = _neg_log_share(loss + 1e-3)
    return Estimate(t.cand_value[win], w)


def crh_median(t: Table, iterations: int = 10, mean_loss: bool = False) -> Estimate:
    """CRH with continuous values: absolute loss scaled by the item's spread, weighted median."""
    ns = len(t.sources)
    w = np.ones(ns)
    counts = np.maximum(np.bincount(t.src, minlength=ns), 1)
    truth = _weighted_median(t, w[t.src])
    for _ in range(iterations):
        d = np.abs(t.value - truth[t.item]) / t.scale[t.item]
        loss = np.bincount(t.src, weights=d, minlength=ns)
        if mean_loss:
            loss = loss / counts
        w = _neg_log_share(loss + 1e-3)
        truth = _weighted_median(t, w[t.src])
    return Estimate(truth, w)


def truthfinder(t: Table, iterations: int = 10, gamma: float = 0.3, rho: float = 0.5,
                base: float = 0.5, trust0: float = 0.9) -> Estimate:
    """TruthFinder with numeric implication between the values of one item."""
    ns = len(t.sources)
    trust = np.full(ns, trust0)
    # candidate pairs of one item (a -> b): implication exp(-|a-b|/scale) - base
    ci = t.cand_item
    o = np.argsort(ci, kind="stable")
    start = np.searchsorted(ci[o], np.arange(t.n_items + 1))
    sizes = np.diff(start)
    pa, pb = [], []
    for k in np.unique(sizes[sizes > 1]):
        its = np.flatnonzero(sizes == k)
        block = o[start[its][:, None] + np.arange(k)[None, :]]
        ia, ib = np.nonzero(~np.eye(k, dtype=bool))
        pa.append(block[:, ia].ravel())
        pb.append(block[:, ib].ravel())
    pa_a = np.concatenate(pa) if pa else np.zeros(0, np.int64)
    pb_a = np.concatenate(pb) if pb else np.zeros(0, np.int64)
    imp = np.exp(-np.abs(t.cand_value[pa_a] - t.cand_value[pb_a]) / t.scale[ci[pa_a]]) - base
    conf = np.zeros(len(t.cand_value))
    for _ in range(iterations):
        tau = -np.log(np.maximum(1.0 - trust, 1e-9))
        sigma = np.bincount(t.cand, weights=tau[t.src], minlength=len(t.cand_value))
        star = sigma + rho * np.bincount(pb_a, weights=sigma[pa_a] * imp,
                                         minlength=len(sigma))
        conf = 1.0 / (1.0 + np.exp(-gamma * star))
        counts = np.maximum(np.bincount(t.src, minlength=ns), 1)
        trust = np.bincount(t.src, weights=conf[t.cand], minlength=ns) / counts
    win = _argmax_per_item(t, conf)
    return Estimate(t.cand_value[win], trust)


def _gammainc_lower(a: float, x: float) -> float:
    """Regularised lower incomplete gamma P(a, x) (series / continued fraction)."""
    if x <= 0:
        return 0.0
    gln = math.lgamma(a)
    if x < a + 1.0:
        ap, s, d = a, 1.0 / a, 1.0 / a
        for _ in range(500):
            ap += 1.0
            d *= x / ap
            s += d
            if abs(d) < abs(s) * 1e-12:
                break
        return s * math.exp(-x + a * math.log(x) - gln)
    b, c, d = x + 1.0 - a, 1e300, 1.0 / (x + 1.0 - a)
    h = d
    for i in range(1, 500):
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        d = 1.0 / (d if abs(d) > 1e-300 else 1e-300)
        c = b + an / c
        c = c if abs(c) > 1e-300 else 1e-300
        h *= d * c
        if abs(d * c - 1.0) < 1e-12:
            break
    return 1.0 - math.exp(-x + a * math.log(x) - gln) * h


def chi2_ppf(p: float, k: float) -> float:
    """Quantile of the chi-square distribution with k degrees of freedom (bisection)."""
    lo, hi = 0.0, max(10.0, k + 20.0 * math.sqrt(2 * k) + 20.0)
    for _ in range(80):
        mid = (lo + hi) / 2.0
        if _gammainc_lower(k / 2.0, mid / 2.0) < p:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2.0


def catd(t: Table, iterations: int = 10, alpha: float = 0.05, vote: bool = False) -> Estimate:
    """CATD: weight = chi2_{alpha/2}(n_s) / summed squared scaled loss; truth by weighted mean
    (nearest claimed value), or by weighted vote with 0-1 loss when `vote`."""
    ns = len(t.sources)
    counts = np.bincount(t.src, minlength=ns)
    cache: dict[int, float] = {}
    num = np.array([cache.setdefault(int(n), chi2_ppf(alpha / 2.0, int(n))) for n in counts])
    w = np.ones(ns)
    truth = np.zeros(t.n_items)
    for _ in range(iterations):
        rw = w[t.src]
        if vote:
            win, _ = _vote(t, rw)
            truth = t.cand_value[win]
            loss = np.bincount(t.src, weights=(t.cand != win[t.item]).astype(float),
                               minlength=ns)
        else:
            mean = (np.bincount(t.item, weights=rw * t.value, minlength=t.n_items)
                    / np.maximum(np.bincount(t.item, weights=rw, minlength=t.n_items), 1e-300))
            truth = mean
            loss = np.bincount(t.src, weights=((t.value - mean[t.item]) / t.scale[t.item]) ** 2,
                               minlength=ns)
        w = num / np.maximum(loss, 1e-6)
        w = w / w.sum()
    if not vote:
        truth = _nearest_claimed(t, truth)
    return Estimate(truth, w)


def gtm(t: Table, iterations: int = 10, alpha: float = 10.0, beta: float = 10.0,
        mu0: float = 0.0, sigma0: float = 1.0) -> Estimate:
    """GTM on claims standardised per item (mean and spread); the truth's prior N(mu0, sigma0^2)
    is in those units; source variance has an inverse-gamma(alpha, beta) prior."""
    ns = len(t.sources)
    cnt = np.maximum(np.bincount(t.item, minlength=t.n_items), 1)
    center = np.bincount(t.item, weights=t.value, minlength=t.n_items) / cnt
    z = (t.value - center[t.item]) / t.scale[t.item]
    counts = np.bincount(t.src, minlength=ns)
    var = np.ones(ns)
    mu = np.zeros(t.n_items)
    for _ in range(iterations):
        prec = 1.0 / var[t.src]
        mu = ((mu0 / sigma0 ** 2 + np.bincount(t.item, weights=z * prec, minlength=t.n_items))
              / (1.0 / sigma0 ** 2 + np.bincount(t.item, weights=prec, minlength=t.n_items)))
        sq = np.bincount(t.src, weights=(z - mu[t.item]) ** 2, minlength=ns)
        var = (2.0 * beta + sq) / (2.0 * (alpha + 1.0) + counts)
    truth = _nearest_claimed(t, center + mu * t.scale)
    return Estimate(truth, 1.0 / var)


METHODS: dict[str, Callable[[Table], Estimate]] = {
    "majority": majority,
    "median": median,
    "crh_vote": crh_vote,
    "crh_median": crh_median,
    "truthfinder": truthfinder,
    "catd": catd,
    "gtm": gtm,
}
