"""ECB+ documents as article text: undo the corpus tokenisation, split off the source URL line.

Shared by the ECB+ benchmarks (story clustering, numeric claims on real news) so both feed the
product the same prose. ECB+ texts are tokenised ("Reid 's", "`` American Pie ''", "$ 2
million"); the ECB+ half of the corpus also starts each document with its source URL, itself
tokenised ("http : / / www . foxnews . com / ...").
"""

from __future__ import annotations

import re

_URL_LINE = re.compile(r"^\s*(https?|www)\b")


def detokenize(line: str, plus: bool = False) -> str:
    """Undo the corpus tokenisation enough to look like article text.

    ``plus``: the line comes from an ECB+ document (one with a source URL line). Those are
    tokenised further than the ECB half: hyphens and the parts of numbers are split too
    ("26 - year - old", "58 - 3", "22 , 000", "2 : 56", "8 . 7", "a . 38 - caliber"), and are
    joined back only then, so ECB text (where " - " is a dash) is left as it was.
    """
    s = line.replace("`` ", '"').replace(" ''", '"').replace("``", '"').replace("''", '"')
    if plus:
        s = re.sub(r"(\d) , (\d{3})(?!\d)", r"\1,\2", s)
        s = re.sub(r"(\d) \. (\d)", r"\1.\2", s)
        s = re.sub(r"(\d) : (\d)", r"\1:\2", s)
        # an abbreviation's period ("Dec . 27", "No . 9") stays on its word; after any other
        # word the period starts a decimal ("a . 357 revolver", "over . 500")
        s = re.sub(r"\b([A-Z][A-Za-z]{0,3}) \. (?=\d)", r"\1. ", s)
        s = re.sub(r"(?<=[^\d\s]) \. (?=\d)", " .", s)
        s = re.sub(r"(?<=\w) - (?=\w)", "-", s)
        s = re.sub(r" \u2019 (s|t|re|ve|ll|d|m)\b", "\u2019\\1", s)
    s = re.sub(r" ([.,;:!?%)\]}])(?!\d)" if plus else r" ([.,;:!?%)\]}])", r"\1", s)
    s = re.sub(r"([(\[{$]) ", r"\1", s)
    s = re.sub(r" (n't|'s|'re|'ve|'ll|'d|'m)\b", r"\1", s)
    s = re.sub(r"(\d) , (\d{3})\b", r"\1,\2", s)
    s = re.sub(r"(\d) \. (\d)", r"\1.\2", s)
    return s


def split_url_line(lines: list[str]) -> tuple[str | None, list[str]]:
    """(source URL with the tokenising spaces removed, or None; the remaining lines)."""
    if lines and _URL_LINE.match(lines[0]):
        return re.sub(r"\s+", "", lines[0]), lines[1:]
    return None, lines
