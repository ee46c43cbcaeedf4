"""All network I/O: one httpx client with the limits a polite, hard-to-hurt crawler needs.

What it guarantees to the rest of newswatch:

- an honest User-Agent, connect/read timeouts and a total deadline per request, enforced on
  every socket operation (a server that drips its headers or body one byte a second cannot hold
  a worker forever: httpx's own timeouts are per read only);
- a body size cap enforced while streaming the *decoded* body, so a huge page or a gzip bomb is
  cut off without being read (or inflated) in full: gzip/deflate are inflated here, never more
  than one byte past the cap;
- redirects followed by hand, at most ``max_redirects``, each hop re-checked, loops refused;
- addresses checked where the connection is made (resolve once, connect to the address that
  passed: no DNS rebinding): link-local, cloud-metadata and unspecified addresses never; private and
  loopback ones only for hosts in ``fetch.allow_hosts``, or with ``fetch.allow_private`` the host of
  the feed itself (a feed must not make us probe the LAN through the links it carries);
- conditional GET with both ETag and Last-Modified: a 304 is a success with nothing to do;
- a per-host concurrency limit shared by all threads using the same Fetcher, and a minimum
  delay between the starts of two requests to one host (``fetch.host_delay``, raised by the
  site's robots.txt Crawl-delay; loopback hosts are exempt: they are this machine);
- robots.txt honoured for article pages (``get(..., robots=True)``; see robots.py), fetched
  through this same client and cached per origin.

Failures raise subclasses of :class:`newswatch.errors.FetchError` (see errors.py for the tree);
the caller records them as rows and goes on. One INFO log line per request.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from .. import __version__
from ..config import FetchConfig
from ..errors import (
    BlockedURL,
    FetchError,
    HTTPStatus,
    NetworkError,
    RobotsDisallowed,
    RobotsUnavailable,
    TooLarge,
    TooManyRedirects,
)
from .robots import RobotsCache, robots_url

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


Resolver = Callable[[str, int], list[str]]


def system_resolver(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (getaddrinfo), as text."""
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, OSError) as exc:
        raise NetworkError(f"cannot resolve host {host!r}: {exc}") from None
    return [info[4][0].split("%")[0] for info in infos]


# Cloud metadata services answer on link-local addresses (169.254.169.254, fd00:ec2::254 on AWS's
# IPv6, which sits in the ULA range): these, unspecified and multicast addresses are never reached,
# whatever the settings say.
_NEVER_NETWORKS = (ipaddress.ip_network("0.0.0.0/8"), ipaddress.ip_network("fd00:ec2::254/128"))


def address_class(text: str) -> str:
    """``public``, ``private`` (loopback, RFC 1918, ULA, shared...) or ``never``."""
    addr = ipaddress.ip_address(text.strip("[]").split("%")[0])
    mapped = getattr(addr, "ipv4_mapped", None)
    if mapped is not None:
        addr = mapped
    if addr.is_unspecified or addr.is_link_local or addr.is_multicast:
        return "never"
    if any(addr in net for net in _NEVER_NETWORKS if net.version == addr.version):
        return "never"
    if addr.is_loopback:
        return "private"
    if addr.is_reserved:
        return "never"
    return "public" if addr.is_global else "private"


def host_is_public(host: str, port: int | None = None, resolver: Resolver = system_resolver) -> tuple[bool, str]:
    """Resolve ``host`` and report whether every address it maps to is globally routable.

    Returns (ok, reason). A host that does not resolve is reported as a network error by the
    caller, not blocked here.
    """
    for text in _addresses(host, port or 80, resolver):
        if address_class(text) != "public":
            return False, f"{host.strip('[]')} resolves to non-public address {text}"
    return True, ""


def _addresses(host: str, port: int, resolver: Resolver) -> list[str]:
    host = host.strip("[]")
    try:
        return [str(ipaddress.ip_address(host))]
    except ValueError:
        return resolver(host, port)


@dataclass(frozen=True)
class AddressPolicy:
    """Which addresses one request may reach. Public ones always; link-local, metadata and
    unspecified ones never; private ones only for a host the user named in ``fetch.allow_hosts``,
    or, with ``fetch.allow_private``, the host of the feed being served (its own pages) - a feed's
    permission never extends to links it carries to other hosts."""

    allow_hosts: tuple[str, ...] = ()
    private_host: str | None = None  # the host allow_private covers for this request

    def refusal(self, host: str, address: str) -> str | None:
        """None if ``host`` may be reached at ``address``, else why not."""
        kind = address_class(address)
        if kind == "public":
            return None
        host = host.strip("[]").lower()
        if kind == "never":
            return f"{host} resolves to {address}, a link-local, metadata or unspecified address (never fetched)"
        if self.private_host is not None and host == self.private_host:
            return None
        addr = ipaddress.ip_address(address.split("%")[0])
        for allowed in self.allow_hosts:
            if allowed == host:
                return None
            try:
                if addr in ipaddress.ip_network(allowed, strict=False):
                    return None
            except ValueError:
                continue
        return (f"{host} resolves to non-public address {address} "
                "(list it in fetch.allow_hosts, or set fetch.allow_private for a feed's own host)")

    def connect_address(self, host: str, port: int, resolver: Resolver) -> str:
        """Resolve once and return the address to connect to; BlockedURL if any is refused
        (checking and connecting to the same address closes the DNS-rebinding gap)."""
        addrs = _addresses(host, port, resolver)
        for text in addrs:
            reason = self.refusal(host, text)
            if reason:
                raise BlockedURL(f"refused: {reason}")
        if not addrs:
            raise NetworkError(f"cannot resolve host {host!r}: no address")
        return addrs[0]


# --- the total deadline, enforced at the socket ----------------------------------------------
# httpx only has per-operation timeouts: a server that drips its *headers* one byte a second never
# trips them, and a check between body chunks never runs. So every socket operation of a request
# is bounded by what is left of the request's deadline, held per thread: httpx is synchronous, so
# a request's reads happen in the thread that made it, even on a reused pooled connection.

_deadline = threading.local()


class DeadlinePassed(httpcore.ReadTimeout):
    """The request's total deadline passed (httpx maps it to httpx.ReadTimeout)."""


def _bounded(timeout: float | None) -> float | None:
    end = getattr(_deadline, "at", None)
    if end is None:
        return timeout
    left = end - time.monotonic()
    if left <= 0:
        raise DeadlinePassed("total deadline passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _bounded(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _bounded(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None):  # type: ignore[no-untyped-def]
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, _bounded(timeout)))

    def get_extra_info(self, info: str) -> object:
        return self._inner.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    def __init__(self, inner: httpcore.NetworkBackend) -> None:
        self._inner = inner

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):  # type: ignore[no-untyped-def]
        guard = getattr(_deadline, "guard", None)
        if guard is not None:  # resolve here, check, and connect to exactly the address checked
            policy, resolver = guard
            host = policy.connect_address(host, port, resolver)
        return _DeadlineStream(self._inner.connect_tcp(host, port, _bounded(timeout), local_address, socket_options))

    def connect_unix_socket(self, path, timeout=None, socket_options=None):  # type: ignore[no-untyped-def]
        return _DeadlineStream(self._inner.connect_unix_socket(path, _bounded(timeout), socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def _deadline_transport(limits: httpx.Limits) -> httpx.HTTPTransport:
    """httpx's transport with its connection pool's network backend wrapped (httpcore's pool
    takes a backend, httpx's transport does not pass one through, hence the attribute)."""
    transport = httpx.HTTPTransport(limits=limits)
    pool = getattr(transport, "_pool", None)
    backend = getattr(pool, "_network_backend", None)
    if backend is None:  # pragma: no cover - only if httpx/httpcore internals change
        log.warning("cannot wrap the httpx network backend: the total deadline is checked between body chunks only")
        return transport
    pool._network_backend = _DeadlineBackend(backend)  # type: ignore[union-attr]
    return transport


class _Inflater:
    """gzip/deflate decoding whose output is bounded: one byte past the cap is enough to know a
    body is too big, so a bomb is never inflated (httpx's decoder inflates each chunk in full)."""

    def __init__(self, encoding: str) -> None:
        self.gzip = encoding in ("gzip", "x-gzip")
        self._d: zlib._Decompress | None = zlib.decompressobj(16 + zlib.MAX_WBITS) if self.gzip else None

    def feed(self, data: bytes, room: int) -> bytes:
        """Inflate ``data``, producing at most ``room + 1`` bytes."""
        if self._d is None:  # deflate: zlib-wrapped as the RFC says, or raw as some servers send
            zlib_header = len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0
            self._d = zlib.decompressobj(zlib.MAX_WBITS if zlib_header else -zlib.MAX_WBITS)
        return self._d.decompress(data, max(room, 0) + 1)

    def flush(self) -> bytes:
        return self._d.flush() if self._d is not None else b""


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class Fetcher:
    """The one HTTP client. Thread-safe; share one per process."""

    def __init__(self, config: FetchConfig | None = None, transport: httpx.BaseTransport | None = None,
                 resolver: Resolver = system_resolver) -> None:
        self.config = config or FetchConfig()
        self.resolver = resolver
        c = self.config
        limits = httpx.Limits(max_connections=max(c.concurrency, c.per_host) + 2,
                              max_keepalive_connections=c.concurrency)
        self.client = httpx.Client(
            headers={"User-Agent": c.user_agent or DEFAULT_USER_AGENT,
                     "Accept-Encoding": "gzip, deflate"},  # the two _Inflater can bound
            timeout=httpx.Timeout(c.timeout, connect=min(c.timeout, 10.0)),
            follow_redirects=False,
            limits=limits,
            transport=transport or _deadline_transport(limits),
        )
        self._host_limits: dict[str, threading.BoundedSemaphore] = {}
        self._lock = threading.Lock()
        self._next_turn: dict[str, float] = {}  # host -> monotonic time its next request may start
        self._host_delays: dict[str, float] = {}  # host -> Crawl-delay from its robots.txt
        self.agent = (c.user_agent or DEFAULT_USER_AGENT).split("/")[0].split()[0] or "newswatch"
        self.stopping = threading.Event()  # the daemon swaps in its stop flag: queued requests fail fast
        self.robots = RobotsCache(self._fetch_robots)

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

    def _wait_turn(self, host: str) -> None:
        """Space the starts of requests to one host by at least its delay. Slots are reserved
        under the lock, so concurrent workers queue up instead of all firing after one sleep."""
        with self._lock:
            delay = max(self.config.host_delay, self._host_delays.get(host, 0.0))
            if delay <= 0 or _is_loopback(host):
                return
            now = time.monotonic()
            turn = max(now, self._next_turn.get(host, 0.0))
            self._next_turn[host] = turn + delay
        if turn > now:
            self.stopping.wait(turn - now)

    def _fetch_robots(self, url: str) -> tuple[int | None, bytes, str | None]:
        """RobotsCache's fetch: the same client and limits, no robots check of its own."""
        try:
            resp = self.get(url, accept="text/plain, */*;q=0.5")
        except HTTPStatus as exc:
            return exc.status or None, b"", f"HTTP {exc.status}"
        except FetchError as exc:
            return None, b"", f"{exc.kind}: {exc}"
        return resp.status, resp.content, None

    def check_robots(self, url: str) -> None:
        """Raise RobotsDisallowed (or RobotsUnavailable, transient) unless robots.txt lets us
        fetch ``url``. Also adopts the site's Crawl-delay as its per-host delay."""
        rules = self.robots.rules(url)
        host = urlsplit(url).hostname or ""
        delay = rules.crawl_delay(self.agent)
        if delay and self._host_delays.get(host) != delay:
            with self._lock:  # applies from the robots.txt request on, which just ended
                self._host_delays[host] = delay
                if not _is_loopback(host):
                    self._next_turn[host] = max(self._next_turn.get(host, 0.0), time.monotonic() + delay)
        if rules.unreachable:
            raise RobotsUnavailable(
                f"robots.txt of {host} could not be read ({rules.unreachable}); its pages wait", url)
        if not rules.allows(url, self.agent):
            raise RobotsDisallowed(f"disallowed by {robots_url(url)}", url)

    def policy(self, on_behalf_of: str) -> AddressPolicy:
        """The address policy of a request made for the feed or page ``on_behalf_of``."""
        host = (urlsplit(on_behalf_of).hostname or "").lower() if self.config.allow_private else None
        return AddressPolicy(tuple(h.lower() for h in self.config.allow_hosts), host or None)

    def check_url(self, url: str, policy: AddressPolicy | None = None) -> None:
        """Raise BlockedURL for URLs newswatch must not request. The addresses are checked again
        when the connection is made, and the connection goes to an address that passed."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise BlockedURL(f"not an http(s) URL: {url}", url)
        if not parts.hostname:
            raise BlockedURL(f"URL has no host: {url}", url)
        policy = policy or self.policy(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        for address in _addresses(parts.hostname, port, self.resolver):
            reason = policy.refusal(parts.hostname, address)
            if reason:
                raise BlockedURL(f"refused: {reason}", url)

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
            accept: str = HTML_ACCEPT, robots: bool = False, feed_url: str | None = None) -> Response:
        """GET ``url`` within every limit above. Raises FetchError subclasses.

        ``feed_url`` is the feed an article link came from: with ``fetch.allow_private`` only that
        feed's own host may be private (default: the URL itself, as for a feed).

        ``robots=True`` (article pages) checks every hop against its site's robots.txt. The
        total deadline (3 x timeout) counts time spent talking to servers across all hops, not
        time spent waiting for a host's turn.
        """
        started = time.monotonic()
        budget = self.config.timeout * 3
        spent = 0.0
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = url
        seen = {url}
        hops: list[str] = []
        policy = self.policy(feed_url or url)
        try:
            while True:
                self.check_url(current, policy)
                if robots:
                    self.check_robots(current)
                if spent >= budget:
                    raise NetworkError(f"too slow: no complete answer within {budget:g}s", url)
                resp = self._request(current, headers, budget - spent, policy)
                spent += resp.elapsed
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

    def _request(self, url: str, headers: dict[str, str], budget: float,
                 policy: AddressPolicy | None = None) -> Response:
        """One hop: wait for the host's slot and turn, then GET within ``budget`` seconds.
        ``Response.elapsed`` is the time spent on the network, waits excluded."""
        c = self.config
        host = urlsplit(url).hostname or ""
        with self._host_slot(host):
            self._wait_turn(host)
            if self.stopping.is_set():
                raise NetworkError("not sent: newswatch is stopping", url)
            started = time.monotonic()
            deadline = started + budget
            # A host's slots are few: a reply that dribbles must give its slot back long before the
            # total deadline, so headers get `header_timeout` and the body a minimum average rate.
            head_by = min(deadline, started + (c.header_timeout or c.timeout))
            _deadline.at = head_by
            _deadline.guard = (policy or self.policy(url), self.resolver)
            headers_in = False
            try:
                with self.client.stream("GET", url, headers=headers) as r:
                    headers_in = True
                    _deadline.at = deadline
                    status = r.status_code
                    hdrs = {k.lower(): v for k, v in r.headers.items()}
                    if status in (301, 302, 303, 304, 307, 308) or status >= 400:
                        return Response(url, url, status, hdrs, elapsed=time.monotonic() - started)
                    length = hdrs.get("content-length", "")
                    if length.isdigit() and int(length) > c.max_bytes:
                        raise TooLarge(f"Content-Length {int(length):,} bytes is over the cap of {c.max_bytes:,}", url)
                    body = self._read_body(r, hdrs, url, deadline, rate_from=(started, head_by))
                    return Response(url, url, status, hdrs, body, elapsed=time.monotonic() - started)
            except FetchError:
                raise
            except httpx.TimeoutException as exc:
                now = time.monotonic()
                if now >= deadline - 0.05:
                    raise NetworkError(f"too slow: no complete answer within {budget:g}s", url) from None
                if not headers_in and now >= head_by - 0.05:
                    raise NetworkError(f"too slow: no complete headers within {head_by - started:g}s "
                                       f"({type(exc).__name__})", url) from None
                raise NetworkError(f"timed out ({type(exc).__name__})", url) from None
            except zlib.error as exc:
                raise NetworkError(f"cannot decode the response: {exc}", url) from None
            except httpx.DecodingError as exc:
                raise NetworkError(f"cannot decode the response: {exc}", url) from None
            except (httpx.HTTPError, httpx.InvalidURL, OSError, ValueError) as exc:
                msg = str(exc) or type(exc).__name__
                raise NetworkError(f"{type(exc).__name__}: {msg}", url) from None
            finally:
                _deadline.at = None
                _deadline.guard = None

    def _read_body(self, r: httpx.Response, hdrs: dict[str, str], url: str, deadline: float,
                   rate_from: tuple[float, float] | None = None) -> bytes:
        """The decoded body, stopped one byte past the cap, at the deadline, and once the average
        rate since the request started falls under ``fetch.min_rate`` after ``rate_from[1]``."""
        cap = self.config.max_bytes
        if r.is_stream_consumed:  # a body httpx already holds, decoded (httpx.MockTransport in tests)
            if len(r.content) > cap:
                raise TooLarge(f"body passed the cap of {cap:,} bytes", url)
            return r.content
        codings = [x.strip().lower() for x in hdrs.get("content-encoding", "").split(",")]
        codings = [x for x in codings if x and x != "identity"]
        if len(codings) > 1 or (codings and codings[0] not in ("gzip", "x-gzip", "deflate")):
            raise NetworkError(f"unsupported Content-Encoding {hdrs['content-encoding']!r}", url)
        inflater = _Inflater(codings[0]) if codings else None
        chunks: list[bytes] = []
        size = received = 0
        for raw in r.iter_raw():
            chunk = inflater.feed(raw, cap - size) if inflater else raw
            size += len(chunk)
            if size > cap:
                raise TooLarge(f"body passed the cap of {cap:,} bytes", url)
            received += len(raw)
            now = time.monotonic()
            if now > deadline:
                raise NetworkError("too slow: the total deadline passed while reading the body", url)
            if rate_from and now > rate_from[1] and received < self.config.min_rate * (now - rate_from[0]):
                raise NetworkError(f"too slow: {received:,} bytes in {now - rate_from[0]:.1f}s, under "
                                   f"fetch.min_rate ({self.config.min_rate:g} bytes/s)", url)
            chunks.append(chunk)
        if inflater:
            tail = inflater.flush()
            size += len(tail)
            if size > cap:
                raise TooLarge(f"body passed the cap of {cap:,} bytes", url)
            chunks.append(tail)
        return b"".join(chunks)
