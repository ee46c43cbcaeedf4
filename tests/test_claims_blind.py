"""benchmarks/claims_blind.py: the key is checked against the articles, and flagged rows are
scored by what they hold (planted error against the correct figure, traps, syndicated copies)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SETS = ROOT / "benchmarks" / "data" / "claims_blind"


def _load():
    spec = importlib.util.spec_from_file_location("bench_claims_blind", ROOT / "benchmarks" / "claims_blind.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


cb = _load()

BODY = "Acme switched on 48,000 GPUs drawing 150 MW. The site is permitted for 400 MW.\n"


def _article(tmp_path: Path, name: str, body: str = BODY) -> Path:
    path = tmp_path / name
    path.write_text("Title: T\nSource: S\nPublished: 2026-10-01T00:00:00Z\nURL: https://x.example/a\n\n" + body,
                    encoding="utf-8")
    return path


def test_article_headers_and_name_are_required(tmp_path: Path) -> None:
    good = cb.read_article(_article(tmp_path, "ev__outlet.txt"))
    assert (good.event, good.outlet, good.source) == ("ev", "outlet", "S")
    bad = tmp_path / "ev__other.txt"
    bad.write_text("Title: T\n\nbody\n", encoding="utf-8")
    with pytest.raises(ValueError, match="missing header"):
        cb.read_article(bad)
    with pytest.raises(ValueError, match="EVENT__OUTLET"):
        cb.read_article(_article(tmp_path, "noseparator.txt"))


def test_check_key_reports_snippets_that_are_not_in_the_article(tmp_path: Path) -> None:
    articles = [cb.read_article(_article(tmp_path, "ev__a.txt"))]
    key = {"traps": [
        {"article": "ev__a.txt", "number": "400 MW", "snippet": "permitted for 400 MW"},
        {"article": "ev__a.txt", "number": "500 MW", "snippet": "permitted for 500 MW"},
        {"article": "ev__zz.txt", "number": "1", "snippet": "1"},
    ]}
    problems = cb.check_key(articles, key)
    assert len(problems) == 2
    assert any("not in ev__a.txt" in p for p in problems) and any("unknown article" in p for p in problems)


def _claim(cid: int, file: str, surface: str, sentence: str, value: float) -> object:
    return cb.Claim(cid, file, surface, sentence, value, None, None, "W")


def test_planted_error_found_by_ratio_and_trap_and_copy_pair_flagged() -> None:
    wrong = _claim(1, "ev__a.txt", "250 megawatts", "The facility pulls 250 megawatts today.", 250e6)
    right = _claim(2, "ev__b.txt", "150MW", "It draws up to 150MW.", 150e6)
    trap = _claim(3, "ev__a.txt", "400 megawatts", "It has permits for 400 megawatts.", 400e6)
    copy_a = _claim(4, "ev__wire.txt", "$3.2 billion", "It cost $3.2 billion.", 3.2e9)
    copy_b = _claim(5, "ev__copy.txt", "$3.3 billion", "It cost $3.3 billion.", 3.3e9)
    flags = [
        cb.Flag(10, {"kind": "conflict"}, [(wrong, 1), (right, 2)]),
        cb.Flag(11, {"kind": "conflict"}, [(trap, 1), (right, 2)]),
        cb.Flag(12, {"kind": "conflict"}, [(copy_a, 1), (copy_b, 2)]),
    ]
    key = {
        "planted_errors": [{"id": "e1", "article": "ev__a.txt", "number": "250", "snippet": "pulls 250 megawatts",
                            "wrong_value": 250, "correct_value": 150, "property": "power"}],
        "traps": [{"article": "ev__a.txt", "number": "400", "snippet": "permits for 400 megawatts", "why": "permit"}],
        "syndicated": [{"original": "ev__wire.txt", "copy": "ev__copy.txt"}],
    }
    claims = {c.id: c for c in (wrong, right, trap, copy_a, copy_b)}
    result = cb.score([], key, claims, flags)
    assert (result["found"], result["flagged"], result["true"]) == (1, 3, 1)
    assert result["traps_flagged"] == 1 and result["syndicated_alone"] == 1


def test_a_flag_without_the_correct_figure_does_not_find_the_planted_error() -> None:
    wrong = _claim(1, "ev__a.txt", "250 megawatts", "The facility pulls 250 megawatts today.", 250e6)
    other = _claim(2, "ev__b.txt", "400MW", "It is permitted for 400MW.", 400e6)
    key = {"planted_errors": [{"id": "e1", "article": "ev__a.txt", "number": "250", "snippet": "pulls 250 megawatts",
                               "wrong_value": 250, "correct_value": 150, "property": "power"}]}
    result = cb.score([], key, {1: wrong, 2: other}, [cb.Flag(10, {}, [(wrong, 1), (other, 2)])])
    assert (result["found"], result["true"]) == (0, 0)


@pytest.mark.parametrize("name", ["dev", "final"])
def test_the_committed_keys_match_their_articles(name: str) -> None:
    articles, key = cb.read_set(SETS / name)
    assert len(articles) >= 15 and len(key["planted_errors"]) >= 8
    assert cb.check_key(articles, key) == []
