"""The command line: thin click commands over config, store and pipeline.

Errors a user can cause (a bad config, a missing file, an unknown id) print one line on stderr
and exit 1; nothing a user does should show a traceback (``--debug`` shows it when wanted).
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from . import __version__
from .config import Config, FeedConfig, feed_url_problem, load_config, parse_duration
from .errors import NewswatchError
from .feedlist import add_feeds_to_file, read_opml, remove_feed_from_file, write_opml
from .publish import terminal

log = logging.getLogger("newswatch")


class App:
    """What every command needs, created lazily so `--help` never touches config or database."""

    def __init__(self, config_path: str | None, db: str | None, debug: bool) -> None:
        self.config_path = config_path
        self.db = db
        self.debug = debug
        self._config: Config | None = None
        self._store: Any = None

    @property
    def config(self) -> Config:
        if self._config is None:
            self._config = load_config(self.config_path, self.db)
        return self._config

    def config_file(self) -> Path:
        """The feeds.yaml that `feeds add/remove/import` edit (created when missing)."""
        import os

        return Path(self.config_path or os.environ.get("NEWSWATCH_CONFIG") or "feeds.yaml")

    @property
    def store(self) -> Any:
        if self._store is None:
            from .store import Store

            self._store = Store(self.config.database)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


class Group(click.Group):
    """Turns NewswatchError (and any other failure) into one line on stderr."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NewswatchError as exc:
            if ctx.obj and ctx.obj.debug:
                raise
            click.echo(f"newswatch: error: {exc}", err=True)
            sys.exit(1)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("newswatch: interrupted", err=True)
            sys.exit(130)
        except Exception as exc:  # noqa: BLE001 - last resort: one line, not a traceback
            if ctx.obj and ctx.obj.debug:
                raise
            click.echo(f"newswatch: internal error: {type(exc).__name__}: {exc} (rerun with --debug for details)",
                       err=True)
            sys.exit(2)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", "config_path", type=click.Path(dir_okay=False), envvar="NEWSWATCH_CONFIG",
              help="feeds.yaml to use (default ./feeds.yaml; env NEWSWATCH_CONFIG).")
@click.option("--db", type=click.Path(dir_okay=False), envvar="NEWSWATCH_DB",
              help="SQLite database (default: `database` in the config; env NEWSWATCH_DB).")
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-v info, -vv debug).")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.version_option(__version__, prog_name="newswatch")
@click.pass_context
def main(ctx: click.Context, config_path: str | None, db: str | None, verbose: int, debug: bool) -> None:
    """newswatch: watch AI-infrastructure news, group reports of one event into stories,
    extract their numeric claims and show where outlets disagree.

    \b
    Example:
        newswatch --config feeds.yaml run --once
        newswatch stories
    """
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    if verbose < 2:
        for noisy in ("httpx", "httpcore", "trafilatura", "htmldate", "courlan", "sentence_transformers",
                      "apscheduler"):
            logging.getLogger(noisy).setLevel(logging.WARNING)
    ctx.obj = App(config_path, db, debug)
    ctx.call_on_close(ctx.obj.close)


def _print_counts(counts: dict[str, Any]) -> None:
    click.echo(terminal.counts(counts), nl=False)
    click.echo(terminal.errors(counts.get("errors", [])), nl=False, err=True)


def _fetcher(app: App) -> Any:
    from .ingest.fetch import Fetcher

    return Fetcher(app.config.fetch)


@contextmanager
def _writing(app: App, command: str) -> Iterator[None]:
    """Hold the database's single-writer lock (the daemon's) while a one-off command writes:
    two processes placing the same pending articles would count them in two stories."""
    from .lock import instance_lock

    with instance_lock(app.config.database, role=command):
        yield


@main.command()
@click.option("--once", is_flag=True, help="Fetch due feeds and process once, then exit.")
@click.option("--all", "force", is_flag=True, help="With --once: poll every feed, due or not.")
@click.pass_obj
def run(app: App, once: bool, force: bool) -> None:
    """Run the pipeline: once (--once), or as a daemon polling on schedule.

    \b
    Example:
        newswatch --config feeds.yaml run --once
    """
    from .pipeline import run_once

    if not once:
        from .daemon import run_daemon

        run_daemon(app.config)  # opens the store itself, after taking the single-instance lock
        return
    if not app.config.feeds and app.store.count("articles") == 0:
        raise NewswatchError("no feeds configured and nothing stored: add feeds with `newswatch feeds add URL --source NAME`")
    with _writing(app, "run --once"), _fetcher(app) as fetcher:
        counts = run_once(app.store, app.config, fetcher, force=force)
    _print_counts(counts)
    fetched = counts["fetch"]
    if fetched["polled"] and fetched["failed"] == fetched["polled"] and not counts["extract"]["extracted"]:
        raise NewswatchError(f"all {fetched['polled']} feeds failed and nothing was pending")


@main.command()
@click.option("--all", "force", is_flag=True, help="Poll every feed, due or not.")
@click.pass_obj
def fetch(app: App, force: bool) -> None:
    """Poll the feeds that are due and store new entries (no processing).

    \b
    Example:
        newswatch fetch --all
    """
    from .pipeline import fetch_feeds

    if not app.config.feeds:
        raise NewswatchError("no feeds configured: add one with `newswatch feeds add URL --source NAME`")
    with _writing(app, "fetch"), _fetcher(app) as fetcher:
        report = fetch_feeds(app.store, app.config, fetcher, force=force)
    _print_counts({"fetch": report.as_dict(), "errors": report.errors})
    if report.polled and report.failed == report.polled:
        raise NewswatchError(f"all {report.polled} feeds failed")


@main.command()
@click.option("--stage", "stages", multiple=True, metavar="NAME",
              help="Run only this stage (repeatable): extract, embed, place, regroup, summarise, claims, "
                   "reliability.")
@click.pass_obj
def process(app: App, stages: tuple[str, ...]) -> None:
    """Process everything pending: extract article text, then the later stages in order.

    \b
    Example:
        newswatch process
        newswatch process --stage summarise
    """
    from .pipeline import process as run_process

    with _writing(app, "process"), _fetcher(app) as fetcher:
        counts = run_process(app.store, app.config, fetcher, only=stages or None)
    _print_counts(counts)


INGEST_SUFFIXES = (".txt", ".text", ".md", ".html", ".htm", ".xhtml")


def _ingest_paths(paths: tuple[Path, ...], recursive: bool) -> list[Path]:
    """The files to ingest: a directory is refused by name, or with --recursive read for its text
    and HTML files (sorted, so the order of storing is the same every time)."""
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            if not recursive:
                raise NewswatchError(f"{p} is a directory (use --recursive to ingest its files)")
            files += sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in INGEST_SUFFIXES)
        elif p.is_file():
            files.append(p)
        elif p.exists():
            raise NewswatchError(f"{p} is not a regular file")
        else:
            raise NewswatchError(f"no such file: {p}")
    if not files:
        raise NewswatchError(f"no text or HTML files ({', '.join(INGEST_SUFFIXES)}) under {', '.join(map(str, paths))}")
    return files


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--source", required=True, help="The outlet these articles belong to.")
@click.option("--recursive", "-r", is_flag=True, help="Ingest the text and HTML files inside directories.")
@click.pass_obj
def ingest(app: App, paths: tuple[Path, ...], source: str, recursive: bool) -> None:
    """Add local HTML or text files as articles of an outlet.

    Text files: first line is the headline, the rest the body. Files that are not text (images,
    PDFs, archives, binary data) are refused with the reason.

    \b
    Example:
        newswatch ingest saved/*.html --source "The Register"
        newswatch ingest --recursive saved/ --source "The Register"
    """
    from .ingest.stage import ingest_files

    files = _ingest_paths(paths, recursive)
    with _writing(app, "ingest"):
        results = ingest_files(app.store, files, source)
    stored = 0
    for path, article_id, note in results:
        if article_id is None:
            click.echo(f"skipped {path}: {note}", err=True)
        else:
            stored += 1
            click.echo(f"stored {path} as article {article_id} ({note})")
    if stored == 0:
        raise NewswatchError("no file could be stored")


@main.command()
@click.option("--runs", "limit", default=15, show_default=True, help="How many of the latest runs to show.")
@click.pass_obj
def status(app: App, limit: int) -> None:
    """Show whether the daemon is running, its latest runs and the failing feeds.

    \b
    Example:
        newswatch status --runs 30
    """
    from .lock import lock_holder
    from .store import utcnow

    if not app.config.database.exists():
        raise NewswatchError(f"no database at {app.config.database} yet: run `newswatch run --once` "
                             "or start the daemon with `newswatch run`")
    click.echo(terminal.status(database=app.config.database, holder=lock_holder(app.config.database),
                               feeds_configured=len(app.config.feeds), now=utcnow(),
                               **app.store.status_rows(limit)), nl=False)


@main.command()
@click.pass_obj
def sources(app: App) -> None:
    """List the outlets by reliability: ranked by the lower bound of the 90 % interval of their
    score, with its mean and the claims checked, agreed and disagreed. Fewer than 5 checked
    claims reads "not enough evidence"; an outlet never checked, "not scored yet".

    \b
    Example:
        newswatch sources
        newswatch show-source "The Register"
    """
    rows = _existing_store(app).source_rows()
    if not rows:
        click.echo("no sources yet: run `newswatch run --once` first", err=True)
        return
    click.echo(terminal.sources(rows), nl=False)


@main.command("show-source")
@click.argument("name")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 1000),
              help="How many claims to show on each side.")
@click.pass_obj
def show_source(app: App, name: str, limit: int) -> None:
    """Explain an outlet's score: its reliability, interval and evidence, the claims that
    lowered it (each with its value as written, the consensus of its group, the other
    outlets' values, the quote and the link) and the claims that raised it.

    \b
    Example:
        newswatch show-source "Grid Watch"
        newswatch show-source "Grid Watch" --limit 30
    """
    store = _existing_store(app)
    row = store.source_by_name(name)
    if row is None:
        raise NewswatchError(f"no outlet called {name!r}: list them with `newswatch sources`")
    sid = row["source_id"]
    click.echo(terminal.source_detail(row, store.source_checks(sid, lowered=True, limit=limit),
                                      store.source_checks(sid, lowered=False, limit=limit)), nl=False)


@main.command()
@click.option("--limit", default=20, show_default=True, help="How many stories to show.")
@click.pass_obj
def stories(app: App, limit: int) -> None:
    """List recent stories: id, title, first/last seen, outlets and independent reports.

    \b
    Example:
        newswatch stories --limit 50
    """
    rows = app.store.recent_stories(limit)
    if not rows:
        click.echo("no stories yet: run `newswatch run --once` first", err=True)
        return
    click.echo(terminal.stories(rows), nl=False)


@main.command()
@click.argument("story_id", type=int)
@click.pass_obj
def show(app: App, story_id: int) -> None:
    """Show one story's articles (outlet, date, link), where their numbers disagree (each
    discrepancy's kind and every side with the values as written, outlets, quotes, links and the
    side most independent reports take) and the groups of claims about the same figure.

    \b
    Example:
        newswatch show 12
    """
    story = app.store.story(story_id)
    if story is None:
        raise NewswatchError(f"no story {story_id}: list them with `newswatch stories`")
    merged = (story_id, story["merged_into"]) if story.get("merged_into") else None
    while story.get("merged_into"):
        story = app.store.story(story["merged_into"]) or {}
    story_id = story["id"]
    click.echo(terminal.story(story, app.store.story_articles(story_id), app.store.story_moves_out(story_id),
                              merged=merged), nl=False)
    click.echo("")
    click.echo(terminal.story_claims(app.store.story_groups(story_id), app.store.story_discrepancies(story_id)))


def _existing_store(app: App) -> Any:
    """The store for a reading command: a database that does not exist is an error (one line,
    exit 1), never silently created empty."""
    if not app.config.database.exists():
        raise NewswatchError(f"no database at {app.config.database}: run `newswatch run --once` first "
                             "(or point --db / NEWSWATCH_DB at one)")
    return app.store


@main.command()
@click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="The day (YYYY-MM-DD) in digest.timezone; default yesterday.")
@click.option("--format", "fmt", type=click.Choice(["markdown", "html", "atom"]), default="markdown",
              show_default=True, help="markdown, a standalone html page, or the atom feed of recent digests.")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of stdout.")
@click.pass_obj
def digest(app: App, day: Any, fmt: str, output: Path | None) -> None:
    """Write the digest of a day: its top stories, the numbers that disagree, reliability
    changes and failing feeds.

    \b
    Example:
        newswatch digest --date 2026-05-14 --format html --output digest.html
    """
    from .publish.stage import render_digest, yesterday

    tz = app.config.digest.timezone
    text = render_digest(_existing_store(app), day.date() if day else yesterday(tz), tz, fmt)
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise NewswatchError(f"cannot write {output}: {exc.strerror or exc}") from None
    click.echo(f"wrote {output}", err=True)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 exposes the store to your network).")
@click.option("--port", default=8001, show_default=True, type=click.IntRange(0, 65535), help="Port (0: any free one).")
@click.option("--open", "open_browser", is_flag=True, help="Open it in your web browser.")
@click.pass_obj
def serve(app: App, host: str, port: int, open_browser: bool) -> None:
    """Browse the store in Datasette, read-only, with canned queries (numbers that disagree on
    a day, outlet leaderboard, a story's timeline, failing feeds, an outlet's claims, search).

    \b
    Example:
        newswatch serve --open
    """
    from .publish.serve import serve as run_datasette

    schema = _existing_store(app).schema()  # opening it brings migrations and views up to date
    app.close()
    app._store = None
    run_datasette(app.config.database, schema, host=host, port=port, open_browser=open_browser)


@main.group()
def db() -> None:
    """The store itself.

    \b
    Example:
        datasette "$(newswatch db path)"
    """


@db.command("path")
@click.pass_obj
def db_path(app: App) -> None:
    """Print the path of the SQLite store.

    \b
    Example:
        datasette "$(newswatch db path)"
    """
    click.echo(str(app.config.database.resolve()))


# --- feeds -----------------------------------------------------------------------------------


@main.group()
def feeds() -> None:
    """Manage the feeds listed in feeds.yaml.

    \b
    Example:
        newswatch feeds add https://example.com/feed.xml --source "Example News"
    """


def _tell_daemon(app: App) -> None:
    """A daemon running on this database reloads its config on SIGHUP: send it, so a feed
    added or removed takes effect without a restart."""
    import signal

    from .lock import daemon_pid

    pid = daemon_pid(app.config.database)
    if not pid or pid < 0:
        return
    try:
        os.kill(pid, signal.SIGHUP)
    except OSError as exc:
        click.echo(f"could not tell the daemon (pid {pid}) to reload: {exc.strerror}; "
                   "restart it to apply", err=True)
        return
    click.echo(f"told the running daemon (pid {pid}) to reload its config")


@feeds.command("list")
@click.pass_obj
def feeds_list(app: App) -> None:
    """List configured feeds with their outlet, interval and last poll.

    \b
    Example:
        newswatch feeds list
    """
    cfg = app.config
    state = {row["url"]: row for row in app.store.feed_rows()} if cfg.database.exists() else {}
    if not cfg.feeds:
        click.echo("no feeds configured", err=True)
        return
    click.echo(terminal.feeds(cfg.feeds, state), nl=False)


@feeds.command("add")
@click.argument("url")
@click.option("--source", required=True, help="The outlet (several feeds may share one).")
@click.option("--interval", default="30m", show_default=True, help="Poll interval: 90s, 30m, 2h.")
@click.pass_obj
def feeds_add(app: App, url: str, source: str, interval: str) -> None:
    """Add a feed to feeds.yaml.

    \b
    Example:
        newswatch feeds add https://www.theregister.com/data_centre/headlines.atom --source "The Register"
    """
    try:
        seconds = parse_duration(interval)
    except ValueError:
        raise click.BadParameter(f"expected a duration like 30m, got {interval!r}", param_hint="--interval") from None
    problem = feed_url_problem(url.strip())
    if problem:
        raise NewswatchError(f"feeds add: the URL argument: {problem}")
    if not source.strip():
        raise NewswatchError("feeds add: --source is empty: name the outlet this feed belongs to")
    path = app.config_file()
    added = add_feeds_to_file(path, [FeedConfig(url=url.strip(), source=source.strip(), interval=seconds)])
    if not added:
        raise NewswatchError(f"{url} is already in {path}")
    click.echo(f"added {url} ({source}) to {path}")
    _tell_daemon(app)


@feeds.command("remove")
@click.argument("url")
@click.pass_obj
def feeds_remove(app: App, url: str) -> None:
    """Remove a feed from feeds.yaml (its stored articles stay).

    \b
    Example:
        newswatch feeds remove https://example.com/feed.xml
    """
    path = app.config_file()
    if not path.exists():
        raise NewswatchError(f"{path}: config file not found")
    if not remove_feed_from_file(path, url.strip()):
        raise NewswatchError(f"{url} is not in {path}")
    click.echo(f"removed {url} from {path}")
    _tell_daemon(app)


@feeds.command("import")
@click.argument("opml_file", type=click.Path(path_type=Path))
@click.pass_obj
def feeds_import(app: App, opml_file: Path) -> None:
    """Add the feeds of an OPML file to feeds.yaml (known URLs are skipped).

    \b
    Example:
        newswatch feeds import subscriptions.opml
    """
    if not opml_file.is_file():
        raise NewswatchError(f"no such file: {opml_file}")
    found = []
    for feed in read_opml(opml_file):
        problem = feed_url_problem(feed.url)
        if problem:  # reported against the OPML file, not a line of feeds.yaml
            click.echo(f"skipped a feed of {opml_file} ({feed.source}): {problem}", err=True)
        else:
            found.append(feed)
    path = app.config_file()
    added = add_feeds_to_file(path, found)
    click.echo(f"imported {added} new feeds of {len(found)} into {path}")
    if added:
        _tell_daemon(app)


@feeds.command("export")
@click.pass_obj
def feeds_export(app: App) -> None:
    """Print the configured feeds as OPML.

    \b
    Example:
        newswatch feeds export > feeds.opml
    """
    click.echo(write_opml(app.config.feeds), nl=False)


# --- claims ----------------------------------------------------------------------------------


def _claims_json_of(text: str) -> list[dict[str, Any]]:
    from .claims.frames import extract_claims

    return terminal.claims_json(extract_claims(text))


def _line_text(line: str) -> str:
    """A --jsonl input line: plain text, a JSON string, or a JSON object with a "text" key."""
    stripped = line.strip()
    if stripped[:1] in ('"', "{"):
        import json

        try:
            value = json.loads(stripped)
        except ValueError:
            return line
        if isinstance(value, str):
            return value
        if isinstance(value, dict) and isinstance(value.get("text"), str):
            return value["text"]
    return line


MAX_CLAIMS_TEXT = 200_000  # characters read at once: a long article is a tenth of this
MAX_CLAIMS_LINE = 50_000  # characters in one --jsonl line; longer lines are skipped with a note


@main.command()
@click.argument("text", required=False)
@click.option("--jsonl", is_flag=True,
              help="Read one text per stdin line; print one JSON object per line (line numbers from 1).")
def claims(text: str | None, jsonl: bool) -> None:
    """Print the numeric claims found in TEXT (or stdin) as JSON, each with its frame.

    Values are in canonical units (W, USD, B, FLOP/s, %, counts named by the thing counted;
    raw_value/raw_unit as written); start/end are character offsets into the text (into each
    line with --jsonl). The frame says what is measured (property), of whom (entity), when
    (time_ref: current or an earlier time), which part (scope) and how it is asserted
    (modality: reported, estimated, asked, hypothetical).

    \b
    Example:
        newswatch claims "Colossus 1 features over 220,000 Nvidia GPUs and 300+ MW."
        newswatch claims --jsonl < sentences.txt
    """
    import json

    from .ingest.extract import not_text_reason

    if text is not None:
        raw = text.encode("utf-8", errors="surrogateescape")
        where = "TEXT"
    else:
        raw = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()
        where = "the input"
    reason = not_text_reason(raw)
    if reason:
        raise NewswatchError(f"{where} is {reason.removeprefix('not text: ')}, not text: nothing read")
    decoded = raw.decode("utf-8", errors="replace")
    if jsonl:
        if text is not None:
            raise click.UsageError("--jsonl reads stdin; give no TEXT with it")
        for n, line in enumerate(decoded.splitlines(), 1):
            if len(line) > MAX_CLAIMS_LINE:
                click.echo(json.dumps({"line": n, "claims": [], "error":
                                       f"line of {len(line):,} characters skipped (at most {MAX_CLAIMS_LINE:,})"}))
                continue
            click.echo(json.dumps({"line": n, "claims": _claims_json_of(_line_text(line))}, ensure_ascii=False))
        return
    if len(decoded) > MAX_CLAIMS_TEXT:
        raise NewswatchError(f"{where} has {len(decoded):,} characters; claims reads at most {MAX_CLAIMS_TEXT:,} "
                             "at once (give one article, or one text per line with --jsonl)")
    click.echo(json.dumps({"claims": _claims_json_of(decoded)}, ensure_ascii=False, indent=2))


# --- demo ------------------------------------------------------------------------------------


@main.command()
@click.option("--keep", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder to keep the demo database and config in (default: a temporary folder).")
@click.pass_obj
def demo(app: App, keep: Path | None) -> None:
    """Serve the bundled sample feeds on 127.0.0.1, run the whole pipeline on them into a fresh
    database and print what was found.

    \b
    Example:
        newswatch demo --keep data/demo
    """
    from .ingest.fetch import Fetcher
    from .pipeline import run_once
    from .sample_server import SampleServer
    from .store import Store

    with tempfile.TemporaryDirectory(prefix="newswatch-demo-") as tmp:
        folder = keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        db_path = folder / "demo.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        with SampleServer() as server:
            cfg_path = server.write_config(folder / "feeds.yaml", db_path)
            cfg = load_config(cfg_path)
            click.echo(f"serving {len(cfg.feeds)} sample feeds at {server.base_url}")
            with Store(cfg.database) as store, Fetcher(cfg.fetch) as fetcher:
                counts = run_once(store, cfg, fetcher)
                _print_counts(counts)
                click.echo("")
                click.echo(terminal.demo_articles(store.articles(limit=1000)), nl=False)
                click.echo(terminal.demo_stories([(st, store.story_discrepancies(st["id"]))
                                                  for st in store.recent_stories(1000)]), nl=False)
                _print_demo_digest(store, cfg)
        if keep:
            click.echo(f"\nthe demo database is {db_path}; browse it with: newswatch --db {db_path} serve --open")
        else:
            click.echo("\nto browse the result in Datasette: newswatch demo --keep data/demo, then "
                       "newswatch --db data/demo/demo.db serve --open")


def _print_demo_digest(store: Any, cfg: Config) -> None:
    """The Markdown digest of the sample's busiest day."""
    from .publish.stage import busiest_day, render_digest

    day = busiest_day(store, cfg.digest.timezone)
    if day is None:
        return
    click.echo("")
    click.echo(render_digest(store, day, cfg.digest.timezone, "markdown"), nl=False)
