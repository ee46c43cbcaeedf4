"""A small news web on 127.0.0.1 serving the bundled sample corpus.

Why it exists: the product is judged on real pages fetched over HTTP, so the tests and
``newswatch demo`` must exercise the real fetch -> parse -> extract path, not a shortcut. This
module turns ``sample/manifest.yaml`` and ``sample/texts/*.txt`` into

* one HTML5 news page per article, rendered from one of three page templates (``classic``,
  ``magazine``, ``blog``) full of page furniture (cookie banner, navigation, related-stories
  sidebar with other numbers, newsletter box, share links, footer) that must never end up in
  extracted article text; every furniture phrase is listed in ``FURNITURE_MARKERS``;
* one RSS 2.0 or Atom 1.0 document per outlet feed, with full content when the feed says so and a
  few links carrying ``utm_*`` tracking parameters;
* ``/robots.txt`` (allow everything) and an index page at ``/``.

Every response carries a strong ETag (a hash of the body) and a Last-Modified date, and conditional
requests get ``304 Not Modified``. Tests can override any route with :meth:`SampleServer.set_route`
(a feed that returns 500 or garbage) and inspect :meth:`SampleServer.request_log`.

Standard library HTTP (``ThreadingHTTPServer`` in a daemon thread) plus Jinja2 and PyYAML; it is
test and demo scaffolding, not part of the pipeline, so it never touches the store.

Run ``python -m newswatch.sample_server`` to serve the sample until Ctrl-C.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import mimetypes
import re
import threading
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
import yaml
from markupsafe import Markup

SAMPLE_DIR = Path(__file__).parent / "sample"

# --- page furniture ---------------------------------------------------------------------------
# Phrases the page templates wrap around every article. Stored article text must contain none of
# them. They are chosen so that no sample article contains them (tests/test_sample_server.py checks).

COOKIE_MARKERS = [
    "We use cookies",
    "Accept all",
    "Manage preferences",
    "You can change your choices at any time from the privacy page",
    "improve your experience, measure performance and show you relevant offers",
    "to make this site work and to understand how it is used",
]
NEWSLETTER_MARKERS = [
    "Subscribe to our newsletter",
    "The Monday Briefing lands in 40,000 inboxes every week",
    "No spam. Unsubscribe at any time.",
    "Get the free daily briefing on chips, power and data centers",
    "Join 12,000 readers who get every new post by email",
]
RELATED_MARKERS = ["Related stories"]
SHARE_MARKERS = ["Share this article", "Copy link"]
COMMENT_MARKERS = [
    "Join the discussion",
    "Comments are moderated and may take a day to appear",
    "Post comment",
]
FOOTER_MARKERS = [
    "All rights reserved",
    "Advertise with us",
    "Privacy policy",
    "Terms of use",
    "Harborline Media Group",
    "1200 Harbor Boulevard, Suite 400, Oakland, CA 94607",
    "+1 (510) 555-0148",
    "Ledgerlight Publishing Ltd, 88 Wharf Road, London N1 7GR",
    "+44 20 7946 0321",
    "Proudly published with Quillpress",
    "PO Box 3318, Austin, TX 78764",
]

# Headlines of the related-stories sidebars: full of numbers that would poison claim extraction
# and clustering if they leaked into an article's text. Five per page, rotating.
SIDEBAR_HEADLINES = [
    "Meta signs 1.1 GW solar PPA in West Texas",
    "Nvidia ships 3.5 million GPUs in Q3",
    "Quebec caps new data center hookups at 500 MW",
    "Packaging crunch eases as CoWoS output rises 60%",
    "Dutch grid operator delays 2 GW of data center connections to 2029",
    "Vireo Networks adds 9 sites and 400 MW in a single quarter",
    "HBM4 yields reach 70%, memory supplier says",
    "Arizona utility proposes 15% rate rider for large loads",
    "Inference chip startup Tessellate raises $220m",
    "Japan earmarks ¥1.2 trillion for regional AI data centers",
    "Frontier lab's next cluster to need 5 GW by 2028",
    "Liquid cooling market to hit $14bn by 2030",
]

# The markers each page template is expected to render (tests assert they are all on the page).
TEMPLATE_MARKERS: dict[str, list[str]] = {
    "classic": [
        "We use cookies",
        "Accept all",
        "Manage preferences",
        "You can change your choices at any time from the privacy page",
        "Subscribe to our newsletter",
        "The Monday Briefing lands in 40,000 inboxes every week",
        "No spam. Unsubscribe at any time.",
        "Related stories",
        "Share this article",
        "All rights reserved",
        "Advertise with us",
        "Privacy policy",
        "Terms of use",
        "Harborline Media Group",
        "1200 Harbor Boulevard, Suite 400, Oakland, CA 94607",
        "+1 (510) 555-0148",
    ],
    "magazine": [
        "We use cookies",
        "Accept all",
        "Manage preferences",
        "improve your experience, measure performance and show you relevant offers",
        "Get the free daily briefing on chips, power and data centers",
        "Subscribe to our newsletter",
        "Related stories",
        "Share this article",
        "Copy link",
        "All rights reserved",
        "Advertise with us",
        "Privacy policy",
        "Terms of use",
        "Ledgerlight Publishing Ltd, 88 Wharf Road, London N1 7GR",
        "+44 20 7946 0321",
    ],
    "blog": [
        "We use cookies",
        "Accept all",
        "Manage preferences",
        "to make this site work and to understand how it is used",
        "Subscribe to our newsletter",
        "Join 12,000 readers who get every new post by email",
        "Related stories",
        "Join the discussion",
        "Comments are moderated and may take a day to appear",
        "Post comment",
        "All rights reserved",
        "Privacy policy",
        "Proudly published with Quillpress",
        "PO Box 3318, Austin, TX 78764",
    ],
}

FURNITURE_MARKERS: list[str] = list(
    dict.fromkeys(
        COOKIE_MARKERS
        + NEWSLETTER_MARKERS
        + RELATED_MARKERS
        + SHARE_MARKERS
        + COMMENT_MARKERS
        + FOOTER_MARKERS
        + SIDEBAR_HEADLINES
    )
)

NAV_MENUS: dict[str, list[str]] = {
    "classic": ["Home", "Data Centers", "Chips", "Power", "Cloud", "Policy", "Events"],
    "magazine": ["News", "Analysis", "Power & Grid", "Semiconductors", "Deals", "Podcasts"],
    "blog": ["Home", "About", "Archive", "Contact"],
}

SECTIONS = {
    "compute-deal": "AI Compute",
    "data-center-opening": "Data Centers",
    "power-deal": "Power",
    "financing": "Finance",
    "earnings": "Earnings",
}

CONTENT_TYPES = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "text": "text/plain; charset=utf-8",
}

TRACKING_QUERY = "utm_source=rss&utm_medium=feed&utm_campaign=newswatch-sample"
DEFAULT_INTERVAL = "30m"
# Last-Modified for things without a date of their own (undated pages, robots.txt, the index).
SAMPLE_EPOCH = datetime(2026, 5, 16, 6, 0, tzinfo=UTC)

# --- the manifest -----------------------------------------------------------------------------


def load_manifest(sample_dir: Path | None = None) -> dict[str, Any]:
    """Load and check the sample manifest, with each article's text loaded.

    Each article gains: ``text`` (the file's full content), ``body`` (the text the page shows:
    the file minus its headline or ``skip_lines`` leftovers), ``paragraphs`` (the non-empty body
    lines), ``blocks`` (the body as paragraphs, headings, lists and tables), ``outlet_name``,
    ``path`` (URL path on the server), ``summary`` and ``section``; ``published`` is normalised to
    ``YYYY-MM-DDTHH:MM:SSZ`` or None. Raises ValueError naming the problem when the manifest refers
    to something that does not exist, so a broken sample fails loudly rather than serving less.
    """
    sample_dir = Path(sample_dir) if sample_dir is not None else SAMPLE_DIR
    manifest_path = sample_dir / "manifest.yaml"
    data = yaml.safe_load(manifest_path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{manifest_path}: expected a mapping with outlets and articles")
    events: dict[str, Any] = data.get("events") or {}
    outlets: list[dict[str, Any]] = data.get("outlets") or []
    articles: list[dict[str, Any]] = data.get("articles") or []
    by_slug: dict[str, dict[str, Any]] = {}
    for outlet in outlets:
        for key in ("name", "slug", "domain", "feeds"):
            if not outlet.get(key):
                raise ValueError(f"{manifest_path}: outlet {outlet!r} lacks {key!r}")
        if outlet["slug"] in by_slug:
            raise ValueError(f"{manifest_path}: duplicate outlet slug {outlet['slug']!r}")
        outlet.setdefault("template", "classic")
        if outlet["template"] not in NAV_MENUS:
            raise ValueError(f"{manifest_path}: outlet {outlet['slug']}: unknown template")
        outlet.setdefault("tagline", f"{outlet['name']}: news on AI infrastructure")
        for feed in outlet["feeds"]:
            if feed.get("format") not in ("rss", "atom"):
                raise ValueError(f"{manifest_path}: feed {feed!r}: format must be rss or atom")
            feed["full_content"] = bool(feed.get("full_content", False))
            feed["path"] = f"/{outlet['slug']}/feeds/{feed['slug']}.xml"
        by_slug[outlet["slug"]] = outlet

    seen: set[str] = set()
    for index, article in enumerate(articles):
        slug = article.get("slug")
        if not slug or slug in seen:
            raise ValueError(f"{manifest_path}: article #{index} has a missing or duplicate slug")
        seen.add(slug)
        outlet = by_slug.get(article.get("outlet", ""))
        if outlet is None:
            raise ValueError(f"{manifest_path}: article {slug}: unknown outlet {article.get('outlet')!r}")
        feed_slugs = {feed["slug"] for feed in outlet["feeds"]}
        if not article.get("feeds") or not set(article["feeds"]) <= feed_slugs:
            raise ValueError(f"{manifest_path}: article {slug}: feeds {article.get('feeds')} not all in {sorted(feed_slugs)}")
        if article.get("event") not in events:
            raise ValueError(f"{manifest_path}: article {slug}: unknown event {article.get('event')!r}")
        text_path = sample_dir / "texts" / str(article.get("text_file"))
        if not text_path.is_file():
            raise ValueError(f"{manifest_path}: article {slug}: missing text file {text_path}")
        article["published"] = _normalise_time(article.get("published"), f"article {slug}")
        article.setdefault("author", None)
        article["errors"] = list(article.get("errors") or [])
        article["seed"] = bool(article.get("seed", False))
        article["tracking_params"] = bool(article.get("tracking_params", False))
        article["outlet_name"] = outlet["name"]
        article["section"] = SECTIONS.get(events[article["event"]].get("kind", ""), "AI Infrastructure")
        article["text"] = text_path.read_text(encoding="utf-8")
        article["body"] = _body_of(article["text"], article["title"], article.get("skip_lines"))
        article["paragraphs"] = [line.strip() for line in article["body"].splitlines() if line.strip()]
        article["blocks"] = text_to_blocks(article["body"])
        if not article.get("summary"):
            article["summary"] = summarise(article["paragraphs"])
        article["summary"] = " ".join(str(article["summary"]).split())
        article["path"] = _article_path(outlet, article)
        article["post_id"] = 4000 + index * 37
    return {
        "sample_dir": str(sample_dir),
        "events": events,
        "outlets": outlets,
        "articles": articles,
    }


def _normalise_time(value: Any, where: str) -> str | None:
    """YAML may hand back a datetime or a string; keep one spelling: ISO-8601 UTC with Z."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError as exc:
            raise ValueError(f"{where}: bad published time {value!r}") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _body_of(text: str, title: str, skip_lines: int | None) -> str:
    lines = text.splitlines()
    if skip_lines is None:
        skip_lines = 1 if lines and lines[0].strip() == str(title).strip() else 0
    return "\n".join(lines[skip_lines:]).strip("\n")


_BULLET = re.compile(r"^\s*(?:[-*\u2022])\s+(.*\S)\s*$")
_TABLE_RULE = re.compile(r"^\|[\s:|-]+\|?$")
_NO_HEADING_END = tuple(".!?:;,)\"'\u201d\u2019\u2026")


def text_to_blocks(body: str) -> list[dict[str, Any]]:
    """Turn plain article text into HTML-ish blocks: one paragraph per non-empty line.

    Lines starting with "-", "*" or "•" become list items, runs of "| a | b |" lines a table, and
    short title-like lines followed by more text a subheading, so copied web text (the seeds)
    gets the markup a real page would have had.
    """
    lines = [line.rstrip() for line in body.splitlines()]
    lines = [line for line in lines if line.strip()]
    blocks: list[dict[str, Any]] = []
    for position, line in enumerate(lines):
        bullet = _BULLET.match(line)
        stripped = line.strip()
        if bullet:
            if blocks and blocks[-1]["kind"] == "ul":
                blocks[-1]["items"].append(bullet.group(1))
            else:
                blocks.append({"kind": "ul", "items": [bullet.group(1)]})
        elif stripped.startswith("|"):
            if _TABLE_RULE.match(stripped):
                continue
            cells = [cell.strip() for cell in stripped.strip("|").split("|")]
            if blocks and blocks[-1]["kind"] == "table":
                blocks[-1]["rows"].append(cells)
            else:
                blocks.append({"kind": "table", "header": cells, "rows": []})
        elif (
            len(stripped) <= 90
            and len(stripped.split()) >= 2
            and not stripped.endswith(_NO_HEADING_END)
            and stripped[0].isupper()
            and not any(ch.isdigit() for ch in stripped)
            and position + 1 < len(lines)
        ):
            blocks.append({"kind": "h2", "text": stripped})
        else:
            blocks.append({"kind": "p", "text": stripped})
    return blocks


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"\u201c(])")


def summarise(paragraphs: list[str], limit: int = 320) -> str:
    """First sentence or two of the first real paragraph, as feeds put in their description."""
    for paragraph in paragraphs:
        if len(paragraph) < 60 or _BULLET.match(paragraph):
            continue
        summary = ""
        for sentence in _SENTENCE_END.split(paragraph):
            if summary and len(summary) + len(sentence) > limit:
                break
            summary = f"{summary} {sentence}".strip()
            if len(summary) >= 120:
                break
        return summary[:limit]
    return paragraphs[0][:limit] if paragraphs else ""


def _article_path(outlet: dict[str, Any], article: dict[str, Any]) -> str:
    """URL path in the style of the outlet's CMS, so links do not all look alike."""
    slug, prefix = article["slug"], f"/{outlet['slug']}"
    published = article["published"]
    template = outlet["template"]
    if template == "classic":
        if published:
            return f"{prefix}/news/{published[:4]}/{published[5:7]}/{published[8:10]}/{slug}.html"
        return f"{prefix}/news/{slug}.html"
    if template == "magazine":
        if published:
            return f"{prefix}/{published[:4]}/{published[5:7]}/{slug}/"
        return f"{prefix}/{slug}/"
    return f"{prefix}/p/{slug}"


# --- rendering --------------------------------------------------------------------------------


def _cdata(value: str) -> str:
    return Markup(str(value).replace("]]>", "]]]]><![CDATA[>"))


def _environment(sample_dir: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(sample_dir / "templates")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["cdata"] = _cdata
    return env


def _parse_iso(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _human(value: str, template: str) -> str:
    moment = _parse_iso(value)
    if template == "classic":
        return f"{moment.day} {moment:%B %Y}, {moment:%H:%M} UTC"
    return f"{moment:%B} {moment.day}, {moment:%Y}"


class _Route:
    """One canned response: status, body and headers, with its validators precomputed."""

    def __init__(self, status: int, body: bytes, content_type: str, last_modified: datetime,
                 headers: dict[str, str] | None = None) -> None:
        self.status = status
        self.body = body
        self.etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        self.last_modified = last_modified.replace(microsecond=0)
        self.headers = {"Content-Type": content_type}
        self.headers.update(headers or {})


class _Renderer:
    """Builds every route of the sample web once the server knows its own base URL."""

    def __init__(self, manifest: dict[str, Any], sample_dir: Path, base_url: str) -> None:
        self.manifest = manifest
        self.base_url = base_url
        self.env = _environment(sample_dir)
        self.outlets = {outlet["slug"]: outlet for outlet in manifest["outlets"]}

    def site(self, outlet: dict[str, Any]) -> dict[str, Any]:
        return {
            "name": outlet["name"],
            "slug": outlet["slug"],
            "domain": outlet["domain"],
            "tagline": outlet["tagline"],
            "home": f"{self.base_url}/{outlet['slug']}/",
            "feeds": [
                {
                    "slug": feed["slug"],
                    "url": self.base_url + feed["path"],
                    "content_type": "application/rss+xml" if feed["format"] == "rss" else "application/atom+xml",
                }
                for feed in outlet["feeds"]
            ],
        }

    def article_context(self, article: dict[str, Any], outlet: dict[str, Any]) -> dict[str, Any]:
        url = self.base_url + article["path"]
        published = article["published"]
        json_ld = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": article["title"],
            "url": url,
            "mainEntityOfPage": url,
            "publisher": {"@type": "Organization", "name": outlet["name"]},
        }
        if published:
            json_ld["datePublished"] = published
        if article["author"]:
            json_ld["author"] = {"@type": "Person", "name": article["author"]}
        return {
            "slug": article["slug"],
            "title": article["title"],
            "author": article["author"],
            "published": published,
            "published_human": _human(published, outlet["template"]) if published else None,
            "url": url,
            "summary": article["summary"],
            "section": article["section"],
            "blocks": article["blocks"],
            "post_id": article["post_id"],
            "json_ld": json.dumps(json_ld, ensure_ascii=False).replace("</", "<\\/"),
        }

    def page(self, index: int, article: dict[str, Any]) -> bytes:
        outlet = self.outlets[article["outlet"]]
        site = self.site(outlet)
        headlines = [SIDEBAR_HEADLINES[(index * 5 + k) % len(SIDEBAR_HEADLINES)] for k in range(5)]
        related = [
            {"title": title, "href": f"{site['home']}2026/04/{_slugify(title)}/"} for title in headlines
        ]
        nav = [
            {"label": label, "href": site["home"] if label in ("Home", "News") else f"{site['home']}{_slugify(label)}/"}
            for label in NAV_MENUS[outlet["template"]]
        ]
        template = self.env.get_template(f"{outlet['template']}.html.j2")
        html = template.render(
            site=site, nav=nav, related=related, article=self.article_context(article, outlet)
        )
        return html.encode("utf-8")

    def fragment(self, article: dict[str, Any]) -> str:
        template = self.env.get_template("fragment.html.j2")
        return template.render(article={"blocks": article["blocks"]}).strip()

    def feed(self, outlet: dict[str, Any], feed: dict[str, Any]) -> tuple[bytes, datetime]:
        articles = [
            article for article in self.manifest["articles"]
            if article["outlet"] == outlet["slug"] and feed["slug"] in article["feeds"]
        ]
        # Newest first, undated entries last, as feeds usually list them.
        articles.sort(key=lambda a: a["published"] or "", reverse=True)
        dates = [_parse_iso(a["published"]) for a in articles if a["published"]]
        updated = max(dates) if dates else SAMPLE_EPOCH
        entries = []
        for article in articles:
            url = self.base_url + article["path"]
            published = article["published"]
            entries.append({
                "slug": article["slug"],
                "title": article["title"],
                "url": url,
                "link": f"{url}?{TRACKING_QUERY}" if article["tracking_params"] else url,
                "author": article["author"],
                "published": published,
                "published_rfc822": format_datetime(_parse_iso(published), usegmt=True) if published else None,
                "section": article["section"],
                "summary": article["summary"],
                "html": self.fragment(article) if feed["full_content"] else "",
            })
        feed_context = {
            "slug": feed["slug"],
            "title": outlet["name"] if len(outlet["feeds"]) == 1 else f"{outlet['name']}: {feed['slug'].replace('-', ' ').title()}",
            "url": self.base_url + feed["path"],
            "full_content": feed["full_content"],
            "updated_iso": updated.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "updated_rfc822": format_datetime(updated, usegmt=True) if dates else None,
        }
        template = self.env.get_template(f"{feed['format']}.xml.j2")
        body = template.render(site=self.site(outlet), feed=feed_context, entries=entries)
        return body.encode("utf-8"), updated

    def index(self) -> bytes:
        env = jinja2.Environment(autoescape=True)
        template = env.from_string(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>newswatch sample</title></head>"
            "<body><h1>newswatch sample web</h1><h2>Feeds</h2><ul>"
            "{% for f in feeds %}<li><a href=\"{{ f.url }}\">{{ f.url }}</a> ({{ f.source }})</li>{% endfor %}"
            "</ul><h2>Articles</h2><ul>"
            "{% for a in articles %}<li><a href=\"{{ base }}{{ a.path }}\">{{ a.title }}</a> ({{ a.outlet_name }})</li>{% endfor %}"
            "</ul></body></html>"
        )
        feeds = [
            {"url": self.base_url + feed["path"], "source": outlet["name"]}
            for outlet in self.manifest["outlets"] for feed in outlet["feeds"]
        ]
        return template.render(feeds=feeds, articles=self.manifest["articles"], base=self.base_url).encode("utf-8")

    def routes(self) -> dict[str, _Route]:
        routes: dict[str, _Route] = {
            "/robots.txt": _Route(200, b"User-agent: *\nAllow: /\n", CONTENT_TYPES["text"], SAMPLE_EPOCH),
            "/": _Route(200, self.index(), CONTENT_TYPES["html"], SAMPLE_EPOCH),
        }
        for index, article in enumerate(self.manifest["articles"]):
            modified = _parse_iso(article["published"]) if article["published"] else SAMPLE_EPOCH
            routes[article["path"]] = _Route(200, self.page(index, article), CONTENT_TYPES["html"], modified)
        for outlet in self.manifest["outlets"]:
            for feed in outlet["feeds"]:
                body, updated = self.feed(outlet, feed)
                routes[feed["path"]] = _Route(200, body, CONTENT_TYPES[feed["format"]], updated)
        return routes


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


# --- the HTTP server --------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    server_version = "newswatch-sample/1.0"
    protocol_version = "HTTP/1.1"
    timeout = 10  # idle keep-alive connections close instead of holding a thread forever

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._serve(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve(send_body=False)

    def _serve(self, send_body: bool) -> None:
        owner: SampleServer = self.server.owner  # type: ignore[attr-defined]
        route = owner._lookup(urlsplit(self.path).path)
        if route is None:
            route = _Route(404, b"<!DOCTYPE html><title>Not found</title><h1>404 Not Found</h1>\n",
                           CONTENT_TYPES["html"], SAMPLE_EPOCH)
        status = route.status
        if status == 200 and self._not_modified(route):
            status = 304
        self.send_response(status)
        for name, value in route.headers.items():
            self.send_header(name, value)
        self.send_header("ETag", route.etag)
        self.send_header("Last-Modified", format_datetime(route.last_modified, usegmt=True))
        if status != 304:
            self.send_header("Content-Length", str(len(route.body)))
        self.end_headers()
        if send_body and status != 304:
            self.wfile.write(route.body)
        owner._log(self.command, self.path, status)

    def _not_modified(self, route: _Route) -> bool:
        """RFC 9110: If-None-Match wins over If-Modified-Since; weak comparison for GET."""
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            tags = [tag.strip() for tag in if_none_match.split(",")]
            return "*" in tags or any(tag.removeprefix("W/") == route.etag for tag in tags)
        if_modified_since = self.headers.get("If-Modified-Since")
        if if_modified_since:
            try:
                since = parsedate_to_datetime(if_modified_since)
            except (TypeError, ValueError, IndexError):
                return False
            if since.tzinfo is None:
                since = since.replace(tzinfo=UTC)
            return route.last_modified <= since
        return False

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - signature of the base class
        """Silent: tests and the demo must not print a line per request."""


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients hanging up mid-response are normal in tests; do not print tracebacks."""


class SampleServer:
    """Serve the bundled sample (or another sample directory) on a loopback port.

    Use as a context manager, or call start() and stop(). Port 0 picks a free port; base_url
    tells which. Example::

        with SampleServer() as server:
            server.write_config(tmp_path / "feeds.yaml", tmp_path / "news.db")
            ...  # run newswatch against it
    """

    def __init__(self, sample_dir: Path | None = None, host: str = "127.0.0.1", port: int = 0) -> None:
        self.sample_dir = Path(sample_dir) if sample_dir is not None else SAMPLE_DIR
        self.host = host
        self.port = port
        self.manifest = load_manifest(self.sample_dir)
        self._routes: dict[str, _Route] = {}
        self._overrides: dict[str, _Route] = {}
        self._log_entries: list[tuple[str, str, int]] = []
        self._lock = threading.Lock()
        self._httpd: _QuietServer | None = None
        self._thread: threading.Thread | None = None

    # lifecycle
    def start(self) -> SampleServer:
        if self._httpd is not None:
            return self
        httpd = _QuietServer((self.host, self.port), _Handler)
        httpd.owner = self  # type: ignore[attr-defined]
        self.port = httpd.server_address[1]
        self._httpd = httpd
        routes = _Renderer(self.manifest, self.sample_dir, self.base_url).routes()
        with self._lock:
            self._routes = routes
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="newswatch-sample-server", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    def __enter__(self) -> SampleServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # what it serves
    @property
    def base_url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("SampleServer is not running; call start() or use it as a context manager")
        host = self.host if ":" not in self.host else f"[{self.host}]"
        return f"http://{host}:{self.port}"

    def feeds(self) -> list[dict[str, str]]:
        """One entry per outlet feed, in the shape of feeds.yaml's `feeds:` list."""
        return [
            {"url": self.base_url + feed["path"], "source": outlet["name"], "interval": DEFAULT_INTERVAL}
            for outlet in self.manifest["outlets"]
            for feed in outlet["feeds"]
        ]

    def feed_url(self, outlet_slug: str, feed_slug: str) -> str:
        for outlet in self.manifest["outlets"]:
            for feed in outlet["feeds"]:
                if outlet["slug"] == outlet_slug and feed["slug"] == feed_slug:
                    return self.base_url + feed["path"]
        raise KeyError(f"no feed {feed_slug!r} for outlet {outlet_slug!r}")

    def article_urls(self) -> list[str]:
        """Canonical (tracking-free) URL of every article, in manifest order, each once."""
        return [self.base_url + article["path"] for article in self.manifest["articles"]]

    def article_url(self, slug: str) -> str:
        for article in self.manifest["articles"]:
            if article["slug"] == slug:
                return self.base_url + article["path"]
        raise KeyError(f"no article {slug!r}")

    def articles_by_url(self) -> dict[str, dict[str, Any]]:
        """Canonical URL -> manifest article (with its text), for checking what was stored."""
        return {self.base_url + article["path"]: article for article in self.manifest["articles"]}

    # test hooks
    def set_route(self, path: str, status: int = 200, body: bytes = b"", headers: dict | None = None) -> None:
        """Serve `body` with `status` at `path` from now on (overrides a generated route).

        `path` may be a full URL; only its path counts. The Content-Type of the route it replaces
        is kept unless `headers` sets one, so a feed that now returns garbage still claims to be
        a feed.
        """
        path = urlsplit(path).path or "/"
        with self._lock:
            previous = self._overrides.get(path) or self._routes.get(path)
        content_type = (
            previous.headers["Content-Type"] if previous is not None
            else mimetypes.guess_type(path)[0] or "application/octet-stream"
        )
        extra = dict(headers or {})
        for name in list(extra):
            if name.lower() == "content-type":
                content_type = extra.pop(name)
        route = _Route(status, bytes(body), content_type, datetime.now(UTC), extra)
        with self._lock:
            self._overrides[path] = route

    def clear_route(self, path: str) -> None:
        """Undo set_route for `path` (the generated route, if any, is served again)."""
        with self._lock:
            self._overrides.pop(urlsplit(path).path or "/", None)

    def request_log(self) -> list[tuple[str, str, int]]:
        """(method, path as requested including any query string, status) of every request."""
        with self._lock:
            return list(self._log_entries)

    def clear_request_log(self) -> None:
        with self._lock:
            self._log_entries.clear()

    def write_config(self, path: Path, database: Path) -> Path:
        """Write a feeds.yaml (CONTRACT format) for this server's feeds; returns its path."""
        path = Path(path)
        config = {
            "database": str(database),
            "fetch": {"allow_private": True},
            "feeds": self.feeds(),
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            "# Written by newswatch.sample_server for the bundled sample feeds.\n"
            + yaml.safe_dump(config, sort_keys=False, allow_unicode=True),
            encoding="utf-8",
        )
        return path

    # internals used by the handler
    def _lookup(self, path: str) -> _Route | None:
        with self._lock:
            return self._overrides.get(path) or self._routes.get(path)

    def _log(self, method: str, path: str, status: int) -> None:
        with self._lock:
            self._log_entries.append((method, path, status))


def main(argv: list[str] | None = None) -> int:
    """Serve the sample until Ctrl-C, printing the feed URLs (for trying newswatch by hand)."""
    parser = argparse.ArgumentParser(
        prog="python -m newswatch.sample_server",
        description="Serve the bundled newswatch sample feeds and pages on a local port.",
        epilog="Example: python -m newswatch.sample_server --port 8765 --write-config /tmp/feeds.yaml",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port (default 8765)")
    parser.add_argument("--sample-dir", type=Path, default=None, help="another sample directory")
    parser.add_argument("--write-config", type=Path, metavar="FEEDS_YAML",
                        help="also write a feeds.yaml pointing at this server")
    parser.add_argument("--database", type=Path, default=Path("data/sample.db"),
                        help="database named in the written config (default data/sample.db)")
    args = parser.parse_args(argv)
    try:
        server = SampleServer(args.sample_dir, host=args.host, port=args.port).start()
    except OSError as exc:
        parser.exit(1, f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}\n")
    try:
        print(f"Serving the newswatch sample at {server.base_url}/ (Ctrl-C to stop)")
        for feed in server.feeds():
            print(f"  {feed['url']}  ({feed['source']})")
        if args.write_config:
            written = server.write_config(args.write_config, args.database)
            print(f"Wrote {written}")
        threading.Event().wait()
    except KeyboardInterrupt:
        print("\nStopped.")
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
