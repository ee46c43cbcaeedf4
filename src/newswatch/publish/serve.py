"""`newswatch serve`: Datasette over the live store, with the bundled metadata and canned queries.

Datasette is pinned to 0.65.x: 0.65 reads table descriptions, facets and canned queries from
one metadata file (``datasette/metadata.json``), while the 1.0 alphas moved canned queries and
settings into a separate ``datasette.yaml``. The metadata is keyed by database name, which
Datasette takes from the file name, so it is re-keyed here; facets and sort orders naming
columns a later migration has not added yet are dropped, so the same metadata works before and
after.

Read-only, not immutable: the daemon keeps writing, so the file must not be opened with
``immutable=1`` (SQLite would then never see new data). Datasette opens its read connections
with ``mode=ro``; the ``prepare_connection`` hook below also sets ``PRAGMA query_only`` on
every connection it makes to the store, so no canned query or plugin can write either.

No third-party plugins: the HTML digest already has the chart and the Atom feed. Small hooks
here earn their place instead: ids in views and canned queries link to the row pages
(stories <-> articles <-> claims <-> discrepancies), search snippets are highlighted, and
bidirectional-override characters in stored text are shown as [U+202E] rather than obeyed.
"""

from __future__ import annotations

import copy
import json
import sys
import tempfile
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from datasette import hookimpl
from markupsafe import Markup, escape

from .digest import BIDI_CONTROLS

MATCH_START, MATCH_END = "\ue000", "\ue001"  # snippet() markers (char(57344), char(57345))
VIEWS = {"story_overview", "discrepancy_overview", "source_leaderboard", "failing_feeds"}
ID_LINKS = {"story_id": "stories", "article_id": "articles", "claim_id": "claims",
            "discrepancy_id": "discrepancies", "source_id": "sources", "feed_id": "feeds"}

_served: set[str] = set()  # the database names this process serves (the hooks touch only those)


def load_metadata() -> dict[str, Any]:
    text = resources.files("newswatch.publish").joinpath("datasette/metadata.json").read_text("utf-8")
    return json.loads(text)


def metadata_for(db_name: str, schema: Mapping[str, set[str]]) -> dict[str, Any]:
    """The bundled metadata for a database called ``db_name`` whose tables and views have the
    given columns: facets, sorts, FTS and column notes on missing columns or tables dropped."""
    meta = copy.deepcopy(load_metadata())
    db = meta["databases"].pop("newswatch")
    tables = {}
    for name, info in db["tables"].items():
        cols = schema.get(name)
        if cols is None:
            continue
        if "facets" in info:
            info["facets"] = [f for f in info["facets"] if f in cols]
        for key in ("sort", "sort_desc", "label_column"):
            if key in info and info[key] not in cols:
                del info[key]
        if "columns" in info:
            info["columns"] = {c: d for c, d in info["columns"].items() if c in cols}
        if "fts_table" in info and info["fts_table"] not in schema:
            del info["fts_table"], info["fts_pk"]
        tables[name] = info
    db["tables"] = tables
    meta["databases"][db_name] = db
    return meta


def render_match(value: str) -> Markup:
    """An FTS snippet with its markers as <mark>: the text is escaped first, so only the two
    tags this function writes are markup."""
    text = str(escape(value))
    return Markup(text.replace(MATCH_START, "<mark>").replace(MATCH_END, "</mark>"))


# The in-process Datasette plugin: this module registers itself in ``serve``.


@hookimpl
def prepare_connection(conn: Any, database: str, datasette: Any) -> None:
    if database in _served:
        conn.execute("PRAGMA query_only = 1")


@hookimpl
def render_cell(value: Any, column: str, table: str | None, database: str, datasette: Any) -> Any:
    if database not in _served:
        return None
    if column == "match" and table is None and isinstance(value, str) and MATCH_START in value:
        return render_match(value)
    if isinstance(value, str) and BIDI_CONTROLS.search(value):
        # a right-to-left override in a headline would reverse what follows it on screen
        return BIDI_CONTROLS.sub(lambda m: f"[U+{ord(m.group()):04X}]", value)
    target = ID_LINKS.get(column)
    if target and (table is None or table in VIEWS) and isinstance(value, int):
        href = f"{datasette.urls.table(database, target)}/{value}"
        return Markup('<a href="{}">{}</a>').format(href, value)
    return None


def serve(db_path: Path, schema: Mapping[str, set[str]], *, host: str = "127.0.0.1", port: int = 8001,
          open_browser: bool = False) -> None:
    """Run Datasette on ``db_path`` until interrupted."""
    from datasette import cli, handle_exception
    from datasette.plugins import pm

    handle_exception.rich = None  # a refused query is one log line, not a screen of locals

    db_name = db_path.stem
    _served.add(db_name)
    plugin = sys.modules[__name__]
    if not pm.is_registered(plugin):
        pm.register(plugin, name="newswatch")
    with tempfile.TemporaryDirectory(prefix="newswatch-serve-") as tmp:
        meta_path = Path(tmp) / "metadata.json"
        meta_path.write_text(json.dumps(metadata_for(db_name, schema)), encoding="utf-8")
        args = [str(db_path), "--metadata", str(meta_path), "--host", host, "--port", str(port),
                "--setting", "sql_time_limit_ms", "5000", "--setting", "facet_time_limit_ms", "500"]
        if open_browser:
            args.append("--open")
        print(f"serving {db_path} at http://{host}:{port}/ (read-only; Ctrl-C stops)", file=sys.stderr)
        cli.serve.main(args, prog_name="newswatch serve", standalone_mode=False)
