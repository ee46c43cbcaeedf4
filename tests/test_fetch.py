"""The fetch client's guards that need no misbehaving server (those are in test_hostile.py)."""

import http.server
import threading

import httpx
import pytest

from newswatch.config import FetchConfig
from newswatch.errors import BlockedURL, HTTPStatus, TooLarge, TooManyRedirects
from newswatch.ingest.fetch import Fetcher, host_is_public, parse_retry_after


@pytest.mark.parametrize("url", ["http://127.0.0.1/feed", "http://localhost/feed", "http://10.1.2.3/x",
                                 "http://192.168.0.1/", "http://[::1]/", "http://[fd12::1]/"])
def test_private_addresses_refused_by_default(url: str) -> None:
    with Fetcher(FetchConfig()) as f, pytest.raises(BlockedURL, match="allow_hosts"):
        f.get(url)


@pytest.mark.parametrize("url", ["http://169.254.169.254/latest/meta-data", "http://[fe80::1]/", "http://0.0.0.0/",
                                 "http://[::]/", "http://[fd00:ec2::254]/latest", "http://[::ffff:169.254.169.254]/",
                                 "http://0.1.2.3/", "http://224.0.0.1/"])
def test_link_local_metadata_and_unspecified_never_fetched(url: str) -> None:
    """Neither allow_private nor allow_hosts opens these: a feed's link must never reach the cloud
    metadata service."""
    host = url.split("//")[1].split("/")[0].strip("[]")
    config = FetchConfig(allow_private=True, allow_hosts=(host, "0.0.0.0/1", "fe80::/10", "169.254.0.0/16"))
    with Fetcher(config) as f, pytest.raises(BlockedURL, match="never fetched"):
        f.get(url)


def test_allow_private_covers_the_feeds_own_host_only() -> None:
    with Fetcher(FetchConfig(allow_private=True)) as f:
        with pytest.raises(BlockedURL, match="non-public"):
            f.get("http://10.1.2.3/article", feed_url="http://127.0.0.1:8080/feed.xml")
        f.check_url("http://127.0.0.1:9/article", f.policy("http://127.0.0.1:8080/feed.xml"))


def test_allow_hosts_names_hosts_and_networks() -> None:
    with Fetcher(FetchConfig(allow_hosts=("10.0.0.0/8", "intranet.example")),
                 resolver=lambda host, port: ["192.168.1.5"]) as f:
        f.check_url("http://10.1.2.3/x")
        f.check_url("http://intranet.example/feed")
        with pytest.raises(BlockedURL, match="allow_hosts"):
            f.check_url("http://other.example/feed")
        with pytest.raises(BlockedURL):
            f.check_url("http://192.168.0.1/")


class _Recorder(http.server.BaseHTTPRequestHandler):
    seen: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        type(self).seen.append(self.headers.get("Host", ""))
        body = b"<rss><channel><title>t</title></channel></rss>"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def local_server():  # type: ignore[no-untyped-def]
    _Recorder.seen = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_dns_rebinding_connects_only_to_the_checked_address(local_server: int) -> None:
    """A resolver that answers a public address to the check and loopback to the connection: the
    connection is refused, because the address connected to is the one checked."""
    answers = iter([["93.184.216.34"], ["127.0.0.1"], ["127.0.0.1"]])
    with Fetcher(FetchConfig(host_delay=0, timeout=2), resolver=lambda host, port: next(answers)) as f:
        with pytest.raises(BlockedURL, match="127.0.0.1"):
            f.get(f"http://rebind.test:{local_server}/feed")
    assert _Recorder.seen == []


def test_allowed_host_is_reached_at_its_resolved_address_with_its_name(local_server: int) -> None:
    with Fetcher(FetchConfig(host_delay=0, timeout=2, allow_hosts=("feeds.test",)),
                 resolver=lambda host, port: ["127.0.0.1"]) as f:
        resp = f.get(f"http://feeds.test:{local_server}/feed")
    assert resp.status == 200
    assert _Recorder.seen == [f"feeds.test:{local_server}"]


def test_non_http_schemes_refused() -> None:
    with Fetcher(FetchConfig(allow_private=True)) as f, pytest.raises(BlockedURL):
        f.get("file:///etc/passwd")


def test_public_address_check() -> None:
    assert host_is_public("8.8.8.8")[0]
    assert not host_is_public("::ffff:127.0.0.1")[0]


def _mock(handler) -> Fetcher:  # type: ignore[no-untyped-def]
    return Fetcher(FetchConfig(allow_private=True, max_bytes=1000, max_redirects=3, host_delay=0),
                   transport=httpx.MockTransport(handler), resolver=lambda host, port: ["93.184.216.34"])


def test_conditional_get_sends_both_validators() -> None:
    seen = {}

    def handler(request: httpx.Request) -> httpx.Response:
        seen.update(request.headers)
        return httpx.Response(304)

    with _mock(handler) as f:
        resp = f.get("http://8.8.8.8/feed", etag='"abc"', last_modified="Thu, 14 May 2026 09:00:00 GMT")
    assert resp.not_modified
    assert seen["if-none-match"] == '"abc"'
    assert seen["if-modified-since"] == "Thu, 14 May 2026 09:00:00 GMT"
    assert seen["user-agent"].startswith("newswatch/")


def test_size_cap_and_redirect_limits() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/big":
            return httpx.Response(200, content=b"x" * 5000)
        if request.url.path == "/loop":
            return httpx.Response(302, headers={"location": "/loop2"})
        if request.url.path == "/loop2":
            return httpx.Response(302, headers={"location": "/loop"})
        if request.url.path.startswith("/chain"):
            n = int(request.url.path[6:] or 0)
            return httpx.Response(301, headers={"location": f"/chain{n + 1}"})
        return httpx.Response(503, headers={"retry-after": "120"})

    with _mock(handler) as f:
        with pytest.raises(TooLarge):
            f.get("http://8.8.8.8/big")
        with pytest.raises(TooManyRedirects, match="loop"):
            f.get("http://8.8.8.8/loop")
        with pytest.raises(TooManyRedirects, match="more than 3"):
            f.get("http://8.8.8.8/chain0")
        with pytest.raises(HTTPStatus) as err:
            f.get("http://8.8.8.8/down")
    assert err.value.status == 503 and err.value.retry_after == 120


def test_redirect_to_private_address_refused() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"location": "http://127.0.0.1/admin"})

    with Fetcher(FetchConfig(), transport=httpx.MockTransport(handler)) as f, pytest.raises(BlockedURL):
        f.get("http://8.8.8.8/feed")


def test_retry_after_date() -> None:
    from datetime import UTC, datetime

    now = datetime(2026, 5, 14, 9, 0, tzinfo=UTC)
    assert parse_retry_after("Thu, 14 May 2026 09:02:00 GMT", now) == 120
    assert parse_retry_after("soon") is None
