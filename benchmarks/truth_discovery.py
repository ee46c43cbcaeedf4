"""Truth-discovery benchmark: majority vote, median and newswatch's method on three data sets.

Data: ../shared/datasets/truth-discovery (skipped with a message when absent):

* flights - PClean's deep-web flight table (``pclean/flights_dirty.csv``, 38 sources x 100
  flights): an item is (flight, one of the four times), the truth is the clean table's value
  (the same on every row of a flight). Times are compared as minutes after midnight; correct
  means the exact minute. A time is its first ``h:mm`` with its a/p marker if any ("7:10 a.m.",
  "10:32aDec 4", "Thu 19:25", "12:00noon"); dates, weekdays and notes ("(Estimated runway)",
  "Delayed", a UTC offset "(+8:00)") are ignored, and "Not Available", "Contact Airline" or an
  empty cell are no claim.
* population - Wikipedia edit history (``spectrum/population``): an item is (city,
  PopulationYYYY); an error is a chosen value more than 1 % away from the gold value.
* weather - ``spectrum/weather``: an item is (place and time, property); an error is a chosen
  value that is not numerically equal to (one of) the gold value(s).

Protocol, the same for every method: one vote per source per item, its latest claim (by the
claim's timestamp; by file order where there is none). Values that are not numbers (``N/A``,
``Not Available``, spreadsheet-mangled dates) are not claims. Only gold items with at least
one claim are scored. Majority vote: the most frequent value; ties go to the value claimed
first in file order, and the expected accuracy under a random tie-break is printed beside it.
Median: the median of the claimed values, the lower middle one when their number is even (a
claimed value, so exact-match scoring is fair to it). CATD and GTM estimate a continuous value
and are scored on the claimed value nearest it. The published methods are the plain functions
of `newswatch.reliability.methods` with their papers' constants.

Time order: a source's claims within an item are passed in file order (the order of each
source's latest claim), which newswatch's echo detection reads as time order. In population
that is the order of the Wikipedia revisions; in weather (one file per source) and flights
(one table row per source and flight) it carries no time, so echoes found there are pairs of
sources that happen to sit next to each other and share values.

Dev and held-out: each set's scored items are split in two by a hash of the item key. Every
method runs unsupervised on all claims (the gold never reaches it); the split only decides
which items a figure is scored on. newswatch's numeric parameters (`truth.Params`) were chosen
once on the dev halves of the three sets together, never per set. A model switch (echo
detection, DEPEN, the fitted prior) is on by default only when it is better on some set's dev
half, no worse on any, and safe on a small live store; held-out figures are printed first and
are the JSON's unsuffixed figures. Beside the default, every set is also run without echo
detection (``newswatch_no_echo``) and with the default prior's mean fitted to the sources'
checks (``newswatch_learned_prior``, opt-in although better on population's dev half: fitted
to a handful of outlets that agree, the prior would make a one-claim outlet look certain);
flights is run, like a store whose feeds.yaml marks a company's own newsroom `kind:
first-party`, with the airlines' own sites (aa, ua, CO) declared first-party: a strong prior,
and an airline's report decides its item (`newswatch_undeclared`: nothing declared;
`newswatch_prior_only`: the strong prior without deciding); flights and population are also
run with DEPEN copy detection (opt-in: better on no dev half).
Ceiling: the share of scored items where at least one source claims a correct value (no
method that picks a claimed value can do better), printed with the share where exactly one
source does (a method gets those right only by trusting that one source over all the others).
Spearman: rank correlation, over the sources with at least 5 scored claims, between the
learned reliability and the source's measured accuracy on all scored items.

Usage: python benchmarks/truth_discovery.py [--data DIR]
"""

from __future__ import annotations

import argparse
import csv
import glob
import hashlib
import json
import math
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from newswatch.reliability import methods
from newswatch.reliability.truth import FIRST_PARTY, Claim, Item, Params, Result, discover

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = next((p / "shared" / "datasets" / "truth-discovery" for p in ROOT.parents
                     if (p / "shared" / "datasets" / "truth-discovery").exists()),
                    ROOT.parent / "shared" / "datasets" / "truth-discovery")
AIRLINES = ("aa", "ua", "CO")
MIN_CLAIMS_FOR_SPEARMAN = 5

# --------------------------------------------------------------------------- loading

_TIME = re.compile(r"(\d{1,2}):(\d{2})\s*([ap])?", re.I)


def flight_minutes(text: str) -> float | None:
    """'7:10 a.m.', '10:32aDec 4', '12/4/11 8:03 p.m.' -> minutes after midnight."""
    m = _TIME.search(text)
    if not m:
        return None
    h, mi, ap = int(m[1]), int(m[2]), (m[3] or "").lower()
    if ap == "p" and h < 12:
        h += 12
    if ap == "a" and h == 12:
        h = 0
    return float(h * 60 + mi)


def load_flights(root: Path) -> tuple[list[Item], dict]:
    attrs = ("sched_dep_time", "act_dep_time", "sched_arr_time", "act_arr_time")
    truth: dict = {}
    with open(root / "pclean" / "flights_clean.csv", newline="") as f:
        for r in csv.DictReader(f):
            for a in attrs:
                v = flight_minutes(r[a])
                if v is not None:
                    truth[(r["flight"], a)] = v
    claims: dict = defaultdict(dict)
    with open(root / "pclean" / "flights_dirty.csv", newline="") as f:
        rows = sorted(csv.DictReader(f), key=lambda r: int(r["tuple_id"]))
    for r in rows:
        for a in attrs:
            v = flight_minutes(r[a])
            if v is not None:
                claims[(r["flight"], a)].pop(r["src"], None)
                claims[(r["flight"], a)][r["src"]] = v
    items = [Item(k, [Claim(s, v) for s, v in c.items()]) for k, c in claims.items()]
    return items, {k: {v} for k, v in truth.items()}


def _number(text: str) -> float | None:
    t = text.strip()
    m = re.fullmatch(r"(-?\d+)\s+(\d+)/(\d+)", t)  # "2 1/2"
    if m:
        return int(m[1]) + int(m[2]) / int(m[3])
    try:
        v = float(t)
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def load_spectrum(root: Path, name: str) -> tuple[list[Item], dict]:
    base = root / "spectrum" / name
    claim_files = sorted(glob.glob(str(base / "claims" / "*.csv"))) or \
        sorted(glob.glob(str(base / f"{name}_claims.csv")))
    truth_files = sorted(glob.glob(str(base / "ground_truth" / "*.csv"))) or \
        sorted(glob.glob(str(base / f"{name}_truth.csv")))
    latest: dict = defaultdict(dict)  # item -> source -> (time, order, value)
    order = 0
    for path in claim_files:
        with open(path, newline="") as f:
            for r in csv.DictReader(f):
                v = _number(r["PropertyValue"])
                order += 1
                if v is None:
                    continue
                ts = r.get("TimeStamp") or "null"
                try:
                    when = datetime.strptime(ts, "%a %b %d %H:%M:%S %Y").timestamp()
                except ValueError:
                    when = 0.0
                key = (r["ObjectID"], r["PropertyID"])
                old = latest[key].get(r["SourceID"])
                if old is None or (when, order) >= old[:2]:
                    latest[key][r["SourceID"]] = (when, order, v)
    items = []
    for key, per_source in latest.items():
        ordered = sorted(per_source.items(), key=lambda kv: kv[1][1])
        items.append(Item(key, [Claim(s, v) for s, (_, _, v) in ordered]))
    truth: dict = defaultdict(set)
    for path in truth_files:
        with open(path, newline="") as f:
            for r in csv.DictReader(f):
                v = _number(r["PropertyValue"])
                if v is not None:
                    truth[(r["ObjectID"], r["PropertyID"])].add(v)
    return items, dict(truth)


# --------------------------------------------------------------------------- methods


def majority(values: list[float]) -> tuple[float, list[float]]:
    """The most frequent value (first claimed wins a tie) and all values tied at the top."""
    counts = Counter(values)
    top = max(counts.values())
    tied = [v for v in counts if counts[v] == top]
    return tied[0], tied


def median_pick(values: list[float]) -> float:
    s = sorted(values)
    return s[(len(s) - 1) // 2]


def spearman(x: list[float], y: list[float]) -> float:
    def ranks(v: list[float]) -> list[float]:
        order = sorted(range(len(v)), key=lambda i: v[i])
        r = [0.0] * len(v)
        i = 0
        while i < len(v):
            j = i
            while j + 1 < len(v) and v[order[j + 1]] == v[order[i]]:
                j += 1
            for k in range(i, j + 1):
                r[order[k]] = (i + j) / 2.0
            i = j + 1
        return r

    if len(x) < 3:
        return float("nan")
    rx, ry = ranks(x), ranks(y)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    vx = math.sqrt(sum((a - mx) ** 2 for a in rx))
    vy = math.sqrt(sum((b - my) ** 2 for b in ry))
    return cov / (vx * vy) if vx and vy else float("nan")


def reachable(items: list[Item], truth: dict, correct) -> dict:
    """Per scored item, how many sources claim a correct value. A method that picks one claimed
    value cannot be right where none does (the ceiling), and is right where only one does only
    if it trusts that one source over every other."""
    return {it.key: len({c.source for c in it.claims if correct(c.value, truth[it.key])})
            for it in items if it.key in truth}


def is_dev(key) -> bool:
    """The development half: a stable hash of the item key (the same split in every run)."""
    return int(hashlib.sha1(repr(key).encode()).hexdigest(), 16) % 2 == 0


def _methods(items: list[Item], priors=None, params: Params | None = None,
             baselines: bool = True) -> tuple[dict, Result]:
    """Every method's chosen value per item key (only newswatch's without `baselines`), and
    newswatch's full result."""
    picks = {}
    if baselines:
        t = methods.table(items)
        picks = {name: fn(t).as_dict(t) for name, fn in methods.METHODS.items()}
    t0 = time.time()
    res = discover(items, priors=priors, params=params)
    res.seconds = time.time() - t0  # type: ignore[attr-defined]
    picks["newswatch"] = {k: r.value for k, r in res.items.items()}
    return picks, res


def evaluate(items: list[Item], truth: dict, correct, priors=None,
             params: Params | None = None, baselines: bool = True) -> dict:
    """Per method, the share correct on held-out, dev and all scored items; Spearman of
    newswatch's reliability against measured accuracy (all scored items)."""
    picks, res = _methods(items, priors, params, baselines)
    scored = [it for it in items if it.key in truth]
    out: dict = {"items": {"held-out": sum(not is_dev(it.key) for it in scored),
                           "dev": sum(is_dev(it.key) for it in scored), "all": len(scored)}}
    for name, pick in picks.items():
        ok = {"held-out": [0, 0], "dev": [0, 0], "all": [0, 0]}
        for it in scored:
            hit = correct(pick.get(it.key), truth[it.key])
            for part in ("dev" if is_dev(it.key) else "held-out", "all"):
                ok[part][0] += hit
                ok[part][1] += 1
        out[name] = {part: (a / n if n else float("nan")) for part, (a, n) in ok.items()}
    # majority with ties broken at random, in expectation
    exp = {"held-out": [0.0, 0], "dev": [0.0, 0], "all": [0.0, 0]}
    for it in scored:
        _, tied = majority([c.value for c in it.claims])
        hit = sum(correct(v, truth[it.key]) for v in tied) / len(tied)
        for part in ("dev" if is_dev(it.key) else "held-out", "all"):
            exp[part][0] += hit
            exp[part][1] += 1
    out["majority_random_ties"] = {p: (a / n if n else float("nan")) for p, (a, n) in exp.items()}
    # the ceiling of any method that picks a claimed value, and the items only one source gets
    right = reachable(scored, truth, correct)
    for row, hit in (("ceiling", lambda k: right[k] > 0), ("one_source_right", lambda k: right[k] == 1)):
        cnt = {"held-out": [0, 0], "dev": [0, 0], "all": [0, 0]}
        for it in scored:
            for part in ("dev" if is_dev(it.key) else "held-out", "all"):
                cnt[part][0] += hit(it.key)
                cnt[part][1] += 1
        out[row] = {p: (a / n if n else float("nan")) for p, (a, n) in cnt.items()}
    src_ok: dict = defaultdict(lambda: [0, 0])
    for it in scored:
        for c in it.claims:
            src_ok[c.source][0] += correct(c.value, truth[it.key])
            src_ok[c.source][1] += 1
    eligible = [s for s, (_, k) in src_ok.items() if k >= MIN_CLAIMS_FOR_SPEARMAN]
    out["spearman"] = spearman([res.sources[s].reliability for s in eligible],
                               [src_ok[s][0] / src_ok[s][1] for s in eligible])
    out["spearman_sources"] = len(eligible)
    out["dependent_pairs"] = len(res.dependent)
    out["echoes"] = [e.source for e in res.echoes if e.probability > 0.5]
    out["iterations"] = res.iterations
    out["seconds"] = round(res.seconds, 1)  # type: ignore[attr-defined]
    return out


ROWS = ("majority", "majority_random_ties", "median", "crh_vote", "crh_median", "truthfinder",
        "catd", "gtm", "newswatch")
# rows that measure the data, not a method: printed below the methods, as shares of items
DATA_ROWS = ("ceiling", "one_source_right")


def _print_table(results: dict[str, tuple[dict, bool]], part: str) -> None:
    names = list(results)
    sizes = ", ".join(f"{n} n={results[n][0]['items'][part]}" for n in names)
    print(f"\n{part} items ({sizes}); flights: accuracy, population and weather: error")
    print(f"{'method':<32}" + "".join(f"{n:>26}" for n in names))
    for row in ROWS + tuple(k for k in results[names[0]][0] if k.startswith("newswatch_")):
        cells = []
        for n in names:
            r, err = results[n]
            v = r.get(row, {}).get(part) if isinstance(r.get(row), dict) else None
            cells.append(f"{'-' if v is None else f'{(1 - v) if err else v:.3f}':>26}")
        print(f"{row:<32}" + "".join(cells))
    print("share of items where some source is right (the ceiling of picking a claimed value), "
          "and where exactly one is")
    for row in DATA_ROWS:
        print(f"{row:<32}" + "".join(f"{results[n][0][row][part]:>26.3f}" for n in names))


GRID = {"n_false": (2.0, 3.0, 5.0, 10.0, 100.0), "near_weight": (0.0, 0.5),
        "implicit_precision": (False, True)}


def grid(data: Path) -> int:
    """Dev figures of every parameter combination, and their mean accuracy over the three sets
    (the criterion the defaults were chosen by)."""
    def exact(v, gold):
        return v is not None and any(abs(v - g) < 1e-9 for g in gold)

    def within1pct(v, gold):
        return v is not None and any(abs(v - g) <= 0.01 * abs(g) for g in gold)

    sets = [(load_flights(data), exact), (load_spectrum(data, "population"), within1pct),
            (load_spectrum(data, "weather"), exact)]
    print("dev only: flights accuracy, population error, weather error, mean accuracy")
    for n_false in GRID["n_false"]:
        for near in GRID["near_weight"]:
            for implicit in GRID["implicit_precision"]:
                p = Params(n_false=n_false, near_weight=near, implicit_precision=implicit)
                acc = []
                for (items, truth), correct in sets:
                    res = discover(items, params=p)
                    dev = [it.key for it in items if it.key in truth and is_dev(it.key)]
                    acc.append(sum(correct(res.items[k].value, truth[k]) for k in dev) / len(dev))
                print(f"n_false={n_false:<5} near_weight={near:<3} implicit_precision={implicit!s:<5}"
                      f" {acc[0]:.3f} {1 - acc[1]:.3f} {1 - acc[2]:.3f}  mean {sum(acc) / 3:.4f}",
                      flush=True)
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--grid", action="store_true",
                    help="print dev figures for the parameter grid newswatch's defaults were "
                         "chosen from (several minutes), then stop")
    args = ap.parse_args()
    if not args.data.exists():
        print(f"truth-discovery data not found at {args.data}; nothing to run")
        return 0
    if args.grid:
        return grid(args.data)
    print("protocol: one vote per source per item (its latest claim), claims in file order "
          "(read as time order by echo detection); items split dev/held-out "
          "by a hash of the item key, newswatch's parameters chosen once on dev of all three "
          "sets together; every method runs unsupervised on all items and is scored per half; "
          "majority ties -> first claimed value (random-tie expectation beside it); median -> "
          "lower middle claimed value; GTM and CATD -> claimed value nearest their estimate; "
          "flights correct = exact minute, population error = >1% off, weather error = not "
          "exactly a gold value; JSON figures are held-out unless suffixed _dev or _all; "
          "flights: the airlines' own sites (aa, ua, CO) are declared first-party, as feeds.yaml "
          "declares a company's newsroom (flights_newswatch_undeclared: nothing declared); "
          "ceiling = share of items some source gets right")

    def exact(v, gold):
        return v is not None and any(abs(v - g) < 1e-9 for g in gold)

    def within1pct(v, gold):
        return v is not None and any(abs(v - g) <= 0.01 * abs(g) for g in gold)

    def variants(items, truth, correct, priors=None, **extra: Params) -> dict:
        out = evaluate(items, truth, correct, priors)
        runs = {"no_echo": Params(detect_echo=False), "learned_prior": Params(learn_prior=True),
                **extra}
        for name, params in runs.items():
            out[f"newswatch_{name}"] = evaluate(items, truth, correct, priors, params=params,
                                                baselines=False)["newswatch"]
        return out

    results: dict[str, tuple[dict, bool]] = {}
    flights, ftruth = load_flights(args.data)
    # the airlines' own sites are configured first-party, as a user would declare a company's
    # own newsroom; the same method with nothing declared is printed beside it
    fl = variants(flights, ftruth, exact, {a: FIRST_PARTY for a in AIRLINES},
                  depen=Params(detect_copies=True))
    fu = evaluate(flights, ftruth, exact, baselines=False)
    fl["newswatch_undeclared"] = fu["newswatch"]
    strong = replace(FIRST_PARTY, decisive=False)
    fl["newswatch_prior_only"] = evaluate(flights, ftruth, exact, {a: strong for a in AIRLINES},
                                          baselines=False)["newswatch"]
    results["flights"] = (fl, False)
    pop, ptruth = load_spectrum(args.data, "population")
    results["population"] = (variants(pop, ptruth, within1pct,
                                      depen=Params(detect_copies=True)), True)
    weather, wtruth = load_spectrum(args.data, "weather")
    results["weather"] = (variants(weather, wtruth, exact), True)
    for part in ("held-out", "dev", "all"):
        _print_table(results, part)
    print()
    for n, (r, _) in results.items():
        print(f"{n}: newswatch spearman(reliability, measured accuracy) {r['spearman']:.2f} over "
              f"{r['spearman_sources']} sources; dependent pairs {r['dependent_pairs']}; "
              f"echoing sources {len(r['echoes'])} ({', '.join(r['echoes'][:5]) or '-'}); "
              f"{r['iterations']} iterations, {r['seconds']}s")
    print(f"flights, nothing declared first-party: spearman {fu['spearman']:.2f} over "
          f"{fu['spearman_sources']} sources")
    summary: dict = {"flights_undeclared_spearman": fu["spearman"]}
    measure = {"flights": "accuracy", "population": "error", "weather": "error"}
    for n, (r, err) in results.items():
        for row, parts in r.items():
            if not isinstance(parts, dict) or row == "items":
                continue
            for part, v in parts.items():
                key = f"{n}_{measure[n]}" if row == "newswatch" else f"{n}_{row}"
                key += {"held-out": "", "dev": "_dev", "all": "_all"}[part]
                summary[key] = (1 - v) if err and row not in DATA_ROWS else v
        summary[f"{n}_spearman"] = r["spearman"]
    print(json.dumps({k: round(v, 4) if isinstance(v, float) else v for k, v in summary.items()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
