"""The fetch client's guards that need no misbehaving server (those are in test_hostile.py)."""

import httpx
import pytest

from newswatch.config import FetchConfig
from newswatch.errors import BlockedURL, HTTPStatus, TooLarge, TooManyRedirects
from newswatch.ingest.fetch import Fetcher, host_is_public, parse_retry_after


@pytest.mark.parametrize("url", ["http://127.0.0.1/feed", "http://localhost/feed", "http://10.1.2.3/x",
                                 "http://192.168.0.1/", "http://[::1]/", "http://169.254.169.254/latest/meta-data"])
def test_private_addresses_refused_by_default(url: str) -> None:
    with Fetcher(FetchConfig()) as f, pytest.raises(BlockedURL, match="allow_private"):
        f.get(url)


def test_non_http_schemes_refused() -> None:
    with Fetcher(FetchConfig(allow_private=True)) as f, pytest.raises(BlockedURL):
        f.get("file:///etc/passwd")


def test_public_address_check() -> None:
    assert host_is_public("8.8.8.8")[0]
    assert not host_is_public("::ffff:127.0.0.1")[0]


def _mock(handler) -> Fetcher:  # type: ignore[no-untyped-def]
    return Fetcher(FetchConfig(allow_private=True, max_bytes=1000, max_redirects=3, host_delay=0),
                   transport=httpx.MockTransport(handler))


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
