"""OPML import and export of the feed list (what every feed reader speaks).

Import reads ``<outline xmlUrl=...>`` elements at any depth; the outlet is the outline's own
``title``/``text`` unless it sits in a folder outline, whose name then groups the feeds of one
outlet. Export writes one folder per outlet.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

from .config import FeedConfig
from .errors import ConfigError


def read_opml(path: Path) -> list[FeedConfig]:
    try:
        tree = ET.parse(path)
    except (OSError, ET.ParseError) as exc:
        raise ConfigError(f"{path}: not a readable OPML file: {exc}") from None
    body = tree.getroot().find("body")
    if body is None:
        raise ConfigError(f"{path}: not an OPML file (no <body>)")
    feeds: list[FeedConfig] = []

    def walk(node: ET.Element, folder: str | None) -> None:
        for outline in node.findall("outline"):
            url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
            name = (outline.get("title") or outline.get("text") or "").strip()
            if url:
                if not url.lower().startswith(("http://", "https://")):
                    continue
                source = folder or name or url
                feeds.append(FeedConfig(url=url, source=source))
            else:
                walk(outline, name or folder)

    walk(body, None)
    if not feeds:
        raise ConfigError(f"{path}: no feeds (outline elements with an xmlUrl) found")
    return feeds


def write_opml(feeds: list[FeedConfig], title: str = "newswatch feeds") -> str:
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateCreated").text = datetime.now(UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")
    body = ET.SubElement(root, "body")
    by_source: dict[str, list[FeedConfig]] = {}
    for f in feeds:
        by_source.setdefault(f.source, []).append(f)
    for source, items in by_source.items():
        folder = ET.SubElement(body, "outline", text=source, title=source)
        for f in items:
            ET.SubElement(folder, "outline", type="rss", text=source, title=source, xmlUrl=f.url)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
