"""Claim frames on real news: do the frames keep apart what ECB+ labellers kept apart, and bring
together what they grouped?

Development topics only (odd ECB+ topics, gold written by people who did not write this code).
Every labelled mention is matched to the claim the product extracts at that place; every pair of
matched mentions from two documents of one topic, in one unit dimension, is then a question:
same quantity (same gold group) or not. Prints pairwise precision, recall and F1 for

* ``legacy``: the old (subject, attribute) labels as check.py compares them;
* ``frames-exact``: entity (resolved across the topic) + property normal form + time + scope + modality;
* ``frames-embed@t``: the same with properties compared by the embedding model at threshold t;
* ``property-only@t``: properties alone (what the entity reading adds);

and the per-article cost of extracting claims next to embedding the article.

Usage: python benchmarks/frames_ecbplus.py [GOLD_DIR ...]
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import yaml  # noqa: E402
from quantities import same_subject, subject_key  # noqa: E402  (the check-era subject match, for the legacy row)

from newswatch.claims.frames import extract_claims  # noqa: E402
from newswatch.claims.units import dimension_of  # noqa: E402

DOCS = Path(__file__).resolve().parents[3] / "shared" / "datasets" / "ecbplus" / "documents.jsonl"
DEFAULT_GOLD = [ROOT / "benchmarks" / "data" / "ecbplus_gold",
                Path("/work/wt/ecbgold/benchmarks/data/ecbplus_gold"),
                Path("/work/wt/blindset/benchmarks/data/ecbplus_gold")]


def detokenize(line: str) -> str:
    s = line.replace("`` ", '"').replace(" ''", '"').replace("``", '"').replace("''", '"')
    s = re.sub(r" ([.,;:!?%)\]}])", r"\1", s)
    s = re.sub(r"([(\[{$]) ", r"\1", s)
    s = re.sub(r" (n't|'s|'re|'ve|'ll|'d|'m)\b", r"\1", s)
    s = re.sub(r"(\d) , (\d{3})\b", r"\1,\2", s)
    return re.sub(r"(\d) \. (\d)", r"\1.\2", s)


def doc_text(raw: str) -> str:
    lines = raw.split("\n")
    if lines and re.match(r"^\s*(https?|www)\b", lines[0]):
        lines = lines[1:]
    return "\n".join(detokenize(x) for x in lines)


def _squash(s: str) -> str:
    return re.sub(r"[^a-z0-9]", "", s.lower())


def load_gold(dirs: list[Path]) -> list[dict]:
    out = []
    seen = set()
    for d in dirs:
        for f in sorted(d.glob("topic_*.yaml")) if d.is_dir() else []:
            g = yaml.safe_load(f.read_text())
            if g["topic"] % 2 == 1 and g["topic"] not in seen:
                seen.add(g["topic"])
                out.append(g)
    return out


def main(argv: list[str]) -> int:
    gold = load_gold([Path(a) for a in argv] or DEFAULT_GOLD)
    if not DOCS.exists() or not gold:
        print("ECB+ documents or gold labels not found; skipping")
        return 0
    docs = {}
    for line in DOCS.open():
        d = json.loads(line)
        if d["topic"] % 2 == 1:
            docs[d["doc_id"]] = d
    needed = {m["doc"] for g in gold for q in g["quantities"] for m in q["mentions"]}
    claims_of = {}
    t0 = time.perf_counter()
    for doc_id in sorted(needed):
        text = doc_text(docs[doc_id]["text"])
        claims_of[doc_id] = (text, extract_claims(text))
    t_claims = (time.perf_counter() - t0) / max(1, len(needed))
    from newswatch.claims.entities import resolve_story_entities
    from newswatch.claims.properties import property_key
    try:
        from newswatch.claims.properties import property_similarity
    except ImportError:  # the code before frames: properties compared as strings
        def property_similarity(a: str, b: str) -> float:
            return float(bool(a) and property_key(a) == property_key(b))
    try:
        from newswatch.stories.embed import embedding_text, encode
    except ImportError:
        from newswatch.embed import embedding_text, encode
    encode(["warm up"])
    t0 = time.perf_counter()
    for doc_id in sorted(needed):
        encode([embedding_text(None, claims_of[doc_id][0])])
    t_embed = (time.perf_counter() - t0) / max(1, len(needed))

    mentions = []  # (topic, gold id, doc, claim)
    missing = 0
    for g in gold:
        for q in g["quantities"]:
            for m in q["mentions"]:
                text, claims = claims_of[m["doc"]]
                snippet = _squash(detokenize(m["text"]))
                number = _squash(str(m["number"]))
                hit = None
                for c in claims:
                    ctx = _squash(text[max(0, c.start - 200):c.end + 200])
                    if snippet and snippet in ctx and (number in _squash(c.surface) or c.value == m.get("value")):
                        hit = c
                        break
                if hit is None:
                    missing += 1
                    continue
                mentions.append((g["topic"], q["id"], m["doc"], hit))
    by_topic = defaultdict(list)
    for t, gid, doc, c in mentions:
        by_topic[t].append((gid, doc, c))
    resolved = {}
    for t, ms in by_topic.items():
        texts = list({claims_of[doc][0] for _, doc, _ in ms})
        resolved[t] = resolve_story_entities([c.entity for _, _, c in ms], texts)

    def frame_rest(a, b) -> bool:
        return a.time_ref == b.time_ref and a.scope == b.scope and a.modality == b.modality

    def legacy(t, a, b) -> bool:
        return a.attribute == b.attribute and bool(subject_key(a.subject)) and same_subject(
            subject_key(a.subject), subject_key(b.subject))

    def ent(t, a, b) -> bool:
        ea, eb = resolved[t].get(a.entity, ""), resolved[t].get(b.entity, "")
        return bool(ea) and ea == eb

    variants = {
        "legacy (subject, attribute)": legacy,
        "frames-exact": lambda t, a, b: ent(t, a, b) and property_key(a.property) == property_key(b.property)
        and bool(property_key(a.property)) and frame_rest(a, b),
    }
    def embed_at(th: float, with_entity: bool = True):
        return lambda t, a, b: (not with_entity or ent(t, a, b)) and frame_rest(a, b) and property_similarity(
            a.property, b.property) >= th

    for th in (0.6, 0.7, 0.8):
        variants[f"frames-embed@{th}"] = embed_at(th)
    variants["property-only@0.7"] = embed_at(0.7, with_entity=False)
    pairs = []
    for t, ms in by_topic.items():
        for (ga, da, a), (gb, db, b) in combinations(ms, 2):
            if da == db or dimension_of(a.unit) != dimension_of(b.unit):
                continue
            pairs.append((t, ga == gb, a, b))
    n_pos = sum(1 for p in pairs if p[1])
    print(f"ECB+ odd topics {sorted(by_topic)}: {len(mentions)} labelled mentions matched, {missing} not found; "
          f"{len(pairs)} cross-document pairs ({n_pos} same quantity)")
    for name, fn in variants.items():
        tp = fp = fn_ = 0
        for t, same, a, b in pairs:
            pred = fn(t, a, b)
            tp += pred and same
            fp += pred and not same
            fn_ += same and not pred
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn_) if tp + fn_ else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        print(f"  {name:30s} pairwise P {p:.2f}  R {r:.2f}  F1 {f:.2f}")
    pos = [(t, a, b) for t, same, a, b in pairs if same]
    if pos:
        parts = {"entity": lambda t, a, b: ent(t, a, b),
                 "property@0.7": lambda t, a, b: property_similarity(a.property, b.property) >= 0.7,
                 "time": lambda t, a, b: a.time_ref == b.time_ref, "scope": lambda t, a, b: a.scope == b.scope,
                 "modality": lambda t, a, b: a.modality == b.modality}
        print("  same-quantity pairs whose frames agree on: " + ", ".join(
            f"{k} {sum(1 for x in pos if f(*x)) / len(pos):.2f}" for k, f in parts.items()))
    print(f"cost per article: claims {t_claims * 1000:.0f} ms, embedding {t_embed * 1000:.0f} ms "
          f"(ratio {t_claims / t_embed:.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
