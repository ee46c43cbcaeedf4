"""Article text from HTML with trafilatura: main text plus title, author, date and site name.

A page that cannot be processed yields ``None`` and a reason, never an exception that kills the
batch (the trafilatura way). The pipeline then falls back to what the feed carried.

``favor_precision`` is on: for claim checking, a related-stories sidebar with other numbers in
the article text is much worse than a lost closing paragraph.
"""

from __future__ import annotations

import logging
import re
from copy import deepcopy
from dataclasses import dataclass

import trafilatura
from lxml import html as lxml_html
from trafilatura.settings import DEFAULT_CONFIG

from .feeds import html_to_text

log = logging.getLogger("newswatch.extract")

MIN_TEXT_CHARS = 200  # below this an "article" is a teaser, a paywall stub or an error page
MAX_HTML_CHARS = 5_000_000  # the fetch cap stops bigger bodies; this guards ingest of local files
MAX_TREE_SIZE = 50_000  # elements; trafilatura gives up on pathological DOMs beyond this

_CONFIG = deepcopy(DEFAULT_CONFIG)
_CONFIG["DEFAULT"]["MAX_TREE_SIZE"] = str(MAX_TREE_SIZE)
_CONFIG["DEFAULT"]["EXTRACTION_TIMEOUT"] = "0"  # signal-based timeouts break in worker threads


@dataclass
class Extracted:
    text: str
    title: str | None = None
    author: str | None = None
    date: str | None = None  # ISO-8601 UTC (midnight when only the day is known)
    site_name: str | None = None


def _decode(body: bytes | str) -> str:
    if isinstance(body, str):
        return body
    # Let lxml-independent decoding do the common cases; trafilatura sniffs meta charset too.
    for enc in ("utf-8", "cp1252"):
        try:
            return body.decode(enc)
        except UnicodeDecodeError:
            continue
    return body.decode("utf-8", errors="replace")


def _iso_day(value: str | None) -> str | None:
    if value and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return f"{value}T00:00:00Z"
    return None


def extract_page(body: bytes | str, url: str | None = None) -> tuple[Extracted | None, str | None]:
    """Extract the main text of an HTML page. Returns (result, None) or (None, reason)."""
    text_in = _decode(body)
    if not text_in.strip():
        return None, "empty page"
    if len(text_in) > MAX_HTML_CHARS:
        return None, f"page too large to extract ({len(text_in):,} characters)"
    try:
        doc = trafilatura.bare_extraction(
            text_in,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            favor_precision=True,
            deduplicate=False,
            # Extensive date search reads dates out of any link on the page: a related-stories
            # sidebar then dates an undated article by another article's URL (/2026/04/...).
            date_extraction_params={"extensive_search": False, "original_date": True,
                                    "outputformat": "%Y-%m-%d"},
            config=_CONFIG,
        )
    except Exception as exc:  # noqa: BLE001 - a hostile page must not stop the batch
        log.info("extraction failed for %s: %s", url, exc)
        return None, f"extractor error: {type(exc).__name__}: {exc}"[:300]
    if doc is None:
        return None, "no main text found"
    text = (getattr(doc, "text", None) or "").strip()
    if len(text) < MIN_TEXT_CHARS:
        return None, f"main text too short ({len(text)} characters)"
    return Extracted(
        text=text,
        title=getattr(doc, "title", None) or None,
        author=getattr(doc, "author", None) or None,
        date=_iso_day(getattr(doc, "date", None)),
        site_name=getattr(doc, "sitename", None) or None,
    ), None


_MAGIC = {b"%PDF": "a PDF document", b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image",
          b"GIF8": "a GIF image", b"PK\x03\x04": "a ZIP archive (or an Office document)",
          b"\x1f\x8b": "gzip-compressed data", b"\x7fELF": "an executable", b"SQLite format 3": "an SQLite database"}


def not_text_reason(raw: bytes, sample: int = 65536) -> str | None:
    """Why ``raw`` is not text a person wrote (None when it is). Binary files used to be stored as
    articles full of replacement characters and read for numbers; this refuses them up front.
    Looks at the first ``sample`` bytes: known file signatures, NUL bytes, then the share of bytes
    that are neither valid UTF-8 (or Latin-1 prose) nor printable."""
    head = raw[:sample]
    for magic, what in _MAGIC.items():
        if head.startswith(magic):
            return f"not text: {what}"
    if b"\x00" in head:
        return "not text: binary content (NUL bytes)"
    text = head.decode("utf-8", errors="replace")
    if len(head) == len(raw) or not text.endswith("\ufffd"):
        bad = text.count("\ufffd")
    else:  # the sample may cut a multi-byte character in two
        bad = text.rstrip("\ufffd").count("\ufffd")
    if bad > max(8, len(text) // 50):  # not UTF-8: Latin-1 prose is still text, noise is not
        text = head.decode("latin-1")
    control = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\t\n\r\f") or 0x7F <= ord(ch) < 0xA0)
    if control > max(8, len(text) // 50):
        return f"not text: {control * 100 // max(len(text), 1)}% control or undecodable bytes"
    return None


def fragment_to_text(fragment: str) -> str:
    """Plain text of a feed's content HTML, one paragraph per line.

    Feed content is the article body already (no page furniture), so no boilerplate removal is
    needed: only block structure has to survive as line breaks.
    """
    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except (ValueError, lxml_html.etree.ParserError):
        return html_to_text(fragment) or ""
    for bad in root.xpath("//script|//style|//noscript|//iframe|//form"):
        bad.drop_tree()
    blocks: list[str] = []
    block_tags = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "tr", "div"}
    for el in root.iter():
        if el.tag in block_tags and not any(child.tag in block_tags for child in el):
            line = re.sub(r"\s+", " ", el.text_content()).strip()
            if line:
                blocks.append(line)
    if not blocks:
        return html_to_text(fragment) or ""
    return "\n".join(blocks)
