"""A misbehaving HTTP server on 127.0.0.1 for the hostile-input and daemon tests.

Raw sockets rather than http.server, because the interesting cases are the ones a well-behaved
server library will not produce: a reply dripped one byte a second, a reset in the middle, a
body that never ends, headers that lie. Each path is one behaviour (see ``ROUTES``); good feeds
and article pages live under ``/ok/`` so a test can check that they still get through while
their neighbours misbehave. The server counts the bytes it managed to send per path, so a test
can prove a client stopped reading early.

Also here: ``backlog_full_port()``, a port whose accept queue is full, so connecting to it hangs
until the client's connect timeout (the local stand-in for a blackholed address).
"""

from __future__ import annotations

import email.utils
import socket
import socketserver
import struct
import threading
import time
import zlib
from collections import defaultdict
from collections.abc import Callable
from urllib.parse import urlsplit

HUGE = 200 * 1024 * 1024  # the "200 MB body"
BOMB_INFLATED = 256 * 1024 * 1024  # what the gzip bomb would inflate to

ARTICLE_TEXT = (
    "The operator said the new campus in the high desert will draw 300 megawatts once all four "
    "halls are energised, making it one of the largest single AI training sites in the region. "
    "Construction began last spring and the first hall is already running a cluster of 24,000 "
    "accelerators, according to a spokesperson who asked that the tenant not be named. "
    "Local officials approved a new substation in March and the utility has agreed to a "
    "long-term supply contract backed by a mix of gas turbines and solar with batteries. "
    "Analysts expect the site to be fully leased before the last hall is finished."
)


def rss(items: list[tuple[str, str]], title: str = "Good feed", ttl: int | None = None) -> bytes:
    ttl_el = f"<ttl>{ttl}</ttl>" if ttl else ""
    body = "".join(
        f"<item><title>{t}</title><link>{link}</link><guid>{link}</guid>"
        f"<pubDate>Mon, 02 Jun 2025 10:00:00 GMT</pubDate>"
        f"<description>{t}: a short summary of the report.</description></item>"
        for t, link in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
        f"<link>http://example.invalid/</link>{ttl_el}{body}</channel></rss>"
    ).encode()


def article_page(title: str) -> bytes:
    paras = "".join(f"<p>{ARTICLE_TEXT} ({title}, part {i}.)</p>" for i in range(3))
    return (
        f"<!doctype html><html><head><title>{title}</title></head><body>"
        f"<nav><a href='/'>Home</a> <a href='/about'>About</a></nav>"
        f"<article><h1>{title}</h1>{paras}</article><footer>Copyright</footer></body></html>"
    ).encode()


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>&lol9;</title><link>/ok/laughs-item</link><description>&lol9;</description></item>
</channel></rss>
"""

# Quadratic blowup: no nesting (so "safe" to naive filters), one 40 kB entity used 20,000 times:
# 100 kB on the wire, 800 MB if expanded.
QUADRATIC = (
    b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "' + b"a" * 40_000 + b'">]>'
    b'<rss version="2.0"><channel><title>Quadratic</title><item><title>q</title>'
    b"<link>/ok/quadratic-item</link><description>" + b"&a;" * 20_000 + b"</description></item>"
    b"</channel></rss>"
)

# Declares UTF-8 but is not: Latin-1 bytes and a stray continuation byte in the middle.
BAD_ENCODING = (
    b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Caf\xe9 \x80\xff</title>'
    b"<item><title>Na\xefve \xc3\x28 bytes</title><link>/ok/badenc-item</link>"
    b"<description>Stra\xdfe</description></item></channel></rss>"
)
# Declares an encoding no codec knows.
UNKNOWN_ENCODING = (
    b'<?xml version="1.0" encoding="x-no-such-charset"?><rss version="2.0"><channel><title>T</title>'
    b"<item><title>Item</title><link>/ok/unknown-enc-item</link></item></channel></rss>"
)

HTML_PAGE = article_page("Not a feed at all")


_BOMB: list[bytes] = []


def gzip_bomb() -> bytes:
    """BOMB_INFLATED zero bytes gzip-compressed (about 1000:1), built once per session without
    ever holding the inflated bytes."""
    if not _BOMB:
        comp = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: gzip container
        block = bytes(1024 * 1024)
        out = [comp.compress(block) for _ in range(BOMB_INFLATED // len(block))]
        out.append(comp.flush())
        _BOMB.append(b"".join(out))
    return _BOMB[0]


class HostileServer:
    """``with HostileServer() as s: s.url('/drip')``. Thread per connection, all daemon threads."""

    def __init__(self, good_feeds: int = 2, items_per_feed: int = 3) -> None:
        self.good_feeds = good_feeds
        self.items_per_feed = items_per_feed
        self.sent: dict[str, int] = defaultdict(int)  # path -> bytes written
        self.hits: dict[str, int] = defaultdict(int)
        self.hit_times: dict[str, list[float]] = defaultdict(list)
        self.robots: dict[str, tuple[int, bytes]] = {}  # set by tests: robots.txt status and body
        self.extra: dict[str, Callable[[socket.socket, str], None]] = {}
        self.page_delay = 0.0  # seconds before each good article page is sent
        self._lock = threading.Lock()
        self._stop = threading.Event()
        server = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                server._handle(self.request)

        class TCP(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self._tcp = TCP(("127.0.0.1", 0), Handler)
        self.port = self._tcp.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._tcp.serve_forever, name="hostile-server", daemon=True)

    # --- lifecycle -------------------------------------------------------------------------

    def __enter__(self) -> HostileServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._stop.set()
        self._tcp.shutdown()
        self._tcp.server_close()

    def url(self, path: str) -> str:
        return self.base_url + path

    def good_feed_urls(self) -> list[str]:
        return [self.url(f"/ok/feed-{n}.xml") for n in range(self.good_feeds)]

    def good_article_urls(self) -> list[str]:
        return [self.url(f"/ok/article-{n}-{i}.html")
                for n in range(self.good_feeds) for i in range(self.items_per_feed)]

    # --- plumbing --------------------------------------------------------------------------

    def _count(self, path: str, n: int) -> None:
        with self._lock:
            self.sent[path] += n

    def _send(self, sock: socket.socket, path: str, data: bytes) -> None:
        sock.sendall(data)
        self._count(path, len(data))

    def _reply(self, sock: socket.socket, path: str, status: str, body: bytes = b"",
               headers: dict[str, str] | None = None, length: bool = True) -> None:
        hdrs = {"Content-Type": "text/html; charset=utf-8", "Connection": "close", **(headers or {})}
        if length:
            hdrs["Content-Length"] = str(len(body))
        head = f"HTTP/1.1 {status}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in hdrs.items()) + "\r\n"
        self._send(sock, path, head.encode() + body)

    def _read_request(self, sock: socket.socket) -> str | None:
        sock.settimeout(5)
        data = b""
        while b"\r\n\r\n" not in data:
            try:
                chunk = sock.recv(4096)
            except OSError:
                return None
            if not chunk:
                return None
            data += chunk
        line = data.split(b"\r\n", 1)[0].decode("latin-1")
        parts = line.split(" ")
        return urlsplit(parts[1]).path if len(parts) >= 2 else None

    def _handle(self, sock: socket.socket) -> None:
        path = self._read_request(sock)
        if path is None:
            return
        with self._lock:
            self.hits[path] += 1
            self.hit_times[path].append(time.monotonic())
        try:
            if path in self.extra:
                self.extra[path](sock, path)
            elif path == "/robots.txt":
                status, body = self.robots.get("robots", (404, b"not found"))
                self._reply(sock, path, f"{status} X", body, {"Content-Type": "text/plain"})
            elif path.startswith("/ok/"):
                self._good(sock, path)
            else:
                handler = ROUTES.get(path)
                if handler is None:
                    self._reply(sock, path, "404 Not Found", b"no such page")
                else:
                    handler(self, sock, path)
        except OSError:
            pass  # the client hung up: exactly what several cases want

    def _good(self, sock: socket.socket, path: str) -> None:
        name = path.rsplit("/", 1)[-1]
        if name.startswith("feed-"):
            n = int(name.split("-")[1].split(".")[0])
            items = [(f"Good story {n}-{i}", self.url(f"/ok/article-{n}-{i}.html"))
                     for i in range(self.items_per_feed)]
            self._reply(sock, path, "200 OK", rss(items, f"Good feed {n}"),
                        {"Content-Type": "application/rss+xml; charset=utf-8"})
        elif name.startswith("article-"):
            if self.page_delay:
                self._stop.wait(self.page_delay)
            self._reply(sock, path, "200 OK", article_page(f"Good story {name[8:-5]}"))
        else:
            self._reply(sock, path, "404 Not Found", b"no such page")

    # --- the behaviours ---------------------------------------------------------------------

    def stall(self, sock: socket.socket, path: str) -> None:
        """Accept, read the request, never answer (a read timeout)."""
        self._stop.wait(60)

    def drip(self, sock: socket.socket, path: str) -> None:
        """Headers at once, then the body one byte a second, forever."""
        self._send(sock, path, b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n\r\n")
        body = rss([("Dripped", "http://drip.invalid/a")]) * 1000
        for byte in body:
            if self._stop.wait(1.0):
                return
            self._send(sock, path, bytes([byte]))

    def drip_headers(self, sock: socket.socket, path: str) -> None:
        """The status line and headers themselves, one byte every 0.3 s, never ending."""
        head = b"HTTP/1.1 200 OK\r\n" + b"X-Padding: " + b"a" * 10_000
        for byte in head:
            if self._stop.wait(0.3):
                return
            self._send(sock, path, bytes([byte]))

    def reset(self, sock: socket.socket, path: str) -> None:
        """Half a reply, then a TCP reset (SO_LINGER 0 turns close() into RST)."""
        self._send(sock, path, b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 5000\r\n\r\n<rss")
        time.sleep(0.05)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()

    def reset_early(self, sock: socket.socket, path: str) -> None:
        """A reset before any byte of the reply."""
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()

    def error_500(self, sock: socket.socket, path: str) -> None:
        self._reply(sock, path, "500 Internal Server Error", b"<h1>oops</h1>")

    def error_503_date(self, sock: socket.socket, path: str) -> None:
        when = email.utils.formatdate(time.time() + 5400, usegmt=True)
        self._reply(sock, path, "503 Service Unavailable", b"busy", {"Retry-After": when})

    def error_429(self, sock: socket.socket, path: str) -> None:
        self._reply(sock, path, "429 Too Many Requests", b"slow down", {"Retry-After": "7200"})

    def loop_a(self, sock: socket.socket, path: str) -> None:
        self._reply(sock, path, "302 Found", b"", {"Location": "/loop-b"})

    def loop_b(self, sock: socket.socket, path: str) -> None:
        self._reply(sock, path, "301 Moved Permanently", b"", {"Location": self.url("/loop-a")})

    def endless_redirects(self, sock: socket.socket, path: str) -> None:
        n = self.hits[path]
        self._reply(sock, path, "302 Found", b"", {"Location": f"/endless?n={n}"})

    def huge(self, sock: socket.socket, path: str) -> None:
        """200 MB with no Content-Length: only the streaming cap can stop it."""
        self._send(sock, path, b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nConnection: close\r\n\r\n")
        block = b"<!-- padding -->" * 4096  # 64 KiB
        sent = 0
        while sent < HUGE and not self._stop.is_set():
            self._send(sock, path, block)
            sent += len(block)

    def huge_declared(self, sock: socket.socket, path: str) -> None:
        """200 MB announced in Content-Length: refused on the header alone."""
        self._send(sock, path, f"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: {HUGE}\r\n\r\n".encode())
        block = b"x" * 65536
        sent = 0
        while sent < HUGE and not self._stop.is_set():
            self._send(sock, path, block)
            sent += len(block)

    def bomb(self, sock: socket.socket, path: str) -> None:
        """A 256 kB gzip body that inflates to 256 MB."""
        self._reply(sock, path, "200 OK", gzip_bomb(),
                    {"Content-Type": "application/rss+xml", "Content-Encoding": "gzip"})

    def laughs(self, sock: socket.socket, path: str) -> None:
        self._reply(sock, path, "200 OK", BILLION_LAUGHS, {"Content-Type": "application/rss+xml"})

    def quadratic(self, sock: socket.socket, path: str) -> None:
        self._reply(sock, path, "200 OK", QUADRATIC, {"Content-Type": "application/rss+xml"})

    def bad_encoding(self, sock: socket.socket, path: str) -> None:
        self._reply(sock, path, "200 OK", BAD_ENCODING, {"Content-Type": "application/rss+xml; charset=utf-8"})

    def unknown_encoding(self, sock: socket.socket, path: str) -> None:
        self._reply(sock, path, "200 OK", UNKNOWN_ENCODING, {"Content-Type": "application/xml"})

    def html(self, sock: socket.socket, path: str) -> None:
        self._reply(sock, path, "200 OK", HTML_PAGE, {"Content-Type": "text/html; charset=utf-8"})

    def empty(self, sock: socket.socket, path: str) -> None:
        self._reply(sock, path, "200 OK", b"", {"Content-Type": "application/rss+xml"})

    def garbage_gzip(self, sock: socket.socket, path: str) -> None:
        """Says gzip, is not."""
        self._reply(sock, path, "200 OK", b"\x1f\x8b\x08\x00 this is not gzip at all" * 10,
                    {"Content-Type": "application/rss+xml", "Content-Encoding": "gzip"})

    def ttl_feed(self, sock: socket.socket, path: str) -> None:
        """A good feed that asks to be polled at most every 3 hours (RSS ttl, in minutes)."""
        self._reply(sock, path, "200 OK", rss([("TTL story", self.url("/ok/article-ttl.html"))], ttl=180),
                    {"Content-Type": "application/rss+xml"})

    def max_age_feed(self, sock: socket.socket, path: str) -> None:
        self._reply(sock, path, "200 OK", rss([("Max-age story", self.url("/ok/article-maxage.html"))]),
                    {"Content-Type": "application/rss+xml", "Cache-Control": "public, max-age=14400"})


ROUTES: dict[str, Callable[[HostileServer, socket.socket, str], None]] = {
    "/stall": HostileServer.stall,
    "/drip": HostileServer.drip,
    "/drip-headers": HostileServer.drip_headers,
    "/reset": HostileServer.reset,
    "/reset-early": HostileServer.reset_early,
    "/500": HostileServer.error_500,
    "/503": HostileServer.error_503_date,
    "/429": HostileServer.error_429,
    "/loop-a": HostileServer.loop_a,
    "/loop-b": HostileServer.loop_b,
    "/endless": HostileServer.endless_redirects,
    "/huge": HostileServer.huge,
    "/huge-declared": HostileServer.huge_declared,
    "/bomb": HostileServer.bomb,
    "/laughs": HostileServer.laughs,
    "/quadratic": HostileServer.quadratic,
    "/bad-encoding": HostileServer.bad_encoding,
    "/unknown-encoding": HostileServer.unknown_encoding,
    "/html": HostileServer.html,
    "/empty": HostileServer.empty,
    "/garbage-gzip": HostileServer.garbage_gzip,
    "/ttl": HostileServer.ttl_feed,
    "/max-age": HostileServer.max_age_feed,
}


class BacklogFull:
    """A listening socket whose accept queue is full and never drained: new connections hang in
    SYN-SENT until the client gives up (a connect timeout, like a blackholed address)."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(0)
        self.port = self.sock.getsockname()[1]
        self._fillers: list[socket.socket] = []
        # Linux accepts backlog+1 connections into the queue; fill it (and a spare) without
        # ever calling accept().
        for _ in range(3):
            c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            c.setblocking(False)
            try:
                c.connect(("127.0.0.1", self.port))
            except BlockingIOError:
                pass
            self._fillers.append(c)
        time.sleep(0.1)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/feed.xml"

    def close(self) -> None:
        for c in self._fillers:
            c.close()
        self.sock.close()

    def __enter__(self) -> BacklogFull:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def gunzip_size(data: bytes) -> int:
    """How big a gzip body really is (for asserting the bomb is a bomb)."""
    d = zlib.decompressobj(31)
    total = 0
    while data:
        total += len(d.decompress(data, 1 << 20))
        data = d.unconsumed_tail
    return total
