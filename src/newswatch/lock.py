"""The single-writer lock (``fcntl.flock`` on ``<database>.lock``) and who holds it.

One process writes a database at a time: the daemon for its lifetime, one-off commands
(``run --once``, ``fetch``, ``process``, ``ingest``) for their run, so two processes never place
the same pending article twice. Kept apart from daemon.py so the CLI takes the lock without
importing APScheduler. Also here: whether the process that started a run is still alive.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .errors import NewswatchError


def lock_path(database: Path) -> Path:
    return Path(f"{database}.lock")


@contextmanager
def instance_lock(database: Path, role: str = "daemon") -> Iterator[Path]:
    """Hold ``<database>.lock`` while writing, or refuse with one clear message.

    The daemon holds it for its lifetime; one-off writing commands (``run --once``, ``fetch``,
    ``process``, ``ingest``) for their run, so two processes never place the same pending
    article twice. flock locks vanish with their process, so a killed process never leaves a
    stale lock; the file itself stays (deleting it would race with a process starting).
    """
    path = lock_path(database)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        pid, other = _holder_text(os.pread(fd, 64, 0))
        os.close(fd)
        raise NewswatchError(
            f"another newswatch {other} (pid {pid or 'unknown'}) is already running on "
            f"{database}; wait for it or stop it (lock: {path})") from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()} {role}\n".encode(), 0)
    try:
        yield path
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _holder_text(raw: bytes) -> tuple[int | None, str]:
    words = raw.decode("ascii", "replace").split(maxsplit=1)
    pid = int(words[0]) if words and words[0].isdigit() else None
    return pid, (words[1].strip() if len(words) > 1 else "daemon")


def lock_holder(database: Path) -> tuple[int, str] | None:
    """(pid, role) of the process holding the database's lock, or None when none does.

    The pid is -1 when the lock is held but its file says nothing readable."""
    path = lock_path(database)
    if not path.exists():
        return None
    fd = os.open(path, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            pid, role = _holder_text(os.pread(fd, 64, 0))
            return (pid if pid is not None else -1), role
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


def daemon_pid(database: Path) -> int | None:
    """The pid of the daemon holding the database's lock, or None when no daemon runs."""
    holder = lock_holder(database)
    return holder[0] if holder and holder[1] == "daemon" else None


def run_alive(run: dict[str, Any]) -> bool:
    """Is the process that started this run still there? Runs recorded before the pid column
    existed count as alive for a day, then as gone."""
    pid = run.get("pid")
    if not pid:
        started = run.get("started_at")
        when = datetime.fromisoformat(started.replace("Z", "+00:00")) if started else None
        return bool(when and (datetime.now(UTC) - when).total_seconds() < 86400)
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        return True
    return True
