"""The daemon (`newswatch run`): scheduling that follows the store, processing after new
articles, the daily Markdown, runs rows, the single-instance lock and clean stops.

Most tests drive a Daemon's jobs directly on a paused scheduler, against the misbehaving server
of tests/hostile_server.py: deterministic and fast. The last ones start the real CLI daemon in a
subprocess and stop it with SIGTERM / SIGINT.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from click.testing import CliRunner

from newswatch import pipeline
from newswatch.cli import main
from newswatch.config import Config, parse_config
from newswatch.daemon import Daemon
from newswatch.errors import NewswatchError
from newswatch.ingest.fetch import Fetcher
from newswatch.lock import daemon_pid, instance_lock, lock_holder
from newswatch.publish import terminal
from newswatch.publish.stage import day_bounds
from newswatch.store import Store, iso, parse_iso, utcnow

sys.path.insert(0, str(Path(__file__).parent))
from hostile_server import HostileServer  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


def make_config(tmp_path: Path, urls: list[str], *, timeout: float = 1.0, tz: str = "UTC",
                at: str = "07:00", per_host: int = 8) -> Config:
    lines = [
        f"database: {tmp_path / 'news.db'}",
        "digest:",
        f'  time: "{at}"',
        f"  timezone: {tz}",
        f"  output: {tmp_path / 'digests'}",
        "fetch:",
        "  allow_private: true",
        f"  timeout: {timeout}",
        "  host_delay: 0",
        f"  per_host: {per_host}",
        "feeds:",
    ]
    for i, url in enumerate(urls):
        lines += [f"  - url: {url}", f"    source: Outlet {i}", "    interval: 1m"]
    path = tmp_path / "feeds.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return parse_config(path.read_text(), path)


@pytest.fixture(scope="module")
def server() -> Iterator[HostileServer]:
    with HostileServer(good_feeds=2, items_per_feed=3) as s:
        yield s


@pytest.fixture(autouse=True)
def no_later_stages(monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process tests check the daemon, not the stages other issues add after extraction."""
    monkeypatch.setattr(pipeline, "STAGES", pipeline.STAGES[:1])  # extract only


@contextmanager
def daemon_for(tmp_path: Path, urls: list[str], **kw: Any) -> Iterator[Daemon]:
    config = make_config(tmp_path, urls, **{k: v for k, v in kw.items() if k in ("timeout", "tz", "at")})
    scheduler = BackgroundScheduler(timezone=UTC)
    scheduler.start(paused=True)  # jobs are added and moved, but only the test runs them
    with Store(config.database) as store, Fetcher(config.fetch) as fetcher:
        d = Daemon(config, store, fetcher, scheduler=scheduler, process_delay=5, start_spread=3)
        try:
            yield d
        finally:
            if scheduler.running:
                scheduler.shutdown(wait=False)


def job_time(d: Daemon, job_id: str) -> datetime:
    return d.scheduler.get_job(job_id).next_run_time


def runs(store: Store) -> list[dict[str, Any]]:
    return list(store.db.query("select * from runs order by id"))


def wait_of(feed: dict[str, Any]) -> float:
    return (parse_iso(feed["next_fetch_at"]) - parse_iso(feed["last_fetched_at"])).total_seconds()


def make_due(store: Store, feed_id: int) -> None:
    with store.transaction():
        store.db["feeds"].update(feed_id, {"next_fetch_at": iso(utcnow() - timedelta(seconds=5))})


# --- scheduling follows the store ------------------------------------------------------------


def test_setup_spreads_due_feeds_and_keeps_scheduled_ones(tmp_path: Path, server: HostileServer) -> None:
    urls = server.good_feed_urls() + [server.url("/500")]
    with daemon_for(tmp_path, urls) as d:
        later = utcnow().replace(microsecond=0) + timedelta(hours=5)
        d.store.sync_feeds(d.config.feeds)
        backed_off = d.store.feed_by_url(urls[2])
        with d.store.transaction():
            d.store.db["feeds"].update(backed_off["id"], {"next_fetch_at": iso(later), "consecutive_errors": 4})
        before = utcnow()
        d.setup()
        for url in urls[:2]:
            t = job_time(d, f"poll:{d.store.feed_by_url(url)['id']}")
            assert before - timedelta(seconds=1) <= t <= before + timedelta(seconds=4)  # spread over start_spread
        assert job_time(d, f"poll:{backed_off['id']}") == later  # a backed-off feed stays backed off
        jobs = {j.id: j for j in d.scheduler.get_jobs()}
        assert set(jobs) == {f"poll:{d.store.feed_by_url(u)['id']}" for u in urls} | {"process", "digest"}
        for j in jobs.values():
            assert j.max_instances == 1 and j.coalesce is True and j.misfire_grace_time


def test_each_poll_moves_its_job_to_the_feeds_next_fetch_at(tmp_path: Path, server: HostileServer) -> None:
    urls = {"ok": server.url("/ok/feed-0.xml"), "ttl": server.url("/ttl"), "max-age": server.url("/max-age"),
            "429": server.url("/429"), "500": server.url("/500")}
    with daemon_for(tmp_path, list(urls.values())) as d:
        d.setup()
        for url in urls.values():
            d._poll_job(url)
        feeds = {name: d.store.feed_by_url(url) for name, url in urls.items()}
        for f in feeds.values():  # the scheduler follows the store
            assert job_time(d, f"poll:{f['id']}") == parse_iso(f["next_fetch_at"])
        assert 54 <= wait_of(feeds["ok"]) <= 66  # the 1-minute interval, +-10 % jitter
        assert 0.9 * 3 * 3600 <= wait_of(feeds["ttl"]) <= 1.1 * 3 * 3600  # <ttl>180</ttl> stretches it
        assert 0.9 * 4 * 3600 <= wait_of(feeds["max-age"]) <= 1.1 * 4 * 3600  # Cache-Control: max-age=14400
        assert 7200 - 5 <= wait_of(feeds["429"]) <= 7200 + 5  # Retry-After: 7200
        assert 54 <= wait_of(feeds["500"]) <= 66  # first failure: one interval
        # the failing feed backs off exponentially on each further failure
        failing = feeds["500"]
        for n, factor in [(2, 2), (3, 4), (4, 8)]:
            make_due(d.store, failing["id"])
            d._poll_job(urls["500"])
            failing = d.store.feed_by_url(urls["500"])
            assert failing["consecutive_errors"] == n
            assert 0.9 * 60 * factor <= wait_of(failing) <= 1.1 * 60 * factor
            assert job_time(d, f"poll:{failing['id']}") == parse_iso(failing["next_fetch_at"])
        outcomes = [(r["job"], r["outcome"]) for r in runs(d.store)]
        assert outcomes.count(("poll", "ok")) == 3 and outcomes.count(("poll", "error")) == 5
        poll_429 = [r for r in runs(d.store) if r["error"] and "429" in r["error"]]
        assert poll_429 and json.loads(poll_429[0]["details"])["status"] == 429


def test_a_poll_that_fires_early_only_moves_itself(tmp_path: Path, server: HostileServer) -> None:
    url = server.url("/ok/feed-1.xml")
    with daemon_for(tmp_path, [url]) as d:
        d.setup()
        later = utcnow().replace(microsecond=0) + timedelta(minutes=45)
        feed = d.store.feed_by_url(url)
        with d.store.transaction():  # e.g. `run --once` polled it meanwhile
            d.store.db["feeds"].update(feed["id"], {"next_fetch_at": iso(later)})
        hits = server.hits.get("/ok/feed-1.xml", 0)
        d._poll_job(url)
        assert server.hits.get("/ok/feed-1.xml", 0) == hits  # no request
        assert runs(d.store) == []  # and no run: nothing happened
        assert job_time(d, f"poll:{feed['id']}") == later


def test_hostile_feeds_are_runs_with_errors_not_a_dead_daemon(tmp_path: Path, server: HostileServer) -> None:
    urls = [server.url(p) for p in ("/drip", "/reset", "/bomb", "/loop-a", "/html")] + [server.url("/ok/feed-0.xml")]
    with daemon_for(tmp_path, urls, timeout=0.5) as d:
        d.setup()
        for url in urls:
            d._poll_job(url)
        rows = runs(d.store)
        assert [r["outcome"] for r in rows] == ["error"] * 5 + ["ok"]
        assert all(r["finished_at"] for r in rows)
        assert json.loads(rows[-1]["details"])["new"] == 3
        assert len(d.store.failing_feeds()) == 5


# --- processing --------------------------------------------------------------------------------


def test_new_articles_bring_processing_forward(tmp_path: Path, server: HostileServer) -> None:
    url = server.url("/ok/feed-0.xml")
    with daemon_for(tmp_path, [url]) as d:
        d.setup()
        assert job_time(d, "process") > utcnow() + timedelta(minutes=30)  # nothing pending: hourly
        d._poll_job(url)
        soon = job_time(d, "process")
        assert soon <= utcnow() + timedelta(seconds=6)  # process_delay after new articles
        d._run("process", d.process)
        assert d.store.pending_count() == 0
        texts = [r["text"] for r in d.store.db.query("select text from articles")]
        assert len(texts) == 3 and all(len(t) > 500 for t in texts)
        (proc,) = [r for r in runs(d.store) if r["job"] == "process"]
        assert proc["outcome"] == "ok"
        assert json.loads(proc["details"])["extract"]["extracted"] == 3


def test_articles_arriving_during_processing_make_it_go_round_again(
        tmp_path: Path, server: HostileServer, monkeypatch: pytest.MonkeyPatch) -> None:
    url = server.url("/ok/feed-1.xml")
    with daemon_for(tmp_path, [url]) as d:
        d.setup()
        d._poll_job(url)
        before = job_time(d, "process")
        calls: list[int] = []

        def stage(store: Store, config: Config) -> dict[str, Any]:
            calls.append(1)
            if len(calls) == 1:
                d.want_processing()  # a poll stored new articles while we were busy
                assert job_time(d, "process") == before  # no second instance queued
            return {"seen": 1}

        monkeypatch.setattr(pipeline, "STAGES", [pipeline.Stage("probe", stage)])
        totals = d.process()
        assert totals["rounds"] == 2 and totals["probe"]["seen"] == 2
        assert len(calls) == 2


def test_a_failing_job_is_a_row_not_an_exception(tmp_path: Path, server: HostileServer,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    with daemon_for(tmp_path, [server.url("/ok/feed-0.xml")]) as d:
        d.setup()

        def broken(store: Store, config: Config) -> dict[str, Any]:
            raise RuntimeError("stage blew up")

        monkeypatch.setattr(pipeline, "STAGES", [pipeline.Stage("broken", broken)])
        d._run("process", d.process)  # does not raise
        (row,) = runs(d.store)
        assert row["outcome"] == "error" and "stage blew up" in row["error"] and row["finished_at"]


def test_a_stop_lands_between_transactions(tmp_path: Path, server: HostileServer,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    url = server.url("/ok/feed-0.xml")
    with daemon_for(tmp_path, [url]) as d:
        d.setup()
        d._poll_job(url)

        def stage(store: Store, config: Config) -> dict[str, Any]:
            d.stop_event.set()  # SIGTERM arrives here
            store.source_id("written after the stop")  # the next transaction must not happen
            raise AssertionError("not reached")

        monkeypatch.setattr(pipeline, "STAGES", [*pipeline.STAGES[:1], pipeline.Stage("late", stage)])
        d._run("process", d.process)
        assert d._finish(grace=5) is True
        rows = {r["job"]: r for r in runs(d.store)}
        assert rows["process"]["outcome"] == "interrupted" and rows["process"]["finished_at"]
        # everything before the stop committed, nothing after it
        assert d.store.pending_count() == 0
        assert d.store.db.execute("select count(*) from sources where name = 'written after the stop'").fetchone()[0] == 0
        assert d.store.db.execute("pragma integrity_check").fetchone()[0] == "ok"


# --- the daily digest --------------------------------------------------------------------------


def _story(store: Store, title: str, when: str, outlets: list[str]) -> int:
    with store.transaction():
        sid = store.db["stories"].insert({"title": title, "first_seen": when, "last_seen": when}).last_pk
    for i, outlet in enumerate(outlets):
        src = store.source_id(outlet)
        with store.transaction():
            store.db["articles"].insert({"url": f"https://{outlet.lower().replace(' ', '')}.example/{sid}/{i}",
                                         "source_id": src, "title": title, "published": when,
                                         "discovered_at": when, "story_id": sid})
    return sid


def test_digest_job_runs_at_the_configured_local_time_and_writes_the_file(tmp_path: Path, server: HostileServer) -> None:
    with daemon_for(tmp_path, [server.url("/ok/feed-0.xml")], tz="America/New_York", at="06:45") as d:
        d.setup()
        job = d.scheduler.get_job("digest")
        fire = job.trigger.get_next_fire_time(None, datetime(2026, 3, 8, 12, 0, tzinfo=UTC))  # a DST day
        local = fire.astimezone(ZoneInfo("America/New_York"))
        assert (local.hour, local.minute) == (6, 45)
        d._run("digest", d.digest)
        yesterday = datetime.now(ZoneInfo("America/New_York")).date() - timedelta(days=1)
        path = tmp_path / "digests" / f"{yesterday.isoformat()}.md"
        assert path.read_text().startswith(f"# newswatch digest for {yesterday.isoformat()}")
        assert (tmp_path / "digests" / f"{yesterday.isoformat()}.html").exists()
        assert (tmp_path / "digests" / "atom.xml").exists()
        (row,) = [r for r in runs(d.store) if r["job"] == "digest"]
        details = json.loads(row["details"])
        assert row["outcome"] == "ok" and details["path"] == str(path)
        assert details["days"] == [yesterday.isoformat()]
        d._run("digest", d.digest)  # again (a restart at digest time): nothing is written twice
        assert json.loads(runs(d.store)[-1]["details"])["days"] == []


def test_day_bounds_follow_dst() -> None:
    start, end = day_bounds(date(2026, 3, 8), ZoneInfo("America/New_York"))
    assert end - start == timedelta(hours=23)


def test_a_missed_digest_is_written_soon_after_start(tmp_path: Path, server: HostileServer) -> None:
    now_local = datetime.now(ZoneInfo("UTC"))
    earlier = (now_local - timedelta(minutes=2)).strftime("%H:%M")
    if now_local.strftime("%H:%M") < earlier:  # just after midnight: skip the wrap-around
        pytest.skip("too close to midnight")
    with daemon_for(tmp_path, [server.url("/ok/feed-0.xml")], at=earlier) as d:
        d.setup()
        assert job_time(d, "digest") <= utcnow() + timedelta(minutes=2)


# --- runs, status, the lock --------------------------------------------------------------------


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_runs_of_killed_processes_show_and_are_marked_interrupted(tmp_path: Path, server: HostileServer) -> None:
    url = server.url("/ok/feed-0.xml")
    with daemon_for(tmp_path, [url]) as d:
        with d.store.transaction():
            d.store.db["runs"].insert({"job": "run-once", "started_at": iso(utcnow()), "outcome": "running",
                                       "pid": _dead_pid()})
            d.store.db["runs"].insert({"job": "poll", "started_at": iso(utcnow()), "outcome": "running",
                                       "pid": os.getpid()})
        text = render_status(d.store, d.config)
        assert "run-once" in text and "interrupted" in text
        d.setup()
        outcomes = [r["outcome"] for r in runs(d.store)]
        assert outcomes == ["interrupted", "running"]  # ours is alive; the dead one is marked


def test_status_shows_runs_and_failing_feeds(tmp_path: Path, server: HostileServer) -> None:
    urls = [server.url("/ok/feed-0.xml"), server.url("/429")]
    with daemon_for(tmp_path, urls) as d:
        d.setup()
        for url in urls:
            d._poll_job(url)
        text = render_status(d.store, d.config)
    assert "daemon: not running" in text
    assert "failing feeds (1):" in text and server.url("/429") in text
    assert "1 failure in a row" in text and "last error: http: HTTP 429" in text and "next try" in text
    assert "(in 1h 59m)" in text or "(in 2h 00m)" in text
    assert "3 new" in text and "poll" in text


def test_status_command_on_a_missing_database_is_one_clear_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "none.db"), "status"])
    assert result.exit_code == 1
    assert "no database at" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "none.db").exists()


def test_instance_lock_is_exclusive_and_released(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    assert daemon_pid(db) is None
    with instance_lock(db):
        assert daemon_pid(db) == os.getpid()
        with pytest.raises(NewswatchError, match=r"already running on .*news\.db"):
            with instance_lock(db):
                pass
    assert daemon_pid(db) is None
    with instance_lock(db):  # free again
        pass


# --- the real daemon, in a subprocess ----------------------------------------------------------

# The CLI as `newswatch run` runs it, with the start spread and processing delay shortened so
# the test does not wait half a minute; everything else is the shipped code path.
DAEMON = (
    "import sys\n"
    "import newswatch.daemon as s\n"
    "s.START_SPREAD = 0.5\n"
    "s.PROCESS_DELAY = 0.5\n"
    "from newswatch.cli import main\n"
    "main(sys.argv[1:], prog_name='newswatch')\n"
)


def render_status(store: Store, config: Config) -> str:
    """`newswatch status` as the CLI renders it."""
    return terminal.status(database=config.database, holder=lock_holder(config.database),
                           feeds_configured=len(config.feeds), now=utcnow(), **store.status_rows())


def start_daemon(config: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", DAEMON, "-v", "--config", str(config), "run"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO)


def wait_for(predicate: Any, timeout: float, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"daemon exited early ({proc.returncode}): {proc.stderr.read()[-3000:]}")
        if predicate():
            return
        time.sleep(0.2)
    proc.kill()
    raise AssertionError(f"timed out; daemon said: {proc.communicate()[1][-3000:]}")


def query(db: Path, sql: str) -> list[tuple[Any, ...]]:
    import sqlite3

    if not db.exists():
        return []
    conn = sqlite3.connect(db, timeout=10)
    try:
        return conn.execute(sql).fetchall()
    except sqlite3.OperationalError:
        return []  # not migrated yet
    finally:
        conn.close()


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_daemon_polls_processes_and_stops_cleanly_on_a_signal(tmp_path: Path, server: HostileServer,
                                                               sig: signal.Signals) -> None:
    urls = server.good_feed_urls() + [server.url("/500")]
    config = make_config(tmp_path, urls)
    db = config.database
    proc = start_daemon(config.path)
    try:
        # all feeds polled, the good articles stored and processed, each with a runs row
        wait_for(lambda: query(db, "select count(*) from articles where extracted_at is not null") == [(6,)],
                 60, proc)
        wait_for(lambda: query(db, "select count(*) from runs where job = 'process' and outcome = 'ok'") != [(0,)]
                 and query(db, "select count(*) from runs where job = 'poll' and outcome != 'running'") == [(3,)],
                 30, proc)
        assert daemon_pid(db) == proc.pid
        # a second daemon on the same database refuses, with one line, and leaves it alone
        second = subprocess.run([sys.executable, "-m", "newswatch", "--config", str(config.path), "run"],
                                capture_output=True, text=True, timeout=60, cwd=REPO)
        assert second.returncode == 1
        assert second.stderr.strip().count("\n") == 0, second.stderr
        assert f"another newswatch daemon (pid {proc.pid}) is already running" in second.stderr
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err[-3000:]
    assert "finishing the current transaction, then stopping" in err
    assert "daemon stopped" in err
    assert "Traceback" not in err
    assert daemon_pid(db) is None  # the lock went with it
    assert query(db, "pragma integrity_check") == [("ok",)]
    assert query(db, "select count(*) from runs where outcome = 'running'") == [(0,)]
    outcomes = dict(query(db, "select url, consecutive_errors from feeds"))
    assert outcomes[server.url("/500")] >= 1 and outcomes[urls[0]] == 0
    # the store was closed: SQLite folded the WAL back into the database
    wal = Path(f"{db}-wal")
    assert not wal.exists() or wal.stat().st_size == 0


@pytest.mark.slow
def test_sigterm_while_processing_stops_promptly_and_the_next_run_finishes(tmp_path: Path) -> None:
    with HostileServer(good_feeds=2, items_per_feed=4) as slow:
        slow.page_delay = 1.5  # eight pages, two at a time: about six seconds of processing
        config = make_config(tmp_path, slow.good_feed_urls(), timeout=3.0, per_host=2)
        db = config.database
        proc = start_daemon(config.path)
        try:
            wait_for(lambda: query(db, "select count(*) from runs where job = 'process'") == [(1,)], 60, proc)
            time.sleep(2.2)  # two pages done, two in flight, four queued
            stopped_at = time.monotonic()
            proc.send_signal(signal.SIGTERM)
            out, err = proc.communicate(timeout=30)
            took = time.monotonic() - stopped_at
        finally:
            if proc.poll() is None:
                proc.kill()
        assert proc.returncode == 0, err[-3000:]
        print(f"\nSIGTERM during processing: exited 0 in {took:.1f}s")
        assert took < 6, took  # in-flight requests finish, queued ones are not sent
        assert query(db, "select outcome from runs where job = 'process'") == [("interrupted",)]
        assert query(db, "pragma integrity_check") == [("ok",)]
        pending = query(db, "select count(*) from articles where extracted_at is null")[0][0]
        print(f"{pending} of 8 articles left pending for the next run")
        assert pending > 0  # it really was stopped mid-way
        slow.page_delay = 0
        again = subprocess.run([sys.executable, "-m", "newswatch", "--config", str(config.path), "run", "--once"],
                               capture_output=True, text=True, timeout=120, cwd=REPO)
        assert again.returncode == 0, again.stderr[-3000:]
        assert query(db, "select count(*) from articles where extracted_at is null") == [(0,)]
        assert query(db, "select count(*) from articles") == [(8,)]


# --- reloading the config --------------------------------------------------------------------


def test_reload_applies_added_removed_and_changed_feeds(tmp_path: Path, server: HostileServer) -> None:
    first, second = server.good_feed_urls()[:2]
    with daemon_for(tmp_path, [first, second]) as d:
        d.setup()
        gone = d.store.feed_by_url(first)["id"]
        config_file = d.config.path
        text = config_file.read_text().replace(first, server.url("/500"))
        config_file.write_text(text.replace("interval: 1m", "interval: 2m"))

        details = d.reload()

        assert (details["added"], details["removed"], details["feeds"]) == (1, 1, 2)
        polls = {j.id: j for j in d.scheduler.get_jobs() if j.id.startswith("poll:")}
        assert f"poll:{gone}" not in polls
        assert set(polls) == {f"poll:{d.store.feed_by_url(u)['id']}" for u in (second, server.url("/500"))}
        assert all(j.trigger.interval == timedelta(minutes=2) for j in polls.values())


def test_a_broken_config_on_reload_keeps_the_running_feeds(tmp_path: Path, server: HostileServer) -> None:
    urls = server.good_feed_urls()[:2]
    with daemon_for(tmp_path, urls) as d:
        d.setup()
        before = {j.id for j in d.scheduler.get_jobs()}
        d.config.path.write_text("feeds:\n  - url: [unclosed\n")
        d._on_hangup(1, None)  # what SIGHUP does: a reload run in a worker thread
        deadline = time.monotonic() + 10
        while True:
            with d.lock:  # the daemon's rule for its one connection: the reload thread writes on it
                done = [r for r in runs(d.store) if r["job"] == "reload" and r["finished_at"]]
            if done:
                break
            assert time.monotonic() < deadline
            time.sleep(0.05)
        [run] = [r for r in runs(d.store) if r["job"] == "reload"]
        assert run["outcome"] == "error" and "feeds.yaml" in run["error"]
        assert {j.id for j in d.scheduler.get_jobs()} == before
        assert [f.url for f in d.config.feeds] == urls
