"""Truth-discovery benchmark: majority vote, median and newswatch's method on three data sets.

Data: ../shared/datasets/truth-discovery (skipped with a message when absent):

* flights - PClean's deep-web flight table (``pclean/flights_dirty.csv``, 38 sources x 100
  flights): an item is (flight, one of the four times), the truth is the clean table's value
  (the same on every row of a flight). Times are compared as minutes after midnight; correct
  means the exact minute.
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
claimed value, so exact-match scoring is fair to it). Spearman: rank correlation, over the
sources with at least 5 scored claims, between the learned reliability and the source's
measured accuracy on the scored items.

newswatch's parameters are the library defaults (`truth.Params`), fixed before the first run
on any of these sets; nothing is tuned per data set. Flights is also run with the airlines'
own sites (aa, ua, CO) declared first-party, as a feed would be in feeds.yaml; the blind
figure (no first-party sources) is printed first.

Usage: python benchmarks/truth_discovery.py [--data DIR]
"""

from __future__ import annotations

import argparse
import csv
import glob
import json
import math
import re
import sys
import time
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path

from newswatch.reliability.truth import FIRST_PARTY, Claim, Item, discover

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


def evaluate(name: str, items: list[Item], truth: dict, correct, priors=None,
             label: str = "newswatch") -> dict:
    scored = [it for it in items if it.key in truth]
    maj_first = maj_expected = med = 0.0
    src_ok: dict = defaultdict(lambda: [0, 0])
    for it in scored:
        gold = truth[it.key]
        vals = [c.value for c in it.claims]
        pick, tied = majority(vals)
        maj_first += correct(pick, gold)
        maj_expected += sum(correct(v, gold) for v in tied) / len(tied)
        med += correct(median_pick(vals), gold)
        for c in it.claims:
            src_ok[c.source][0] += correct(c.value, gold)
            src_ok[c.source][1] += 1
    t0 = time.time()
    res = discover(items, priors=priors)
    secs = time.time() - t0
    ours = sum(correct(res.items[it.key].value, truth[it.key]) for it in scored)
    n = len(scored)
    eligible = [s for s, (_, k) in src_ok.items() if k >= MIN_CLAIMS_FOR_SPEARMAN]
    rho = spearman([res.sources[s].reliability for s in eligible],
                   [src_ok[s][0] / src_ok[s][1] for s in eligible])
    out = {"items": n, "majority": maj_first / n, "majority_random_ties": maj_expected / n,
           "median": med / n, label: ours / n, "spearman": rho, "spearman_sources": len(eligible),
           "dependent_pairs": len(res.dependent), "iterations": res.iterations,
           "seconds": round(secs, 1)}
    return out


def _fmt(name: str, measure: str, r: dict, label: str, err: bool) -> str:
    def f(x: float) -> str:
        return f"{(1 - x) if err else x:.3f}"
    return (f"{name:<28} {measure:<9} n={r['items']:<6} majority {f(r['majority'])} "
            f"(random ties {f(r['majority_random_ties'])})  median {f(r['median'])}  "
            f"{label} {f(r[label])}  spearman {r['spearman']:.2f} over {r['spearman_sources']} "
            f"sources  dependent pairs {r['dependent_pairs']}  {r['iterations']} iterations "
            f"{r['seconds']}s")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = ap.parse_args()
    if not args.data.exists():
        print(f"truth-discovery data not found at {args.data}; nothing to run")
        return 0
    print("protocol: one vote per source per item (its latest claim); majority ties -> first "
          "claimed value (random-tie expectation beside it); median -> lower middle claimed "
          "value; flights correct = exact minute, population error = >1% off, weather error = "
          "not exactly a gold value; newswatch uses default parameters, none tuned per set")
    summary: dict = {}

    def exact(v, gold):
        return v is not None and any(abs(v - g) < 1e-9 for g in gold)

    def within1pct(v, gold):
        return v is not None and any(abs(v - g) <= 0.01 * abs(g) for g in gold)

    flights, ftruth = load_flights(args.data)
    blind = evaluate("flights", flights, ftruth, exact)
    print(_fmt("flights (PClean)", "accuracy", blind, "newswatch", False))
    fp = evaluate("flights", flights, ftruth, exact, {a: FIRST_PARTY for a in AIRLINES})
    print(_fmt("flights, airlines 1st-party", "accuracy", fp, "newswatch", False))
    summary.update(flights_accuracy=fp["newswatch"], flights_accuracy_blind=blind["newswatch"],
                   flights_majority=blind["majority"],
                   flights_majority_random_ties=blind["majority_random_ties"],
                   flights_median=blind["median"], flights_spearman=fp["spearman"],
                   flights_spearman_blind=blind["spearman"])

    pop, ptruth = load_spectrum(args.data, "population")
    r = evaluate("population", pop, ptruth, within1pct)
    print(_fmt("population", "error", r, "newswatch", True))
    summary.update(population_error=1 - r["newswatch"], population_majority=1 - r["majority"],
                   population_majority_random_ties=1 - r["majority_random_ties"],
                   population_median=1 - r["median"], population_spearman=r["spearman"])

    weather, wtruth = load_spectrum(args.data, "weather")
    r = evaluate("weather", weather, wtruth, exact)
    print(_fmt("weather", "error", r, "newswatch", True))
    summary.update(weather_error=1 - r["newswatch"], weather_majority=1 - r["majority"],
                   weather_majority_random_ties=1 - r["majority_random_ties"],
                   weather_median=1 - r["median"], weather_spearman=r["spearman"])
    print(json.dumps({k: round(v, 4) if isinstance(v, float) else v for k, v in summary.items()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
