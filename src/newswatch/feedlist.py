"""The feed list as users edit it: feeds.yaml changed in place (feeds add/remove/import) and
OPML import/export (what every feed reader speaks).

feeds.yaml edits work on the text, located with the composed YAML nodes' marks, so a user's
comments, ordering and layout survive (a round-trip through yaml.dump would drop them), and a
file is never written unless it reads back. OPML import reads ``<outline xmlUrl=...>`` at any
depth; a folder outline's name groups the feeds of one outlet. Export writes one folder per
outlet.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import yaml

from .config import DEFAULT_INTERVAL, FeedConfig, format_duration, parse_config
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


# --- feeds.yaml, edited in place ------------------------------------------------------------


def add_feeds_to_file(path: Path, feeds: list[FeedConfig]) -> int:
    """Append feeds to the ``feeds:`` list of the file (created when missing). Returns how many
    were new; feeds whose URL is already listed are skipped."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    cfg = parse_config(text, path)
    known = {f.url for f in cfg.feeds}
    new = [f for f in feeds if f.url not in known and not known.add(f.url)]  # type: ignore[func-returns-value]
    if not new:
        return 0
    root = yaml.compose(text, Loader=yaml.SafeLoader) if text.strip() else None
    seq = None
    if isinstance(root, yaml.MappingNode):
        for k, v in root.value:
            if k.value == "feeds":
                seq = v
    indent = "  "
    if isinstance(seq, yaml.SequenceNode) and seq.value:
        indent = " " * seq.value[0].start_mark.column
        if seq.flow_style:
            raise ConfigError(f"{path}, line {seq.start_mark.line + 1}, key 'feeds': "
                              "written in flow style [...]; edit it by hand")

    def block(f: FeedConfig, dash: str) -> str:
        pad = " " * len(dash)
        lines = [f"{dash}url: {_quote(f.url)}", f"{pad}source: {_quote(f.source)}"]
        if f.interval != DEFAULT_INTERVAL:
            lines.append(f"{pad}interval: {format_duration(f.interval)}")
        if f.kind != "outlet":
            lines.append(f"{pad}kind: {f.kind}")
        return "\n".join(lines) + "\n"

    dash = indent[:-2] + "- " if len(indent) >= 2 else "- "
    if isinstance(seq, yaml.SequenceNode) and seq.value:
        if seq.value[0].start_mark.column >= 2:
            dash = " " * (seq.value[0].start_mark.column - 2) + "- "
        else:
            dash = "- "
        insert_at = _end_of_line(text, _last_index(seq.value[-1]))
        addition = "".join(block(f, dash) for f in new)
        text = text[:insert_at] + addition + text[insert_at:]
    elif seq is not None:
        # "feeds:" present but empty: replace the empty value with a block list
        line_start = text.rfind("\n", 0, seq.start_mark.index) + 1
        line_end = text.find("\n", seq.start_mark.index)
        line_end = len(text) if line_end < 0 else line_end
        head = text[line_start:line_end].split(":", 1)[0]
        addition = "".join(block(f, "  - ") for f in new)
        text = text[:line_start] + head + ":\n" + addition + text[line_end + 1 :]
    else:
        if text and not text.endswith("\n"):
            text += "\n"
        text += "feeds:\n" + "".join(block(f, "  - ") for f in new)
    parse_config(text, path)  # never write a file we could not read back
    path.write_text(text, encoding="utf-8")
    return len(new)


def remove_feed_from_file(path: Path, url: str) -> bool:
    """Remove the feed with this URL from the file; False when it is not listed."""
    text = path.read_text(encoding="utf-8")
    parse_config(text, path)
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(root, yaml.MappingNode):
        return False
    for k, v in root.value:
        if k.value != "feeds" or not isinstance(v, yaml.SequenceNode):
            continue
        for item in v.value:
            if not isinstance(item, yaml.MappingNode):
                continue
            for ik, iv in item.value:
                if ik.value == "url" and str(iv.value).strip() == url:
                    if v.flow_style:
                        raise ConfigError(f"{path}, line {v.start_mark.line + 1}, key 'feeds': "
                                          "written in flow style [...]; edit it by hand")
                    start = text.rfind("\n", 0, item.start_mark.index) + 1
                    end = _end_of_line(text, _last_index(item))
                    text = text[:start] + text[end:]
                    parse_config(text, path)
                    path.write_text(text, encoding="utf-8")
                    return True
    return False


def _last_index(node: yaml.Node) -> int:
    """Index just past the last scalar of a node: block nodes' own end marks run on over the
    comments and blank lines that follow them, which belong to the next item."""
    if isinstance(node, yaml.ScalarNode):
        return node.end_mark.index
    children: list[yaml.Node] = []
    if isinstance(node, yaml.MappingNode):
        children = [n for pair in node.value for n in pair]
    elif isinstance(node, yaml.SequenceNode):
        children = list(node.value)
    return max((_last_index(c) for c in children), default=node.end_mark.index)


def _end_of_line(text: str, index: int) -> int:
    nl = text.find("\n", index)
    return len(text) if nl < 0 else nl + 1


def _quote(value: str) -> str:
    """YAML-quote a value only when it needs it."""
    dumped = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10_000).strip()
    return dumped.removesuffix("\n...").strip()
