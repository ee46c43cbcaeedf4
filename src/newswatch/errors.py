"""The exceptions newswatch raises, in one tree so callers can catch at the right depth.

    NewswatchError            anything a user can cause or fix; the CLI prints it as one line
    ├── ConfigError           feeds.yaml is missing, malformed or invalid (names file, line, key)
    ├── StoreError            the database cannot be opened or migrated
    ├── FetchError            one URL could not be fetched; recorded as a row, the batch goes on
    │   ├── BlockedURL        scheme not http(s), or host resolves to a private/loopback address
    │   ├── TooLarge          the body passed the size cap (stopped without reading it all)
    │   ├── TooManyRedirects  more redirects than allowed, or a redirect loop
    │   ├── HTTPStatus        a 4xx/5xx answer (carries the status and any Retry-After)
    │   ├── RobotsDisallowed  robots.txt of the site disallows this article page
    │   └── NetworkError      DNS, connect, read timeout, reset, TLS, total deadline
    │       └── RobotsUnavailable  robots.txt could not be read (5xx, timeout): no pages for now
    ├── FeedError             the body is not a feed (no entries and a parse error)
    ├── ModelError            the embedding model cannot be loaded offline
    └── MailError             the digest could not be emailed (SMTP refused, unreachable, no password)

    BaseException
    └── StopRequested         the daemon is stopping: raised by Store.transaction() between two
                              transactions (like KeyboardInterrupt, no ``except Exception`` eats it)

Every FetchError has a short machine-readable ``kind`` stored in ``fetch_errors.kind``.
"""

from __future__ import annotations


class NewswatchError(Exception):
    """Base class: an error with a message fit to show a user on one line."""


class ConfigError(NewswatchError):
    """The configuration file cannot be used."""


class StoreError(NewswatchError):
    """The SQLite store cannot be opened or migrated."""


class FetchError(NewswatchError):
    """A URL could not be fetched. ``kind`` is the short label stored with the error row."""

    kind = "fetch"

    def __init__(self, message: str, url: str | None = None) -> None:
        super().__init__(message)
        self.url = url


class BlockedURL(FetchError):
    kind = "blocked"


class TooLarge(FetchError):
    kind = "too_large"


class TooManyRedirects(FetchError):
    kind = "redirects"


class HTTPStatus(FetchError):
    kind = "http"

    def __init__(
        self, message: str, url: str | None = None, status: int = 0, retry_after: float | None = None
    ) -> None:
        super().__init__(message, url)
        self.status = status
        self.retry_after = retry_after


class NetworkError(FetchError):
    kind = "network"


class RobotsDisallowed(FetchError):
    """The site's robots.txt disallows the page: the article falls back to the feed's text."""

    kind = "robots"


class RobotsUnavailable(NetworkError):
    """robots.txt answered 5xx or not at all. RFC 9309 says to assume everything is disallowed
    then; as a NetworkError it is transient, so the page is retried on a later run."""

    kind = "robots"


class FeedError(NewswatchError):
    """A response that should be a feed is not one (nothing parseable in it)."""

    kind = "parse"


class ModelError(NewswatchError):
    """The sentence-transformers model cannot be loaded from local files."""


class StopRequested(BaseException):
    """Raised instead of starting a transaction once the daemon has been asked to stop, so a
    job ends between two transactions and the database is left as after the last one. A
    BaseException, like KeyboardInterrupt, so a stage's ``except Exception`` cannot swallow it."""


class MailError(NewswatchError):
    """The digest email could not be sent; the digest files are written all the same."""
