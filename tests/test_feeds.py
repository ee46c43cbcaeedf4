"""Feed parsing: canonical URLs, UTC times, full content, bad input."""

import pytest

from newswatch.errors import FeedError
from newswatch.ingest.feeds import canonical_url, parse_feed


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("https://Example.COM/a/b?utm_source=rss&utm_medium=feed", "https://example.com/a/b"),
        ("https://example.com/a?id=3&utm_campaign=x#comments", "https://example.com/a?id=3"),
        ("https://example.com:443/a?b=2&a=1", "https://example.com/a?a=1&b=2"),
        ("https://example.com/a?fbclid=abc&gclid=1", "https://example.com/a"),
        ("http://example.com", "http://example.com/"),
    ],
)
def test_canonical_url(raw: str, canonical: str) -> None:
    assert canonical_url(raw) == canonical


def test_canonical_url_resolves_relative_and_rejects_other_schemes() -> None:
    assert canonical_url("/news/1?utm_source=x", "https://site.example/feed") == "https://site.example/news/1"
    with pytest.raises(ValueError):
        canonical_url("mailto:x@example.com")


RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Grid &amp; Compute</title><link>https://gc.example/</link><ttl>60</ttl>
<item><title>Big &lt;b&gt;campus&lt;/b&gt;</title><link>https://gc.example/a1?utm_source=rss</link>
<guid isPermaLink="false">gc-1</guid><pubDate>Thu, 14 May 2026 09:30:00 -0500</pubDate>
<description>&lt;p&gt;Short summary.&lt;/p&gt;</description>
<content:encoded><![CDATA[<p>First paragraph of the body.</p><p>Second paragraph.</p>]]></content:encoded></item>
<item><title>No link</title><description>x</description></item>
<item><title>Dup</title><link>https://gc.example/a1</link></item>
<item><title>Relative</title><link>/a2</link><guid>https://gc.example/a2</guid></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Rack Report</title><id>urn:rr</id>
<updated>2026-05-10T00:00:00Z</updated>
<entry><title>Entry</title><id>urn:rr:1</id><link rel="alternate" href="https://rr.example/e1"/>
<updated>2026-05-10T12:00:00+02:00</updated><author><name>Ana Ruiz</name></author>
<summary>Sum.</summary><content type="html">&lt;p&gt;Full body here.&lt;/p&gt;</content></entry>
</feed>"""


def test_parse_rss() -> None:
    feed = parse_feed(RSS, "https://gc.example/feed.xml", {"content-type": "application/rss+xml"})
    assert feed.title == "Grid & Compute"
    assert feed.ttl_seconds == 3600
    assert [e.url for e in feed.entries] == ["https://gc.example/a1", "https://gc.example/a2"]
    first = feed.entries[0]
    assert first.guid == "gc-1"
    assert first.published == "2026-05-14T14:30:00Z"  # converted to UTC, not local time
    assert first.title == "Big campus"
    assert first.summary == "Short summary."
    assert "Second paragraph" in first.content_html
    assert feed.skipped == 1


def test_parse_atom() -> None:
    feed = parse_feed(ATOM, "https://rr.example/atom", {})
    (e,) = feed.entries
    assert e.url == "https://rr.example/e1"
    assert e.published == "2026-05-10T10:00:00Z"
    assert e.author == "Ana Ruiz"
    assert "Full body" in e.content_html


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "empty"),
        (b"<!DOCTYPE html><html><body><p>Hello</p></body></html>", "HTML page"),
        (b"\x00\x01garbage\xff\xfe", "not a feed"),
        (b"<rss><channel><item><title>broken", "broken feed"),
    ],
)
def test_not_a_feed(body: bytes, reason: str) -> None:
    with pytest.raises(FeedError, match=reason):
        parse_feed(body, "https://x.example/feed", {})


def test_bozo_with_entries_is_a_warning() -> None:
    body = RSS.replace(b'encoding="utf-8"', b'encoding="us-ascii"').replace(b"Short summary", "Caf\u00e9".encode())
    feed = parse_feed(body, "https://gc.example/feed.xml", {})
    assert len(feed.entries) == 2
