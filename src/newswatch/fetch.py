"""All network I/O: one httpx client with the limits a polite, hard-to-hurt crawler needs.

What it guarantees to the rest of newswatch:

- an honest User-Agent, connect/read timeouts and a total deadline per request (a server that
  drips one byte a second cannot hold a worker forever);
- a body size cap enforced while streaming the *decoded* body, so a huge page or a gzip bomb is
  cut off without being read (or inflated) in full;
- redirects followed by hand, at most ``max_redirects``, each hop re-checked, loops refused;
- URLs whose host resolves to a private, loopback, link-local or otherwise non-global address
  refused unless ``fetch.allow_private`` is true (a feed must not make us probe the LAN);
- conditional GET with both ETag and Last-Modified: a 304 is a success with nothing to do;
- a per-host concurrency limit shared by all threads using the same Fetcher.

Failures raise subclasses of :class:`newswatch.errors.FetchError` (see errors.py for the tree);
the caller records them as rows and goes on. One INFO log line per request.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpx

from . import __version__
from .config import FetchConfig
from .errors import BlockedURL, FetchError, HTTPStatus, NetworkError, TooLarge, TooManyRedirects

log = logging.getLogger("newswatch.fetch")

DEFAULT_USER_AGENT = (
    f"newswatch/{__version__} (news monitoring bot; polls RSS/Atom feeds and reads linked articles)"
)
FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5"
HTML_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"


@dataclass
class Response:
    url: str  # as requested
    final_url: str  # after redirects
    status: int
    headers: dict[str, str]
    content: bytes = b""
    elapsed: float = 0.0
    redirects: list[str] = field(default_factory=list)

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def host_is_public(host: str, port: int | None = None) -> tuple[bool, str]:
    """Resolve ``host`` and report whether every address it maps to is globally routable.

    Returns (ok, reason). A host that does not resolve is reported as a network error by the
    caller, not blocked here.
    """
    host = host.strip("[]")
    try:
        addrs = [ipaddress.ip_address(host)]
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, port or 80, proto=socket.IPPROTO_TCP)
        except (socket.gaierror, UnicodeError, OSError) as exc:
            raise NetworkError(f"cannot resolve host {host!r}: {exc}") from None
        addrs = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    for addr in addrs:
        mapped = getattr(addr, "ipv4_mapped", None)
        if mapped is not None:
            addr = mapped
        if not addr.is_global or addr.is_multicast:
            return False, f"{host} resolves to non-public address {addr}"
    return True, ""


class Fetcher:
    """The one HTTP client. Thread-safe; share one per process."""

    def __init__(self, config: FetchConfig | None = None, transport: httpx.BaseTransport | None = None) -> None:
        self.config = config or FetchConfig()
        c = self.config
        self.client = httpx.Client(
            headers={"User-Agent": c.user_agent or DEFAULT_USER_AGENT},
            timeout=httpx.Timeout(c.timeout, connect=min(c.timeout, 10.0)),
            follow_redirects=False,
            limits=httpx.Limits(max_connections=max(c.concurrency, c.per_host) + 2,
                                max_keepalive_connections=c.concurrency),
            transport=transport,
        )
        self._host_limits: dict[str, threading.BoundedSemaphore] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _host_slot(self, host: str) -> threading.BoundedSemaphore:
        with self._lock:
            sem = self._host_limits.get(host)
            if sem is None:
                sem = self._host_limits[host] = threading.BoundedSemaphore(self.config.per_host)
            return sem

    def check_url(self, url: str) -> None:
        """Raise BlockedURL for URLs newswatch must not request."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise BlockedURL(f"not an http(s) URL: {url}", url)
        if not parts.hostname:
            raise BlockedURL(f"URL has no host: {url}", url)
        if not self.config.allow_private:
            ok, reason = host_is_public(parts.hostname, parts.port)
            if not ok:
                raise BlockedURL(f"refused: {reason} (set fetch.allow_private to allow)", url)

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
            accept: str = HTML_ACCEPT) -> Response:
        """GET ``url`` within every limit above. Raises FetchError subclasses."""
        started = time.monotonic()
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = url
        seen = {url}
        hops: list[str] = []
        try:
            while True:
                self.check_url(current)
                resp = self._request(current, headers, started)
                if resp.status in (301, 302, 303, 307, 308):
                    location = resp.headers.get("location")
                    if not location:
                        raise HTTPStatus(f"redirect {resp.status} without a Location", url, resp.status)
                    nxt = urljoin(current, location)
                    if nxt in seen:
                        raise TooManyRedirects(f"redirect loop at {nxt}", url)
                    if len(hops) >= self.config.max_redirects:
                        raise TooManyRedirects(f"more than {self.config.max_redirects} redirects", url)
                    hops.append(nxt)
                    seen.add(nxt)
                    current = nxt
                    continue
                break
        except FetchError as exc:
            log.info("GET %s failed: %s: %s", url, exc.kind, exc)
            if exc.url is None:
                exc.url = url
            raise
        resp.url = url
        resp.redirects = hops
        resp.elapsed = time.monotonic() - started
        log.info("GET %s %s %d bytes %.2fs", url, resp.status, len(resp.content), resp.elapsed)
        if resp.status >= 400:
            raise HTTPStatus(f"HTTP {resp.status} from {current}", url, resp.status,
                             parse_retry_after(resp.headers.get("retry-after")))
        return resp

    def _request(self, url: str, headers: dict[str, str], started: float) -> Response:
        c = self.config
        deadline = started + c.timeout * 3
        host = urlsplit(url).hostname or ""
        with self._host_slot(host):
            try:
                with self.client.stream("GET", url, headers=headers) as r:
                    status = r.status_code
                    hdrs = {k.lower(): v for k, v in r.headers.items()}
                    if status in (301, 302, 303, 304, 307, 308) or status >= 400:
                        return Response(url, url, status, hdrs)
                    length = hdrs.get("content-length", "")
                    if length.isdigit() and int(length) > c.max_bytes:
                        raise TooLarge(f"Content-Length {int(length):,} bytes is over the cap of {c.max_bytes:,}", url)
                    chunks: list[bytes] = []
                    size = 0
                    for chunk in r.iter_bytes():
                        size += len(chunk)
                        if size > c.max_bytes:
                            raise TooLarge(f"body passed the cap of {c.max_bytes:,} bytes", url)
                        if time.monotonic() > deadline:
                            raise NetworkError(f"too slow: no complete answer within {c.timeout * 3:.0f}s", url)
                        chunks.append(chunk)
                    return Response(url, url, status, hdrs, b"".join(chunks))
            except FetchError:
                raise
            except httpx.TimeoutException as exc:
                raise NetworkError(f"timed out ({type(exc).__name__})", url) from None
            except httpx.DecodingError as exc:
                raise NetworkError(f"cannot decode the response: {exc}", url) from None
            except (httpx.HTTPError, httpx.InvalidURL, OSError, ValueError) as exc:
                msg = str(exc) or type(exc).__name__
                raise NetworkError(f"{type(exc).__name__}: {msg}", url) from None
