"""Article-body extraction quality on the Scrapinghub benchmark (181 real pages, 126 sites).

Scores newswatch's own ``extract_page`` (trafilatura with favor_precision, as the product runs
it) against trafilatura's defaults and its favor_recall mode in the same run, with the
benchmark's protocol: 4-gram shingle precision/recall per page, macro-averaged, F1 of the two
averages. Also prints pages per second.

Why precision first: a related-stories sidebar with other numbers in an article's text makes
false claims and false discrepancies; a lost closing paragraph costs little.

    python benchmarks/extraction.py [--limit N]

Reads ../shared/datasets/article-extraction (skips with a message when absent).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import trafilatura

from newswatch.ingest.extract import extract_page

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "datasets" / "article-extraction"


def shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = re.findall(r"\w+", text or "")
    if not tokens:
        return Counter()
    if len(tokens) < 4:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3))


def score(pairs: list[tuple[str, str]]) -> dict[str, float]:
    precisions, recalls, exact = [], [], 0
    for ref, pred in pairs:
        r, p = shingles(ref), shingles(pred)
        tp = sum((r & p).values())
        fp = sum((p - r).values())
        fn = sum((r - p).values())
        total = tp + fp + fn
        if total:
            tp, fp, fn = tp / total, fp / total, fn / total
        if p:
            precisions.append(1.0 if fp == 0 and fn == 0 else tp / (tp + fp) if tp + fp else 0.0)
        if r:
            recalls.append(1.0 if fp == 0 and fn == 0 else tp / (tp + fn) if tp + fn else 0.0)
        exact += re.findall(r"\w+", ref) == re.findall(r"\w+", pred or "")
    prec = sum(precisions) / len(precisions) if precisions else 0.0
    rec = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"precision": prec, "recall": rec, "f1": f1, "accuracy": exact / len(pairs)}


def product(html: str, url: str) -> str:
    result, _ = extract_page(html, url)
    return result.text if result else ""


def trafilatura_default(html: str, url: str) -> str:
    return trafilatura.extract(html, url=url) or ""


def trafilatura_recall(html: str, url: str) -> str:
    return trafilatura.extract(html, url=url, favor_recall=True) or ""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args()
    if not (DATA / "ground-truth.json").exists():
        print(f"skipped: {DATA} not found")
        return 0
    truth = json.loads((DATA / "ground-truth.json").read_text(encoding="utf-8"))
    items = sorted(truth.items())
    if args.limit:
        items = items[: args.limit]
    pages = [(gzip.open(DATA / "html" / f"{k}.html.gz").read().decode("utf-8"), v) for k, v in items]
    systems: list[tuple[str, Callable[[str, str], str]]] = [
        ("newswatch extract_page (precision)", product),
        ("trafilatura default", trafilatura_default),
        ("trafilatura favor_recall", trafilatura_recall),
    ]
    print(f"{len(pages)} pages from {DATA.resolve()}")
    print(f"{'system':38} {'P':>6} {'R':>6} {'F1':>6} {'exact':>6} {'pages/s':>8}")
    for name, fn in systems:
        t0 = time.perf_counter()
        preds = [fn(html, rec["url"]) for html, rec in pages]
        dt = time.perf_counter() - t0
        s = score([(rec["articleBody"], pred) for (_, rec), pred in zip(pages, preds, strict=True)])
        print(f"{name:38} {s['precision']:6.3f} {s['recall']:6.3f} {s['f1']:6.3f} {s['accuracy']:6.3f} "
              f"{len(pages) / dt:8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
