"""feeds.yaml loading, validation messages and in-place editing."""

from pathlib import Path

import pytest

from newswatch.config import FeedConfig, load_config, parse_config, parse_duration
from newswatch.errors import ConfigError
from newswatch.feedlist import add_feeds_to_file, remove_feed_from_file

GOOD = """\
# comment kept
database: store/news.db
digest:
  time: "06:30"
  timezone: Europe/Paris
  output: out/digests
fetch:
  allow_private: true
feeds:
  - url: https://a.example/feed.xml   # inline comment
    source: Outlet A
    interval: 15m
  - url: https://a.example/dc.xml
    source: Outlet A
  - url: https://b.example/atom
    source: Outlet B
    interval: 2h
"""


def test_parse_full_config(tmp_path: Path) -> None:
    p = tmp_path / "feeds.yaml"
    p.write_text(GOOD)
    cfg = load_config(p)
    assert cfg.database == tmp_path / "store/news.db"
    assert cfg.digest.time.hour == 6 and cfg.digest.time.minute == 30
    assert cfg.digest.timezone == "Europe/Paris"
    assert cfg.digest.output == tmp_path / "out/digests"
    assert cfg.fetch.allow_private is True
    assert [(f.source, f.interval) for f in cfg.feeds] == [("Outlet A", 900), ("Outlet A", 1800), ("Outlet B", 7200)]


def test_defaults_without_optional_sections(tmp_path: Path) -> None:
    p = tmp_path / "feeds.yaml"
    p.write_text("feeds:\n  - url: https://x.example/rss\n    source: X\n")
    cfg = load_config(p)
    assert cfg.database == tmp_path / "data" / "newswatch.db"
    assert cfg.digest.output == tmp_path / "data" / "digests"
    assert cfg.fetch.allow_private is False


def test_precedence_cli_over_env_over_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = tmp_path / "feeds.yaml"
    p.write_text(GOOD)
    monkeypatch.setenv("NEWSWATCH_CONFIG", str(p))
    monkeypatch.setenv("NEWSWATCH_DB", str(tmp_path / "env.db"))
    assert load_config().database == tmp_path / "env.db"
    assert load_config(database=tmp_path / "cli.db").database == tmp_path / "cli.db"
    monkeypatch.delenv("NEWSWATCH_DB")
    assert load_config().database == tmp_path / "store/news.db"


@pytest.mark.parametrize(
    ("text", "line", "key"),
    [
        ("feeds:\n  - url: ftp://x.example/\n    source: A\n", 2, "feeds[0].url"),
        ("feeds:\n  - url: https://x.example/\n    source: A\n    interval: soon\n", 4, "feeds[0].interval"),
        ("feeds:\n  - url: https://x.example/\n", 2, "feeds[0].source"),
        ("feeds:\n  - url: https://x.example/\n    source: A\n    colour: red\n", 4, "feeds[0].colour"),
        ("feeds:\n  - url: https://x.example/\n    source: A\n    kind: company\n", 4, "feeds[0].kind"),
        ("digest:\n  time: '25:00'\n", 2, "digest.time"),
        ("digest:\n  timezone: Mars/Olympus\n", 2, "digest.timezone"),
        ("fetch:\n  allow_private: maybe\n", 2, "fetch.allow_private"),
        ("fetch:\n  allow_hosts: 127.0.0.1\n", 2, "fetch.allow_hosts"),
        ("fetch:\n  allow_hosts:\n    - 10.0.0.0/8\n    - 0.0.0.0/0\n", 4, "fetch.allow_hosts[1]"),
        ("fetch:\n  allow_hosts: [http://x/y]\n", 2, "fetch.allow_hosts[0]"),
        ("fetch:\n  min_rate: -1\n", 2, "fetch.min_rate"),
        ("feeds: hello\n", 1, "feeds"),
        ("databse: x.db\n", 1, "databse"),
        (
            "feeds:\n  - url: https://x.example/\n    source: A\n  - url: https://x.example/\n    source: B\n",
            4,
            "feeds[1].url",
        ),
    ],
)
def test_invalid_config_names_file_line_and_key(text: str, line: int, key: str) -> None:
    with pytest.raises(ConfigError) as err:
        parse_config(text, Path("conf/feeds.yaml"))
    msg = str(err.value)
    assert msg.startswith("conf/feeds.yaml, line ")
    assert f"line {line}," in msg
    assert f"'{key}'" in msg
    assert "\n" not in msg


def test_yaml_syntax_error_names_line() -> None:
    with pytest.raises(ConfigError, match=r"feeds.yaml, line 3: invalid YAML"):
        parse_config("feeds:\n  - url: https://x\n   source: [oops\n", Path("feeds.yaml"))


def test_missing_explicit_config_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.yaml")


@pytest.mark.parametrize(("text", "seconds"), [("90s", 90), ("30m", 1800), ("2h", 7200), ("1d", 86400), (45, 45)])
def test_parse_duration(text: object, seconds: int) -> None:
    assert parse_duration(text) == seconds


def test_add_and_remove_keep_comments(tmp_path: Path) -> None:
    p = tmp_path / "feeds.yaml"
    p.write_text(GOOD)
    assert add_feeds_to_file(p, [FeedConfig("https://c.example/rss", "Outlet: C", 3600)]) == 1
    assert add_feeds_to_file(p, [FeedConfig("https://c.example/rss", "Outlet: C")]) == 0
    text = p.read_text()
    assert "# comment kept" in text and "# inline comment" in text
    cfg = load_config(p)
    assert cfg.feeds[-1] == FeedConfig("https://c.example/rss", "Outlet: C", 3600, cfg.feeds[-1].line)
    assert remove_feed_from_file(p, "https://a.example/dc.xml")
    assert not remove_feed_from_file(p, "https://nowhere.example/")
    urls = [f.url for f in load_config(p).feeds]
    assert urls == ["https://a.example/feed.xml", "https://b.example/atom", "https://c.example/rss"]
    assert "# comment kept" in p.read_text()


def test_add_creates_file(tmp_path: Path) -> None:
    p = tmp_path / "new.yaml"
    add_feeds_to_file(p, [FeedConfig("https://c.example/rss", "C")])
    assert [f.url for f in load_config(p).feeds] == ["https://c.example/rss"]


def test_feed_kind_first_party_is_read_and_written(tmp_path: Path) -> None:
    cfg = parse_config("feeds:\n  - url: https://x.example/pr.xml\n    source: X Corp\n"
                       "    kind: first-party\n  - url: https://y.example/\n    source: Y\n")
    assert [f.kind for f in cfg.feeds] == ["first-party", "outlet"]
    path = tmp_path / "feeds.yaml"
    path.write_text("feeds:\n  - url: https://y.example/\n    source: Y\n")
    add_feeds_to_file(path, [FeedConfig(url="https://x.example/pr.xml", source="X Corp",
                                        kind="first-party")])
    assert [f.kind for f in load_config(path).feeds] == ["outlet", "first-party"]
