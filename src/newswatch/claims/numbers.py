"""Numbers as written: digits, spelled-out numbers, fractions, and the numbers that are not quantities.

quantities.py grows these numeric *cores* into quantities (magnitude, unit, qualifier). Kept
apart because it is its own concern: reading "three hundred and two", "2 1/2", "1.2e-3", "⅓"
and recognising dates, times, phone numbers, citation markers, versions and list numbering
so that they never become quantities.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .units import FRACTION_WORDS, MULTIPLIER_WORDS, SCALES, SMALL_NUMBERS, TENS, UNITS

__all__ = ["mask_non_quantities", "digit_cores", "word_cores", "Core"]

# ---------------------------------------------------------------- masks: not quantities

_MONTHS = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
           r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
# datelines in capitals: "THURSDAY, MARCH 14, 2013"
_MONTHS_UPPER = _MONTHS.upper()
_MASKS: list[tuple[str, re.Pattern[str]]] = [
    ("citation", re.compile(r"\[\s*\d{1,3}(?:\s*[,–-]\s*\d{1,3})*\s*\]")),
    ("phone", re.compile(r"(?:\+\d{1,3}[\s.-]?)?(?:\(\d{3}\)\s?|\b\d{3}[\s.-])\d{3}[\s.-]\d{4}\b")),
    # international numbers: "+44 20 7946 0958", "+49 (0)30 1234567", "+81-3-1234-5678"
    ("phone", re.compile(r"\+\d{1,3}(?:[\s.-]?\(\d{1,4}\)\d{0,4}|[\s.-]\d{1,5}){2,5}\b")),
    # street addresses: "2788 San Tomas Expressway", "1 Hacker Way", "350 Fifth Ave."
    ("address", re.compile(
        r"\b\d{1,6}(?:-\d{1,4})?\s+(?:(?:[NSEW]\.?|North|South|East|West)\s+)?(?:(?:[A-Z][a-z]+\.?|\d+(?:st|nd|rd|th))\s+){1,3}"
        r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Expressway|Expy|Parkway|Pkwy|Drive|Dr|"
        r"Lane|Ln|Way|Court|Ct|Place|Pl|Highway|Hwy|Circle|Terrace|Plaza|Square|Sq|Trail|Pike)\b")),
    ("zip", re.compile(r"(?<=\b[A-Z]{2} )\d{5}(?:-\d{4})?\b")),
    ("iso_date", re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2})?Z?)?\b")),
    ("slash_date", re.compile(r"\b\d{1,2}\s?[/.]\s?\d{1,2}\s?[/.]\s?\d{2,4}\b")),
    # "9:56", "3: 30 a. m." (tokenised text puts a space after the colon), "22.34 BST", "0737 GMT"
    ("time", re.compile(r"\b\d{1,2}(?::\s?\d{2}){1,2}(?:\s?[ap]\.?\s?m\b\.?)?", re.I)),
    ("time", re.compile(r"\b\d{1,2}(?:\.\d{2})?\s?(?:a\.\s?m\.|p\.\s?m\.|A\.\s?M\.|P\.\s?M\.|am\b|pm\b|AM\b|PM\b)")),
    ("time", re.compile(r"\b(?:\d{1,2}[.:]\s?\d{2}|[012]\d[0-5]\d)\s?(?:GMT|UTC|BST|CET|CEST|[ECMP][SD]?T|AK[SD]T|HST|IST|JST|AEST|AEDT)\b")),
    # a span of days: "18-24 November", "Nov. 18-24", "June 3 to 5"
    ("date", re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s?(?:[-–]|to)\s?\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS}\b")),
    ("date", re.compile(rf"\b{_MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\s?(?:[-–]|to)\s?\d{{1,2}}(?:st|nd|rd|th)?\b(?!\s?(?:%|percent|per\s?cent))")),
    ("date", re.compile(rf"\b{_MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}}\b)?")),
    ("date", re.compile(rf"\b{_MONTHS_UPPER}\.?\s+\d{{1,2}}(?:ST|ND|RD|TH)?\b(?:,?\s+\d{{4}}\b)?")),
    ("date", re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\.?\s+(?:of\s+)?{_MONTHS}\b\.?(?:,?\s+\d{{4}}\b)?")),
    ("date", re.compile(rf"\b{_MONTHS}\.?,?\s+\d{{4}}\b")),
    ("fiscal_year", re.compile(r"\b(?:19|20)\d{2}\s?[-–/]\s?(?:\d{2}|(?:19|20)\d{2})\b(?!\s?(?:%|percent))")),
    ("year_prefix", re.compile(r"\b(?:FY|CY|H[12]|Q[1-4])\s?'?\d{2,4}\b")),
    ("decade", re.compile(r"(?:\b(?:1[89]|20)\d0|['’]\d0)s\b")),
    # an age bracket, not seconds: "in his early 30s", "a woman in her 40s"
    ("decade", re.compile(r"\b(?:early|late|his|her|their|mid)[\s-][1-9]0s\b")),
    # an aspect ratio or a verse, not two amounts: "16:9 monitors", "a 21:9 screen", "John 3:16"
    # (a score written with a colon stays: "a 3:1 win")
    ("ratio", re.compile(r"\b\d{1,3}\s?:\s?\d{1,3}\b(?![:\d])"
                         r"(?!\s*(?:[a-z]+\s+)?(?:win|victory|defeat|loss|lead|draw|triumph|thrashing)\b)")),
    # a match-up, not two counts: "a two-on-one", "3-on-3 basketball", "one-on-one talks"
    ("match_up", re.compile(r"\b(?:\d{1,2}|one|two|three|four|five)\s?-\s?on\s?-\s?(?:\d{1,2}|one|two|three|four|five)\b",
                            re.I)),
    ("emergency_number", re.compile(r"\b9\s?-\s?1\s?-\s?1\b")),
    ("emergency_number", re.compile(r"\b911(?=\s+(?:calls?|callers?|dispatch\w*|operators?|cent(?:er|re)s?|lines?|system)\b)")),
    # aircraft models: "737 Max", "787-9 Dreamliner", "777x jets", "the 777 program", "Boeing 767"
    ("aircraft_model", re.compile(
        r"(?<=Boeing )7[0-8]7(?:-?\d{1,3})?[xX]?\b|\b7[0-8]7(?:-\d{1,3}[A-Z]{0,2}|[xX]|\s?(?:MAX|Max)\b)"
        r"|\b7[0-8]7(?=\s+(?:Dreamliners?|jets?|jetliners?|planes?|aircraft|airliners?|freighters?|program|"
        r"programme|fleet|family|series|model)\b)")),
    # a US tax-code or statute section: "401(k)", "501(c)(3)"
    ("statute", re.compile(r"\b\d{3}\s?\(\s?[a-z]\s?\)(?:\s?\(\s?\d\s?\))?")),
    # a salary band, not a count: "a six-figure salary", "a 7-figure deal"
    ("figure_band", re.compile(r"\b(?:\d|four|five|six|seven|eight|nine|ten)[\s-]figures?\b", re.I)),
    # a video resolution named by its width: "4K streaming", "an 8K TV" (a count or a sum
    # written with K stays: "$4K", "4K followers")
    ("resolution", re.compile(
        r"(?<![$€£¥₹\w.,])[48]\s?[kK]\b(?![.,]\d)(?!\s+(?:[a-z]+\s+)?(?:people|followers|users|views|viewers|"
        r"subscribers|fans|runners|steps|jobs|employees|workers|members|votes|copies|units|downloads|"
        r"visitors|readers|tickets|homes|customers|miles|words|races?|runs?|walks?)\b)")),
    ("version", re.compile(r"\b[vV](?:ersion)?\s?\d+(?:\.\d+)+\b|\b\d+\.\d+\.\d+(?:\.\d+)*\b")),
    ("version", re.compile(r"(?<=\b[Vv]ersion )\d+(?:\.\d+)*\b")),
    ("list_number", re.compile(r"(?m)^[ \t•*·\-–]*\(?\d{1,2}[.)](?=\s)")),
    ("hash_number", re.compile(r"(?:#|\bNo\.\s?|\bno\.\s)\d+")),
    ("uncertainty", re.compile(r"(?:±|\+/-|\+-)\s?\d[\d.,]*(?:[eE][-+]?\d+)?")),
    ("24/7", re.compile(r"\b24\s?/\s?7\b")),
    ("redundancy", re.compile(r"\b(?:N|2N)\s?\+\s?\d\b")),
    ("url", re.compile(r"\b(?:https?://|www\.)\S+")),
    # a URL that went through a word tokeniser: "http: / / www. foxnews. com / story / 2009 / 11 /"
    ("url", re.compile(r"\bhttps?\s?:\s?/\s?/\s?[\w%=&#~]+(?:\s?[/._\-?]\s?[\w%=&#~]+)*(?:\s?/)?")),
    # identifiers written with (tokenised) dashes: "CVE-2013-3893", "CVE - 2013 - 3893", "MS08 - 067"
    ("identifier", re.compile(r"\b[A-Z]{2,}\d*(?:\s?-\s?\d{2,})+\b(?!\s?-?\s?(?:yards?|yd|feet|foot|points?)\b)")),
    ("email", re.compile(r"\b\S+@\S+\.\w+\b")),
]


def mask_non_quantities(text: str) -> list[tuple[int, int, str]]:
    """Spans of `text` that hold numbers which are not quantities (dates, phones...)."""
    spans: list[tuple[int, int, str]] = []
    for name, rx in _MASKS:
        for m in rx.finditer(text):
            spans.append((m.start(), m.end(), name))
    spans.sort()
    return spans



_LABEL_WORDS = {
    "phase", "step", "stage", "chapter", "section", "part", "article", "table", "figure", "fig",
    "fig.", "page", "item", "rule", "number", "room", "suite", "row", "gate", "level", "tier",
    "grade", "series", "model", "gen", "generation", "class", "category", "type", "version",
    "release", "route", "highway", "interstate", "exit", "lane", "floor", "building", "block",
    "unit", "line", "track", "episode", "season", "volume", "vol", "vol.", "issue", "act",
    "amendment", "title", "division", "district", "ward", "precinct", "platform", "pier", "dock",
    "bay", "hall", "zone", "region", "sector", "cluster", "site", "lot", "parcel", "form",
    "schedule", "appendix", "annex", "exhibit", "slide", "question", "q", "no", "nos", "ver",
    "rev", "revision", "option", "plan", "proposition", "prop", "bill", "law", "ch", "sec",
    "pp", "p", "pg", "id", "code", "iso", "rfc", "top", "week", "round",
}
# Capitalised words that may stand before a number without making it a name.
_STOP_CAPS = {
    "the", "a", "an", "all", "another", "about", "around", "over", "under", "some", "only",
    "just", "nearly", "almost", "more", "most", "roughly", "approximately", "each", "every",
    "with", "by", "for", "from", "to", "in", "on", "at", "of", "and", "but", "or", "its",
    "their", "his", "her", "our", "your", "my", "this", "that", "these", "those", "up", "down",
    "until", "since", "after", "before", "during", "between", "among", "within", "without",
    "than", "both", "even", "still", "also", "then", "now", "today", "yesterday", "last",
    "next", "first", "many", "few", "several", "total", "additional", "estimated",
    "as", "if", "when", "while", "though", "although", "because", "so", "yet", "plus",
    "less", "fewer", "below", "above", "approx", "circa", "other", "we", "they", "it", "he", "she", "i", "you", "there", "here", "what",
    "which", "who", "how", "why", "where", "per", "via", "into", "onto", "upon", "across",
    "exactly", "precisely", "fully", "barely", "well", "full", "whole",
    "new", "extra", "usd", "eur", "gbp", "us", "u.s.", "cost", "costs",
    "employs", "employ", "has", "have", "had", "uses", "use", "spent", "spend", "raised",
    "raises", "reach", "reached", "hits", "hit", "hire", "hired", "add", "added", "adds",
    "buy", "bought", "sell", "sold", "ship", "shipped", "including", "includes", "include",
    "gpus", "gpu", "mw", "gw", "quick", "key", "note", "tip", "step",
    "i'm", "i’m", "i'd", "i’d", "i've", "i’ve", "i'll", "i’ll",
}
_WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
_MONTH_WORDS = {"january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december", "jan", "feb", "mar", "apr",
                "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}

# Words that end a counted-noun phrase after a number.

def _num(s: str) -> float:
    return float(s.replace(",", ""))


_DIGITS_RX = re.compile(
    r"(?<![\w.,])(?P<sign>[-−–]\s?)?(?P<n>(?:\d{1,3}(?:,\d{3})+(?![\d,]\d)|\d+)(?:\.\d+)?|(?<![\d])\.\d+)"
    r"(?P<frac>\s\d{1,2}/\d{1,2}(?!\d))?"
    r"(?P<exp>[eE][-+−]?\d+|\s?[x×]\s?10\^?[-−+]?\d+)?"
)
_FRACTION_RX = re.compile(r"(?<![\w.,/])(?P<a>\d{1,3})\s?/\s?(?P<b>\d{1,3})(?![\d/])")
_VULGAR = {"½": 0.5, "⅓": 1 / 3, "⅔": 2 / 3, "¼": 0.25, "¾": 0.75, "⅛": 0.125, "⅕": 0.2, "⅖": 0.4,
           "⅗": 0.6, "⅘": 0.8, "⅙": 1 / 6, "⅚": 5 / 6, "⅜": 0.375, "⅝": 0.625, "⅞": 0.875}
_VULGAR_RX = re.compile(r"(?<![\w.])(?P<i>\d+)?(?P<v>[½⅓⅔¼¾⅛⅕⅖⅗⅘⅙⅚⅜⅝⅞])")

# Words after "a third" / "a quarter" that make it a fraction, not an ordinal ("a third party").
_AFTER_FRACTION = {
    "of", "the", "to", "in", "from", "by", "than", "and", "or", "since", "at", "on", "for",
    "over", "with", "compared", "its", "their", "his", "her", "our", "less", "more", "lower",
    "higher", "smaller", "larger", "bigger", "fewer", "this", "that", "these", "those", "a",
    "an", "last", "as", "while", "is", "was", "were", "are", "will", "would", "has", "have",
    "had", "said", "says", "according", "versus", "vs", "between", "among", "across",
}
_OF_A_SCALE = re.compile(r"\s+of\s+an?\s+(hundred|thousand|million|billion|trillion)\b", re.I)
_BIG_SCALES = {"hundred", "thousand", "million", "billion", "trillion"}
_NUMBER_WORDS = set(SMALL_NUMBERS) | set(TENS) | set(SCALES) | {"dozen"}
_WORD_RX = re.compile(r"[A-Za-z]+(?:['’][a-z]+)?")


@dataclass
class Core:
    start: int
    end: int
    value: float
    digits: str
    is_word: bool = False
    magnitude_done: bool = False
    kind: str = "number"  # number | fraction | multiplier
    qualifier: str = "="


def _parse_word_number(words: list[str]) -> float | None:
    """Value of a run of English number words ("three hundred and two", "two thirds")."""
    total = 0.0
    current = 0.0
    seen = False
    i = 0
    n = len(words)
    while i < n:
        w = words[i].lower()
        if w in ("and", "&", "a", "an"):
            if w in ("a", "an") and i + 1 < n and words[i + 1].lower() in ("half",):
                current += 0.5 if current or seen else 0.5
                seen = True
                i += 2
                continue
            if w in ("a", "an") and not seen:
                current = 1.0
            i += 1
            continue
        if w in SMALL_NUMBERS:
            current += SMALL_NUMBERS[w]
            seen = True
        elif w in TENS:
            current += TENS[w]
            seen = True
        elif w == "hundred":
            current = (current or 1.0) * 100
            seen = True
        elif w == "dozen":
            current = (current or 1.0) * 12
            seen = True
        elif w in SCALES:
            total += (current or 1.0) * SCALES[w]
            current = 0.0
            seen = True
        elif w in FRACTION_WORDS:
            denom = FRACTION_WORDS[w]
            # "five and a quarter": the numerator is the word right before
            if i >= 2 and words[i - 2].lower() == "and" or (i >= 1 and words[i - 1].lower() in ("a", "an")) and i >= 2:
                prev = words[i - 1].lower()
                num = 1.0 if prev in ("a", "an") else float(SMALL_NUMBERS.get(prev, 1))
                base = total + (current - (0 if prev in ("a", "an") else SMALL_NUMBERS.get(prev, 0)))
                return base + num / denom
            num = current or 1.0
            return total + num / denom
        elif w == "half":
            current = (current or 1.0) * 0.5
            seen = True
        elif w == "point" and i + 1 < n:
            digits = []
            j = i + 1
            while j < n and words[j].lower() in SMALL_NUMBERS and SMALL_NUMBERS[words[j].lower()] < 10:
                digits.append(str(SMALL_NUMBERS[words[j].lower()]))
                j += 1
            if digits:
                current += float("0." + "".join(digits))
            i = j
            continue
        else:
            return None
        i += 1
    if not seen:
        return None
    return total + current


def _unit_after_hyphen(text: str, pos: int) -> bool:
    """'one-yard', 'one-mile': a measure; 'a one-game lead', 'a one-goal win': a margin;
    'one-off', 'one-time', 'one-click' are not."""
    m = re.match(r"-([a-z]+)\b", text[pos:pos + 16])
    if m and m.group(1) in _MARGIN_NOUNS:
        return True
    spec = UNITS.get(m.group(1)) if m else None
    return spec is not None and spec.canonical in _MEASURE_UNITS


_MARGIN_NOUNS = {"game", "goal", "point", "run", "stroke", "shot", "touchdown", "possession", "match", "seat", "vote"}


_MEASURE_UNITS = {"m", "m2", "L", "kg", "W", "Wh", "B", "s", "minute", "hour", "day", "week", "month", "year"}


_ONE_IN_N_RX = re.compile(r"\s+(?:in|out\s+of)\s+(?:every\s+)?(?:\d|two|three|four|five|six|seven|eight|nine|"
                          r"ten|twenty|hundred|thousand|[a-z]+ty\b)")
# after "only one", "just one": words that make "one" a pronoun or an idiom, not a count
_NOT_AFTER_ONLY_ONE = {
    "of", "to", "in", "on", "at", "for", "with", "by", "from", "who", "whom", "that", "which", "is",
    "was", "are", "were", "has", "had", "have", "will", "would", "can", "could", "thing", "way",
    "time", "more", "other", "another", "and", "or", "but", "left", "remaining", "day",
    "i", "he", "she", "they", "we", "you", "it", "so", "then", "here", "there", "again", "each",
}


# words before "one day" that make it a length of time ("in one day", "for one day")
_BEFORE_A_SPAN = {"in", "for", "within", "after", "than", "only", "just", "per", "over", "about", "nearly",
                  "almost", "under", "least", "most", "barely", "every", "each", "a", "the", "of", "and",
                  "or", "to", "by", "on", "last", "first", "single", "extra"}


def word_cores(text: str, lo: int, hi: int, masked) -> list[Core]:
    """Spelled-out numbers, fractions and multiplier words in text[lo:hi]."""
    words = [(m.start() + lo, m.end() + lo, m.group(0)) for m in _WORD_RX.finditer(text[lo:hi])]
    cores: list[Core] = []
    i = 0
    while i < len(words):
        s, e, w = words[i]
        lw = w.lower()
        prev = words[i - 1][2].lower() if i > 0 else ""
        nxt = words[i + 1][2].lower() if i + 1 < len(words) else ""
        gap_next = text[e:words[i + 1][0]] if i + 1 < len(words) else ""
        if masked(s):
            i += 1
            continue
        if lw in MULTIPLIER_WORDS:
            if re.match(r"\s?-\s?(?:double|triple)\b", text[e:e + 10], re.I) or re.search(
                    r"(?:double|triple)\s?-\s?$", text[max(0, s - 10):s], re.I):
                i += 1
                continue  # "a double - double" (ten or more in two statistics): not a factor
            if lw.startswith("double") and (text[e:e + 1] == "-" or nxt in ("down", "as", "check", "digit", "digits", "figures", "figure")):
                i += 1
                continue
            if lw in ("halves",) and prev not in ("it", "which", "that"):
                i += 1
                continue
            val, direction = MULTIPLIER_WORDS[lw]
            c = Core(s, e, float(val), w, is_word=True, magnitude_done=True, kind="multiplier",
                      qualifier=direction)
            cores.append(c)
            i += 1
            continue
        starts_number = lw in _NUMBER_WORDS and lw not in SCALES and lw != "dozen"
        if lw in ("a", "an") and nxt in ("hundred", "thousand", "million", "billion", "trillion", "dozen") \
                and gap_next.strip() == "":
            starts_number = True
        if lw in ("a", "an", "one") and nxt in FRACTION_WORDS and nxt not in ("second",) and gap_next in (" ", "-"):
            after = words[i + 2][2].lower() if i + 2 < len(words) else ""
            gap2 = text[words[i + 1][1]:words[i + 2][0]] if i + 2 < len(words) else ""
            plural = nxt.endswith("s")
            # "a third of", "by a third to", "up from a third in", "a third." are fractions;
            # "a third party", "a third-party vendor", "a fourth quarter" are ordinals
            if gap2.strip() == "-":
                ordinal = True
            else:
                ordinal = not (after in _AFTER_FRACTION or after == "" or gap2.strip() != "")
            if after in _BIG_SCALES and gap2 == " " and not plural:
                # "a quarter million people", "a half billion dollars": a number, not a share
                cores.append(Core(s, words[i + 2][1], SCALES[after] / FRACTION_WORDS[nxt],
                                  text[s:words[i + 2][1]], is_word=True, magnitude_done=True))
                i += 3
                continue
            if plural or not ordinal:
                frac = 1.0 / FRACTION_WORDS[nxt]
                sm = _OF_A_SCALE.match(text, words[i + 1][1])
                if sm:  # "a quarter of a million GPUs": a number, not a share
                    cores.append(Core(s, sm.end(), frac * SCALES[sm.group(1).lower()], text[s:sm.end()],
                                      is_word=True, magnitude_done=True))
                    i += 5
                    continue
                c = Core(s, words[i + 1][1], frac, text[s:words[i + 1][1]],
                          is_word=True, magnitude_done=True, kind="fraction")
                cores.append(c)
                i += 2
                continue
        if lw in ("half", "quarter") and nxt in _BIG_SCALES and gap_next == " ":
            # "half million", "quarter billion" (no article): a number, like "half a million"
            cores.append(Core(s, words[i + 1][1], SCALES[nxt] * (0.5 if lw == "half" else 0.25),
                              text[s:words[i + 1][1]], is_word=True, magnitude_done=True))
            i += 2
            continue
        if lw == "half" and prev not in ("first", "second", "1st", "2nd", "latter", "former", "other"):
            after = nxt
            if after in ("of", "a", "an", "the", "its", "their", "our", "his", "her") or prev in ("by", "than", "a", "cut", "in", "halve") \
                    or text[e:e + 1] in (".", ",", ";", ")") or (i == 0 or text[words[i - 1][1]:s].strip() in (".", ":", "-", "•")):
                if after in ("a", "an") and i + 2 < len(words) and (
                        words[i + 2][2].lower() in SCALES or words[i + 2][2].lower() == "dozen"):
                    sc = words[i + 2]  # "half a million", "half a dozen"
                    cores.append(Core(s, sc[1], 0.5 * SCALES.get(sc[2].lower(), 12.0), text[s:sc[1]], is_word=True,
                                       magnitude_done=True))
                    i += 3
                    continue
                if prev == "a" and i >= 2 and words[i - 2][2].lower() == "and":
                    i += 1
                    continue
                cores.append(Core(s, e, 0.5, w, is_word=True, magnitude_done=True, kind="fraction"))
                i += 1
                continue
        if not starts_number:
            i += 1
            continue
        # extend the run
        j = i
        run_end = e
        while j + 1 < len(words):
            ns, ne, nw = words[j + 1]
            gap = text[words[j][1]:ns]
            lnw = nw.lower()
            if gap.strip() == "" and gap:
                gap = " "
            elif gap.strip() == "-":
                gap = "-"
            if gap not in (" ", "-", "- ", ", ", " & ", "&"):
                break
            if gap == ", " and lnw not in SMALL_NUMBERS and lnw not in TENS:
                break
            if gap == ", " and words[j][2].lower() not in SCALES:
                break
            in_decimals = any(x[2].lower() == "point" for x in words[i:j + 1])
            if (lnw in SMALL_NUMBERS or lnw in TENS) and words[j][2].lower() in SMALL_NUMBERS and not in_decimals:
                break  # "two three-story hotels", "one two punch": two numbers, not "five"
            if lnw in TENS and words[j][2].lower() in TENS and not in_decimals:
                break
            if lnw in _NUMBER_WORDS or lnw == "point":
                j += 1
                run_end = ne
                continue
            if lnw in ("and", "&") and j + 2 < len(words):
                nn = words[j + 2][2].lower()
                if (nn in SMALL_NUMBERS or nn in TENS) and words[j][2].lower() in ("hundred", "thousand", "million", "billion", "trillion", "dozen"):
                    j += 1
                    continue
                if nn in ("a", "an", "one", "two", "three", "four", "five", "seven", "nine") and j + 3 < len(words) \
                        and words[j + 3][2].lower() in set(FRACTION_WORDS) | {"half"} and words[j + 3][2].lower() not in ("second", "seconds"):
                    j += 3
                    run_end = words[j][1]
                    continue
                break
            if lnw in FRACTION_WORDS and lnw not in ("second", "seconds") and (
                    lnw.endswith("s") or lnw in ("third", "quarter", "fourth", "fifth", "half")):
                # "two thirds", "one-third"; but "nine quarters of football", "five quarters of
                # growth" are periods (game or fiscal), not 9/4
                num_w = words[j][2].lower()
                whole = SMALL_NUMBERS.get(num_w, TENS.get(num_w, 0))
                if (num_w in SMALL_NUMBERS or num_w in TENS) and not (lnw == "quarters" and j == i and whole >= 4):
                    j += 1
                    run_end = ne
                    break
            break
        run = [w2 for _, _, w2 in words[i:j + 1]]
        value = _parse_word_number(run)
        if value is None:
            i = j + 1
            continue
        # "one or two", "a minute or two", "a sibling or two": a vague few, not a count
        if lw == "one" and nxt == "or" and i + 2 < len(words) and words[i + 2][2].lower() == "two":
            i += 3
            continue
        if len(run) == 1 and lw == "two" and prev == "or" and i >= 3 and words[i - 3][2].lower() in ("a", "an") \
                and text[words[i - 2][1]:words[i - 1][0]] == " ":
            i += 1
            continue
        # "you'll find out one day", "one day, we hope": some day, not a day's length
        if len(run) == 1 and lw == "one" and nxt == "day" and prev not in _BEFORE_A_SPAN \
                and not re.match(r"\s+day\s+(?:later|earlier|before|after|ago|of|in|per|a|each|to|long|only)\b|\s+day['’]s",
                                 text[e:e + 20]):
            i += 2
            continue
        # "one" as a pronoun or an idiom is not a quantity
        if len(run) == 1 and lw == "one":
            emphatic = prev in ("only", "just", "exactly") and nxt.isalpha() and nxt.islower() \
                and nxt not in _NOT_AFTER_ONLY_ONE and gap_next == " "  # "only one title": a count
            # "estimated that one in every 500 users": a proportion, whatever comes before
            emphatic = emphatic or bool(_ONE_IN_N_RX.match(text, e, e + 30))
            if not emphatic and prev in ("no", "each", "this", "that", "the", "any", "every", "which", "another", "someone",
                        "anyone", "no-one", "last", "only", "big", "little", "new", "old", "right", "wrong",
                        "such", "other", "first", "second") or nxt in ("another", "way", "off", "time", "hand", "thing", "point") \
                    or text[e:e + 1] == "-" and not _unit_after_hyphen(text, e) \
                    or text[e:e + 1] in (".", ",", "?", "!", ";", ":", ")"):
                i += 1
                continue
            if text[e:e + 1] in ("’", "'"):
                i += 1
                continue
        # Formula One, Big Four, Phase One: a capitalised number word inside a name
        if w[0].isupper() and i > 0:
            pw = words[i - 1][2]
            gap_prev = text[words[i - 1][1]:s]
            if gap_prev.strip() in ("", "-") and pw[0].isupper() and pw.lower() not in _STOP_CAPS:  # "Take-Two"
                i = j + 1
                continue
        if w[0].isupper() and i > 0 and text[words[i - 1][1]:s].strip() not in (".", ":", "!", "?", "-", "•", "*") \
                and j + 1 < len(words) and words[j + 1][2][0].isupper() and text[run_end:words[j + 1][0]] == " ":
            i = j + 1
            continue  # "Three Mile Island"
        if prev in _LABEL_WORDS and text[words[i - 1][1]:s].strip() == "":
            i = j + 1
            continue
        kind = "fraction" if run[-1].lower() in FRACTION_WORDS else "number"
        cores.append(Core(s, run_end, value, text[s:run_end], is_word=True,
                           magnitude_done=any(x.lower() in SCALES or x.lower() == "dozen" for x in run),
                           kind=kind))
        i = j + 1
    return cores


def digit_cores(text: str, lo: int, hi: int, masked) -> list[Core]:
    cores: list[Core] = []
    seg = text[lo:hi]
    taken: list[tuple[int, int]] = []
    for m in _VULGAR_RX.finditer(seg):
        s, e = m.start() + lo, m.end() + lo
        if masked(s):
            continue
        v = _VULGAR[m.group("v")] + (float(m.group("i")) if m.group("i") else 0.0)
        cores.append(Core(s, e, v, m.group(0), kind="fraction"))
        taken.append((s, e))
    for m in _FRACTION_RX.finditer(seg):
        s, e = m.start() + lo, m.end() + lo
        if masked(s) or any(a <= s < b for a, b in taken):
            continue
        a, b = int(m.group("a")), int(m.group("b"))
        if b == 0:
            taken.append((s, e))
            continue
        # "5/6 of the", "1/4 inch": a fraction; "24/7", dates are masked already
        cores.append(Core(s, e, a / b, m.group(0), kind="fraction"))
        taken.append((s, e))
    for m in _DIGITS_RX.finditer(seg):
        s, e = m.start() + lo, m.end() + lo
        ns = m.start("n") + lo
        if masked(ns) or any(a <= ns < b for a, b in taken):
            continue
        value = _num(m.group("n"))
        sign = m.group("sign")
        start = s
        if sign:
            before = text[max(lo, s - 1):s]
            # "9 - 5" (a tokenised hyphen) is a dash; "225.86 -12.99" (a quote table) is a sign
            if before == " " and (sign != sign.strip() and re.search(r"(?:\d|\d\s?-\s?(?:for|of))\s$", text[max(lo, s - 10):s])
                                  or sign != sign.strip() and re.search(r"(?:foot|feet|ft)\s$", text[max(lo, s - 6):s])):
                before = "0"  # "9 - 5", "6 - foot - 8": a spaced dash (tokenised hyphen), not a sign
            if before == " " and sign != sign.strip() and re.search(r"[A-Za-z]\s$", text[max(lo, s - 2):s]) \
                    and re.match(r"\s?(?:[,;)]|\.(?!\d)|$)", text[e:e + 2]):
                before = "0"  # "Ashgabat city - 15, ...": a spaced dash after a word is punctuation
            if sign != sign.strip() and "\n" in text and not text[text.rfind("\n", 0, s) + 1:s].strip():
                before = "0"  # "- 300 MW" opening a line of a text with lines: a list's bullet
            # "10-12 GW": a range dash; "GPT-4": a model name; " -15": a sign
            if before and (before.isdigit() or before.isalpha() or before in ")"):
                start = ns
                if before.isalpha():
                    continue
            elif sign.strip() == "–":
                start = ns
            else:
                value = -value
        if text[ns - 1:ns] == "-" and ns - 2 >= 0 and text[ns - 2].isalpha() \
                and not _MADE_OF_RX.search(text[max(lo, ns - 8):ns]) \
                and not re.search(r"\d(?:k|K|m|M|bn|mn)-$", text[max(lo, ns - 5):ns]):  # "5k-20k" is a range
            continue  # GPT-4, COVID-19, F-35 (but "7-for-14", "11-of-36" are two counts)
        if m.group("frac"):
            fa, fb = m.group("frac").strip().split("/")
            if int(fb):
                value = value + int(fa) / int(fb) * (1 if value >= 0 else -1)
        exp = m.group("exp")
        if exp:
            digits = re.sub(r"^\s?[x×eE]\s?(?:10\^?)?", "", exp) if exp[0] not in "eE" else exp[1:]
            digits = digits.replace("−", "-")
            try:
                value = value * 10 ** int(digits)
            except ValueError:
                pass
            except OverflowError:  # "1e400": no float holds it, so it is no figure
                continue
        if not sign and not exp and re.fullmatch(r"\d{1,4}", m.group("n")) and re.search(r"(?:^|[\s(\[:])\.\s$", text[max(0, s - 3):s]):
            # "(. 535)": a tokeniser split ".535" (a rate or a percentage written without its 0)
            cores.append(Core(s - 2, e, float("0." + m.group("n")), "." + m.group("n")))
            taken.append((s, e))
            continue
        if not math.isfinite(value):
            continue  # 400 nines: no float holds it, so it is no figure
        cores.append(Core(start, e, value, m.group("n")))
        taken.append((s, e))
    return _join_split_numbers(text, sorted(cores, key=lambda c: c.start))


_MADE_OF_RX = re.compile(r"\d\s?-\s?(?:for|of)\s?-\s?$")


def _join_split_numbers(text: str, cores: list[Core]) -> list[Core]:
    """'170, 000' and '5. 2 yards': one number that a tokeniser split, not two.

    Text that went through a word tokeniser (wire archives, corpora, some feeds) puts a space
    after the thousands comma and the decimal point. A comma join needs exactly three digits
    after it and no list around it ("versions 6, 7, 8"); a decimal join needs one digit after
    the point and a lower-case word, a % or a closing mark next, which a sentence break never
    has (sentences.py keeps such a point inside its sentence for the same reason).
    """
    out: list[Core] = []
    spaced: set[int] = set()  # starts of numbers already joined across a thousands space
    for c in cores:
        if out and not c.is_word and c.kind == "number" and not out[-1].is_word and out[-1].kind == "number":
            a = out[-1]
            gap = text[a.end:c.start]
            after = text[c.end:c.end + 4]
            before = text[max(0, a.start - 3):a.start]
            plain = re.fullmatch(r"\d{1,3}", a.digits) is not None and a.value >= 0 and text[a.start].isdigit()
            chained = a.start in spaced and re.fullmatch(r"\d{1,3}(?:,\d{3})+", a.digits) is not None
            group = re.fullmatch(r"\d{3}", c.digits) or chained and re.fullmatch(r"\d{3}\.\d+", c.digits)
            more = re.match(r"[ \u202f\u00a0\u2009]\d{3}(?![\d,])", text[c.end:c.end + 6])
            if gap in (" ", "\u202f", "\u00a0", "\u2009") and (plain or chained) and group \
                    and (more or not re.match(r"\s?(?:[\d\-–/:]|[.,]\S)", after)) and not re.search(r"\d[\s,]\s?$", before):
                # "10 000", "1 414 021 100": the SI thousands separator (a space, thin or no-break);
                # never inside a list of numbers and never before a hyphenated compound ("3 100-metre races")
                out[-1] = Core(a.start, c.end, a.value * 1000 + c.value, f"{a.digits},{c.digits}")
                spaced.add(a.start)
                continue
            if gap == ", " and plain and re.fullmatch(r"\d{3}", c.digits) and not re.match(r",\s?\d", after) \
                    and not re.search(r"(?:\d,|[-–])\s?$", before):
                out[-1] = Core(a.start, c.end, a.value * 1000 + c.value, f"{a.digits},{c.digits}")
                continue
            if gap == ". " and plain and re.fullmatch(r"\d", c.digits) \
                    and re.match(r"(?:\s[a-z%]|\s?%|\s?-\s?[a-z]|[a-zA-Z](?![a-zA-Z])|\s?[),;])", after):
                out[-1] = Core(a.start, c.end, a.value + c.value / 10, f"{a.digits}.{c.digits}")
                continue
        out.append(c)
    return out


