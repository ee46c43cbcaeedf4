"""ECB+ documents as article text: undo the corpus tokenisation, split off the source URL line.

Shared by the ECB+ benchmarks (story clustering, numeric claims on real news) so both feed the
product the same prose. ECB+ texts are tokenised ("Reid 's", "`` American Pie ''", "$ 2
million"); the ECB+ half of the corpus also starts each document with its source URL, itself
tokenised ("http : / / www . foxnews . com / ...").
"""

from __future__ import annotations

import re

_URL_LINE = re.compile(r"^\s*(https?|www)\b")


def detokenize(line: str) -> str:
    """Undo the corpus tokenisation enough to look like article text."""
    s = line.replace("`` ", '"').replace(" ''", '"').replace("``", '"').replace("''", '"')
    s = re.sub(r" ([.,;:!?%)\]}])", r"\1", s)
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
