"""What a claim measures, compared across articles: "valued at" and "valuation of" are one
property, "killed" and "injured" are two. Grouping asks this module, never compares the strings
itself, so the comparison lives in one place.

Two phrases are the same property when their normal forms are equal, or when the bundled
sentence-embedding model (the one that places articles into stories, loaded once per process)
puts them close enough. The threshold was chosen on ECB+ development topics (mention pairs that
labellers grouped or kept apart), not on our own fixtures; see benchmarks/frames_ecbplus.py.

The model does not know the trade's abbreviations ("capex" is as far from "capital expenditure"
as from "revenue"), so a short, general list of the abbreviations business and data-center news
writes for a measured quantity is spelled out before phrases are compared (`ABBREVIATIONS`).
"""

from __future__ import annotations

import re

import numpy as np

from ..stories.embed import TextVectors

__all__ = ["SAME_PROPERTY", "ABBREVIATIONS", "expand_abbreviations", "property_key", "property_similarity", "property_matrix", "same_property",
           "phrase_texts", "phrase_vectors"]

# Cosine similarity of two property phrases above which they name the same quantity.
SAME_PROPERTY = 0.72

# Abbreviations of measured quantities in business and data-center news, as their spelled-out
# phrase. Only abbreviations that name one quantity wherever they occur belong here.
ABBREVIATIONS = {
    "capex": "capital expenditure",
    "opex": "operating expenditure",
    "r&d": "research and development",
    "ebitda": "earnings before interest taxes depreciation and amortization",
    "eps": "earnings per share",
    "arr": "annual recurring revenue",
    "fcf": "free cash flow",
    "tcv": "total contract value",
    "pue": "power usage effectiveness",
    "wue": "water usage effectiveness",
    "tdp": "thermal design power",
    "hbm": "high bandwidth memory",
    "m&a": "mergers and acquisitions",
    "ipo": "initial public offering",
}
_ABBREVIATION = re.compile(r"(?<![\w&])(" + "|".join(re.escape(k) for k in sorted(ABBREVIATIONS, key=len, reverse=True))
                           + r")(?![\w&])", re.I)


def expand_abbreviations(text: str) -> str:
    """``text`` with each listed abbreviation spelled out ("Capex rose" -> "capital expenditure rose")."""
    return _ABBREVIATION.sub(lambda m: ABBREVIATIONS[m.group(1).lower()], text or "")


_STOP = {"the", "a", "an", "of", "in", "at", "to", "for", "by", "on", "with", "its", "their"}


def property_key(prop: str) -> str:
    """A normalised form of a property phrase (lower case, no articles, rough singulars)."""
    words = [w for w in re.findall(r"[a-z0-9][a-z0-9\-]*", expand_abbreviations(prop).lower()) if w not in _STOP]
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words)


# Short texts -> vectors, kept for the process: property phrases here, claim contexts in
# alignment.py, one cache so a story's texts can go to the model in one call.
phrase_vectors = TextVectors()


def phrase_texts(props: list[str]) -> list[str]:
    """The texts property_matrix encodes for `props` (their normal forms)."""
    return [property_key(p) or "-" for p in props]


def property_similarity(a: str, b: str) -> float:
    """Similarity of two property phrases in [0, 1] (1 for the same normal form, 0 for an empty one)."""
    return float(property_matrix([a, b])[0, 1])


def same_property(a: str, b: str, threshold: float = SAME_PROPERTY) -> bool:
    """True when two property phrases name the same measured quantity."""
    return property_similarity(a, b) >= threshold


def property_matrix(props: list[str], encoded: list[bool] | None = None) -> np.ndarray:
    """property_similarity of every pair of phrases, as an (n, n) array. Only the phrases
    ``encoded`` marks (all by default) go to the model; the others are similar only to their own
    normal form."""
    keys = [property_key(p) for p in props]
    if not keys:
        return np.zeros((0, 0))
    texts = phrase_texts(props)
    keep = np.ones(len(keys), dtype=bool) if encoded is None else np.array(encoded, dtype=bool)
    if keep.all():
        vectors = phrase_vectors(texts)
    else:
        found = phrase_vectors([t for t, k in zip(texts, keep, strict=True) if k])
        vectors = np.zeros((len(keys), found.shape[1] if keep.any() else 1))
        vectors[keep] = found
    sim = np.clip(vectors @ vectors.T, 0.0, 1.0)
    k = np.array(keys, dtype=object)
    sim[k[:, None] == k[None, :]] = 1.0
    empty = np.array([not x for x in keys])
    sim[empty, :] = 0.0
    sim[:, empty] = 0.0
    return sim
