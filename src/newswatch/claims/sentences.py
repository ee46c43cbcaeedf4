"""Sentence spans of an article's text. Headings, list items and table rows are units of their own,
because a number in a heading or a table cell belongs to that line, not to the prose around it."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass
class Sentence:
    start: int
    end: int
    line: int
    kind: str  # text | heading | list | table
    first_in_line: bool = True


_ABBREV = {
    "mr", "mrs", "ms", "dr", "prof", "inc", "corp", "co", "ltd", "jr", "sr", "st", "vs", "etc",
    "e.g", "i.e", "u.s", "u.k", "u.n", "e.u", "a.m", "p.m", "no", "nos", "fig", "figs", "jan",
    "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "approx", "est",
    "gov", "sen", "rep", "gen", "lt", "col", "mt", "ft", "sgt", "capt", "cmdr", "adm", "rev",
    "dept", "univ", "assn", "bros", "ave", "blvd", "rd", "vol", "ch", "sec", "al", "cf", "ca",
    "plc", "llc", "ag", "sa", "nv", "bn", "mn", "n.v", "s.a", "ph.d", "m.d", "b.a", "m.a",
}
_BOUNDARY = re.compile(r"[.!?…]+[\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9$€£])")
# "5. 2 yards", "(6. 6 feet)", "35. 0 percent": a decimal point a word tokeniser spaced out; the
# digit after it runs on into a lower-case word, a % or a closing mark, which a new sentence never does
TOKENISED_DECIMAL = re.compile(r"\d(?:\s?[a-z%]|\s?-\s?[a-z]|\s?[),;])")
# "SANTA CLARA, Calif. (AP) — Lumora ...": a bracketed credit and a dash end a dateline; the
# abbreviated state before it ends no sentence
_CREDIT_DASH = re.compile(r"\([A-Za-z][A-Za-z .&\-]{1,30}\)\s*[-–—]")
BULLET = re.compile(r"^\s*(?:[-•*·▪◦–—]|\d{1,2}[.)]|\(?[a-z][.)])\s+")


def split_sentences(text: str) -> list[Sentence]:
    """Sentences as spans of `text`; headings, list items and table rows are their own units."""
    out: list[Sentence] = []
    pos = 0
    for line_no, line in enumerate(text.split("\n")):
        lstart = pos
        pos += len(line) + 1
        stripped = line.strip()
        if not stripped:
            continue
        offset = lstart + (len(line) - len(line.lstrip()))
        if stripped.count("|") >= 2:
            kind = "table"
        elif BULLET.match(line):
            kind = "list"
        elif len(stripped.split()) <= 14 and not re.search(r"[.!]\W*$", stripped) and not re.search(r"[.!?]\s", stripped):
            kind = "heading"
        else:
            kind = "text"
        if kind == "table":
            out.append(Sentence(offset, offset + len(stripped), line_no, kind))
            continue
        s = offset
        first = True
        for m in _BOUNDARY.finditer(text, offset, offset + len(stripped)):
            cut = m.start()
            if text[cut - 1].isdigit() and text[cut] == "." and TOKENISED_DECIMAL.match(text, m.end()):
                continue
            if _CREDIT_DASH.match(text, m.end()):
                continue
            word = re.search(r"([A-Za-z][A-Za-z.]*)$", text[s:cut])
            if word:
                w = word.group(1).lower()
                if w.rstrip(".") in _ABBREV or len(w) == 1 and text[cut - 1].isupper():
                    continue
            end = m.end()
            while end > cut and text[end - 1].isspace():
                end -= 1
            out.append(Sentence(s, end, line_no, kind, first))
            first = False
            s = m.end()
        if s < offset + len(stripped):
            out.append(Sentence(s, offset + len(stripped), line_no, kind, first))
    return out
