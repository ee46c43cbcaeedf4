"""Fit and measure claims/alignment.py's pairwise "same quantity" score on ECB+ odd-topic gold.

Run from the repository root:
    .venv/bin/python benchmarks/claim_alignment.py [--db DB] [--keep DIR]

Data: ../shared/datasets/ecbplus (exits 0 with a message when absent) and the read-through gold
in benchmarks/data/ecbplus_gold (odd topics only; even topics are held out and never read). The
documents go through the product (`ingest` + `process`, as benchmarks/claims_realnews.py does),
or `--db` reuses a database that run kept (`claims_realnews.py --keep DIR` -> DIR/newswatch.db).

Pairs. Within each story, every two comparable claims (groups.comparable) that could be one
quantity by their frames' hard facts (groups.candidates: one time, one scope, one dimension,
not one sentence). A claim's gold quantities are the gold mentions it matches
(claims_realnews.matches: same document, surface holds the number, sentence holds the text).
A pair is positive when its claims share a gold quantity, negative when at least one claim is
matched and they share none; pairs of two unmatched claims are left out (the gold lists only
quantities two documents report, so their label is unknown).

Protocol. Topics are split in two halves (alternate topics in sorted order); a logistic
regression (scikit-learn, default regularisation, features as alignment.FEATURES) is fitted on
one half and scored on the other, both ways: ROC AUC, and precision and recall of "same" at
probability 0.5, each beside the property-similarity score alone (the rule it replaces). Then
it is fitted on all odd topics and the weights are printed as the lines to paste into
alignment.py. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT / "src"))

import claims_realnews as rn  # noqa: E402


def collect_pairs(db: Path, gold: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features, labels and topic of every labelled pair."""
    from urllib.parse import urlparse

    from newswatch.claims.alignment import feature_matrices
    from newswatch.claims.groups import candidates, comparable, mark_baselines, story_entities
    from newswatch.claims.stage import _record
    from newswatch.store import Store

    _, by_doc = rn.index_mentions(gold)
    store = Store(db)
    story_ids = [r["story_id"] for r in store.db.query(
        "select distinct story_id from claims where story_id is not null order by story_id")]
    xs, ys, topics = [], [], []
    for sid in story_ids:
        rows = store.story_claims(sid)
        every = [_record(row) for row in rows]
        mark_baselines(every)  # as groups.group_claims does: a comparison's baseline meets only baselines
        records = [r for r in every if comparable(r)]
        if len(records) < 2:
            continue
        docs = {row["id"]: Path(urlparse(row["url"]).path).stem + ".xml" for row in rows}
        # As claims/stage.py and groups.group_claims do: the texts of the articles with claims,
        # and entities resolved over all the story's claims (its main entity counts them all).
        with_claims = {r.article_id for r in every}
        texts = [a["text"] or "" for a in store.story_report_articles(sid) if a["id"] in with_claims]
        canon = story_entities(every, texts)
        features = feature_matrices(records, [canon.get(r.entity, r.entity) for r in records])
        qids = [{q for q, _ in rn.matches({"doc": docs[r.claim_id], "surface": r.surface, "sentence": r.sentence},
                                          by_doc)} for r in records]
        topic = rn._topic_of(docs[records[0].claim_id])
        for i, a in enumerate(records):
            for j in range(i + 1, len(records)):
                b = records[j]
                if not (qids[i] or qids[j]) or not candidates(a, b):
                    continue
                xs.append(features[:, i, j])
                ys.append(int(bool(qids[i] & qids[j])))
                topics.append(topic)
    return np.array(xs), np.array(ys), np.array(topics)


def evaluate(x: np.ndarray, y: np.ndarray, topics: np.ndarray) -> dict:
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    order = sorted(set(topics.tolist()))
    halves = [set(order[0::2]), set(order[1::2])]
    out: dict = defaultdict(list)
    for k, train_topics in enumerate(halves):
        train = np.isin(topics, list(train_topics))
        test = ~train
        model = LogisticRegression(max_iter=2000).fit(x[train], y[train])
        p = model.predict_proba(x[test])[:, 1]
        base = x[test][:, 0]
        for name, score, cut in (("model", p, 0.5), ("property similarity", base, 0.72)):
            pred = score >= cut
            tp = int((pred & (y[test] == 1)).sum())
            prec = tp / max(1, int(pred.sum()))
            rec = tp / max(1, int((y[test] == 1).sum()))
            auc = roc_auc_score(y[test], score)
            out[name].append((auc, prec, rec))
            print(f"  fold {k + 1} (train topics {sorted(train_topics)}): {name:>19}: AUC {auc:.3f} "
                  f"precision {prec:.3f} recall {rec:.3f} (test pairs {int(test.sum())}, same {int(y[test].sum())})")
    return {name: [round(float(np.mean([f[i] for f in folds])), 3) for i in range(3)] for name, folds in out.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, help="a database kept by claims_realnews.py --keep")
    parser.add_argument("--keep", type=Path, help="keep the texts and database built here in DIR")
    args = parser.parse_args()
    if not rn.DATA.exists():
        print(f"ECB+ not found at {rn.DATA}: nothing to measure")
        return 0
    gold = rn.load_gold(rn.GOLD, rn.parse_topics("odd"))
    with tempfile.TemporaryDirectory(prefix="claim_alignment_") as tmp:
        db = args.db or rn.build_database(args.keep or Path(tmp), rn.DATA, gold)[0]
        x, y, topics = collect_pairs(db, gold)
    print(f"pairs {len(y)} (same quantity {int(y.sum())}) from {len(set(topics.tolist()))} topics")
    cv = evaluate(x, y, topics)
    from sklearn.linear_model import LogisticRegression

    from newswatch.claims.alignment import FEATURES

    model = LogisticRegression(max_iter=2000).fit(x, y)
    print("# weights fitted on all odd topics (paste into claims/alignment.py)")
    print("WEIGHTS = {" + ", ".join(f'"{n}": {w:.3f}' for n, w in zip(FEATURES, model.coef_[0], strict=True)) + "}")
    print(f"BIAS = {model.intercept_[0]:.3f}")
    print(json.dumps({"pairs": int(len(y)), "same": int(y.sum()),
                      "cv_auc": cv["model"][0], "cv_precision": cv["model"][1], "cv_recall": cv["model"][2],
                      "property_only_auc": cv["property similarity"][0],
                      "property_only_precision": cv["property similarity"][1],
                      "property_only_recall": cv["property similarity"][2]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
