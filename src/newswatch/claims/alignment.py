"""Do two claims of a story measure the same quantity? A learned pairwise score.

Comparing property phrases alone did not carry over to real news: the bundled model puts
"rushing yards" next to "passing yards" and "death toll" far from "people killed". Outlets that
report one figure paraphrase one sentence, so the score also compares each claim's context (its
sentence with the numbers masked, and the six and the two words either side of its number) with
the same model, and
adds the frame's evidence (entity, unit, same article), and how crowded the two articles
are with figures of that dimension: two articles that each give one power figure most likely give
the same one; a box score's dozens of yardages most likely do not. Claims of different times, or
of scopes other than planned-or-plain, are never one quantity (groups.candidates).

The weights are a logistic regression fitted on claim pairs of ECB+ odd topics labelled by
reading (benchmarks/data/ecbplus_gold): pairs of mentions of one quantity against pairs of
different quantities of one dimension. ``benchmarks/claim_alignment.py`` refits them, prints
their cross-validated quality (trained on half the topics, scored on the other half) and the
weights to paste here. The score is blind to the values themselves, so a wrong figure still
meets the right one.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Protocol

import numpy as np

from .properties import phrase_texts, phrase_vectors, property_matrix
from .units import dimension_of, is_count_unit

__all__ = ["FEATURES", "WEIGHTS", "BIAS", "context_texts", "crowding_counts", "encode_texts", "feature_matrices", "same_quantity_matrix", "masked_sentence",
           "number_window"]

FEATURES = ("property_similarity", "same_entity", "context_similarity", "window_similarity", "same_unit",
            "same_article", "crowding", "near_similarity")

# Fitted by benchmarks/claim_alignment.py on ECB+ odd topics (see its output for the figures).
WEIGHTS = {"property_similarity": 1.791, "same_entity": 0.316, "context_similarity": 2.533,
           "window_similarity": 3.257, "same_unit": 1.714, "same_article": -1.730, "crowding": -0.621,
           "near_similarity": 1.874}
BIAS = -7.132

_NUMBER = re.compile(
    r"\d[\d,.]*|\b(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    r"eighty|ninety|hundred|thousand|million|billion|trillion|half|dozen)\b", re.I)


class _Frame(Protocol):
    article_id: int
    value: float | None
    property: str
    unit: str
    sentence: str
    surface: str


def masked_sentence(sentence: str) -> str:
    """The sentence with every number replaced by "N": context, not values, is compared."""
    return _NUMBER.sub("N", sentence or "")


def number_window(sentence: str, surface: str, words: int = 6) -> str:
    """The claim's surface (numbers masked) with up to ``words`` words either side."""
    sentence = sentence or ""
    at = sentence.find(surface) if surface else -1
    if at < 0:
        return masked_sentence(surface or sentence)
    before = sentence[:at].split()[-words:]
    after = sentence[at + len(surface):].split()[:words]
    return masked_sentence(" ".join([*before, surface, *after]))


_encode_unique = phrase_vectors  # context texts -> vectors, kept for the process


def crowding_counts(claims: Sequence[_Frame]) -> Counter:
    """How many of a story's comparable claims each article gives per dimension."""
    return Counter((c.article_id, _dimension(c)) for c in claims)


# Dimensions whose units are one measure written in two conventions ("2.4 million litres" and
# "640,000 gallons", "2.25 percentage points" and "225 basis points"), where an outlet's choice
# of unit says nothing about which quantity it reports. Information (bytes for memory, bits for
# links), calendar time (a "year" is not 12 "months" of a schedule) and shares ("30%" is
# written for one share, "half" loosely for another) keep their units apart.
_ONE_MEASURE = {"volume", "ratio_points", "area", "mass", "length"}


def _unit_class(unit: str) -> str:
    """What "same unit" compares: a count's family ("jobs" and "workers" count employees, "GPUs"
    and "chips" accelerators), a measure written in either of two conventions its dimension
    (`_ONE_MEASURE`), any other unit as it is."""
    dim = dimension_of(unit)
    return dim if is_count_unit(unit) or dim in _ONE_MEASURE else unit


def _dimension(c: _Frame) -> str:
    return dimension_of(c.unit) if c.value is not None else "text"


def _contexts(claims: Sequence[_Frame], entities: Sequence[str]) -> tuple[list[str], list[str], list[str]]:
    """Each claim's masked sentence, and its wide and near number windows."""
    sentences = [c.sentence or f"{e} {c.property} {c.surface}" for c, e in zip(claims, entities, strict=True)]
    return ([masked_sentence(x) for x in sentences],
            [number_window(x, c.surface) for x, c in zip(sentences, claims, strict=True)],
            [number_window(x, c.surface, 2) for x, c in zip(sentences, claims, strict=True)])


def context_texts(claims: Sequence[_Frame], entities: Sequence[str]) -> list[str]:
    """Every text feature_matrices encodes for these claims: property phrases, masked sentences,
    wide and near number windows."""
    masked, wide, near = _contexts(claims, entities)
    return phrase_texts([c.property for c in claims]) + masked + wide + near


def encode_texts(claims: Sequence[_Frame], entities: Sequence[str]) -> None:
    """Encode now, in one model call, every text feature_matrices will compare for these claims
    (each model call costs far more than its share of the texts: a story's blocks are many small
    batches)."""
    _encode_unique(context_texts(claims, entities))


def feature_matrices(claims: Sequence[_Frame], entities: Sequence[str], event: str = "the event",
                     counts: Counter | None = None, encoded: Sequence[bool] | None = None) -> np.ndarray:
    """Every pair's features: an array (len(FEATURES), n, n). ``claims`` are the story's comparable
    claims (crowding counts them per article and dimension: pass ``counts`` from
    crowding_counts over the whole story when ``claims`` is a part of it); ``entities`` are their
    entities as resolved across the story; a claim with no sentence is described by its frame.
    Only the claims ``encoded`` marks (all by default) go to the model: the others' similarities
    are 0, for a claim that no pair may join need not be read."""
    keep = [True] * len(claims) if encoded is None else list(encoded)
    s, w, v = (_vectors(texts, keep) for texts in _contexts(claims, entities))
    ent = np.array(entities, dtype=object)
    named = np.array([bool(e) and e != event for e in entities])
    unit = np.array([_unit_class(c.unit) for c in claims], dtype=object)
    article = np.array([c.article_id for c in claims])
    per_article = counts if counts is not None else crowding_counts(claims)
    crowd = np.log([max(1, per_article[(c.article_id, _dimension(c))]) for c in claims])
    return np.stack([
        property_matrix([c.property for c in claims], keep),
        ((ent[:, None] == ent[None, :]) & named[:, None]).astype(float),
        np.clip(s @ s.T, 0.0, 1.0),
        np.clip(w @ w.T, 0.0, 1.0),
        (unit[:, None] == unit[None, :]).astype(float),
        (article[:, None] == article[None, :]).astype(float),
        crowd[:, None] + crowd[None, :],
        np.clip(v @ v.T, 0.0, 1.0),
    ])


def _vectors(texts: list[str], keep: list[bool]) -> np.ndarray:
    """The vectors of the kept texts, zero rows for the others (never encoded)."""
    kept = [t for t, k in zip(texts, keep, strict=True) if k]
    if len(kept) == len(texts):
        return _encode_unique(texts)
    found = _encode_unique(kept)
    out = np.zeros((len(texts), found.shape[1] if len(kept) else 1))
    out[np.array(keep, dtype=bool)] = found
    return out


def same_quantity_matrix(features: np.ndarray, weights: dict[str, float] | None = None,
                         bias: float | None = None) -> np.ndarray:
    """The fitted model's probability, for every pair, that the two claims are one quantity."""
    w = WEIGHTS if weights is None else weights
    z = (BIAS if bias is None else bias) + np.tensordot(np.array([w[name] for name in FEATURES]), features, axes=1)
    return 1.0 / (1.0 + np.exp(-np.clip(z, -50.0, 50.0)))
