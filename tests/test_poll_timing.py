"""A feed's next poll time counts from when it was polled, not from the start of its batch."""

import http.server
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest

from newswatch.config import parse_config
from newswatch.ingest import polling
from newswatch.ingest import stage as ingest_stage
from newswatch.ingest.fetch import Fetcher
from newswatch.store import Store, parse_iso, utcnow

RSS = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Slow</title>'
       b"<item><title>One</title><link>http://127.0.0.1/a</link></item></channel></rss>")
DELAY = 2.5  # next_fetch_at is stored to the second


class _Slow(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        if self.path.startswith("/slow"):
            time.sleep(DELAY)
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(RSS)))
        self.end_headers()
        self.wfile.write(RSS)

    def log_message(self, *args: object) -> None:
        pass


def test_next_poll_counts_from_the_poll_not_the_batch_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(polling, "JITTER", 0.0)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Slow)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        config = parse_config(
            f"database: {tmp_path / 'news.db'}\nfetch:\n  allow_private: true\n  host_delay: 0\n"
            f"feeds:\n  - url: {base}/slow.xml\n    source: Slow\n    interval: 1h\n"
            f"  - url: {base}/fast.xml\n    source: Fast\n    interval: 1h\n", tmp_path / "feeds.yaml")
        batch_start = utcnow()
        with Store(config.database) as store, Fetcher(config.fetch) as fetcher:
            ingest_stage.fetch_feeds(store, config, fetcher, now=batch_start)
            nxt = {r["url"].rsplit("/", 1)[1]: parse_iso(r["next_fetch_at"])
                   for r in store.db.query("select url, next_fetch_at from feeds")}
    finally:
        server.shutdown()
        server.server_close()
    hour = timedelta(hours=1)
    assert nxt["slow.xml"] - batch_start >= hour + timedelta(seconds=DELAY - 1)
    assert nxt["fast.xml"] - batch_start < hour + timedelta(seconds=DELAY - 1)
