"""Blind reliability set: does the sloppy outlet rank last, does a copied wire error stay out of
the consensus, is the first reporter of each disputed value right?

Run from the repository root:
    .venv/bin/python benchmarks/reliability_blind.py SET_DIR [--check] [--verbose] [--keep DIR]

SET_DIR (e.g. benchmarks/data/reliability_blind) holds articles ``EVENT__OUTLET.txt`` in the
format of the claims blind sets and ``key.yaml``: each outlet's role (sloppy, wire, copier,
accurate), the syndicated wire copies and every disputed figure with its wrong and correct
mentions and the expected first reporter of each value (see the README beside the set). Exits 0
with a message when SET_DIR is absent; ``--check`` only checks the key against the articles.
By default a scoring run prints only the summary (the overall lines and the final JSON line):
the leaderboard and the per-figure lines name outlets, events and values of a sealed set, and
whoever reads them has seen the set. ``--verbose`` prints them too, for sets that are not sealed.

What runs is the product, end to end, exactly as in ``claims_blind.py`` (whose helpers this
imports): a sample web on 127.0.0.1, ``newswatch run --once`` in a subprocess into a fresh
database, then the database is read with sqlite3 (``sources``, ``source_leaderboard``,
``claims``, ``claim_groups``, ``discrepancies``, ``discrepancy_sides``). No product code
decides the score.

Scoring. A disputed figure is *flagged* when one discrepancy holds a claim matching a wrong
mention and, on another side, one matching a correct mention. Its *consensus* (the
discrepancy's ``consensus_value``, else the wrong claim's group's) is *right* when it is within
3 % of a matched correct claim's stored value and *the error* when it is within 3 % of the
matched wrong claim's. The *first reporter* of each of its two values is right when the
``discrepancy_sides`` row of the side holding that value names the expected outlet (two checks
per figure; an unflagged figure fails both). Outlets are ranked in the ``source_leaderboard``
view's order; the sloppy outlet is *last* when it has a score with enough evidence and every
other outlet with one ranks above it.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from claims_blind import (  # noqa: E402 - the sibling benchmark's helpers, found via sys.path
    Article,
    Claim,
    Flag,
    check_key,
    columns,
    matches,
    near,
    open_set,
    read_results,
    run_set,
)

ROLES = ("sloppy", "wire", "copier", "accurate")
MIN_EVIDENCE_FALLBACK = 5  # used only when the store has no source_leaderboard view


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def disputed_mentions(key: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every (where, mention) of the disputed figures, for claims_blind.check_key's checks."""
    found = []
    for entry in key.get("disputed") or []:
        for side in ("wrong", "correct"):
            for mention in entry.get(side) or []:
                found.append((f"{entry.get('id')} {side}", mention))
    return found


def first_reporter(mentions: list[dict[str, Any]], by_file: dict[str, Article]) -> str | None:
    """The outlet of the earliest published mention that is not a copy."""
    own = [by_file[m["article"]] for m in mentions if not m.get("copy_of") and m.get("article") in by_file]
    if not own:
        return None
    return min(own, key=lambda a: parse_time(a.published)).outlet


def check_reliability_key(articles: list[Article], key: dict[str, Any]) -> list[str]:
    """Problems with the key: mentions that point at nothing (via claims_blind.check_key), roles
    and outlets that do not match the articles, copies published before their original, and an
    expected first reporter that the published times contradict."""
    by_file = {article.file: article for article in articles}
    planted = [{"id": where, **mention} for where, mention in disputed_mentions(key)]
    problems = check_key(articles, {"planted_errors": planted, "syndicated": key.get("syndicated")})
    outlets = key.get("outlets") or {}
    for name, info in outlets.items():
        if (info or {}).get("role") not in ROLES:
            problems.append(f"outlet {name}: role {(info or {}).get('role')!r} is not one of {', '.join(ROLES)}")
    for role in ("sloppy", "wire"):
        count = sum(1 for info in outlets.values() if (info or {}).get("role") == role)
        if count != 1:
            problems.append(f"{count} outlets have role {role}; the set needs exactly one")
    for article in articles:
        info = outlets.get(article.outlet)
        if info is None:
            problems.append(f"{article.file}: outlet {article.outlet} is not in the key's outlets")
        elif info.get("source") != article.source:
            problems.append(f"{article.file}: Source {article.source!r}, key says {info.get('source')!r}")
    for pair in key.get("syndicated") or []:
        original, copy = by_file.get(pair.get("original")), by_file.get(pair.get("copy"))
        if original and copy:
            if parse_time(copy.published) <= parse_time(original.published):
                problems.append(f"syndicated: {copy.file} is not published after {original.file}")
            if f"({original.source})" not in copy.body and f"according to {original.source}" not in copy.body:
                problems.append(f"syndicated: {copy.file} does not credit {original.source}")
    errors_by_outlet: dict[str, set[str]] = {}
    for entry in key.get("disputed") or []:
        where = entry.get("id", "?")
        for field in ("event", "erring_outlet", "wrong_value", "correct_value", "wrong", "correct", "first_reporter"):
            if entry.get(field) in (None, "", []):
                problems.append(f"{where}: no {field}")
        if entry.get("erring_outlet") not in outlets:
            problems.append(f"{where}: erring outlet {entry.get('erring_outlet')!r} is not in the key's outlets")
        errors_by_outlet.setdefault(entry.get("erring_outlet", "?"), set()).add(entry.get("event", "?"))
        for side in ("wrong", "correct"):
            mentions = entry.get(side) or []
            for mention in mentions:
                article = by_file.get(mention.get("article", ""))
                if article is not None and article.event != entry.get("event"):
                    problems.append(f"{where}: {article.file} is not in event {entry.get('event')}")
                copied = mention.get("copy_of")
                if article is not None and copied and copied not in outlets:
                    problems.append(f"{where}: {article.file} copies unknown outlet {copied!r}")
            expected = (entry.get("first_reporter") or {}).get(side)
            actual = first_reporter(mentions, by_file)
            if expected != actual:
                problems.append(f"{where}: first {side} reporter is {actual!r} by published time, key says {expected!r}")
        own_wrong = [m for m in entry.get("wrong") or [] if not m.get("copy_of")]
        if any(by_file.get(m["article"]) and by_file[m["article"]].outlet != entry.get("erring_outlet")
               for m in own_wrong):
            problems.append(f"{where}: a non-copy wrong mention is not from the erring outlet")
        if bool(entry.get("wire_error")) != (outlets.get(entry.get("erring_outlet"), {}).get("role") == "wire"):
            problems.append(f"{where}: wire_error does not match the erring outlet's role")
    sloppy = next((name for name, info in outlets.items() if (info or {}).get("role") == "sloppy"), None)
    wire = next((name for name, info in outlets.items() if (info or {}).get("role") == "wire"), None)
    if sloppy and not 3 <= len(errors_by_outlet.get(sloppy, ())) <= 5:
        problems.append(f"sloppy outlet {sloppy} errs in {len(errors_by_outlet.get(sloppy, ()))} stories, not 3-5")
    if wire and len(errors_by_outlet.get(wire, ())) != 1:
        problems.append(f"wire outlet {wire} errs in {len(errors_by_outlet.get(wire, ()))} stories, not 1")
    return problems


# --- reading the database beyond claims_blind.read_results ----------------------------------


def read_reliability(db_path: Path) -> dict[str, Any]:
    """Leaderboard rows, claim groups' consensus, claims' groups and discrepancy sides."""
    db = sqlite3.connect(db_path)
    db.row_factory = sqlite3.Row
    views = {row[0] for row in db.execute("select name from sqlite_master where type = 'view'")}
    if "source_leaderboard" in views:
        board = [dict(row) for row in db.execute("select * from source_leaderboard")]
    else:
        board = [dict(row) | {"outlet": row["name"]} for row in db.execute("select * from sources order by id")]
    source_name = {row["id"]: row["name"] for row in db.execute("select id, name from sources")}
    groups: dict[int, dict[str, Any]] = {}
    group_of: dict[int, int | None] = {}
    sides: dict[int, dict[int, dict[str, Any]]] = {}
    tables = {row[0] for row in db.execute("select name from sqlite_master where type = 'table'")}
    if "claim_groups" in tables:
        groups = {row["id"]: dict(row) for row in db.execute("select * from claim_groups")}
    if "group_id" in columns(db, "claims"):
        group_of = {row["id"]: row["group_id"] for row in db.execute("select id, group_id from claims")}
    if "discrepancy_sides" in tables:
        for row in db.execute("select * from discrepancy_sides"):
            sides.setdefault(row["discrepancy_id"], {})[row["side"]] = dict(row)
    db.close()
    return {"board": board, "source_name": source_name, "groups": groups, "group_of": group_of, "sides": sides}


# --- scoring ----------------------------------------------------------------------------------


def has_evidence(row: dict[str, Any]) -> bool:
    """A number to rank by: scored, and not below the view's (or the fallback's) evidence bar."""
    if row.get("reliability") is None:
        return False
    text = row.get("reliability_text")
    if text is not None:
        try:
            float(text)
        except ValueError:
            return False
        return True
    return (row.get("checked_claims") or 0) >= MIN_EVIDENCE_FALLBACK


def score_ranking(board: list[dict[str, Any]], key: dict[str, Any]) -> dict[str, Any]:
    role_of = {info["source"]: info["role"] for info in (key.get("outlets") or {}).values()}
    sloppy = next((info["source"] for info in (key.get("outlets") or {}).values() if info["role"] == "sloppy"), None)
    scored = [row["outlet"] for row in board if has_evidence(row)]
    return {
        "role_of": role_of,
        "scored": scored,
        "sloppy": sloppy,
        "sloppy_last": bool(scored) and scored[-1] == sloppy and len(scored) > 1,
        "sloppy_rank": scored.index(sloppy) + 1 if sloppy in scored else None,
    }


def side_of(flag: Flag, claim: Claim) -> int | None:
    return next((side for c, side in flag.claims if c.id == claim.id), None)


def value_side(flag: Flag, sides: dict[int, dict[str, Any]], claim: Claim) -> dict[str, Any] | None:
    """The discrepancy_sides row holding this claim: by its side number, else by value."""
    side = side_of(flag, claim)
    if side is not None and side in sides:
        return sides[side]
    return next((row for row in sides.values() if claim.value is not None and near(row.get("value"), claim.value)),
                None)


def score_disputed(entry: dict[str, Any], claims: dict[int, Claim], flags: list[Flag], db: dict[str, Any],
                   source_of: dict[str, str]) -> dict[str, Any]:
    wrong = [c for c in claims.values() if any(matches(c, m) for m in entry.get("wrong") or [])]
    correct = [c for c in claims.values() if any(matches(c, m) for m in entry.get("correct") or [])]
    result: dict[str, Any] = {"id": entry["id"], "extracted": bool(wrong) and bool(correct), "flag": None,
                              "consensus": "none", "consensus_value": None, "first": {}}
    for flag in flags:
        held = {c.id for c, _ in flag.claims}
        wrong_here = [c for c in wrong if c.id in held]
        correct_here = [c for c in correct if c.id in held]
        pairs = [(w, c) for w in wrong_here for c in correct_here
                 if side_of(flag, w) is None or side_of(flag, w) != side_of(flag, c)]
        if pairs:
            result["flag"], result["pair"] = flag, pairs[0]
            break
    consensus = None
    if result["flag"] is not None:
        consensus = result["flag"].row.get("consensus_value")
    if consensus is None:
        for claim in wrong:
            group = db["groups"].get(db["group_of"].get(claim.id) or -1)
            if group and group.get("consensus_value") is not None:
                consensus = group["consensus_value"]
                break
    result["consensus_value"] = consensus
    if consensus is not None:
        if any(near(consensus, c.value) for c in correct if c.value is not None):
            result["consensus"] = "right"
        elif any(near(consensus, c.value) for c in wrong if c.value is not None):
            result["consensus"] = "the error"
        else:
            result["consensus"] = "other"
    expected = entry.get("first_reporter") or {}
    for label, index in (("wrong", 0), ("correct", 1)):
        want = source_of.get(expected.get(label, ""), expected.get(label))
        got = None
        if result["flag"] is not None:
            row = value_side(result["flag"], db["sides"].get(result["flag"].id, {}), result["pair"][index])
            if row is not None:
                got = db["source_name"].get(row.get("first_source_id"))
        result["first"][label] = (want, got, got == want)
    return result


def describe_value(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def print_leaderboard(board: list[dict[str, Any]], ranking: dict[str, Any]) -> None:
    """Every outlet's score in the leaderboard's order (verbose only: it shows the set's outlets)."""
    print("outlets by reliability (source_leaderboard order):")
    for rank, row in enumerate(board, 1):
        shown = (f"{row['reliability']:.3f} [{describe_value(row.get('reliability_low'))}, "
                 f"{describe_value(row.get('reliability_high'))}]" if has_evidence(row)
                 else (row.get("reliability_text") or "not scored"))
        if row.get("reliability") is not None and not has_evidence(row):
            shown += f" ({row['reliability']:.3f})"
        print(f"  {rank}. {row['outlet']} ({ranking['role_of'].get(row['outlet'], '?')}): {shown}; "
              f"checked {row.get('checked_claims')}, agreed {describe_value(row.get('agreed'))}, "
              f"disagreed {describe_value(row.get('disagreed'))}")


def describe_disputed(entry: dict[str, Any], result: dict[str, Any]) -> str:
    """One disputed figure's line (verbose only: it shows the figure, its values and outlets)."""
    flag = result["flag"]
    where = f"discrepancy #{flag.id}" if flag is not None else (
        "NOT FLAGGED" + ("" if result["extracted"] else " (a wrong or correct mention was not extracted)"))
    firsts = "; ".join(f"first {label}: {got or '-'}{'' if ok else f' (expected {want})'}"
                       for label, (want, got, ok) in result["first"].items())
    return (f"{entry['id']} {entry['event']} {entry.get('property', '')}: "
            f"{entry['wrong_value']:g} by {entry['erring_outlet']} vs {entry['correct_value']:g} {entry.get('unit', '')}"
            f"{' [wire error, copied]' if entry.get('wire_error') else ''}: {where}; consensus "
            f"{describe_value(result['consensus_value'])} ({result['consensus']}); {firsts}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("set_dir", type=Path)
    parser.add_argument("--check", action="store_true", help="only check the key against the articles")
    parser.add_argument("--keep", type=Path, default=None, help="keep the database and config in this folder")
    parser.add_argument("--verbose", action="store_true",
                        help="also print the leaderboard and each disputed figure (reveals a sealed set's content)")
    args = parser.parse_args(argv)

    opened = open_set(args.set_dir, check_reliability_key)
    if isinstance(opened, int):
        return opened
    articles, key = opened
    outlets = key.get("outlets") or {}
    disputed = key.get("disputed") or []
    if args.check:
        per_outlet = ", ".join(f"{name} ({info['role']}) {sum(1 for a in articles if a.outlet == name)}"
                               for name, info in outlets.items())
        print(f"{args.set_dir}: {len(articles)} articles, {len({a.event for a in articles})} events, "
              f"{len(outlets)} outlets: {per_outlet}; "
              f"{len(disputed)} disputed figures, {len(key.get('syndicated') or [])} syndicated copies; key consistent")
        return 0

    with tempfile.TemporaryDirectory(prefix="newswatch-relblind-") as tmp:
        ran = run_set(articles, args.keep or Path(tmp), Path(tmp))
        if ran is None:
            return 1
        db_path, file_by_url, seconds = ran
        claims, flags, story_of = read_results(db_path, file_by_url)
        db = read_reliability(db_path)

    stories = len(set(story_of.values()))
    print(f"{args.set_dir}: {len(articles)} articles, {len(story_of)} stored, "
          f"{len({a.event for a in articles})} events -> {stories} stories; {len(claims)} claims; "
          f"{len(flags)} discrepancies; run --once {seconds:.1f}s")
    ranking = score_ranking(db["board"], key)
    if args.verbose:
        print_leaderboard(db["board"], ranking)
    sloppy_name = f" {ranking['sloppy']}" if args.verbose else ""
    print(f"sloppy outlet{sloppy_name} ranks last: {'yes' if ranking['sloppy_last'] else 'NO'} "
          f"(rank {ranking['sloppy_rank']} of {len(ranking['scored'])} scored)")

    source_of = {name: info["source"] for name, info in outlets.items()}
    results = [score_disputed(entry, claims, flags, db, source_of) for entry in disputed]
    if args.verbose:
        print("disputed figures:")
    first_right = first_total = 0
    wire_consensus = []
    for entry, result in zip(disputed, results, strict=True):
        if args.verbose:
            print(f"  {describe_disputed(entry, result)}")
        for _, _, ok in result["first"].values():
            first_right += ok
            first_total += 1
        if entry.get("wire_error"):
            wire_consensus.append(result["consensus"])
    summary = {
        "set": key.get("set", args.set_dir.name),
        "sloppy_last": ranking["sloppy_last"],
        "sloppy_rank": ranking["sloppy_rank"],
        "outlets_scored": len(ranking["scored"]),
        "outlets": len(db["board"]),
        "wire_error_consensus": any(status == "the error" for status in wire_consensus),
        "wire_error_consensus_status": wire_consensus,
        "consensus_right": sum(1 for r in results if r["consensus"] == "right"),
        "disputed": len(results),
        "disputed_flagged": sum(1 for r in results if r["flag"] is not None),
        "first_reporter_right": first_right,
        "first_reporter_total": first_total,
        "stories": stories,
        "events": len({a.event for a in articles}),
    }
    print(f"wire error became the consensus: {'YES' if summary['wire_error_consensus'] else 'no'} "
          f"({', '.join(wire_consensus) or 'no wire error in the key'}); consensus right "
          f"{summary['consensus_right']}/{len(results)}; first reporter right {first_right}/{first_total}")
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
