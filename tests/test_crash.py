"""Crash safety: SIGKILL `newswatch run --once` (the real CLI, in a subprocess) at random moments
while it works through the bundled sample served on 127.0.0.1, then check the database.

Why it holds: the database is the queue, and every stage writes each unit of work in one
transaction (SQLite in WAL mode), so a kill can only lose the unit in progress, which stays
pending and is redone by the next run; canonical URLs are unique, so redoing never duplicates.

The first kill of each round lands at a random point of one phase (entries stored, pages
extracted, articles embedded, placed in stories, claims written), triggered by the database's
progress; the further kills land at random times of a calibrated run, in the runs that recover
from a kill.
Set NEWSWATCH_CRASH_SEED to replay one sequence.
"""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from newswatch.sample_server import SampleServer

REPO = Path(__file__).resolve().parents[1]
ROUNDS = 6  # fresh databases
KILLS_PER_ROUND = 2  # kills on the same database before the final, complete run


def cli(config: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "newswatch", "--config", str(config), *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=REPO)


def q(db: Path, sql: str) -> Any:
    if not db.exists():
        return None
    conn = sqlite3.connect(db, timeout=30)
    try:
        return conn.execute(sql).fetchone()[0]
    except sqlite3.OperationalError:
        return None  # not created or migrated yet
    finally:
        conn.close()


def state(db: Path) -> tuple[Any, Any, Any, Any, Any]:
    """(articles stored, extracted, embedded, placed in a story, claims): where the run was when it died."""
    return (q(db, "select count(*) from articles"),
            q(db, "select count(*) from articles where extracted_at is not null"),
            q(db, "select count(*) from embeddings"),
            q(db, "select count(*) from articles where story_id is not null"),
            q(db, "select count(*) from claims"))


def calibrate(server: SampleServer, folder: Path, expected: int) -> dict[str, float]:
    """One complete run, watched: when it first wrote, when all entries were in, when it ended."""
    config = server.write_config(folder / "feeds.yaml", folder / "news.db")
    db = folder / "news.db"
    started = time.monotonic()
    proc = cli(config, "run", "--once")
    marks: dict[str, float] = {}
    while proc.poll() is None:
        now = time.monotonic() - started
        if "first_write" not in marks and q(db, "select count(*) from runs"):
            marks["first_write"] = now
        if "fetched" not in marks and q(db, "select count(*) from articles") == expected:
            marks["fetched"] = now
        time.sleep(0.02)
    marks["done"] = time.monotonic() - started
    assert proc.returncode == 0, proc.stderr.read()[-3000:]
    marks.setdefault("first_write", marks["done"] / 2)
    return marks, state(db)


def kill_at_progress(proc: subprocess.Popen[str], db: Path, index: int, threshold: int) -> bool:
    """SIGKILL the run the moment state(db)[index] reaches ``threshold``: a kill inside a given
    phase however fast or loaded the machine is. False when the run finished first."""
    while proc.poll() is None:
        value = state(db)[index]
        if value is not None and value >= threshold:
            proc.kill()
            proc.wait()
            return True
        time.sleep(0.005)
    return False


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_nothing_and_duplicates_nothing(tmp_path: Path) -> None:
    seed = int(os.environ.get("NEWSWATCH_CRASH_SEED", random.randrange(1 << 30)))
    rng = random.Random(seed)
    report: list[str] = [f"seed {seed}"]
    kills = 0
    states: set[tuple[Any, ...]] = set()
    with SampleServer() as server:
        expected = set(server.article_urls())
        marks, final_state = calibrate(server, tmp_path / "calibration", len(expected))
        report.append("calibration: " + ", ".join(f"{k} {v:.2f}s" for k, v in marks.items()))
        lo, hi = 0.8 * marks["first_write"], marks["done"]
        for round_ in range(ROUNDS):
            folder = tmp_path / f"round{round_}"
            config = server.write_config(folder / "feeds.yaml", folder / "news.db")
            db = folder / "news.db"
            # The first kill of each round is stratified: round r dies in slice r of [lo, hi], so
            # the rounds cover start-up, polling, extraction and the later stages. Further kills
            # on the same database hit the recovery runs, which have less to do: their window
            # shrinks to the length of a run that finished before its kill.
            est = hi
            k = attempts = 0
            while k < KILLS_PER_ROUND and attempts < 4 * KILLS_PER_ROUND:
                attempts += 1
                args = ["run", "--once"] + (["--all"] if rng.random() < 0.5 else [])
                started = time.monotonic()
                proc = cli(config, *args)
                if k == 0:
                    # the first kill of a round lands at a random point of one phase (stored,
                    # extracted, embedded, placed, claims: round r takes phase r), reached by
                    # progress rather than time so machine load cannot bunch the kills up
                    index = round_ % len(final_state)
                    threshold = rng.randint(1, max(1, int(final_state[index] or 1)))
                    killed = kill_at_progress(proc, db, index, threshold)
                    delay = time.monotonic() - started
                else:
                    delay = rng.uniform(lo, max(lo + 0.05, 0.95 * est))
                    try:
                        proc.wait(timeout=delay)
                        killed = False
                    except subprocess.TimeoutExpired:
                        proc.kill()  # SIGKILL: no handler, no cleanup, no flush
                        proc.wait()
                        killed = True
                if killed:
                    kills += 1
                    k += 1
                    outcome = "killed"
                else:
                    est = time.monotonic() - started
                    outcome = f"finished first ({proc.returncode})"
                    assert proc.returncode == 0, proc.stderr.read()[-3000:]
                proc.stderr.close()
                integrity = q(db, "pragma integrity_check")
                assert integrity in (None, "ok"), f"round {round_} attempt {attempts}: {integrity}"
                st = state(db)
                if outcome == "killed":
                    states.add(st)
                report.append(f"round {round_} run {attempts}: {' '.join(args):<16} at {delay:5.2f}s "
                              f"{outcome:<18} stored/extracted/embedded/placed/claims {st}")
            # the next (uninterrupted) run completes the work
            final = subprocess.run([sys.executable, "-m", "newswatch", "--config", str(config), "run", "--once"],
                                   capture_output=True, text=True, timeout=300, cwd=REPO)
            assert final.returncode == 0, final.stderr[-3000:]
            conn = sqlite3.connect(db)
            try:
                assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
                conn.execute("insert into articles_fts(articles_fts) values('integrity-check')")  # raises if off
                urls = [r[0] for r in conn.execute("select url from articles")]
                assert len(urls) == len(set(urls)) == len(expected), (len(urls), len(set(urls)), len(expected))
                assert set(urls) == expected  # nothing lost, nothing foreign
                assert conn.execute("select count(*) from articles where extracted_at is null").fetchone()[0] == 0
                assert conn.execute("select count(*) from articles where text is null or text = ''").fetchone()[0] == 0
                dup_guids = conn.execute("select count(*) from (select 1 from articles where guid is not null "
                                         "group by source_id, guid having count(*) > 1)").fetchone()[0]
                assert dup_guids == 0
                dup_claims = conn.execute("select count(*) from (select 1 from claims group by article_id, start, "
                                          '"end", value, unit having count(*) > 1)').fetchone()[0]
                assert dup_claims == 0
                feeds = conn.execute("select count(*) from feeds where last_success_at is null").fetchone()[0]
                assert feeds == 0  # every feed got polled in the end
            finally:
                conn.close()
            report.append(f"round {round_} final run: ok, {len(urls)} articles, integrity ok")
    print("\n" + "\n".join(report))
    print(f"{kills} kills, {len(states)} distinct database states at the kills")
    assert kills >= 10, "\n".join(report)
    assert len(states) >= 3, "\n".join(report)  # the kills did land at different moments


def test_a_migration_that_dies_half_way_leaves_no_trace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bug the kill test found: DDL ran outside any transaction, so a kill inside m001 left
    tables without their _migrations row and every later start failed on "already exists"."""
    import sqlite_utils

    from newswatch import migrations
    from newswatch.store import Store

    def m999_half(db: sqlite_utils.Database) -> None:
        db["half"].create({"id": int, "body": str}, pk="id")
        db["half"].enable_fts(["body"], create_triggers=True)  # executescript inside
        raise KeyboardInterrupt  # the process dies here

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, m999_half])
    with pytest.raises(KeyboardInterrupt):
        Store(tmp_path / "news.db")
    db = sqlite_utils.Database(tmp_path / "news.db")
    assert not [t for t in db.table_names() if t.startswith("half")]
    assert "m999_half" not in {r["name"] for r in db["_migrations"].rows}
    db.close()

    def m999_half_fixed(db: sqlite_utils.Database) -> None:
        db["half"].create({"id": int, "body": str}, pk="id")
        db["half"].enable_fts(["body"], create_triggers=True)

    m999_half_fixed.__name__ = "m999_half"
    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS[:-1], m999_half_fixed])
    with Store(tmp_path / "news.db") as store:  # the next start applies it cleanly
        assert store.applied == ["m999_half"]
        assert "half_fts" in store.db.table_names()
