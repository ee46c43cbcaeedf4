"""Blind AI-infrastructure claim sets: planted errors found, false alarms, scope traps.

Run from the repository root:  .venv/bin/python benchmarks/claims_blind.py SET_DIR [--verbose]

SET_DIR (e.g. benchmarks/data/claims_blind/dev) holds articles ``EVENT__OUTLET.txt`` (header
lines ``Title:``, ``Source:``, ``Published:``, ``URL:``, a blank line, the body) and ``key.yaml``
(planted errors, traps, updates, intra-article contradictions, syndicated pairs; see the
README beside the sets). Exits 0 with a message when SET_DIR is absent.

What runs is the product, end to end: the articles become a sample web (one RSS feed per
outlet, pages in the sample server's templates, published times from the headers) served on
127.0.0.1 by ``newswatch.sample_server``; ``newswatch run --once`` is run as a subprocess
against a temporary feeds.yaml (``fetch.allow_private: true``) and a fresh database; the
database's ``claims``, ``discrepancies`` and ``discrepancy_claims`` are then read with sqlite3.
No claims code is imported: the score depends only on what the product stores.

Scoring. A claim *matches* a key mention when it comes from that article, its surface
contains the mention's number and its sentence contains the snippet (both lower-cased, with
whitespace and quote characters removed). A planted error is *found* when one discrepancy
holds a claim matching the wrong figure and, on another side (or, without sides, another
value) and from another article, a claim whose value relates to the wrong claim's value as
the correct figure to the wrong one (so the canonical unit does not matter; 3 % tolerance).
A flagged row is *true* when it finds a planted error, holds an earlier and a later figure of
an expected update, or holds both figures of an intra-article contradiction (or its wrong
figure against the correct one). A trap is *violated* when any flagged row holds a claim
matching it. A syndicated pair must never make a discrepancy on its own.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
SRC = REPO / "src"
HEADERS = ("Title", "Source", "Published", "URL")
TEMPLATES = ("classic", "magazine", "blog")
QUOTES = "`'\"\u2018\u2019\u201c\u201d"
RATIO_TOLERANCE = 0.03


@dataclass
class Article:
    file: str
    event: str
    outlet: str
    title: str
    source: str
    published: str
    url: str
    body: str


@dataclass
class Claim:
    id: int
    file: str | None
    surface: str
    sentence: str
    value: float | None
    low: float | None
    high: float | None
    unit: str | None


@dataclass
class Flag:
    id: int
    row: dict[str, Any]
    claims: list[tuple[Claim, int | None]] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    traps: list[str] = field(default_factory=list)


def norm(text: str | None) -> str:
    """Lower-cased, whitespace and quote characters removed: how mentions are compared."""
    text = (text or "").lower()
    return "".join(ch for ch in text if not ch.isspace() and ch not in QUOTES)


# --- reading the set --------------------------------------------------------------------------


def read_article(path: Path) -> Article:
    """One article file; raises ValueError naming the file when a header is missing."""
    head, sep, body = path.read_text(encoding="utf-8").partition("\n\n")
    if not sep:
        raise ValueError(f"{path.name}: no blank line after the headers")
    headers: dict[str, str] = {}
    for line in head.splitlines():
        name, colon, value = line.partition(":")
        if colon:
            headers[name.strip()] = value.strip()
    missing = [name for name in HEADERS if not headers.get(name)]
    if missing:
        raise ValueError(f"{path.name}: missing header(s) {', '.join(missing)}")
    event, sep, outlet = path.stem.partition("__")
    if not sep or not event or not outlet:
        raise ValueError(f"{path.name}: file name must be EVENT__OUTLET.txt")
    return Article(path.name, event, outlet, headers["Title"], headers["Source"], headers["Published"],
                   headers["URL"], body.strip() + "\n")


def read_set(set_dir: Path) -> tuple[list[Article], dict[str, Any]]:
    articles = [read_article(path) for path in sorted(set_dir.glob("*__*.txt"))]
    key_path = set_dir / "key.yaml"
    key = yaml.safe_load(key_path.read_text(encoding="utf-8")) if key_path.is_file() else {}
    return articles, key or {}


def mentions_of(key: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every (where, mention) in the key that names an article, number and snippet."""
    found: list[tuple[str, dict[str, Any]]] = []
    for entry in key.get("planted_errors") or []:
        found.append((f"planted {entry['id']}", entry))
    for entry in key.get("traps") or []:
        found.append(("trap", entry))
    for entry in key.get("updates") or []:
        for mention in (entry.get("earlier") or []) + (entry.get("later") or []):
            found.append((f"update {entry['id']}", mention))
    for entry in key.get("intra_article") or []:
        for mention in entry.get("mentions") or []:
            found.append((f"intra {entry['id']}", {**mention, "article": entry["article"]}))
    return found


def check_key(articles: list[Article], key: dict[str, Any]) -> list[str]:
    """Problems with the key itself: unknown articles, snippets not in the text, numbers not in
    the snippet. A key that points at nothing would score as a miss forever."""
    by_file = {article.file: article for article in articles}
    problems = []
    for where, mention in mentions_of(key):
        article = by_file.get(mention.get("article", ""))
        if article is None:
            problems.append(f"{where}: unknown article {mention.get('article')!r}")
            continue
        snippet, number = norm(mention.get("snippet")), norm(str(mention.get("number", "")))
        if not snippet or snippet not in norm(article.body):
            problems.append(f"{where}: snippet {mention.get('snippet')!r} not in {article.file}")
        if not number or number not in snippet:
            problems.append(f"{where}: number {mention.get('number')!r} not in its snippet")
    for pair in key.get("syndicated") or []:
        for side in ("original", "copy"):
            if pair.get(side) not in by_file:
                problems.append(f"syndicated: unknown article {pair.get(side)!r}")
    return problems


# --- serving and running the product ----------------------------------------------------------


def build_sample(articles: list[Article], folder: Path) -> Path:
    """Write a sample directory (manifest.yaml, texts/, templates/) for newswatch.sample_server."""
    from newswatch import sample_server

    sample_dir = folder / "sample"
    (sample_dir / "texts").mkdir(parents=True)
    shutil.copytree(sample_server.SAMPLE_DIR / "templates", sample_dir / "templates")
    outlets: dict[str, dict[str, Any]] = {}
    entries = []
    for article in articles:
        outlet = outlets.get(article.outlet)
        if outlet is None:
            outlet = outlets[article.outlet] = {
                "name": article.source,
                "slug": article.outlet,
                "domain": f"{article.outlet}.example",
                "template": TEMPLATES[len(outlets) % len(TEMPLATES)],
                "feeds": [{"slug": "news", "format": "rss", "full_content": False}],
            }
        elif outlet["name"] != article.source:
            raise ValueError(f"{article.file}: outlet {article.outlet} is {outlet['name']!r} elsewhere, "
                             f"{article.source!r} here")
        text_file = article.file
        (sample_dir / "texts" / text_file).write_text(article.body, encoding="utf-8")
        entries.append({
            "slug": article.file.removesuffix(".txt").replace("__", "-"),
            "outlet": article.outlet,
            "feeds": ["news"],
            "event": article.event,
            "title": article.title,
            "published": article.published,
            "text_file": text_file,
            "skip_lines": 0,
        })
    manifest = {
        "events": {event: {"title": event} for event in dict.fromkeys(a.event for a in articles)},
        "outlets": list(outlets.values()),
        "articles": entries,
    }
    (sample_dir / "manifest.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True),
                                              encoding="utf-8")
    return sample_dir


def run_product(config: Path) -> tuple[int, str, float]:
    """`newswatch --config CONFIG run --once` in a subprocess, this checkout's code first."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "newswatch", "--config", str(config), "run", "--once"],
                          capture_output=True, text=True, env=env, timeout=1800)
    return done.returncode, (done.stdout + done.stderr).strip(), time.perf_counter() - started


def run_set(articles: list[Article], folder: Path, scratch: Path) -> tuple[Path, dict[str, str], float] | None:
    """Serve ``articles`` as a sample web on 127.0.0.1 (pages built in ``scratch``) and run the
    product against it into a fresh ``folder``/blind.db. Returns the database, each page's text
    file by URL and the run's seconds; None (its output printed) when the run failed."""
    folder.mkdir(parents=True, exist_ok=True)
    db_path = folder / "blind.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    from newswatch.sample_server import SampleServer

    sample_dir = build_sample(articles, scratch)
    with SampleServer(sample_dir) as server:
        config = server.write_config(folder / "feeds.yaml", db_path)
        code, output, seconds = run_product(config)
        file_by_url = {url: entry["text_file"] for url, entry in server.articles_by_url().items()}
    if code != 0:
        print(output, file=sys.stderr)
        print(f"error: newswatch run --once exited {code}", file=sys.stderr)
        return None
    return db_path, file_by_url, seconds


# --- reading the database ---------------------------------------------------------------------


def columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in db.execute(f"pragma table_info({table})")}


def read_results(db_path: Path, file_by_url: dict[str, str]) -> tuple[dict[int, Claim], list[Flag], dict[str, int]]:
    db = sqlite3.connect(db_path)
    db.row_factory = sqlite3.Row
    file_by_article = {row["id"]: file_by_url.get(row["url"]) for row in db.execute("select id, url from articles")}
    story_of = {file_by_article[row["id"]]: row["story_id"]
                for row in db.execute("select id, story_id from articles")}
    claim_cols = columns(db, "claims")
    low = "low" if "low" in claim_cols else "null as low"
    high = "high" if "high" in claim_cols else "null as high"
    claims = {
        row["id"]: Claim(row["id"], file_by_article.get(row["article_id"]), row["surface"] or "",
                         row["sentence"] or "", row["value"], row["low"], row["high"], row["unit"])
        for row in db.execute(f"select id, article_id, surface, sentence, value, {low}, {high}, unit from claims")
    }
    side = "side" if "side" in columns(db, "discrepancy_claims") else "null as side"
    flags = [Flag(row["id"], dict(row)) for row in db.execute("select * from discrepancies order by id")]
    by_id = {flag.id: flag for flag in flags}
    for row in db.execute(f"select discrepancy_id, claim_id, {side} from discrepancy_claims"):
        flag = by_id.get(row["discrepancy_id"])
        if flag is not None and row["claim_id"] in claims:
            flag.claims.append((claims[row["claim_id"]], row["side"]))
    db.close()
    return claims, flags, {name: sid for name, sid in story_of.items() if name}


def stage_costs(db_path: Path, articles: int) -> str:
    """The embed and claims stages' milliseconds per article in the recorded run, side by side:
    the claims stage should cost no more than embedding (the embed stage also loads the model)."""
    db = sqlite3.connect(db_path)
    row = db.execute("select details from runs order by id desc limit 1").fetchone()
    db.close()
    stages = json.loads(row[0]) if row and row[0] else {}
    embed_s, claims_s = (float((stages.get(name) or {}).get("seconds") or 0.0) for name in ("embed", "claims"))
    if not articles or not embed_s:
        return "stage cost: not recorded"
    return (f"stage cost per article: embed {1000 * embed_s / articles:.0f} ms, claims "
            f"{1000 * claims_s / articles:.0f} ms (claims/embed {claims_s / embed_s:.2f})")


# --- scoring ----------------------------------------------------------------------------------


def matches(claim: Claim, mention: dict[str, Any], article: str | None = None) -> bool:
    if claim.file != (article or mention.get("article")):
        return False
    number, surface = norm(str(mention.get("number", ""))), norm(claim.surface)
    if not surface or not (number in surface or (surface in number and any(ch.isdigit() for ch in surface))):
        return False
    return norm(mention.get("snippet")) in norm(claim.sentence)


def near(value: float | None, target: float, tolerance: float = RATIO_TOLERANCE) -> bool:
    return value is not None and target != 0 and abs(value - target) <= tolerance * abs(target)


def holds_correct(flag: Flag, wrong: Claim, wrong_side: int | None, ratio: float) -> bool:
    """Another article's claim on another side whose value is the correct figure."""
    if wrong.value in (None, 0):
        return False
    target = wrong.value * ratio
    for claim, side in flag.claims:
        if claim.file == wrong.file or claim.file is None:
            continue
        if wrong_side is not None and side == wrong_side:
            continue
        if near(claim.value, target) or (
            claim.low is not None and claim.high is not None and claim.low <= target <= claim.high
            and not (claim.low <= wrong.value <= claim.high)
        ):
            return True
    return False


def score(articles: list[Article], key: dict[str, Any], claims: dict[int, Claim], flags: list[Flag]) -> dict[str, Any]:
    has_kind = bool(flags) and "kind" in flags[0].row
    planted = key.get("planted_errors") or []
    found_planted: dict[str, bool] = {}
    extracted: dict[str, bool] = {}
    for entry in planted:
        ratio = float(entry["correct_value"]) / float(entry["wrong_value"])
        wrong_claims = [c for c in claims.values() if matches(c, entry)]
        extracted[entry["id"]] = bool(wrong_claims)
        found_planted[entry["id"]] = False
        for flag in flags:
            for claim, side in flag.claims:
                if claim in wrong_claims and holds_correct(flag, claim, side, ratio):
                    found_planted[entry["id"]] = True
                    flag.labels.append(f"planted {entry['id']}")
                    break
    updates = key.get("updates") or []
    updates_found, kinds_right = 0, 0
    for entry in updates:
        hit = False
        for flag in flags:
            earlier = any(matches(c, m) for c, _ in flag.claims for m in entry.get("earlier") or [])
            later = any(matches(c, m) for c, _ in flag.claims for m in entry.get("later") or [])
            if earlier and later:
                hit = True
                flag.labels.append(f"update {entry['id']}")
                if has_kind and flag.row.get("kind") == entry.get("expected_kind", "update"):
                    kinds_right += 1
        updates_found += hit
    intra = key.get("intra_article") or []
    intra_found = 0
    for entry in intra:
        mentions = entry.get("mentions") or []
        hit = False
        for flag in flags:
            present = [any(matches(c, m, entry["article"]) for c, _ in flag.claims) for m in mentions]
            wrong = mentions[entry["wrong"]] if "wrong" in entry else None
            against_correct = False
            if wrong is not None and entry.get("correct_value") is not None:
                ratio = float(entry["correct_value"]) / float(wrong["value"])
                against_correct = any(matches(c, wrong, entry["article"]) and holds_correct(flag, c, s, ratio)
                                      for c, s in flag.claims)
            if all(present) or against_correct:
                hit = True
                flag.labels.append(f"intra {entry['id']}")
        intra_found += hit
    traps = key.get("traps") or []
    violated = set()
    for index, trap in enumerate(traps):
        for flag in flags:
            if any(matches(c, trap) for c, _ in flag.claims):
                violated.add(index)
                flag.traps.append(f"{trap['article']}: {trap['number']} ({trap.get('why', '')})")
    syndicated_alone = 0
    for pair in key.get("syndicated") or []:
        pair_files = {pair["original"], pair["copy"]}
        for flag in flags:
            files = {c.file for c, _ in flag.claims}
            if files and files <= pair_files:
                syndicated_alone += 1
                flag.labels.append("SYNDICATED PAIR ALONE")
    true_flags = sum(1 for flag in flags if any(not label.startswith("SYNDICATED") for label in flag.labels))
    return {
        "found": sum(found_planted.values()),
        "planted": len(planted),
        "flagged": len(flags),
        "true": true_flags,
        "precision": round(true_flags / len(flags), 3) if flags else None,
        "traps_flagged": len(violated),
        "traps": len(traps),
        "updates_found": updates_found,
        "updates": len(updates),
        "update_kind_right": kinds_right if has_kind else "n/a",
        "intra_found": intra_found,
        "intra": len(intra),
        "syndicated_alone": syndicated_alone,
        "planted_extracted": sum(extracted.values()),
        "_found": found_planted,
        "_extracted": extracted,
    }


def story_purity(articles: list[Article], story_of: dict[str, int]) -> tuple[int, int, list[str]]:
    """(stories holding the set's articles, events, one line per event split or mixed)."""
    notes = []
    by_event: dict[str, set[int]] = {}
    by_story: dict[int, set[str]] = {}
    for article in articles:
        story = story_of.get(article.file)
        by_event.setdefault(article.event, set()).add(story if story is not None else -1)
        if story is not None:
            by_story.setdefault(story, set()).add(article.event)
    for event, stories in by_event.items():
        if len(stories) > 1 or -1 in stories:
            notes.append(f"event {event} is spread over stories {sorted(stories)} (-1: not stored/unclustered)")
    for story, events in by_story.items():
        if len(events) > 1:
            notes.append(f"story {story} mixes events {sorted(events)}")
    return len(by_story), len(by_event), notes


def describe(flag: Flag) -> str:
    row = flag.row
    head = " ".join(str(row.get(name)) for name in ("kind", "subject", "attribute", "entity", "property")
                    if row.get(name) not in (None, ""))
    sides: dict[Any, list[str]] = {}
    for claim, side in flag.claims:
        sides.setdefault(side, []).append(f"{claim.surface} [{(claim.file or '?').removesuffix('.txt')}]")
    shown = "  vs  ".join("; ".join(v) for _, v in sorted(sides.items(), key=lambda kv: str(kv[0])))
    verdict = ", ".join(flag.labels) if flag.labels else "FALSE ALARM"
    if flag.traps:
        verdict += "; TRAP: " + "; ".join(flag.traps)
    return f"  #{flag.id} {head}: {shown}\n      -> {verdict}"


def open_set(set_dir: Path, check: Callable[[list[Article], dict[str, Any]], list[str]]
             ) -> tuple[list[Article], dict[str, Any]] | int:
    """A set's articles and key, read and checked by ``check`` (its problems printed), or the exit
    code to stop with: 0 when there is no set here (the benchmark skips), 2 when it is broken."""
    if not set_dir.is_dir() or not any(set_dir.glob("*__*.txt")):
        print(f"no blind set at {set_dir}: nothing to score")
        return 0
    sys.path.insert(0, str(SRC))
    try:
        articles, key = read_set(set_dir)
    except (ValueError, yaml.YAMLError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    problems = check(articles, key)
    for problem in problems:
        print(f"key: {problem}", file=sys.stderr)
    return 2 if problems else (articles, key)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("set_dir", type=Path)
    parser.add_argument("--verbose", "-v", action="store_true", help="print every flagged row and every miss")
    parser.add_argument("--check", action="store_true", help="only check the key against the articles")
    parser.add_argument("--keep", type=Path, default=None, help="keep the database and config in this folder")
    args = parser.parse_args(argv)

    opened = open_set(args.set_dir, check_key)
    if isinstance(opened, int):
        return opened
    articles, key = opened
    if args.check:
        print(f"{args.set_dir}: {len(articles)} articles, key consistent")
        return 0

    with tempfile.TemporaryDirectory(prefix="newswatch-blind-") as tmp:
        ran = run_set(articles, args.keep or Path(tmp), Path(tmp))
        if ran is None:
            return 1
        db_path, file_by_url, seconds = ran
        claims, flags, story_of = read_results(db_path, file_by_url)
        costs = stage_costs(db_path, len(articles))

    result = score(articles, key, claims, flags)
    stories, events, story_notes = story_purity(articles, story_of)
    print(f"{args.set_dir}: {len(articles)} articles, {len(story_of)} stored, {events} events -> {stories} stories; "
          f"{len(claims)} claims; run --once {seconds:.1f}s")
    print(costs)
    for note in story_notes:
        print(f"  {note}")
    if args.verbose:
        print("flagged rows:")
        for flag in flags:
            print(describe(flag))
        for entry in key.get("planted_errors") or []:
            if not result["_found"][entry["id"]]:
                why = "extracted, not flagged against the correct figure" if result["_extracted"][entry["id"]] \
                    else "the wrong figure was not extracted as a claim matching the key"
                print(f"  MISSED {entry['id']} {entry['article']}: {entry['number']} ({entry['property']}): {why}")
    print(f"planted errors found {result['found']}/{result['planted']} (extracted {result['planted_extracted']}); "
          f"flagged {result['flagged']}, true {result['true']}, precision {result['precision']}; "
          f"traps flagged {result['traps_flagged']}/{result['traps']}; updates found "
          f"{result['updates_found']}/{result['updates']} (kind right: {result['update_kind_right']}); "
          f"intra-article {result['intra_found']}/{result['intra']}; syndicated pair alone {result['syndicated_alone']}")
    summary = {k: v for k, v in result.items() if not k.startswith("_")}
    summary = {"set": key.get("set", args.set_dir.name), **summary, "stories": stories, "events": events}
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
