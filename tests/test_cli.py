"""The command line: help with examples everywhere; user mistakes are one line, never a traceback."""

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from newswatch.cli import main


def _commands(group, prefix=()):  # type: ignore[no-untyped-def]
    for name, cmd in group.commands.items():
        yield (*prefix, name)
        if hasattr(cmd, "commands"):
            yield from _commands(cmd, (*prefix, name))


@pytest.mark.parametrize("command", list(_commands(main)), ids=" ".join)
def test_every_command_has_help_with_an_example(command: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output


def run(args: list[str], tmp_path: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """The real console entry point in a subprocess, so stderr and exit codes are the user's."""
    return subprocess.run([sys.executable, "-m", "newswatch", *args], capture_output=True, text=True,
                          cwd=tmp_path, input=stdin, timeout=120,
                          env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})


@pytest.mark.parametrize(
    ("args", "setup", "message"),
    [
        (["--config", "missing.yaml", "fetch"], None, "config file not found"),
        (["fetch"], "feeds:\n  - url: https://x.example/\n    sauce: X\n", "line 3, key 'feeds[0].sauce'"),
        (["fetch"], "feeds: [\n", "invalid YAML"),
        (["ingest", "nope.html", "--source", "X"], "", "no such file: nope.html"),
        (["feeds", "remove", "https://nowhere.example/"], "feeds:\n", "is not in"),
        (["feeds", "import", "bad.opml"], "", "no such file"),
        (["fetch"], "feeds:\n", "no feeds configured"),
    ],
)
def test_user_errors_are_one_line(tmp_path: Path, args: list[str], setup: str | None, message: str) -> None:
    if setup is not None:
        (tmp_path / "feeds.yaml").write_text(setup)
    result = run(args, tmp_path)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert message in lines[0]
    assert "Traceback" not in result.stderr


def test_feeds_add_list_export_import_remove(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    r = CliRunner()
    assert r.invoke(main, ["feeds", "add", "https://a.example/rss", "--source", "A", "--interval", "2h"]).exit_code == 0
    assert r.invoke(main, ["feeds", "add", "https://b.example/atom", "--source", "B"]).exit_code == 0
    dup = r.invoke(main, ["feeds", "add", "https://b.example/atom", "--source", "B"])
    assert dup.exit_code == 1
    listed = r.invoke(main, ["feeds", "list"]).output
    assert "https://a.example/rss" in listed and "every 2h" in listed
    opml = r.invoke(main, ["feeds", "export"]).output
    assert 'xmlUrl="https://b.example/atom"' in opml
    Path("subs.opml").write_text(opml.replace("b.example", "c.example"))
    imported = r.invoke(main, ["feeds", "import", "subs.opml"])
    assert "imported 1 new feeds of 2" in imported.output
    assert r.invoke(main, ["feeds", "remove", "https://a.example/rss"]).exit_code == 0
    urls = [line.split("\t")[1] for line in r.invoke(main, ["feeds", "list"]).output.splitlines()]
    assert urls == ["https://b.example/atom", "https://c.example/atom"]


def test_ingest_text_and_html(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Headline here\n\n" + "Body sentence about 300 MW. " * 20)
    (tmp_path / "empty.txt").write_text("")
    r = CliRunner()
    db = tmp_path / "x.db"
    result = r.invoke(main, ["--db", str(db), "ingest", str(tmp_path / "a.txt"), str(tmp_path / "empty.txt"),
                             "--source", "Local"])
    assert result.exit_code == 0, result.output
    again = r.invoke(main, ["--db", str(db), "ingest", str(tmp_path / "a.txt"), "--source", "Local"])
    assert again.exit_code == 1  # nothing new stored
    from newswatch.store import Store

    with Store(db) as store:
        (row,) = store.articles()
        assert row["title"] == "Headline here" and row["source"] == "Local"
        assert row["text"].startswith("Body sentence")


def test_python_dash_m_matches_console_script(tmp_path: Path) -> None:
    result = run(["--version"], tmp_path)
    assert result.returncode == 0 and "newswatch" in result.stdout


def test_one_off_writers_refuse_while_another_process_writes(tmp_path: Path) -> None:
    """run --once / fetch / process / ingest take the daemon's lock: while it is held they exit 1
    with one line naming the holder, and store nothing; `status` says who holds it."""
    from newswatch.lock import instance_lock
    from newswatch.store import Store

    db = tmp_path / "x.db"
    note = tmp_path / "a.txt"
    note.write_text("Headline here\n\nBody sentence about 300 MW.\n")
    Store(db).close()
    r = CliRunner()
    with instance_lock(db):  # a daemon is running on this database
        for args in (["run", "--once"], ["process"], ["ingest", str(note), "--source", "Local"]):
            result = r.invoke(main, ["--db", str(db), *args])
            assert result.exit_code == 1, (args, result.output)
            assert "already running on" in result.output and "daemon (pid" in result.output
            assert "Traceback" not in result.output
    with instance_lock(db, role="run --once"):
        status = r.invoke(main, ["--db", str(db), "status"])
        assert "run --once (pid" in status.output, status.output
    with Store(db) as store:
        assert store.count("articles") == 0
    assert r.invoke(main, ["--db", str(db), "ingest", str(note), "--source", "Local"]).exit_code == 0


def test_feeds_add_and_remove_tell_a_running_daemon_to_reload(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import signal

    from newswatch.lock import instance_lock

    monkeypatch.chdir(tmp_path)
    received: list[int] = []
    previous = signal.signal(signal.SIGHUP, lambda signum, frame: received.append(signum))
    try:
        r = CliRunner()
        assert r.invoke(main, ["feeds", "add", "https://a.example/rss", "--source", "A"]).exit_code == 0
        assert received == []  # no daemon: nobody to tell
        with instance_lock(Path("data/newswatch.db")):  # this process stands in for the daemon
            added = r.invoke(main, ["feeds", "add", "https://b.example/rss", "--source", "B"])
            removed = r.invoke(main, ["feeds", "remove", "https://a.example/rss"])
        assert added.exit_code == 0 and removed.exit_code == 0
        assert "told the running daemon" in added.output
        assert received == [signal.SIGHUP, signal.SIGHUP]
    finally:
        signal.signal(signal.SIGHUP, previous)


def test_process_runs_one_named_stage_and_refuses_an_unknown_one(tmp_path: Path) -> None:
    db = str(tmp_path / "news.db")
    config = tmp_path / "feeds.yaml"
    config.write_text("feeds:\n")
    one = CliRunner().invoke(main, ["--config", str(config), "--db", db, "process", "--stage", "summarise"])
    assert one.exit_code == 0, one.output
    assert one.output.startswith("summarise: stories_updated 0, seconds ")
    assert len(one.output.strip().splitlines()) == 1
    bad = CliRunner().invoke(main, ["--config", str(config), "--db", db, "process", "--stage", "bogus"])
    assert bad.exit_code == 1 and "no stage 'bogus'" in bad.output


def test_ingest_refuses_binary_files_and_names_directories(tmp_path: Path) -> None:
    """200 KB of random bytes became a 189,152-character article; a directory was 'no such file'."""
    import random

    rng = random.Random(7)
    (tmp_path / "noise.txt").write_bytes(bytes(rng.randrange(256) for _ in range(200_000)))
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.7\n" + b"x" * 500)
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 headline\n\nThe d\xe9p\xf4t holds 300 MW.".encode("latin-1"))
    folder = tmp_path / "saved"
    (folder / "sub").mkdir(parents=True)
    (folder / "b.txt").write_text("Second headline\n\nIt draws 40 MW.")
    (folder / "sub" / "a.html").write_text("<html><head><title>T</title></head><body><p>x</p></body></html>")
    (folder / "notes.bin").write_bytes(b"\x00\x01")
    r = CliRunner()
    db = tmp_path / "x.db"
    result = r.invoke(main, ["--db", str(db), "ingest", str(tmp_path / "noise.txt"), str(tmp_path / "scan.pdf"),
                             str(tmp_path / "latin1.txt"), "--source", "Local"])
    assert result.exit_code == 0, result.output
    assert "noise.txt: not text" in result.output and "scan.pdf: not text: a PDF document" in result.output
    assert "stored" in result.output and "latin1.txt" in result.output
    result = r.invoke(main, ["--db", str(db), "ingest", str(folder), "--source", "Local"])
    assert result.exit_code == 1 and "is a directory (use --recursive" in result.output
    result = r.invoke(main, ["--db", str(db), "ingest", "--recursive", str(folder), "--source", "Local"])
    assert result.exit_code == 0, result.output
    assert "b.txt as article" in result.output and "notes.bin" not in result.output
    from newswatch.store import Store

    with Store(db) as store:
        rows = store.articles()
    assert {"Caf\xe9 headline", "Second headline"} <= {a["title"] for a in rows}
    assert len(rows) <= 3 and not any("\ufffd" in a["text"] for a in rows)


def test_claims_refuses_binary_input_and_bounds_the_work(tmp_path: Path) -> None:
    """2 MB of random bytes gave hundreds of KB of bare-number claims, exit 0, in 43 s."""
    import json
    import random

    rng = random.Random(3)
    noise = bytes(rng.randrange(256) for _ in range(2_000_000))
    r = CliRunner()
    for args in (["claims"], ["claims", "--jsonl"]):
        result = r.invoke(main, args, input=noise)
        assert result.exit_code == 1, result.output
        assert result.output.count("\n") == 1 and "not text" in result.output
    long_line = "The site draws 300 MW. " * 4000  # 92,000 characters
    result = r.invoke(main, ["claims", "--jsonl"], input=f"It has 220,000 GPUs.\n{long_line}\n")
    assert result.exit_code == 0, result.output
    first, second = (json.loads(x) for x in result.output.splitlines())
    assert first["claims"] and second["claims"] == [] and "skipped" in second["error"]
    result = r.invoke(main, ["claims"], input=long_line * 3)
    assert result.exit_code == 1 and "at most 200,000" in result.output


def test_feeds_add_reports_a_bad_url_against_its_argument(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """It used to name a line of the would-be-written file, which is not in the user's file."""
    monkeypatch.chdir(tmp_path)
    Path("feeds.yaml").write_text("# my feeds\nfeeds:\n  - url: https://a.example/rss\n    source: A\n")
    r = CliRunner()
    result = r.invoke(main, ["feeds", "add", "not a url", "--source", "X"])
    assert result.exit_code == 1
    assert "the URL argument: expected an http(s) URL, got 'not a url'" in result.output
    assert "line" not in result.output
    assert Path("feeds.yaml").read_text().count("url:") == 1
    Path("subs.opml").write_text('<opml version="2.0"><body><outline text="Bad" xmlUrl="https://bad example/rss"/>'
                                 '<outline text="Good" xmlUrl="https://g.example/rss"/></body></opml>')
    imported = r.invoke(main, ["feeds", "import", "subs.opml"])
    assert imported.exit_code == 0, imported.output
    assert "skipped a feed of subs.opml (Bad)" in imported.output and "imported 1 new feeds of 1" in imported.output
