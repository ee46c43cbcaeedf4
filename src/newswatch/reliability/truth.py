"""Truth discovery: each claim group's most likely value and each source's reliability, together.

Pure code: plain dataclasses in and out, no store. The model is ACCU (Dong, Berti-Equille and
Srivastava 2009) with the parts news needs:

* **Votes.** A source of accuracy A votes ``ln(n A / (1 - A))`` for the values its claim
  allows (zero when A is below 1/(n+1), so a mostly-wrong source cannot outvote anyone), and
  each item's consensus is its best-supported candidate. A small n makes the weights sharp:
  a few accurate sources outvote a larger cluster of careless or copied ones.
* **Mixed types in one model** (as CRH does): a numeric claim supports the candidates it allows
  and nothing in another unit; being near a candidate (a kernel of the distance scaled by the
  item's robust spread) earns `near_weight` of support, off by default, since on exact values
  it lets careless sources keep their weight; a qualified claim supports everything it allows ("over 220,000" fully supports 230,000, a range
  supports its inside); text claims support a candidate whose words contain theirs.
* **Agreements count as much as disagreements.** Every claim whose item has another
  independent report is checked against the consensus: agreement 1 when it allows the
  consensus value (equal, inside its range or bound, within the rounding the caller declared),
  0 otherwise. Accuracy is a Beta posterior over these checks, starting from the source's prior
  (first-party sources start with a strong one), so a source with few checked claims stays
  near its prior. A prior can also be `decisive` (`FIRST_PARTY` is): the source's report decides its
  item, as a declared authority on it, and the others are checked against it.
* **Copying is not corroboration.** Claims that share a ``report`` key (one outlet's several
  feeds, a credited wire copy) are one vote; a claim marked ``copy`` neither raises nor lowers
  its source. A source that echoes (`detect_echo`, on): one whose claims repeat the claim just
  before them in time far more often than the two sources' accuracies explain (a bot re-saving
  a page, an aggregator republishing the latest figure) has each repeat join the report it
  repeats: one vote, but still checked as the echoer's own claim (it did say it, so an echoer
  of vandals loses). Found as DEPEN finds a copier, with time order in place of a second
  source, from the accuracies of a first fixed point. Undeclared copying between two sources
  can be detected as in DEPEN (opt-in, `detect_copies`): two sources that share many values
  the consensus considers wrong are dependent; the less accurate one's vote for a shared value
  is discounted by ``1 - c P(dependent)``. Dependence is judged from the copy-blind fixed
  point, never from the first round's plain majority, which a large group of copiers wins
  (then the independent sources' shared values look wrong and they are the ones marked).
* **The prior of a source nobody knows** is `DEFAULT_PRIOR`, or (opt-in, `learn_prior`) a Beta
  whose mean is fitted to all sources' checks (empirical Bayes), since on a large archive the
  typical one-off source is far less accurate than the regulars.

Everything is iterated to a fixed point; items are vectorised with numpy (one row per report x
candidate pair), so a few hundred thousand claims take seconds.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass, field, replace

import numpy as np

__all__ = [
    "Claim",
    "Item",
    "SourcePrior",
    "Params",
    "ItemResult",
    "SourceResult",
    "ClaimCheck",
    "DependentPair",
    "Result",
    "discover",
    "ItemScore",
    "score_item",
    "EchoSource",
    "echo_sources",
    "echo_probability",
    "follow_records",
    "mark_echoes",
    "posterior",
    "beta_interval",
    "FIRST_PARTY",
    "DEFAULT_PRIOR",
]

QUALIFIERS = ("=", "~", ">", ">=", "<", "<=")


@dataclass(frozen=True)
class Claim:
    """One source's value for an item: numeric (`value`, optional qualifier/range) or `text`.

    `report` names the independent report the claim belongs to: claims sharing it within an item
    count as one vote. `copy` marks a claim copied from another source's report (a credited wire
    copy): it votes with its report and is not held for or against its own source. `ref` is the
    caller's handle (a claim id), passed back in the checks. `precision` is the rounding step
    the value was written with (1000 for "220,000" read as thousands); by default a value's own
    decimals (30.1 -> 0.1), an integer being exact.
    """

    source: str
    value: float | None = None
    text: str | None = None
    qualifier: str = "="
    low: float | None = None
    high: float | None = None
    unit: str | None = None
    report: Hashable | None = None
    copy: bool = False
    ref: Hashable | None = None
    precision: float | None = None


@dataclass
class Item:
    """A claim group: the claims of several sources about one thing. One vote per source per
    item: when a source appears twice, its last claim in the list is kept (pass them in time
    order)."""

    key: Hashable
    claims: list[Claim]


@dataclass(frozen=True)
class SourcePrior:
    """Beta prior on a source's accuracy: `mean` and `strength` (pseudo-claims).

    `decisive` makes the source's report decide its item: its vote counts more than all the
    other reports of the item together (two decisive reports that differ are weighed against
    each other as usual). For a source declared to be the authority on what it reports (an
    airline's own flight times): however strong, a prior alone gives one vote, which a group
    of outlets repeating one feed's figure outnumbers.
    """

    mean: float = 0.75
    strength: float = 2.0
    decisive: bool = False

    @property
    def alpha(self) -> float:
        return self.mean * self.strength

    @property
    def beta(self) -> float:
        return (1.0 - self.mean) * self.strength


DEFAULT_PRIOR = SourcePrior()
# A first-party source (the company's own release or filing, an airline's own site) is the
# authority on what it reports: trusted from the start and deciding its items.
FIRST_PARTY = SourcePrior(mean=0.98, strength=50.0, decisive=True)


@dataclass(frozen=True)
class Params:
    """Model constants, chosen once on the development half of the public benchmarks (all three
    sets together, never per set); see benchmarks/truth_discovery.py."""

    n_false: float = 3.0            # ACCU n: a vote is ln(n A / (1 - A)), zero below A = 1/(n+1)
    near_weight: float = 0.0        # agreement a numeric claim earns for being near the consensus
    implicit_precision: bool = False  # read "30.1" as +-0.05 when the caller gave no precision
    scale_floor: float = 0.01       # per-item distance scale: at least this fraction of |median|
    approx_tol: float = 0.05        # "about X" allows X +- this fraction
    bound_candidates: bool = False  # a bound's own value ("over 220,000" -> 220,000) is a
    #                                 candidate even when others give points (the live stage)
    detect_copies: bool = False     # DEPEN detection of undeclared copying (opt-in)
    copy_rate: float = 0.8          # DEPEN c: how often a dependent source copies
    dep_prior: float = 0.2          # DEPEN alpha: prior probability that two sources are dependent
    dep_true_evidence: bool = False  # sharing a value the consensus holds true counts too
    detect_echo: bool = True        # a source that repeats the item's previous claim far more
    #                                 often than its accuracy explains copies it (see echo_sources)
    dep_threshold: float = 0.5      # P(dependent) above which a pair is reported as dependent
    learn_prior: bool = False       # the default prior's mean fitted to all sources' checks
    min_evidence: int = 5           # fewer checked claims: "not enough evidence"
    interval: float = 0.90
    max_iter: int = 50
    tol: float = 1e-5


@dataclass
class ItemResult:
    key: Hashable
    value: float | None           # consensus numeric value (None for a text item)
    text: str | None              # consensus text (None for a numeric item)
    confidence: float             # posterior probability of the consensus
    reports: int                  # independent reports in the item
    supporting: int               # independent reports supporting the consensus


@dataclass
class SourceResult:
    source: str
    reliability: float            # Beta posterior mean
    low: float                    # interval bounds (Params.interval, equal tails)
    high: float
    checked: int                  # claims checked against other independent reports
    agreed: float                 # soft counts
    disagreed: float
    enough_evidence: bool
    weight: float                 # vote weight used for its claims


@dataclass
class ClaimCheck:
    """How one checked claim moved its source: `agreement` in [0, 1] against the consensus
    estimated from the other reports of its item."""

    ref: Hashable | None
    source: str
    item: Hashable
    agreement: float
    consensus_value: float | None
    consensus_text: str | None


@dataclass
class DependentPair:
    a: str
    b: str
    probability: float
    shared_items: int
    same_values: int
    same_minority: int            # shared values the consensus holds wrong


@dataclass
class Result:
    items: dict[Hashable, ItemResult]
    sources: dict[str, SourceResult]
    checks: list[ClaimCheck]
    dependent: list[DependentPair]
    iterations: int
    converged: bool
    echoes: list[EchoSource] = field(default_factory=list)
    prior_mean: float = 0.75      # the default prior's mean used (fitted with `learn_prior`)

    def ranking(self) -> list[SourceResult]:
        """Sources with enough evidence first, each group by the interval's lower bound."""
        return sorted(self.sources.values(),
                      key=lambda s: (not s.enough_evidence, -s.low, -s.reliability, s.source))


# --------------------------------------------------------------------------- comparisons

_WORD = re.compile(r"[^\W_]+")


def _words(text: str) -> frozenset[str]:
    return frozenset(w.casefold() for w in _WORD.findall(text))


def _interval(c: Claim, approx_tol: float) -> tuple[float, float]:
    """The values a numeric claim allows."""
    if c.low is not None or c.high is not None:
        lo = c.low if c.low is not None else -math.inf
        hi = c.high if c.high is not None else math.inf
        return (min(lo, hi), max(lo, hi))
    v = float(c.value)  # type: ignore[arg-type]
    q = c.qualifier
    if q in (">", ">="):
        return (v, math.inf)
    if q in ("<", "<="):
        return (-math.inf, v)
    if q == "~":
        d = abs(v) * approx_tol
        return (v - d, v + d)
    return (v, v)


def _point(c: Claim) -> float | None:
    """A numeric claim's own value as a candidate (a range's middle when it names no value)."""
    if c.value is not None and math.isfinite(c.value):
        return float(c.value)
    if c.low is not None and c.high is not None:
        return (c.low + c.high) / 2.0
    return c.low if c.low is not None else c.high


def _is_numeric(c: Claim) -> bool:
    return c.text is None and (c.value is not None or c.low is not None or c.high is not None)


@dataclass
class _Cand:
    value: float | None
    text: str | None
    unit: str | None
    words: frozenset[str] = field(default_factory=frozenset)
    precision: float = 0.0


def _precision(c: Claim, implicit: bool = False) -> float:
    """How finely a numeric claim was written: given, else (when `implicit`) its decimals
    (30.1 -> 0.1), else exact."""
    if c.precision is not None:
        return abs(c.precision)
    if not implicit:
        return 0.0
    v = _point(c)
    if v is None or v == int(v):
        return 0.0
    digits = repr(float(v)).split("e")[0].split(".")[1] if "." in repr(float(v)) else ""
    return 10.0 ** -min(len(digits), 9)


def _sim(c: Claim, cand: _Cand, scale: float, params: Params) -> tuple[float, float]:
    """(vote, agreement): how much claim `c` supports candidate `cand` as a vote, and how far it
    agrees with it as a check. Allowing it (equal, inside a range or bound) is full support;
    agreeing only up to rounding (21 and 21.4) is partial support and full agreement; being
    near (within the item's scale) is no support and partial agreement."""
    if cand.text is not None:
        if c.text is None:
            return 0.0, 0.0
        w = _words(c.text)
        return (1.0, 1.0) if w and w <= cand.words else (0.0, 0.0)
    if not _is_numeric(c) or (c.unit or None) != (cand.unit or None):
        return 0.0, 0.0
    lo, hi = _interval(c, params.approx_tol)
    t = cand.value
    if lo <= t <= hi:
        return 1.0, 1.0
    d = lo - t if t < lo else t - hi
    tol = max(_precision(c, params.implicit_precision), cand.precision) / 2.0
    if d <= tol * (1 + 1e-9):
        return params.near_weight, 1.0
    return 0.0, params.near_weight * math.exp(-d / scale)


def _value_key(c: Claim) -> tuple:
    if c.text is not None:
        return ("t", " ".join(sorted(_words(c.text))) or c.text.strip().casefold())
    return ("n", c.unit or None, c.qualifier if c.qualifier in QUALIFIERS else "=",
            _round(c.value), _round(c.low), _round(c.high))


def _round(x: float | None) -> float | None:
    return None if x is None else float(f"{x:.12g}")


# --------------------------------------------------------------------------- Beta interval


def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction of the regularised incomplete beta (Numerical Recipes)."""
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > 1e-300 else 1e-300)
    h = d
    for m in range(1, 300):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > 1e-300 else 1e-300)
        c = 1.0 + aa / c
        c = c if abs(c) > 1e-300 else 1e-300
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > 1e-300 else 1e-300)
        c = 1.0 + aa / c
        c = c if abs(c) > 1e-300 else 1e-300
        de = d * c
        h *= de
        if abs(de - 1.0) < 1e-12:
            break
    return h


def _beta_cdf(x: float, a: float, b: float) -> float:
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    lbt = (math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
           + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(lbt) * _betacf(a, b, x) / a
    return 1.0 - math.exp(lbt) * _betacf(b, a, 1.0 - x) / b


def _beta_ppf(p: float, a: float, b: float) -> float:
    lo, hi = 0.0, 1.0
    for _ in range(60):
        mid = (lo + hi) / 2.0
        if _beta_cdf(mid, a, b) < p:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2.0


def beta_interval(a: float, b: float, mass: float = 0.90) -> tuple[float, float]:
    """Equal-tailed interval holding `mass` of Beta(a, b)."""
    tail = (1.0 - mass) / 2.0
    return _beta_ppf(tail, a, b), _beta_ppf(1.0 - tail, a, b)


# --------------------------------------------------------------------------- the model


def _latest(item: Item) -> dict[str, Claim]:
    """One vote per source: its last usable claim, in the order of those last claims."""
    latest: dict[str, Claim] = {}
    for c in item.claims:
        if c.text is None and not _is_numeric(c):
            continue
        latest.pop(c.source, None)
        latest[c.source] = c
    return latest


class _Problem:
    """The items flattened into arrays: reports, candidates and report x candidate pairs."""

    def __init__(self, items: Iterable[Item], params: Params):
        self.params = params
        self.sources: list[str] = []
        src_index: dict[str, int] = {}
        self.item_keys: list[Hashable] = []
        self.cands: list[_Cand] = []
        cand_item: list[int] = []
        rep_item: list[int] = []
        rep_source: list[int] = []
        rep_vkey: list[int] = []
        rep_members: list[list[Claim]] = []
        self.rep_claim: list[Claim] = []
        pair_rep: list[int] = []
        pair_cand: list[int] = []
        pair_sim: list[float] = []
        pair_agree: list[float] = []
        item_scale: list[float] = []
        vkeys: dict[tuple, int] = {}

        def sid(name: str) -> int:
            if name not in src_index:
                src_index[name] = len(self.sources)
                self.sources.append(name)
            return src_index[name]

        for item in items:
            latest = _latest(item)
            if not latest:
                continue
            ii = len(self.item_keys)
            self.item_keys.append(item.key)
            for c in latest.values():
                sid(c.source)
            # group into independent reports (claims without a report key stand alone)
            reports: dict[Hashable, list[Claim]] = {}
            for n, c in enumerate(latest.values()):
                reports.setdefault(("r", c.report) if c.report is not None else ("c", n), []
                                   ).append(c)
            reps = []
            for members in reports.values():
                originals = [c for c in members if not c.copy]
                reps.append(((originals or members)[0], members))
            # candidates: the distinct point values (and texts); bounds only when no point
            numeric = [rc for rc, _ in reps if _is_numeric(rc)]
            points = [rc for rc in numeric
                      if rc.qualifier in ("=", "~") or rc.qualifier not in QUALIFIERS]
            seen: dict[tuple, int] = {}
            first_cand = len(self.cands)
            for rc in (numeric if params.bound_candidates else (points or numeric)):
                p = _point(rc)
                if p is None:
                    continue
                k = ("n", rc.unit or None, _round(p))
                if k not in seen:
                    seen[k] = len(self.cands)
                    self.cands.append(_Cand(p, None, rc.unit or None,
                                            precision=_precision(rc, params.implicit_precision)))
                    cand_item.append(ii)
            for rc, _ in reps:
                if rc.text is not None:
                    w = _words(rc.text)
                    k = ("t", " ".join(sorted(w)))
                    if k not in seen:
                        seen[k] = len(self.cands)
                        self.cands.append(_Cand(None, rc.text.strip(), None, w))
                        cand_item.append(ii)
            vals = np.array([_point(rc) for rc in numeric if _point(rc) is not None], float)
            if len(vals):
                med = float(np.median(vals))
                mad = 1.4826 * float(np.median(np.abs(vals - med)))
                scale = max(mad, params.scale_floor * abs(med), 1e-9)
            else:
                scale = 1.0
            item_scale.append(scale)
            for rc, members in reps:
                ri = len(rep_item)
                rep_item.append(ii)
                rep_source.append(src_index[rc.source])
                rep_vkey.append(vkeys.setdefault((ii, _value_key(rc)), len(vkeys)))
                rep_members.append(members)
                self.rep_claim.append(rc)
                for ci in range(first_cand, len(self.cands)):
                    pair_rep.append(ri)
                    pair_cand.append(ci)
                    vs, ag = _sim(rc, self.cands[ci], scale, params)
                    pair_sim.append(vs)
                    pair_agree.append(ag)

        self.n_items = len(self.item_keys)
        self.source_index = src_index
        self.item_scale = item_scale
        self.cand_item = np.array(cand_item, dtype=np.int64)
        self.rep_item = np.array(rep_item, dtype=np.int64)
        self.rep_source = np.array(rep_source, dtype=np.int64)
        self.rep_vkey = np.array(rep_vkey, dtype=np.int64)
        self.rep_members = rep_members
        self.pair_rep = np.array(pair_rep, dtype=np.int64)
        self.pair_cand = np.array(pair_cand, dtype=np.int64)
        self.pair_sim = np.array(pair_sim, dtype=float)
        self.pair_agree = np.array(pair_agree, dtype=float)
        self.n_reps = len(rep_item)
        self.n_cands = len(self.cands)
        self.item_ncand = np.bincount(self.cand_item, minlength=self.n_items)
        self.item_nrep = np.bincount(self.rep_item, minlength=self.n_items)
        # first pair row of each report (a report's rows are contiguous, one per candidate)
        self.rep_row = np.searchsorted(self.pair_rep, np.arange(self.n_reps))
        self.dep_a = self.dep_b = self.dep_pair_idx = np.zeros(0, np.int64)
        self.dep_pairs = np.zeros(0, np.int64)
        if params.detect_copies:
            self._source_pairs(len(vkeys), params)

    def members(self) -> tuple[np.ndarray, np.ndarray]:
        """(report, source) of every claim that is not a copy: each is checked for its source."""
        rep, src = [], []
        for r, members in enumerate(self.rep_members):
            for m in members:
                if not m.copy:
                    rep.append(r)
                    src.append(self.source_index[m.source])
        return np.array(rep, dtype=np.int64), np.array(src, dtype=np.int64)

    def _source_pairs(self, n_vkeys: int, params: Params) -> None:
        """Pairs of reports of one item from two sources, and what DEPEN needs of them."""
        # pairs of reports of one item from two sources (for DEPEN)
        order = np.argsort(self.rep_item, kind="stable")
        bounds = np.searchsorted(self.rep_item[order], np.arange(self.n_items + 1))
        da, db = [], []
        for ii in range(self.n_items):
            rs = order[bounds[ii]:bounds[ii + 1]]
            if len(rs) < 2:
                continue
            iu, ju = np.triu_indices(len(rs), 1)
            da.append(rs[iu])
            db.append(rs[ju])
        self.dep_a = np.concatenate(da) if da else np.zeros(0, np.int64)
        self.dep_b = np.concatenate(db) if db else np.zeros(0, np.int64)
        sa, sb = self.rep_source[self.dep_a], self.rep_source[self.dep_b]
        keep = sa != sb
        self.dep_a, self.dep_b = self.dep_a[keep], self.dep_b[keep]
        lo_s = np.minimum(sa[keep], sb[keep])
        hi_s = np.maximum(sa[keep], sb[keep])
        pair_code = lo_s * max(len(self.sources), 1) + hi_s
        self.dep_pairs, self.dep_pair_idx = np.unique(pair_code, return_inverse=True)
        self.dep_same = self.rep_vkey[self.dep_a] == self.rep_vkey[self.dep_b]
        # how common a shared value is among the item's other reports: two independent sources
        # often meet on a popular wrong value, seldom on a rare one
        vcount = np.bincount(self.rep_vkey, minlength=n_vkeys)[self.rep_vkey[self.dep_a]]
        others = np.maximum(self.item_nrep[self.rep_item[self.dep_a]] - 2, 1)
        self.dep_rarity = np.maximum((vcount - 2) / others, 1.0 / params.n_false)
        # the candidate a report gives exactly (for "the consensus holds this value wrong")
        own = np.full(self.n_reps, -1, dtype=np.int64)
        exact = self.pair_sim >= 1.0
        best = np.zeros(self.n_reps)
        for r, c, s in zip(self.pair_rep[exact], self.pair_cand[exact], self.pair_sim[exact],
                           strict=True):
            if own[r] < 0 or s > best[r]:
                own[r], best[r] = c, s
        self.rep_own = own


def _fit_prior_mean(agreed: np.ndarray, disagreed: np.ndarray, strength: float) -> float:
    """Empirical Bayes: the mean m of a Beta(m s, (1 - m) s) prior that makes the sources'
    checks most likely (beta-binomial marginal likelihood, every source counted once)."""
    use = (agreed + disagreed) > 0
    k, f = agreed[use], disagreed[use]
    if not len(k):
        return DEFAULT_PRIOR.mean
    lg = np.vectorize(math.lgamma)
    grid = np.linspace(0.02, 0.98, 49)
    best, best_ll = DEFAULT_PRIOR.mean, -math.inf
    for m in grid:
        a, b = m * strength, (1 - m) * strength
        ll = float(np.sum(lg(k + a) + lg(f + b) - lg(k + f + strength))) \
            - len(k) * (math.lgamma(a) + math.lgamma(b) - math.lgamma(strength))
        if ll > best_ll:
            best, best_ll = float(m), ll
    return best


def _segment_max(values: np.ndarray, seg: np.ndarray, n: int) -> np.ndarray:
    out = np.full(n, -np.inf)
    np.maximum.at(out, seg, values)
    return out


def _decisive_votes(vote: np.ndarray, rep_decisive: np.ndarray, pb: _Problem) -> np.ndarray:
    """Each report's vote, a decisive report's raised above all the other reports of its item
    together (two decisive reports of one item still weigh against each other)."""
    if not rep_decisive.any():
        return vote
    others = np.bincount(pb.rep_item, weights=np.where(rep_decisive, 0.0, vote), minlength=pb.n_items)
    return np.where(rep_decisive, vote + others[pb.rep_item] + 1.0, vote)


def discover(items: Iterable[Item], priors: Mapping[str, SourcePrior] | None = None,
             params: Params | None = None) -> Result:
    """Estimate every item's value and every source's reliability (see the module docstring).

    `priors` maps a source to its Beta prior (a first-party source: `FIRST_PARTY`); sources
    not in it get `DEFAULT_PRIOR`. With `Params.detect_echo`, sources found to echo the claim
    before theirs (`echo_sources`, judged with the accuracies of a first fixed point) have those
    repeats joined to its report (`mark_echoes`), and the fixed point is found again.
    """
    params = params or Params()
    priors = priors or {}
    items = list(items)
    res = _fixed_point(items, priors, params)
    if params.detect_echo:
        echoes = echo_sources(items, {s: r.reliability for s, r in res.sources.items()}, params)
        found = {e.source for e in echoes if e.probability > params.dep_threshold}
        if found:
            res = _fixed_point(mark_echoes(items, found), priors, params)
        res.echoes = echoes
    return res


@dataclass
class EchoSource:
    """A source judged on how often it repeats the claim just before its own in an item."""

    source: str
    probability: float            # posterior probability that it echoes
    follows: int                  # its claims that come after another source's claim
    repeats: int                  # of those, how many repeat that claim's value


def echo_sources(items: Iterable[Item], accuracy: Mapping[str, float],
                 params: Params | None = None) -> list[EchoSource]:
    """Sources that copy the latest claim before theirs (a bot re-saving a page, an aggregator
    republishing the last figure), found as DEPEN finds a copier, with time order in place of
    a second source.

    Claims are in time order. A claim that follows another source's claim repeats its value by
    chance with probability ``A a + (1 - A)(1 - a) / n`` (both right, or the same of n wrong
    values; A and a the two sources' accuracies); an echoer repeats it with probability c more
    (`copy_rate`). Every following claim is evidence for or against, with the prior
    `dep_prior`, so a source with few claims is not called an echoer. An accurate source
    repeating an accurate one is what chance predicts (little evidence), and every change of
    value costs ``ln(1 - c)``. Calling an accurate source an echo costs little: its repeats
    still count for it, they only stop counting as a second vote.
    """
    params = params or Params()
    evidence: dict[str, list[tuple[str, bool, int]]] = {}
    for item in items:
        for _, source, previous, same in follow_records(item):
            evidence.setdefault(source, []).append((previous, same, 1))
    out = [echo_probability(s, ev, accuracy, params) for s, ev in evidence.items()]
    return sorted(out, key=lambda e: (-e.probability, e.source))


def follow_records(item: Item) -> list[tuple[Hashable | None, str, str, bool]]:
    """(ref, source, previous source, repeats it) for every vote of the item that follows
    another source's vote in time: the evidence `echo_probability` weighs."""
    out = []
    prev: Claim | None = None
    for cl in _latest(item).values():
        if prev is not None:
            out.append((cl.ref, cl.source, prev.source, _value_key(cl) == _value_key(prev)))
        prev = cl
    return out


def echo_probability(source: str, evidence: Iterable[tuple[str, bool, int]],
                     accuracy: Mapping[str, float], params: Params | None = None,
                     default: float = DEFAULT_PRIOR.mean) -> EchoSource:
    """How likely `source` echoes, from its follows: (previous source, repeated it, how many
    times), with the sources' accuracies (``default`` for one not in `accuracy`); see
    `echo_sources`."""
    params = params or Params()
    c, n = params.copy_rate, params.n_false
    a1 = min(max(accuracy.get(source, default), 1e-4), 1 - 1e-4)
    llr = math.log(params.dep_prior / (1 - params.dep_prior))
    follows = repeats = 0
    for previous, same, count in evidence:
        a2 = min(max(accuracy.get(previous, default), 1e-4), 1 - 1e-4)
        chance = a1 * a2 + (1 - a1) * (1 - a2) / n
        llr += count * (math.log((c + (1 - c) * chance) / chance) if same else math.log(1 - c))
        follows += count
        repeats += count if same else 0
    return EchoSource(source, 1.0 / (1.0 + math.exp(-max(min(llr, 50.0), -50.0))), follows,
                      repeats)


def mark_echoes(items: Iterable[Item], echoers: set[str]) -> list[Item]:
    """The items with each echoer's repeat of the claim before it joined to that claim's report:
    one vote between them, each still checked for its own source."""
    out = []
    for item in items:
        latest = list(_latest(item).values())
        if not any(c.source in echoers for c in latest[1:]):
            out.append(item)
            continue
        claims: list[Claim] = []
        for i, cl in enumerate(latest):
            prev = claims[-1] if claims else None
            if prev is not None and cl.source in echoers and _value_key(cl) == _value_key(prev):
                if prev.report is None:
                    prev = claims[-1] = replace(prev, report=("echo", item.key, i))
                cl = replace(cl, report=prev.report)
            claims.append(cl)
        out.append(Item(item.key, claims))
    return out


def _fixed_point(items: list[Item], priors: Mapping[str, SourcePrior], params: Params) -> Result:
    pb = _Problem(items, params)
    ns = len(pb.sources)
    a0 = np.array([priors.get(s, DEFAULT_PRIOR).alpha for s in pb.sources])
    b0 = np.array([priors.get(s, DEFAULT_PRIOR).beta for s in pb.sources])
    acc = a0 / (a0 + b0)
    free = np.array([s not in priors for s in pb.sources], dtype=bool)
    decisive = np.array([priors.get(s, DEFAULT_PRIOR).decisive for s in pb.sources], dtype=bool)
    rep_decisive = decisive[pb.rep_source] if len(decisive) else np.zeros(pb.n_reps, bool)
    dep_prob = np.zeros(len(pb.dep_pairs))
    log_n = math.log(params.n_false)
    c_rate = params.copy_rate
    # a report is checked for each source that made it: its members that are not copies
    mem_rep, mem_src = pb.members()
    rep_checks_source = np.bincount(mem_rep, minlength=pb.n_reps) > 0
    prev_truth = None
    converged = False
    iterations = 0
    state: dict = {}
    # a report's pair rows are contiguous, one per candidate of its item, in candidate order
    item_first_cand = np.searchsorted(pb.cand_item, np.arange(pb.n_items))
    checked = (pb.item_nrep[pb.rep_item] > 1) & rep_checks_source
    w = checked.astype(float)
    # dependence is judged from the copy-blind fixed point, not from the first round's plain
    # majority, which a large group of copiers wins
    dep_on = not params.detect_copies
    for it in range(1, params.max_iter + 1):
        iterations = it
        # 1. votes, with undeclared copies discounted (DEPEN / ACCU vote count)
        a = np.clip(acc, 1e-4, 1 - 1e-4)
        vote_src = np.maximum(log_n + np.log(a / (1 - a)), 0.0)
        indep = np.zeros(pb.n_reps)  # log of the independence factor
        if len(pb.dep_a) and dep_prob.any():
            same = pb.dep_same
            ra, rb = pb.dep_a[same], pb.dep_b[same]
            pd = dep_prob[pb.dep_pair_idx[same]]
            aa, ab = acc[pb.rep_source[ra]], acc[pb.rep_source[rb]]
            later = np.where((aa < ab) | ((aa == ab) & (ra > rb)), ra, rb)
            np.add.at(indep, later, np.log1p(-c_rate * pd))
        vote = _decisive_votes(vote_src[pb.rep_source] * np.exp(indep), rep_decisive, pb)
        # 2. candidate scores; the consensus is the best-supported candidate (ties: the first
        #    claimed); its probability is a softmax with n unseen wrong values at score 0
        contrib = vote[pb.pair_rep] * pb.pair_sim
        score = np.bincount(pb.pair_cand, weights=contrib, minlength=pb.n_cands)
        unseen = np.maximum(params.n_false + 1 - pb.item_ncand, 1.0)
        mx = np.maximum(_segment_max(score, pb.cand_item, pb.n_items), 0.0)
        ex = np.exp(score - mx[pb.cand_item])
        z = np.bincount(pb.cand_item, weights=ex, minlength=pb.n_items) + unseen * np.exp(-mx)
        prob = ex / z[pb.cand_item]
        order = np.lexsort((np.arange(pb.n_cands), -score, pb.cand_item))
        truth = order[np.searchsorted(pb.cand_item[order], np.arange(pb.n_items))]
        # 3. every report that has another independent report in its item is checked against
        #    the consensus: agreement 1 when it allows the consensus, partial when near it
        t_rep = truth[pb.rep_item]
        agree = pb.pair_agree[pb.rep_row + (t_rep - item_first_cand[pb.rep_item])]
        agreed = np.bincount(mem_src, weights=(w * agree)[mem_rep], minlength=ns)
        disagreed = np.bincount(mem_src, weights=(w * (1 - agree))[mem_rep], minlength=ns)
        if params.learn_prior:
            m = _fit_prior_mean(agreed[free], disagreed[free], DEFAULT_PRIOR.strength)
            a0[free], b0[free] = m * DEFAULT_PRIOR.strength, (1 - m) * DEFAULT_PRIOR.strength
            state["prior_mean"] = m
        new_acc = (a0 + agreed) / (a0 + b0 + agreed + disagreed)
        # 4. dependence between sources that share values (DEPEN), from the current consensus
        if len(pb.dep_a) and params.detect_copies and dep_on:
            own_a = pb.rep_own[pb.dep_a]
            p_true = np.where(own_a >= 0, prob[np.maximum(own_a, 0)], 0.0)
            sa, sb = pb.rep_source[pb.dep_a], pb.rep_source[pb.dep_b]
            A1 = np.clip(new_acc[sa], 1e-4, 1 - 1e-4)
            A2 = np.clip(new_acc[sb], 1e-4, 1 - 1e-4)
            Ac = (A1 + A2) / 2
            ind_t, ind_f = A1 * A2, (1 - A1) * (1 - A2) * pb.dep_rarity
            dep_t = Ac * c_rate + ind_t * (1 - c_rate)
            dep_f = (1 - Ac) * c_rate + ind_f * (1 - c_rate)
            llr_same = (np.log(p_true * dep_t + (1 - p_true) * dep_f)
                        - np.log(p_true * ind_t + (1 - p_true) * ind_f))
            if not params.dep_true_evidence:
                llr_same = np.where(p_true >= 0.5, 0.0, llr_same)
            llr = np.where(pb.dep_same, llr_same, math.log(1 - c_rate))
            total = np.bincount(pb.dep_pair_idx, weights=llr, minlength=len(pb.dep_pairs))
            logit = math.log(params.dep_prior / (1 - params.dep_prior)) + total
            dep_prob = 1.0 / (1.0 + np.exp(-np.clip(logit, -50, 50)))
            state["p_true"] = p_true
        delta = float(np.max(np.abs(new_acc - acc))) if ns else 0.0
        acc = new_acc
        state.update(prob=prob, truth=truth, agree=agree, checked=checked, agreed=agreed,
                     disagreed=disagreed, vote_src=vote_src, a0=a0, b0=b0)
        if prev_truth is not None and delta < params.tol and np.array_equal(truth, prev_truth):
            if not dep_on:
                dep_on = True
                prev_truth = None
                continue
            converged = True
            break
        prev_truth = truth
    res = _result(pb, params, priors, acc, dep_prob, state, iterations, converged)
    res.prior_mean = float(state.get("prior_mean", DEFAULT_PRIOR.mean))
    return res


def _result(pb: _Problem, params: Params, priors: Mapping[str, SourcePrior], acc: np.ndarray,
            dep_prob: np.ndarray, st: dict, iterations: int, converged: bool) -> Result:
    items: dict[Hashable, ItemResult] = {}
    truth = st.get("truth", np.zeros(0, np.int64))
    support_exact = np.zeros(pb.n_cands)
    if pb.n_cands:
        full = pb.pair_sim >= 1.0
        np.add.at(support_exact, pb.pair_cand[full], 1.0)
    for ii, key in enumerate(pb.item_keys):
        c = pb.cands[truth[ii]]
        items[key] = ItemResult(key, c.value, c.text, float(st["prob"][truth[ii]]),
                                int(pb.item_nrep[ii]), int(support_exact[truth[ii]]))
    checks: list[ClaimCheck] = []
    checked_n = np.zeros(len(pb.sources), dtype=np.int64)
    for r in np.flatnonzero(st["checked"]):
        res = items[pb.item_keys[pb.rep_item[r]]]
        for m in pb.rep_members[r]:
            if m.copy:
                continue
            checks.append(ClaimCheck(m.ref, m.source, res.key, float(st["agree"][r]),
                                     res.value, res.text))
            checked_n[pb.source_index[m.source]] += 1
    sources: dict[str, SourceResult] = {}
    for si, name in enumerate(pb.sources):
        ag, dis = float(st["agreed"][si]), float(st["disagreed"][si])
        a, b = float(st["a0"][si]) + ag, float(st["b0"][si]) + dis
        lo, hi = beta_interval(a, b, params.interval)
        sources[name] = SourceResult(name, a / (a + b), lo, hi, int(checked_n[si]), ag, dis,
                                     bool(checked_n[si] >= params.min_evidence),
                                     float(st["vote_src"][si]))
    dependent: list[DependentPair] = []
    if len(pb.dep_pairs) and "p_true" in st:
        ns = max(len(pb.sources), 1)
        shared = np.bincount(pb.dep_pair_idx, minlength=len(pb.dep_pairs))
        same = np.bincount(pb.dep_pair_idx, weights=pb.dep_same, minlength=len(pb.dep_pairs))
        minority = np.bincount(pb.dep_pair_idx, weights=pb.dep_same & (st["p_true"] < 0.5),
                               minlength=len(pb.dep_pairs))
        for k in np.flatnonzero(dep_prob > params.dep_threshold):
            code = int(pb.dep_pairs[k])
            dependent.append(DependentPair(pb.sources[code // ns], pb.sources[code % ns],
                                           float(dep_prob[k]), int(shared[k]), int(same[k]),
                                           int(minority[k])))
        dependent.sort(key=lambda d: -d.probability)
    return Result(items, sources, checks, dependent, iterations, converged)


# --------------------------------------------------------------------------- one item, given weights


@dataclass
class ItemScore:
    """One item scored with given source accuracies (see `score_item`). `value`/`text` are None
    when the consensus is undecided (a tie between candidates some report tells apart)."""

    key: Hashable
    value: float | None
    text: str | None
    confidence: float
    reports: int
    checks: list[ClaimCheck]


def score_item(item: Item, accuracy: Mapping[str, float], params: Params | None = None,
               default: float = DEFAULT_PRIOR.mean, decisive: Collection[str] = ()) -> ItemScore | None:
    """Consensus and checks of one item with the sources' accuracies held fixed.

    The incremental form of `discover`: a live store scores each new claim group once with the
    reliabilities learned so far (``accuracy``; ``default`` for a source not in it) instead of
    re-running the fixed point over the whole archive. Votes, candidates, copies and checks are
    as in `discover`; a report by a `decisive` source decides the item as a decisive prior
    does. When the best candidates tie and some report agrees with one of them but not another,
    the consensus is undecided and only the reports that the tie does not affect
    (agreeing with all the tied values, or with none) are checked: charging an outlet for the
    loser of a coin toss would be noise. Tied values every report treats alike ("230,000" and
    "232,000") are one consensus, the first claimed. Returns None for an item with no usable
    claim.
    """
    params = params or Params()
    pb = _Problem([item], params)
    if not pb.n_items:
        return None
    acc = np.clip(np.array([accuracy.get(s, default) for s in pb.sources], float), 1e-4, 1 - 1e-4)
    rep_decisive = np.array([pb.sources[s] in decisive for s in pb.rep_source], dtype=bool)
    vote = _decisive_votes(np.maximum(math.log(params.n_false) + np.log(acc / (1 - acc)), 0.0)[pb.rep_source],
                           rep_decisive, pb)
    score = np.bincount(pb.pair_cand, weights=vote[pb.pair_rep] * pb.pair_sim, minlength=pb.n_cands)
    order = sorted(range(pb.n_cands), key=lambda k: (-score[k], k))
    best = order[0]
    top = float(score[best])
    tied = [k for k in order if len(order) > 1 and (top <= 0.0 or score[k] >= top - 1e-9)]
    n_reports = int(pb.n_reps)
    # agreement of each report with each tied candidate: a report that agrees with all of
    # them, or with none, is checked whichever wins; the others depend on the toss
    agree_with = [[float(pb.pair_agree[pb.rep_row[r] + k]) for k in (tied or [best])] for r in range(n_reports)]
    settled = [len(set(a)) == 1 for a in agree_with]
    decided = all(settled)
    unseen = max(params.n_false + 1 - pb.n_cands, 1.0)
    ex = np.exp(score - top)
    confidence = float(1.0 / (ex.sum() + unseen * math.exp(-top))) if decided else 0.0
    cand = pb.cands[best]
    checks: list[ClaimCheck] = []
    if n_reports > 1:
        for r in range(n_reports):
            if settled[r]:
                checks.extend(ClaimCheck(m.ref, m.source, item.key, agree_with[r][0],
                                         cand.value if decided else None, cand.text if decided else None)
                              for m in pb.rep_members[r] if not m.copy)
    if not decided:
        return ItemScore(item.key, None, None, 0.0, n_reports, checks)
    return ItemScore(item.key, cand.value, cand.text, confidence, n_reports, checks)


def posterior(agreed: float, disagreed: float, prior: SourcePrior = DEFAULT_PRIOR,
              mass: float = 0.90) -> tuple[float, float, float]:
    """A source's Beta posterior from its checks: (mean, low, high) of the `mass` interval."""
    a, b = prior.alpha + agreed, prior.beta + disagreed
    low, high = beta_interval(a, b, mass)
    return a / (a + b), low, high
