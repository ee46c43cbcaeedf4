"""`newswatch run`: the daemon. Polls each feed on its own schedule, processes what arrives,
writes the daily digest, reloads feeds.yaml on SIGHUP, and stops cleanly.

How it is put together (APScheduler 3.x, ``BlockingScheduler`` in the main thread):

- **One job per feed** (``poll:<feed id>``) on an interval trigger with jitter. After every poll
  the job's next run is moved to the feed's ``next_fetch_at`` as ingest/polling.py computed it: the
  interval with jitter, stretched by RSS ``ttl`` or ``Cache-Control: max-age``, pushed out by
  ``Retry-After``, or backed off exponentially (capped at about a day) while the feed fails. A
  poll that fires before ``next_fetch_at`` (say ``run --once`` polled the feed meanwhile) just
  moves itself, so the store, not the scheduler's memory, decides when a feed is polled.
- **Processing** (``pipeline.process``) runs a short while after a poll stored new articles, so
  feeds arriving together are processed together; hourly as a safety net (transient page
  failures are retried). Never concurrently with itself: new articles arriving meanwhile make
  it go round once more instead of queueing a second instance.
- **The daily digest** at ``digest.time`` in ``digest.timezone``: ``publish.stage.write_due``
  writes yesterday's Markdown, HTML and atom.xml (and emails it when configured); the
  ``digests`` table makes a restart never send a day twice and a missed day be written once.
- Every job has ``max_instances=1`` and ``coalesce=True`` (a daemon that slept through several
  run times runs once, not once per missed time) and a misfire grace, and leaves a ``runs`` row.

SQLite: one connection, shared by the jobs' threads, and a lock held around every use of it;
network I/O for polls happens outside the lock, so slow feeds do not hold up the others' writes.

Stopping: SIGINT/SIGTERM stop the scheduler and set the store's stop flag. A running job ends
at its next ``Store.transaction()`` (raising :class:`StopRequested` there), so whatever
transaction it is inside commits and nothing half-done is left; network calls end within their
deadline. Then the store is closed and the process exits 0.

The single-writer lock (lock.py) keeps a second daemon, or a one-off writer, off the database.
"""

from __future__ import annotations

import logging
import os
import random
import signal
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.base import BaseScheduler, SchedulerNotRunningError
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from . import pipeline
from .config import Config, load_config
from .errors import ConfigError, NewswatchError, StopRequested
from .ingest import stage as ingest
from .ingest.fetch import Fetcher
from .ingest.polling import JITTER
from .lock import instance_lock
from .publish import stage as publish
from .store import Store, parse_iso, utcnow

log = logging.getLogger("newswatch.daemon")

PROCESS_DELAY = 20.0  # seconds from new articles to processing: feeds arriving together batch up
PROCESS_EVERY = 3600  # the safety-net processing interval
PROCESS_ROUNDS = 5  # at most this many back-to-back rounds per process run
START_SPREAD = 30.0  # feeds already due at start are spread over this many seconds
DIGEST_GRACE = 12 * 3600  # a digest run missed by up to this much (machine asleep) still runs
KEEP_RUNS_DAYS = 30  # routine poll runs older than this are pruned by the digest job


# --- the daemon ------------------------------------------------------------------------------


class Daemon:
    """The scheduled jobs and their shared state. ``run()`` blocks until SIGINT/SIGTERM;
    tests drive the jobs directly (``poll``, ``process``, ``digest``) with a paused scheduler."""

    def __init__(self, config: Config, store: Store, fetcher: Fetcher, *,
                 scheduler: BaseScheduler | None = None, process_delay: float | None = None,
                 start_spread: float | None = None, rng: random.Random | None = None) -> None:
        self.config = config
        self.store = store
        self.fetcher = fetcher
        self.process_delay = PROCESS_DELAY if process_delay is None else process_delay
        self.start_spread = START_SPREAD if start_spread is None else start_spread
        self.rng = rng or random.Random()
        self.lock = threading.RLock()  # every use of the store's one connection
        self.stop_event = threading.Event()
        store.stop_event = self.stop_event
        workers = max(2, min(config.fetch.concurrency, 8))
        self.scheduler = scheduler or BlockingScheduler(
            timezone=UTC,
            executors={"default": ThreadPoolExecutor(workers)},
            job_defaults={"coalesce": True, "max_instances": 1},
        )
        self._busy = 0
        self._idle = threading.Condition()
        self._process_lock = threading.Lock()
        self._process_wanted = False
        self._processing = False
        self._deferred: list[tuple[int, str, dict[str, Any], str | None]] = []
        self._loop_done = threading.Event()

    # --- setup ------------------------------------------------------------------------------

    def setup(self) -> None:
        """Add the jobs: every configured feed at its next poll time, processing, the digest."""
        now = utcnow()
        with self.lock:
            stale = self.store.interrupt_stale_runs()
            if stale:
                log.info("marked %d runs of earlier processes as interrupted", stale)
            pending = self.store.pending_count()
        self._schedule_feeds(now)
        first_process = now + timedelta(seconds=self.process_delay if pending else PROCESS_EVERY)
        self.scheduler.add_job(
            self._run, IntervalTrigger(seconds=PROCESS_EVERY), args=["process", self.process], id="process",
            name="process", next_run_time=first_process, misfire_grace_time=PROCESS_EVERY,
            replace_existing=True)
        d = self.config.digest
        tz = ZoneInfo(d.timezone)
        self.scheduler.add_job(
            self._run, CronTrigger(hour=d.time.hour, minute=d.time.minute, timezone=tz),
            args=["digest", self.digest], id="digest", name="daily digest", misfire_grace_time=DIGEST_GRACE,
            replace_existing=True)
        with self.lock:
            missed = publish.due_days(self.store, self.config, now)
        if missed:
            # the daemon was down at digest time: write the missed ones once the first polls are in
            self.scheduler.modify_job("digest", next_run_time=now + timedelta(seconds=self.start_spread + 30))

    def _schedule_feeds(self, now: datetime) -> dict[str, dict[str, Any]]:
        """A poll job for every configured feed, at its next poll time (the store's schedule),
        replacing the job it had; returns the feeds' rows by URL."""
        with self.lock:
            ids = self.store.sync_feeds(self.config.feeds)
            feeds = {url: self.store.feed(fid) for url, fid in ids.items()}
        for fc in self.config.feeds:
            feed = feeds[fc.url]
            due = parse_iso(feed.get("next_fetch_at"))
            if due is None or due <= now:
                # due now: spread the start so feeds do not all fire in the first second
                due = now + timedelta(seconds=self.rng.uniform(0, min(self.start_spread, fc.interval / 10)))
            self.scheduler.add_job(
                self._poll_job, IntervalTrigger(seconds=fc.interval, jitter=int(fc.interval * JITTER)),
                args=[fc.url], id=f"poll:{feed['id']}", name=f"poll {fc.url}", next_run_time=due,
                misfire_grace_time=fc.interval, replace_existing=True)
        return feeds

    def reload(self) -> dict[str, Any]:
        """Re-read the config file (SIGHUP, or `feeds add/remove` while the daemon runs): feeds
        added, removed or with a new interval take effect now. A broken file is one error line
        (and a failed ``reload`` run) and the running configuration stays. Other settings (database, fetch, digest, model)
        are read at start only, so a change to them is reported as needing a restart."""
        if self.config.path is None:
            return {"feeds": len(self.config.feeds), "note": "no config file to reload"}
        try:
            new = load_config(self.config.path, database=self.config.database)
        except ConfigError as exc:  # a user's typo: one line, and the running feeds go on
            log.error("reload refused, the running configuration stays: %s", exc)
            return {"feeds": len(self.config.feeds), "error": str(exc)}
        old_urls = {f.url for f in self.config.feeds}
        new_urls = {f.url for f in new.feeds}
        with self.lock:
            dropped = [self.store.feed_by_url(url) for url in sorted(old_urls - new_urls)]
        for feed in dropped:
            if feed is not None:
                try:
                    self.scheduler.remove_job(f"poll:{feed['id']}")
                except JobLookupError:
                    pass
        self.config.feeds = new.feeds
        self._schedule_feeds(utcnow())
        details: dict[str, Any] = {"feeds": len(new.feeds), "added": len(new_urls - old_urls),
                                   "removed": len(old_urls - new_urls)}
        restart = [name for name in ("fetch", "digest", "embedding")
                   if getattr(new, name, None) != getattr(self.config, name, None)]
        if restart:
            details["restart_needed_for"] = restart
        log.info("reloaded %s: %d feeds (%d added, %d removed)%s", self.config.path,
                 details["feeds"], details["added"], details["removed"],
                 f"; restart to apply {', '.join(restart)}" if restart else "")
        return details

    # --- the job wrapper ------------------------------------------------------------------

    def _enter(self) -> bool:
        """Count a job in, unless stopping. Checked and counted under one lock, so once stop()
        has seen no job running, none can start (and none can touch a closing store)."""
        with self._idle:
            if self.stop_event.is_set():
                return False
            self._busy += 1
            return True

    def _leave(self) -> None:
        with self._idle:
            self._busy -= 1
            self._idle.notify_all()

    def _run(self, job: str, fn: Callable[..., dict[str, Any]], *args: Any) -> None:
        """Run one job with a ``runs`` row around it. Exceptions are recorded, never raised into
        the scheduler (which would only log them)."""
        if not self._enter():
            return
        run_id = None
        try:
            with self.lock:
                run_id = self.store.start_run(job)
            outcome, error = "ok", None
            try:
                details = fn(*args) or {}
                if details.get("error"):
                    outcome, error = "error", str(details["error"])
            except StopRequested:
                outcome, details, error = "interrupted", {}, "stopped by a signal before it finished"
            except Exception as exc:  # noqa: BLE001 - a failing job is a row and a log line, never a dead daemon
                log.exception("job %s failed", job)
                outcome, details, error = "error", {}, f"{type(exc).__name__}: {exc}"[:1000]
            try:
                with self.lock:
                    self.store.finish_run(run_id, outcome, details, error)
            except StopRequested:  # recorded by stop() once the store may be written again
                self._deferred.append((run_id, outcome, details, error))
        except StopRequested:
            pass  # stopping before the run was even recorded
        finally:
            self._leave()

    # --- polls ------------------------------------------------------------------------------

    def _poll_job(self, url: str) -> None:
        """The scheduled entry point: polls when the feed is due by the store, else moves itself."""
        if not self._enter():
            return
        try:
            with self.lock:
                feed = self.store.feed_by_url(url)
            if feed is None:
                return
            due = parse_iso(feed.get("next_fetch_at"))
            if due is not None and due > utcnow() + timedelta(seconds=1):
                self._reschedule(feed)
                return
            self._run("poll", self.poll, url)
        finally:
            self._leave()

    def poll(self, url: str) -> dict[str, Any]:
        """Poll one feed now: network outside the store lock, the result saved inside it."""
        with self.lock:
            feed = self.store.feed_by_url(url)
        if feed is None:
            return {"feed": url, "error": "not in the store"}
        resp, parsed, error = ingest.poll_feed(self.fetcher, feed)
        report = ingest.FetchReport()
        with self.lock:
            new_ids = ingest.save_poll(self.store, feed, resp, parsed, error, now=utcnow(), report=report)
            feed = self.store.feed(feed["id"])
        self._reschedule(feed)
        details: dict[str, Any] = {"feed": url, "new": len(new_ids), "next": feed.get("next_fetch_at")}
        status = resp.status if resp is not None else getattr(error, "status", None)
        if status:
            details["status"] = status
        if error is not None:
            details["error"] = f"{getattr(error, 'kind', 'error')}: {error}"
            log.warning("feed %s failed (%d in a row, next try %s): %s", url, feed.get("consecutive_errors") or 0,
                        feed.get("next_fetch_at"), details["error"])
        else:
            log.info("polled %s: %s, %d new", url, resp.status, len(new_ids))
        if new_ids:
            self.want_processing()
        return details

    def _reschedule(self, feed: dict[str, Any]) -> None:
        """Move the feed's job to its next_fetch_at: the store's schedule wins over the trigger's."""
        when = parse_iso(feed.get("next_fetch_at"))
        if when is None:
            return
        try:
            self.scheduler.modify_job(f"poll:{feed['id']}", next_run_time=when)
        except (JobLookupError, SchedulerNotRunningError):
            pass  # not scheduled (a feed removed from the config) or shutting down

    # --- processing -------------------------------------------------------------------------

    def want_processing(self) -> None:
        """New articles arrived: process soon, or once more if processing is running now."""
        with self._process_lock:
            self._process_wanted = True
            if self._processing:
                return
        when = utcnow() + timedelta(seconds=self.process_delay)
        try:
            job = self.scheduler.get_job("process")
            if job is not None and job.next_run_time is not None and job.next_run_time <= when:
                return
            self.scheduler.modify_job("process", next_run_time=when)
        except (JobLookupError, SchedulerNotRunningError):
            pass

    def process(self) -> dict[str, Any]:
        """pipeline.process over everything pending, again while new articles keep arriving."""
        totals: dict[str, Any] = {}
        rounds = 0
        try:
            while True:
                with self._process_lock:
                    if rounds and (not self._process_wanted or rounds >= PROCESS_ROUNDS):
                        break
                    self._process_wanted = False
                    self._processing = True
                with self.lock:
                    counts = pipeline.process(self.store, self.config, self.fetcher)
                rounds += 1
                for stage, value in counts.items():
                    if isinstance(value, dict):
                        into = totals.setdefault(stage, {})
                        for k, v in value.items():
                            if isinstance(v, (int, float)) and not isinstance(v, bool):
                                into[k] = into.get(k, 0) + v
        finally:
            with self._process_lock:
                self._processing = False
                again = self._process_wanted
        if again and not self.stop_event.is_set():
            self.want_processing()
        totals["rounds"] = rounds
        log.info("processed: %s", totals)
        return totals

    # --- the daily digest -------------------------------------------------------------------

    def digest(self) -> dict[str, Any]:
        """Write (and email) every digest that is due: yesterday's, and any day missed."""
        with self.lock:
            pruned = self.store.prune_runs(utcnow() - timedelta(days=KEEP_RUNS_DAYS))
        result = publish.write_due(self.store, self.config, guard=self.lock,
                                   latest=publish.yesterday(self.config.digest.timezone))
        for day in result["days"]:
            log.info("wrote the digest for %s into %s", day, self.config.digest.output)
        return {**result, "pruned_runs": pruned}

    # --- running and stopping ---------------------------------------------------------------

    def _on_hangup(self, signum: int, frame: Any) -> None:
        """SIGHUP: reload the config in a worker thread (a handler must not take locks)."""
        threading.Thread(target=self._run, args=("reload", self.reload),
                         name="newswatch-reload", daemon=True).start()

    def _on_signal(self, signum: int, frame: Any) -> None:
        if not self.stop_event.is_set():
            log.warning("%s: finishing the current transaction, then stopping", signal.Signals(signum).name)
        self.request_stop()

    def request_stop(self) -> None:
        """Ask the daemon to stop. Safe from a signal handler and from any thread: it only sets
        flags and leaves the scheduler's shutdown to a helper thread."""
        if self.stop_event.is_set():
            return
        self.stop_event.set()
        threading.Thread(target=self._stop_scheduler, name="newswatch-stop", daemon=True).start()

    def _stop_scheduler(self) -> None:
        while not self._loop_done.is_set():  # retried: the signal may come just before start()
            try:
                self.scheduler.shutdown(wait=False)
                return
            except SchedulerNotRunningError:
                self._loop_done.wait(0.05)

    def run(self) -> None:
        """Block until SIGINT/SIGTERM (or request_stop), then stop cleanly (see ``_finish``)."""
        self.fetcher.stopping = self.stop_event  # requests not yet started fail fast once stopping
        self.setup()
        handlers = {}
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                handlers[sig] = signal.signal(sig, self._on_signal)
            handlers[signal.SIGHUP] = signal.signal(signal.SIGHUP, self._on_hangup)
        log.info("newswatch daemon started: %d feeds, database %s", len(self.config.feeds), self.config.database)
        try:
            if not self.stop_event.is_set():
                self.scheduler.start()
        finally:
            self._loop_done.set()
            self.stop_event.set()
            clean = self._finish()
            for sig, previous in handlers.items():
                signal.signal(sig, previous)
        if not clean:
            raise _Unclean()

    def _finish(self, grace: float | None = None) -> bool:
        """Let running jobs reach a transaction boundary, then record how they ended.
        Returns False when a job was still running after ``grace`` seconds."""
        try:
            self.scheduler.shutdown(wait=False)
        except SchedulerNotRunningError:
            pass
        grace = grace if grace is not None else max(10.0, self.config.fetch.timeout * 3 + 5)
        with self._idle:
            idle = self._idle.wait_for(lambda: self._busy == 0, timeout=grace)
        if not idle:
            log.warning("a job is still running after %.0fs; exiting without it (SQLite rolls back its "
                        "unfinished transaction, if any)", grace)
            return False
        self.store.stop_event = None
        with self.lock:
            for run_id, outcome, details, error in self._deferred:
                self.store.finish_run(run_id, outcome, details, error)
            self._deferred.clear()
        log.info("newswatch daemon stopped")
        return True


class _Unclean(BaseException):
    """A job outlived the stop grace period: the process must exit without joining it."""


def run_daemon(config: Config, store: Store | None = None, *, fetcher: Fetcher | None = None) -> None:
    """`newswatch run`: take the instance lock, open the store (migrating it), run until a signal.

    Pass ``store``/``fetcher`` to use existing ones (they are left open); by default both are
    created here, after the lock, so a refused second daemon never touches the database.
    """
    if not config.feeds:
        raise NewswatchError("no feeds configured: add one with `newswatch feeds add URL --source NAME`")
    with instance_lock(config.database):
        own_store = store is None
        st = store if store is not None else Store(config.database)
        fe = fetcher if fetcher is not None else Fetcher(config.fetch)
        try:
            Daemon(config, st, fe).run()
        except _Unclean:
            logging.shutdown()
            os._exit(0)  # a worker thread is stuck in a job; joining it could take forever
        finally:
            if fetcher is None:
                fe.close()
            if own_store:
                st.close()
