"""The labelled web-news quantity sets: reproducible from the dataset, and the blind ones held back.

A blind set is only worth its figure while nobody tunes on it, so the benchmark must not score
it unless asked with ``--blind``, and its sentences must come from pages the rules' developer
never read (the blind half of the page split) and not repeat an earlier blind set.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "quantities.py"


def _bench():
    if "bench_quantities" in sys.modules:
        return sys.modules["bench_quantities"]
    spec = importlib.util.spec_from_file_location("bench_quantities", BENCH)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # its dataclasses look themselves up there
    spec.loader.exec_module(mod)
    return mod


def _records(path: Path) -> list[dict]:
    return [json.loads(ln) for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]


@pytest.mark.dataset
def test_news_blind4_is_reproduced_from_the_blind_pages_only() -> None:
    bench = _bench()
    if not bench.ARTICLE_TRUTH.exists():
        pytest.skip("article-extraction ground truth absent")
    drawn = bench.sample_news_blind4()
    labelled = _records(bench.NEWS_BLIND4_FILE)
    assert [(r["page"], r["text"]) for r in drawn] == [(r["page"], r["text"]) for r in labelled]
    dev_pages = {r["page"] for r in _records(bench.NEWS_DEV3_FILE)}
    blind3_texts = {r["text"] for r in _records(bench.NEWS_BLIND3_FILE)}
    assert not {r["page"] for r in labelled} & dev_pages
    assert not {r["text"] for r in labelled} & blind3_texts


def test_blind_web_news_sets_are_scored_only_with_blind(capsys: pytest.CaptureFixture[str]) -> None:
    bench = _bench()
    assert bench.main(["--only", "news-blind3,news-blind4"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "(news-blind4 is a blind set: scored only with --blind)" in lines
    assert not [ln for ln in lines if ln.startswith("news-blind")]  # no score row
    assert any(ln.startswith("overall") and ln.split()[1:3] == ["0", "0"] for ln in lines)
