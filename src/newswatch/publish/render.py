"""The digest's formats: Markdown, a standalone HTML page, and an Atom feed of recent digests.

HTML comes from autoescaping Jinja templates (``templates/``), so every string is escaped unless
it is built here as ``Markup`` from escaped parts (a link, the SVG chart). The page needs
nothing from the network (inline CSS and SVG) and carries a Content-Security-Policy that allows
no script at all, a second line of defence should a string ever slip through. Markdown escapes
every punctuation mark a renderer could take for markup or raw HTML. The Atom feed is written
by feedgen (lxml), which escapes what it serialises.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from feedgen.feed import FeedGenerator
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from .digest import Bar, Digest, Link

ATOM_ENTRIES = 14  # how many recent digests atom.xml carries

_env = Environment(loader=PackageLoader("newswatch.publish", "templates"),
                   autoescape=select_autoescape(default=True, default_for_string=True),
                   trim_blocks=True, lstrip_blocks=True)

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_MD_LINE_START = re.compile(r"^(\d*)([#+=>.)-])")


def md(text: str) -> str:
    """Escape text for Markdown: every character CommonMark could read as inline markup, a link
    or the start of raw HTML is backslash-escaped (so ``<script>`` shows as text in any
    renderer), and so is a heading, list or quote marker at the start. Parentheses, ``&`` and
    ``#`` elsewhere stay readable: without ``[``/``]`` or ``<`` they cannot make a link or tag."""
    return _MD_LINE_START.sub(r"\1\\\2", _MD_SPECIAL.sub(r"\\\1", text))


def _md_link(link: Link, text: str | None = None) -> str:
    label = md(text or link.title or link.shown_url or "link")
    return f"[{label}](<{link.url}>)" if link.url else label


def markdown(d: Digest) -> str:
    """The digest as Markdown (also the email's plain-text part)."""
    out = [f"# {md(d.title)}", "",
           f"{d.day.isoformat()} ({md(d.timezone)}): {d.counts['articles']} articles from "
           f"{d.counts['outlets']} outlets, {d.total_stories} stories, {len(d.disagreements)} numbers "
           "that disagree.", "", "## Top stories", ""]
    if not d.stories:
        out.append("No stories for this day.")
    for i, s in enumerate(d.stories, 1):
        extra = f"; {s.discrepancies} disagreement{'s' if s.discrepancies != 1 else ''}" if s.discrepancies else ""
        out.append(f"{i}. **{md(s.title)}** ({s.independent_reports} independent report"
                   f"{'s' if s.independent_reports != 1 else ''}: {md(', '.join(s.outlets))}{extra})")
        if s.what_happened:
            out.append(f"   {md(s.what_happened)}")
        for a in s.articles:
            out.append(f"   - {_md_link(a)} ({md(a.outlet)}{', ' + a.date if a.date else ''})")
        if s.more_articles:
            out.append(f"   - and {s.more_articles} more")
    out += ["", "## Numbers that disagree", ""]
    if not d.disagreements:
        out.append("No numbers disagreed this day.")
    for x in d.disagreements:
        out += [f"### {md(x.what)}", "",
                f"{md(x.kind)}; consensus: {md(x.consensus)}; story: {md(x.story_title)}", ""]
        for n, side in enumerate(x.sides, 1):
            out.append(f"- **Side {n}: {md(' / '.join(side.values))}**")
            for c in side.claims:
                out.append(f"  - {md(c.outlet)}: “{md(c.value)}” ({_md_link(c.link, 'source')})")
                if c.quote:
                    out.append(f"    > {md(c.quote)}")
        out.append("")
    out += ["## Reliability changes", ""]
    if d.reliability is None:
        out.append("Outlets are not scored yet.")
    elif not d.reliability:
        out.append("No outlet's score changed this day.")
    for r in d.reliability or []:
        before = f"{r.before:.2f} → " if r.before is not None else ""
        interval = f" ({r.interval})" if r.interval else ""
        out.append(f"- {md(r.outlet)}: {before}{r.after:.2f}{interval}")
    out += ["", "## Feeds that failed or went quiet", ""]
    if not d.feeds:
        out.append("Every feed was polled successfully and is publishing as usual.")
    for f in d.feeds:
        out.append(f"- **{f.problem}**: {md(f.outlet)} `{f.url.replace('`', '')}`: {md(f.detail)}")
    c = d.counts
    out += ["", "---", "",
            f"{c['articles']} articles · {c['outlets']} outlets · {d.total_stories} stories · "
            f"{c['claims']} claims · {len(d.disagreements)} disagreements · {c['fetch_errors']} fetch "
            f"errors · {c['feeds']} feeds watched"]
    return "\n".join(out) + "\n"


def _link_html(link: Link, text: str | None = None) -> Markup:
    label = escape(text or link.title or link.shown_url or "link")
    if link.url is None:
        return Markup('<span dir="auto">{}</span>').format(label)
    return Markup('<a href="{}" rel="nofollow noopener noreferrer" dir="auto">{}</a>').format(link.url, label)


def bar_chart(bars: Sequence[Bar], width: int = 400) -> Markup:
    """A bar chart as inline SVG: each label on its own line above its bar, so long outlet
    names fit a phone's width (labels escaped; colours follow the page's text)."""
    if not bars:
        return Markup("")
    row, pad = 40, 4
    top = max(b.value for b in bars) or 1.0
    height = row * len(bars) + pad
    parts = [Markup('<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {} {}" '
                    'width="{}" height="{}" font-size="14" font-family="sans-serif">').format(
        width, height, width, height)]
    for i, b in enumerate(bars):
        y = pad + i * row
        w = max(1.0, (width - 50) * b.value / top)
        label = b.label if len(b.label) <= 48 else b.label[:47] + "…"
        parts.append(Markup(
            '<text x="0" y="{}" fill="currentColor">{}</text>'
            '<rect x="0" y="{}" width="{:.1f}" height="14" fill="#4a7bd0"><title>{}: {}</title></rect>'
            '<text x="{:.1f}" y="{}" fill="currentColor">{}</text>').format(
            y + 13, label, y + 18, w, b.label, b.text, w + 6, y + 30, b.text))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def html_body(d: Digest) -> str:
    """The digest's content as an HTML fragment (the Atom entry's content)."""
    return _env.get_template("digest_body.html.j2").render(d=d, link=_link_html, chart=bar_chart(d.bars))


def html(d: Digest) -> str:
    """The digest as a standalone HTML page: no external assets, readable on a phone."""
    return _env.get_template("digest.html.j2").render(d=d, link=_link_html, chart=bar_chart(d.bars))


def atom(digests: Sequence[Digest], *, feed_id: str = "urn:newswatch:digest",
         written: dict[str, datetime] | None = None) -> str:
    """An Atom feed with one entry per digest (newest first): content is the HTML digest,
    the entry links to ``YYYY-MM-DD.html`` beside atom.xml. ``written`` gives each day's
    write time (the entry's updated); the default is the end of that day, or now if sooner."""
    fg = FeedGenerator()
    fg.id(feed_id)
    fg.title("newswatch daily digest")
    fg.subtitle("Stories, numbers that disagree and outlet reliability, once a day")
    fg.link(href="atom.xml", rel="self")
    fg.generator("newswatch")
    ordered = sorted(digests, key=lambda x: x.day, reverse=True)[:ATOM_ENTRIES]
    now = datetime.now(UTC).replace(microsecond=0)
    latest = None
    for d in reversed(ordered):  # feedgen prepends: add oldest first
        when = (written or {}).get(d.day.isoformat()) or min(now, datetime.combine(
            d.day, time(23, 59, 59), ZoneInfo(d.timezone)).astimezone(UTC))
        latest = max(latest, when) if latest else when
        fe = fg.add_entry()
        fe.id(f"{feed_id}:{d.day.isoformat()}")
        fe.title(f"{d.title}: {d.total_stories} stories, {len(d.disagreements)} numbers that disagree")
        fe.link(href=f"{d.day.isoformat()}.html", rel="alternate", type="text/html")
        fe.updated(when)
        fe.published(when)
        fe.content(html_body(d), type="html")
    fg.updated(latest or datetime.now(UTC))
    return fg.atom_str(pretty=True).decode("utf-8")


RENDERERS = {"markdown": markdown, "html": html}
