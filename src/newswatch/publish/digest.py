"""The daily digest as data: what a reader needs to know about one day, before any format.

``build_digest`` turns the rows the store's views give (stories, discrepancies with every side,
reliability changes, failing and quiet feeds, counts) into plain dataclasses that the
renderers (Markdown, HTML, Atom, email) only lay out. Cleaning happens here, once, for every
format: text from feeds and pages loses control and bidirectional-override characters (an
U+202E in a headline would reverse the text around it in every format) and links that are not
http(s) are dropped (a ``javascript:`` link must never become clickable). Escaping for a given
format is the renderer's job.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlsplit

NOT_SCORED = "not scored yet"
UNDECIDED = "undecided (the reports are split evenly)"  # scored, but no value outweighs the others
TOP_STORIES = 10
OUTLETS_PER_STORY = 8
LINE_CHARS = 220

# C0/C1 controls except tab/newline, and the bidirectional embedding/override/isolate marks.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]?\s+(?=[A-Z0-9“\"'])")


def clean(text: Any) -> str:
    """Text from the web made safe to lay out: NFC, no control or bidi-override characters,
    whitespace collapsed. Escaping for HTML/XML/Markdown is still the renderer's job."""
    if text is None:
        return ""
    text = unicodedata.normalize("NFC", str(text))
    return " ".join(_UNSAFE.sub("", text).split())


def safe_url(url: Any) -> str | None:
    """The link when it is an absolute http(s) URL, else None (``javascript:``, ``data:``,
    relative or malformed links are shown as text, never linked)."""
    text = clean(url)
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    if any(c in text for c in ' <>"\'`'):
        return None
    return text


def shorten(text: str, limit: int = LINE_CHARS) -> str:
    """At most ``limit`` characters, cut at a word boundary (never inside a word)."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-") + "…"


def first_sentence(text: str) -> str:
    parts = _SENTENCE_END.split(text, maxsplit=1)
    return parts[0] if parts else text


def format_value(value: float | None, unit: str | None) -> str:
    """A canonical value for reading: 3e8 W -> "300 MW", 1.2e9 USD -> "$1.2 billion"."""
    if value is None:
        return ""
    unit = unit or ""

    def num(x: float) -> str:
        return f"{x:,.3g}" if abs(x) < 1000 else f"{x:,.0f}"

    if unit == "USD":
        for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
            if abs(value) >= size:
                return f"${num(value / size)} {word}"
        return f"${num(value)}"
    if unit in ("W", "B", "FLOP/s", "Wh", "B/s", "Hz"):
        for size, prefix in ((1e18, "E"), (1e15, "P"), (1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")):
            if abs(value) >= size:
                return f"{num(value / size)} {prefix}{unit}"
        return f"{num(value)} {unit}"
    if unit in ("%", "percent"):
        return f"{num(value)}%"
    return f"{num(value)} {unit}".strip()


@dataclass
class Link:
    outlet: str
    title: str
    url: str | None  # None when the stored link is not a safe http(s) URL
    shown_url: str  # the link as text, for formats that print it
    date: str


@dataclass
class StoryItem:
    id: int
    title: str
    what_happened: str
    independent_reports: int
    outlets: list[str]
    articles: list[Link]
    discrepancies: int
    more_articles: int = 0


@dataclass
class SideClaim:
    outlet: str
    value: str  # as written
    quote: str
    link: Link


@dataclass
class Side:
    values: list[str]  # the distinct values as written on this side
    claims: list[SideClaim]


@dataclass
class Disagreement:
    id: int
    story_id: int
    story_title: str
    what: str  # "Colossus 1: power (W)"
    kind: str  # conflict | update | intra-article
    consensus: str  # the consensus value, UNDECIDED, or NOT_SCORED
    sides: list[Side]


@dataclass
class ReliabilityChange:
    outlet: str
    before: float | None
    after: float
    interval: str

    @property
    def delta(self) -> float | None:
        return None if self.before is None else self.after - self.before


@dataclass
class FeedProblem:
    outlet: str
    url: str
    problem: str  # failed | quiet
    detail: str


@dataclass
class Bar:
    label: str
    value: float
    text: str


@dataclass
class Digest:
    day: date
    timezone: str
    stories: list[StoryItem]
    disagreements: list[Disagreement]
    reliability: list[ReliabilityChange] | None  # None: reliability not scored yet
    feeds: list[FeedProblem]
    counts: dict[str, int]
    chart_title: str
    bars: list[Bar] = field(default_factory=list)
    total_stories: int = 0

    @property
    def title(self) -> str:
        return f"newswatch digest for {self.day.isoformat()}"


def _link(row: dict[str, Any]) -> Link:
    return Link(outlet=clean(row.get("outlet")), title=clean(row.get("title") or row.get("article_title")),
                url=safe_url(row.get("url")), shown_url=clean(row.get("url")),
                date=clean(row.get("date") or row.get("published"))[:10])


def what_happened(articles: list[dict[str, Any]]) -> str:
    """One line on what happened: the first sentence of the earliest article's feed summary or
    text that says more than its headline."""
    for a in articles:
        for raw in (a.get("summary"), a.get("lead")):
            text = first_sentence(clean(raw))
            if len(text) >= 40 and text.lower() != clean(a.get("title")).lower():
                return shorten(text)
    return ""


def _duration(seconds: Any) -> str:
    if not seconds:
        return "?"
    seconds = int(seconds)
    if seconds >= 86400:
        return f"{seconds / 86400:.1f} days"
    if seconds >= 3600:
        return f"{seconds / 3600:.1f} hours"
    return f"{max(1, seconds // 60)} minutes"


def build_digest(day: date, timezone: str, *, stories: list[dict[str, Any]],
                 articles: dict[int, list[dict[str, Any]]], discrepancies: list[dict[str, Any]],
                 reliability: list[dict[str, Any]] | None, feeds: list[dict[str, Any]],
                 counts: dict[str, int], leaderboard: list[dict[str, Any]],
                 claims_per_outlet: list[dict[str, Any]]) -> Digest:
    """Assemble a day's digest from the store's rows (see ``publish.stage.collect``)."""
    items = []
    for s in stories[:TOP_STORIES]:
        arts = articles.get(s["story_id"], [])
        links = [_link(a) for a in arts]
        items.append(StoryItem(
            id=s["story_id"], title=clean(s["title"]) or "(untitled)", what_happened=what_happened(arts),
            independent_reports=s["independent_reports"] or 0,
            outlets=[clean(o) for o in (s["outlet_names"] or "").split(", ") if o],
            articles=links[:OUTLETS_PER_STORY], more_articles=max(0, len(links) - OUTLETS_PER_STORY),
            discrepancies=s["discrepancies"] or 0))

    found = []
    for d in discrepancies:
        by_side: dict[int, list[dict[str, Any]]] = {}
        for c in d["claims"]:
            by_side.setdefault(c["side"] or 0, []).append(c)
        sides = []
        for _, claims in sorted(by_side.items()):
            shown = [SideClaim(outlet=clean(c["outlet"]), value=clean(c["surface"]),
                               quote=shorten(clean(c["sentence"]), 400), link=_link(c)) for c in claims]
            sides.append(Side(values=list(dict.fromkeys(sc.value for sc in shown)), claims=shown))
        what = f"{clean(d['subject'])}: {clean(d['attribute']).replace('_', ' ')}"
        if d.get("unit"):
            what += f" ({clean(d['unit'])})"
        if d.get("scope"):
            what += f", {clean(d['scope'])}"
        consensus = (format_value(d.get("consensus_value"), d.get("unit")) or clean(d.get("consensus_text"))
                     or (UNDECIDED if d.get("scored") else NOT_SCORED))
        found.append(Disagreement(id=d["id"], story_id=d["story_id"], story_title=clean(d.get("story_title")),
                                  what=what, kind=clean(d.get("kind")) or "conflict", consensus=consensus,
                                  sides=sides))

    changes = None
    if reliability is not None:
        changes = []
        for r in reliability:
            if r["reliability"] is None or (r["previous"] is not None
                                            and abs(r["reliability"] - r["previous"]) < 1e-9):
                continue
            interval = ""
            if r.get("reliability_low") is not None and r.get("reliability_high") is not None:
                interval = f"{r['reliability_low']:.2f}–{r['reliability_high']:.2f}"
            changes.append(ReliabilityChange(outlet=clean(r["outlet"]), before=r["previous"],
                                             after=r["reliability"], interval=interval))

    problems = []
    for f in feeds:
        if f["problem"] == "failed":
            n = f.get("consecutive_errors") or 0
            detail = (f"{n} failed poll{'s' if n != 1 else ''} in a row; last success "
                      f"{clean(f.get('last_success_at')) or 'never'}; {shorten(clean(f.get('last_error')), 200)}")
        else:
            detail = (f"no new entry for {_duration(f.get('quiet_seconds'))} (usually one every "
                      f"{_duration(f.get('usual_gap_seconds'))})")
        problems.append(FeedProblem(outlet=clean(f.get("source")), url=clean(f.get("url")),
                                    problem=f["problem"], detail=detail))

    scored = [r for r in leaderboard if r.get("reliability") is not None]
    if scored:
        title = "Outlet reliability (0 to 1; higher is more reliable)"
        bars = [Bar(clean(r["outlet"]), float(r["reliability"]), f"{r['reliability']:.2f}") for r in scored]
    else:
        title = f"Claims per outlet this day (reliability {NOT_SCORED})"
        bars = [Bar(clean(r["outlet"]), float(r["claims"]), str(r["claims"])) for r in claims_per_outlet]
    return Digest(day=day, timezone=timezone, stories=items, disagreements=found, reliability=changes,
                  feeds=problems, counts={**counts, "discrepancies": len(found)}, chart_title=title,
                  bars=bars[:15], total_stories=len(stories))
