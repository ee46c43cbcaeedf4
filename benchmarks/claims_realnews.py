"""Numeric disagreements on real news: the product's flags on ECB+ scored against read-through gold.

Run from the repository root:
    .venv/bin/python benchmarks/claims_realnews.py [--topics odd] [--keep DIR] [--gold DIR] [--verbose]

Data: ../shared/datasets/ecbplus/documents.jsonl (exits 0 with a message when absent) and the
gold in benchmarks/data/ecbplus_gold/topic_NN.yaml (format and protocol in that folder's
README.md): every quantity that two or more documents of a topic report, with its kind
(agree / conflict / update / intra-article), labelled by reading the documents only.
Only topics that have a gold file are run, and of those only the odd ones unless --topics
names others: even topics are held out.

What runs is the product's own path, as a user would drive it: each document is undone from
the corpus tokenisation (benchmarks/ecbplus_text.py, shared with the clustering benchmark),
written as a text file (first line = headline), stored with `newswatch ingest --source OUTLET`
into a fresh database, then `newswatch process` does everything else (text, embedding,
stories, claims, discrepancies), one stage at a time so that each stage's wall and CPU time is
measured on its own, with both models loaded beforehand. The commands run through the CLI's
entry point inside this process (same code as the shell command, without ~200 interpreter
start-ups). OUTLET is the host of the document's source URL when it has
one (the ECB+ half), else the document itself (the ECB half has no source line and comes from
many outlets, so each document counts as an independent report). The results are read from
the database with sqlite3; no claims code is imported.

Scoring. A claim matches a gold mention when it is from the same document, its surface
contains the mention's number and its sentence contains the mention's text (both lower-cased,
without whitespace or quote characters). A flagged discrepancy is TRUE when one gold quantity
of kind conflict/update/intra-article has a matching mention for every claim of it and those
mentions give two different values; otherwise it is FALSE, as one of: "unmatched claim" (a
claim matching no gold mention: an extraction error or a quantity the gold does not list),
"different quantity" (every claim matched, but not all to one quantity), "agree" (one
quantity, whose values agree per the gold). Precision = TRUE / flagged. Recall = gold
quantities of the three disagreeing kinds for which some discrepancy holds matched claims of
two different values, over their number. Kind accuracy = discrepancies.kind equal to the gold
kind among TRUE flags (n/a while the column does not exist).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import sqlite3
import sys
import tempfile
import time
from collections import Counter, defaultdict
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from urllib.parse import urlparse

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT / "src"))  # this checkout's code, not another installed copy

from ecbplus_text import detokenize, split_url_line  # noqa: E402

DATA = ROOT.parent / "shared" / "datasets" / "ecbplus" / "documents.jsonl"
GOLD = ROOT / "benchmarks" / "data" / "ecbplus_gold"
DISAGREEING = ("conflict", "update", "intra-article")
_STRIP = re.compile(r"[\s`'\"\u2018\u2019\u201c\u201d]+")


def norm(text: str) -> str:
    """The matching form: lower case, no whitespace, no quote characters."""
    return _STRIP.sub("", text.lower())


def kind_name(kind: str | None) -> str | None:
    return kind.replace("_", "-").lower() if kind else kind


# --------------------------------------------------------------------------- inputs


def load_gold(folder: Path, topics: set[int] | None) -> dict[int, dict]:
    gold = {}
    for path in sorted(folder.glob("topic_*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        topic = int(data["topic"])
        if topics is None or topic in topics:
            gold[topic] = data
    return gold


def outlet_of(url: str | None, doc_id: str) -> str:
    """The outlet named by the source URL's host, else the document as its own report."""
    if url:
        host = urlparse(url if "://" in url else "http://" + url).hostname or ""
        host = re.sub(r"^(www|uk|m|news|articles)\.", "", host.lower())
        if host:
            return host
    return f"ecb {doc_id}"


def write_documents(data: Path, topics: set[int], folder: Path) -> dict[str, list[Path]]:
    """Each document of `topics` as folder/<doc_id>.txt; returns outlet -> files."""
    by_outlet: dict[str, list[Path]] = defaultdict(list)
    with data.open(encoding="utf-8") as handle:
        for raw in handle:
            d = json.loads(raw)
            if int(d["topic"]) not in topics:
                continue
            url, lines = split_url_line(d["text"].split("\n"))
            lines = [detokenize(x, plus=url is not None) for x in lines if x.strip()]
            if not lines:
                continue
            path = folder / (d["doc_id"].removesuffix(".xml") + ".txt")
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            by_outlet[outlet_of(url, d["doc_id"])].append(path)
    return by_outlet


def newswatch(db: Path, *args: str) -> str:
    """Run one `newswatch` command in this process, through the CLI's own entry point.

    Same code path as the shell command; in-process because one ingest per outlet (about 200
    here) would otherwise each pay an interpreter start-up.
    """
    from newswatch.cli import main as cli

    argv = ["--config", str(db.parent / "feeds.yaml"), "--db", str(db), *args]
    out, err = io.StringIO(), io.StringIO()
    code: int | str | None = 0
    with redirect_stdout(out), redirect_stderr(err):
        try:
            cli.main(args=argv, prog_name="newswatch", standalone_mode=False)
        except SystemExit as exc:
            code = exc.code
    if code:
        raise SystemExit(f"newswatch {args[0]} failed ({code}): {err.getvalue().strip()[-500:]}")
    return out.getvalue()


def load_models() -> None:
    """Load the embedding model and the parser before any stage is timed, and print how long each
    took: a long-running process loads them once, so the stages' per-article costs leave it out."""
    from newswatch.claims.parse import load_parser
    from newswatch.stories.embed import load_model

    for name, load in (("embedding model", load_model), ("parser", load_parser)):
        started = time.perf_counter()
        load()
        print(f"  {name} loaded in {time.perf_counter() - started:.1f} s (not in the stage costs)")


def process_by_stage(db: Path) -> dict[str, dict]:
    """`newswatch process`, one stage at a time in the pipeline's order (each stage finds its work
    in the store, so this does what one `process` does), with each stage's wall and CPU seconds
    (time.process_time: every thread of this process) measured around its command."""
    from newswatch.pipeline import STAGES

    load_models()
    costs = {}
    for stage in STAGES:
        wall, cpu = time.perf_counter(), time.process_time()
        report = newswatch(db, "process", "--stage", stage.name)
        costs[stage.name] = {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu,
                             "report": report.strip().split(":", 1)[-1].strip()}
    return costs


def columns(con: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in con.execute(f"pragma table_info({table})")}


def read_results(db: Path) -> tuple[dict[int, dict], dict[int, dict], bool, bool]:
    """Claims by id, discrepancies by id (with their claims and sides), and whether the
    store has discrepancies.kind and claims.group_id yet."""
    con = sqlite3.connect(db)
    claim_cols = columns(con, "claims")
    group = "c.group_id" if "group_id" in claim_cols else "null"
    claims = {}
    for cid, url, surface, sentence, value, gid in con.execute(
        f"select c.id, a.url, c.surface, c.sentence, c.value, {group} "
        "from claims c join articles a on a.id = c.article_id"
    ):
        doc = Path(urlparse(url).path).stem + ".xml"
        claims[cid] = {"id": cid, "doc": doc, "surface": surface or "", "sentence": sentence or "",
                       "value": value, "group": gid}
    disc_cols = columns(con, "discrepancies")
    kind = "d.kind" if "kind" in disc_cols else "null"
    side = "dc.side" if "side" in columns(con, "discrepancy_claims") else "null"
    discs: dict[int, dict] = {}
    for did, dkind, cid, s in con.execute(
        f"select d.id, {kind}, dc.claim_id, {side} from discrepancies d "
        "join discrepancy_claims dc on dc.discrepancy_id = d.id order by d.id"
    ):
        entry = discs.setdefault(did, {"id": did, "kind": kind_name(dkind), "claims": []})
        entry["claims"].append((cid, s))
    con.close()
    return claims, discs, ("kind" in disc_cols), ("group_id" in claim_cols)


def check_gold(data: Path, gold: dict[int, dict]) -> list[str]:
    """Problems in the gold files: each mention must be a verbatim span of one sentence (line)
    of its document, hold its number, and sit in the quantity's topic and event."""
    lines: dict[str, list[str]] = {}
    where: dict[str, tuple[int, str]] = {}
    with data.open(encoding="utf-8") as handle:
        for raw in handle:
            d = json.loads(raw)
            if int(d["topic"]) in gold:
                lines[d["doc_id"]] = [norm(x) for x in d["text"].split("\n")]
                where[d["doc_id"]] = (int(d["topic"]), d["subtopic"])
    problems, seen = [], set()
    for topic, data_ in gold.items():
        for q in data_.get("quantities") or []:
            qid = q.get("id")
            if qid in seen:
                problems.append(f"{qid}: duplicate id")
            seen.add(qid)
            if q.get("kind") not in ("agree", *DISAGREEING):
                problems.append(f"{qid}: unknown kind {q.get('kind')!r}")
            docs = set()
            for m in q.get("mentions") or []:
                doc = m.get("doc")
                docs.add(doc)
                if doc not in where:
                    problems.append(f"{qid}: {doc} is not a document of topic {topic}")
                    continue
                if where[doc][1] != q.get("event"):
                    problems.append(f"{qid}: {doc} belongs to {where[doc][1]}, not {q.get('event')}")
                if not isinstance(m.get("value"), (int, float)):
                    problems.append(f"{qid}: {doc} value {m.get('value')!r} is not a number")
                text, number = norm(str(m.get("text", ""))), norm(str(m.get("number", "")))
                if not number or number not in text:
                    problems.append(f"{qid}: {doc} number {m.get('number')!r} is not in its text")
                if not any(text in line for line in lines[doc]):
                    problems.append(f"{qid}: {doc} text not found in one sentence: {m.get('text')!r}")
            if len(docs) < 2 and q.get("kind") != "intra-article":
                problems.append(f"{qid}: only one document ({', '.join(sorted(docs))})")
    return problems


def build_database(work: Path, data: Path, gold: dict) -> tuple[Path, dict[str, list[Path]]]:
    """The gold topics' documents as text files in work/texts, ingested per outlet into a fresh
    work/newswatch.db and processed; prints the time each took and the embed and claims stages'
    counts and wall and CPU milliseconds per article side by side (the claims stage should cost
    no more than embedding). Returns the database and the files of each outlet."""
    texts = work / "texts"
    texts.mkdir(parents=True, exist_ok=True)
    db = work / "newswatch.db"
    if db.exists():
        db.unlink()
    (work / "feeds.yaml").write_text(f"database: {db}\nfeeds: []\n", encoding="utf-8")
    by_outlet = write_documents(data, set(gold), texts)
    started = time.perf_counter()
    for outlet, files in sorted(by_outlet.items()):
        newswatch(db, "ingest", *map(str, files), "--source", outlet)
    ingest_s = time.perf_counter() - started
    costs = process_by_stage(db)
    ndocs = sum(len(f) for f in by_outlet.values())
    print(f"documents {ndocs} from {len(by_outlet)} outlets; ingest {ingest_s:.1f} s, "
          f"process {sum(c['wall'] for c in costs.values()):.1f} s")
    for name in ("embed", "claims"):
        if name in costs:
            print(f"  stage {name}: {costs[name]['report']}")
    if ndocs and costs.get("embed", {}).get("wall"):
        embed, claims = costs["embed"], costs.get("claims", {"wall": 0.0, "cpu": 0.0})
        for what in ("wall", "cpu"):
            print(f"  stage cost per article ({what}): embed {1000 * embed[what] / ndocs:.0f} ms, "
                  f"claims {1000 * claims[what] / ndocs:.0f} ms (claims/embed {claims[what] / embed[what]:.2f})")
        # both stages run in this process on the same articles, one after the other, with both
        # models already loaded (their load times are printed apart); wall time on shared cores
        # moves with whatever else runs, CPU time (all threads of this process) much less
        print(f"  (both models loaded before timing; {os.cpu_count()} cores shared with other work, "
              f"load average at the end {os.getloadavg()[0]:.1f}; OMP_NUM_THREADS="
              f"{os.environ.get('OMP_NUM_THREADS', 'unset')})")
    return db, by_outlet


# --------------------------------------------------------------------------- scoring


def index_mentions(gold: dict[int, dict]) -> tuple[dict, dict]:
    """quantity id -> quantity (with its topic); doc -> [(qid, mention)]."""
    quantities, by_doc = {}, defaultdict(list)
    for topic, data in gold.items():
        for q in data.get("quantities") or []:
            quantities[q["id"]] = dict(q, topic=topic)
            for m in q["mentions"]:
                m["_number"], m["_text"] = norm(str(m["number"])), norm(m["text"])
                by_doc[m["doc"]].append((q["id"], m))
    return quantities, by_doc


def matches(claim: dict, by_doc: dict) -> list[tuple[str, dict]]:
    surface, sentence = norm(claim["surface"]), norm(claim["sentence"])
    return [(qid, m) for qid, m in by_doc.get(claim["doc"], ())
            if m["_number"] in surface and m["_text"] in sentence]


def judge(disc: dict, claims: dict, quantities: dict, by_doc: dict) -> tuple[str, str | None]:
    """('true', qid) or ('unmatched claim' | 'different quantity' | 'agree', qid or None)."""
    found = [matches(claims[cid], by_doc) for cid, _ in disc["claims"]]
    if any(not f for f in found):
        return "unmatched claim", None
    common = set.intersection(*({qid for qid, _ in f} for f in found))
    if not common:
        return "different quantity", None
    for qid in sorted(common):
        if quantities[qid]["kind"] not in DISAGREEING:
            continue
        per_side: dict = defaultdict(set)
        for (_, side), f in zip(disc["claims"], found, strict=True):
            per_side[side].update(m["value"] for q, m in f if q == qid)
        values = set().union(*per_side.values())
        sides_differ = len(per_side) < 2 or any(a != b for a in per_side.values() for b in per_side.values())
        if len(values) > 1 and sides_differ:
            return "true", qid
    return "agree", sorted(common)[0]


def score(gold: dict, claims: dict, discs: dict, has_kind: bool, has_group: bool, verbose: bool,
          docs_per_topic: dict[int, int]) -> dict:
    quantities, by_doc = index_mentions(gold)
    doc_topic = {m["doc"]: quantities[qid]["topic"] for ms in by_doc.values() for qid, m in ms}
    claim_matches = {cid: matches(c, by_doc) for cid, c in claims.items()}
    matched_mentions = {(qid, id(m)) for f in claim_matches.values() for qid, m in f}

    per_topic: dict = defaultdict(lambda: defaultdict(int))
    totals: dict = defaultdict(int)
    caught: set[str] = set()
    for disc in discs.values():
        docs = [claims[cid]["doc"] for cid, _ in disc["claims"]]
        topic = next((doc_topic.get(d) for d in docs if d in doc_topic), _topic_of(docs[0]))
        verdict, qid = judge(disc, claims, quantities, by_doc)
        for bucket in (per_topic[topic], totals):
            bucket["flagged"] += 1
            bucket[verdict] += 1
        if verdict == "true":
            if has_kind and disc["kind"] == quantities[qid]["kind"]:
                totals["kind ok"] += 1
        elif verbose:
            sides = "; ".join(f"[{s}] {claims[c]['surface']!r} ({claims[c]['doc']})" for c, s in disc["claims"])
            print(f"  FALSE topic {topic} #{disc['id']} {verdict}: {sides}")
        # recall: any quantity for which this flag holds matched claims of two values
        values: dict = defaultdict(set)
        for cid, _ in disc["claims"]:
            for q, m in claim_matches[cid]:
                values[q].add(m["value"])
        caught.update(q for q, v in values.items() if len(v) > 1 and quantities[q]["kind"] in DISAGREEING)

    print(f"{'topic':>5} {'docs':>4} {'gold q':>6} {'disagree':>8} {'flagged':>7} {'true':>4} "
          f"{'diff q':>6} {'agree':>5} {'unmatch':>7} {'caught':>6}")
    for topic in sorted(gold):
        qs = [q for q in quantities.values() if q["topic"] == topic]
        bad = [q["id"] for q in qs if q["kind"] in DISAGREEING]
        t = per_topic[topic]
        ndocs = docs_per_topic.get(topic, 0)
        print(f"{topic:>5} {ndocs:>4} {len(qs):>6} {len(bad):>8} {t['flagged']:>7} {t['true']:>4} "
              f"{t['different quantity']:>6} {t['agree']:>5} {t['unmatched claim']:>7} "
              f"{sum(q in caught for q in bad):>6}")

    bad_all = [qid for qid, q in quantities.items() if q["kind"] in DISAGREEING]
    flagged, true = totals["flagged"], totals["true"]
    mentions_total = sum(len(ms) for ms in by_doc.values())
    result = {
        "precision": round(true / flagged, 3) if flagged else None,
        "recall": round(len(caught) / len(bad_all), 3) if bad_all else None,
        "flagged": flagged,
        "true": true,
        "kind_accuracy": (round(totals["kind ok"] / true, 3) if true else None) if has_kind else "n/a",
        "mention_recall": round(len(matched_mentions) / mentions_total, 3) if mentions_total else None,
    }
    print(f"flagged {flagged}: true {true}, different quantity {totals['different quantity']}, "
          f"agree {totals['agree']}, unmatched claim {totals['unmatched claim']}")
    print(f"precision {result['precision']}  recall {len(caught)}/{len(bad_all)} = {result['recall']}  "
          f"kind accuracy {result['kind_accuracy']}")
    print(f"claims extracted {len(claims)}; gold mentions matched by a claim "
          f"{len(matched_mentions)}/{mentions_total} = {result['mention_recall']}")
    if has_group:
        agree = [qid for qid, q in quantities.items() if q["kind"] == "agree"]
        together = 0
        for qid in agree:
            groups = {claims[cid]["group"] for cid, f in claim_matches.items() if any(q == qid for q, _ in f)}
            together += len(groups) == 1 and None not in groups and _all_matched(quantities[qid], matched_mentions)
        print(f"agree quantities with every mention in one claim group: {together}/{len(agree)}")
    else:
        print("agree quantities with every mention in one claim group: n/a (no claims.group_id)")
    return result


def _all_matched(q: dict, matched: set) -> bool:
    return all((q["id"], id(m)) in matched for m in q["mentions"])


def _topic_of(doc: str) -> int | None:
    head = doc.split("_", 1)[0]
    return int(head) if head.isdigit() else None


# --------------------------------------------------------------------------- main


def parse_topics(spec: str) -> set[int] | None:
    if spec == "odd":
        return set(range(1, 100, 2))
    if spec == "all":
        return None
    return {int(x) for x in spec.split(",") if x.strip()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--topics", default="odd", help="odd (default), all, or a comma list: 1,3,5")
    parser.add_argument("--keep", type=Path, help="keep the text files and the database in DIR")
    parser.add_argument("--gold", type=Path, default=GOLD, help="folder of topic_NN.yaml gold files")
    parser.add_argument("--data", type=Path, default=DATA, help="ECB+ documents.jsonl (default: %(default)s)")
    parser.add_argument("--verbose", action="store_true", help="print every FALSE flag")
    parser.add_argument("--check-gold", action="store_true", help="only validate the gold files against the corpus")
    args = parser.parse_args()
    if not args.data.exists():
        print(f"ECB+ not found at {args.data}: nothing to measure")
        return 0
    gold = load_gold(args.gold, parse_topics(args.topics))
    if not gold:
        print(f"no gold files for those topics in {args.gold}")
        return 0
    print(f"topics with gold: {', '.join(str(t) for t in sorted(gold))}")
    if args.check_gold:
        problems = check_gold(args.data, gold)
        for problem in problems:
            print(f"  {problem}")
        quantities = sum(len(g.get("quantities") or []) for g in gold.values())
        print(f"{quantities} quantities checked, {len(problems)} problems")
        return 1 if problems else 0

    with tempfile.TemporaryDirectory(prefix="claims_realnews_") as tmp:
        db, by_outlet = build_database(args.keep or Path(tmp), args.data, gold)
        claims, discs, has_kind, has_group = read_results(db)
        per_topic = Counter(_topic_of(p.stem) for files in by_outlet.values() for p in files)
        result = score(gold, claims, discs, has_kind, has_group, args.verbose, per_topic)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
