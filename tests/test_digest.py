"""The daily digest: content from the views, the three formats, hostile text, the digests table
and email against a real SMTP server on 127.0.0.1."""

from __future__ import annotations

import email
import email.policy
import re
import socket
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from xml.etree import ElementTree

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from conftest import record_power_conflict

from newswatch.config import parse_config
from newswatch.errors import MailError
from newswatch.publish import render
from newswatch.publish.digest import clean, safe_url, shorten
from newswatch.publish.stage import collect, due_days, render_digest, write_day, write_due
from newswatch.store import Store, utcnow

HOSTILE_TITLE = 'Campus <script>alert("t")</script> opens \u202egnp.exe <img src=x onerror=alert(1)>'
HOSTILE_QUOTE = 'It draws 300 MW</blockquote><iframe src="https://evil.example"></iframe> & <b>more'
HOSTILE_OUTLET = "Rack <b>Report</b>"
DAY = date(2026, 5, 14)


def seed(store: Store) -> dict[str, int]:
    """One story on DAY: three outlets (one with a hostile name), a power figure they disagree
    on (one quote hostile, one link a javascript: URL), a story the next day, a failing feed."""
    ids: dict[str, int] = {}
    with store.transaction():
        ids["story"] = store.db["stories"].insert(
            {"title": HOSTILE_TITLE, "first_seen": "2026-05-14T08:00:00Z",
             "last_seen": "2026-05-14T12:00:00Z", "report_count": 3}).last_pk
        ids["other"] = store.db["stories"].insert(
            {"title": "Loan closes", "first_seen": "2026-05-15T08:00:00Z",
             "last_seen": "2026-05-15T08:00:00Z", "report_count": 1}).last_pk
    rows = [(HOSTILE_OUTLET, "300 MW", 3e8, "javascript:alert(document.cookie)", HOSTILE_QUOTE),
            ("Grid Watch", "40 MW", 4e7, "https://grid.example/a?x=1&y=\"2\"", "The site uses 40 MW today."),
            ("DC Pulse", "300 megawatts", 3e8, "https://dcpulse.example/campus", "It will draw 300 megawatts.")]
    for n, (outlet, surface, value, url, quote) in enumerate(rows):
        src = store.source_id(outlet)
        with store.transaction():
            aid = store.db["articles"].insert({
                "url": url, "source_id": src, "title": f"{outlet}: {HOSTILE_TITLE}",
                "published": f"2026-05-14T1{n}:00:00Z", "story_id": ids["story"],
                "text": f"The operator opened the campus in Nevada on Thursday, {outlet} reported. {quote}"}).last_pk
            ids[outlet] = store.db["claims"].insert({
                "article_id": aid, "story_id": ids["story"], "subject": "campus", "attribute": "power",
                "value": value, "unit": "W", "surface": surface, "qualifier": "=", "sentence": quote}).last_pk
    with store.transaction():
        store.db["articles"].insert({"url": "https://ledger.example/loan", "source_id": store.source_id("Ledger"),
                                     "title": "Loan closes", "published": "2026-05-15T08:00:00Z",
                                     "story_id": ids["other"], "text": "A loan closed."})
        src = store.source_id("Broken Outlet")
        feed = store.db["feeds"].insert({"url": "https://broken.example/feed", "source_id": src,
                                         "consecutive_errors": 0}).last_pk
    store.feed_failed(feed, kind="http", message="HTTP 503 <script>x</script>", status=503,
                      next_fetch_at=utcnow() + timedelta(hours=1))
    power = [ids[HOSTILE_OUTLET], ids["DC Pulse"], ids["Grid Watch"]]
    record_power_conflict(store, ids["story"], power[:2], power[2:])
    return ids


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "news.db") as s:
        seed(s)
        yield s


def config(tmp_path: Path, extra: str = "", at: str = "07:00", tz: str = "UTC"):
    path = tmp_path / "feeds.yaml"
    path.write_text(f'database: news.db\ndigest:\n  time: "{at}"\n  timezone: {tz}\n  output: digests\n{extra}',
                    encoding="utf-8")
    return parse_config(path.read_text(), path)


def test_cleaning_helpers() -> None:
    assert clean("a\u202eb\u2066c\x00d\n e") == "abcd e"
    assert safe_url("javascript:alert(1)") is None and safe_url("JaVaScRiPt:x") is None
    assert safe_url("data:text/html,x") is None and safe_url("/relative") is None
    assert safe_url('https://x.example/"><script>') is None
    assert safe_url("https://x.example/a?b=1") == "https://x.example/a?b=1"
    assert shorten("word " * 100, 50).endswith("word…") and len(shorten("word " * 100, 50)) <= 50


def test_content_in_order(store: Store) -> None:
    d = collect(store, DAY, "UTC")
    assert [s.title for s in d.stories] == [clean(HOSTILE_TITLE)]
    assert d.stories[0].independent_reports == 3
    assert "opened the campus in Nevada" in d.stories[0].what_happened
    (x,) = d.disagreements
    assert x.kind == "conflict" and x.consensus == "not scored yet"
    assert [sorted(s.values) for s in x.sides] == [["300 MW", "300 megawatts"], ["40 MW"]]
    assert d.reliability is None
    assert [f.problem for f in d.feeds] == ["failed"]
    assert d.counts["articles"] == 3 and d.counts["claims"] == 3
    assert d.chart_title.startswith("Claims per outlet") and len(d.bars) == 3
    # the day is the digest time zone's day: 08:00 UTC on the 15th is still the 15th in Tokyo
    assert [s.title for s in collect(store, date(2026, 5, 15), "Asia/Tokyo").stories] == ["Loan closes"]


def _no_live_markup(html: str) -> None:
    assert "<script" not in html.lower() and "<iframe" not in html.lower() and "<img" not in html.lower()
    assert "onerror=" not in html.replace("onerror=alert", "")  # only as escaped text
    assert "javascript:" not in re.sub(r"&[a-z]+;", "", " ".join(re.findall(r'href="([^"]*)"', html)))
    assert "\u202e" not in html and "</b>" not in html.replace("</b></", "")


def test_html_is_standalone_and_escapes_hostile_text(store: Store) -> None:
    page = render_digest(store, DAY, "UTC", "html")
    _no_live_markup(page)
    assert "&lt;script&gt;alert(" in page and "&lt;iframe" in page
    assert "Rack &lt;b&gt;Report&lt;/b&gt;" in page
    assert 'href="https://grid.example/a?x=1&amp;y=' not in page  # the quote-carrying link is dropped
    assert 'href="https://dcpulse.example/campus"' in page
    assert "<svg" in page and "Content-Security-Policy" in page and "viewport" in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//(?!dcpulse|grid)""", page)  # no external assets
    assert "Numbers that disagree" in page and "300 megawatts" in page and "40 MW" in page
    assert page.index("Top stories") < page.index("Numbers that disagree") < page.index(
        "Reliability changes") < page.index("failed or went quiet")


def test_markdown_escapes_markup(store: Store) -> None:
    text = render_digest(store, DAY, "UTC", "markdown")
    assert not re.search(r"(?<!\\)<(?!https://)", text) and "\u202e" not in text  # every < escaped
    assert "\\<script\\>" in text
    markdown_it = pytest.importorskip("markdown_it")
    _no_live_markup(markdown_it.MarkdownIt("commonmark").render(text))  # raw HTML allowed, none gets through
    assert "(<https://dcpulse.example/campus>)" in text and "javascript:" not in text.replace("javascript:alert", "")
    assert "## Numbers that disagree" in text and "not scored yet" in text


def test_atom_is_valid_and_escaped(store: Store) -> None:
    xml = render_digest(store, DAY, "UTC", "atom")
    root = ElementTree.fromstring(xml.encode())
    ns = {"a": "http://www.w3.org/2005/Atom"}
    (entry,) = root.findall("a:entry", ns)
    content = entry.find("a:content", ns).text  # the HTML, escaped inside the XML
    _no_live_markup(content)
    assert "&lt;script&gt;" in content and entry.find("a:link", ns).get("href") == "2026-05-14.html"


class Sink(Message):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[email.message.Message] = []

    def handle_message(self, message: email.message.Message) -> None:
        self.messages.append(message)


@pytest.fixture
def smtp() -> Iterator[tuple[Sink, int]]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield sink, port
    finally:
        controller.stop()


def test_daemon_writes_records_and_emails_once(store: Store, tmp_path: Path, smtp) -> None:
    sink, port = smtp
    cfg = config(tmp_path, f"  email:\n    host: 127.0.0.1\n    port: {port}\n    security: none\n"
                           "    from: news@example.com\n    to: [me@example.com, you@example.com]\n")
    now = datetime(2026, 5, 15, 7, 30, tzinfo=UTC)
    assert due_days(store, cfg, now) == [DAY]
    assert due_days(store, cfg, datetime(2026, 5, 15, 6, 0, tzinfo=UTC)) == [date(2026, 5, 13)]
    result = write_due(store, cfg, now)
    assert result["days"] == ["2026-05-14"]
    for name in ("2026-05-14.md", "2026-05-14.html", "atom.xml"):
        assert (tmp_path / "digests" / name).stat().st_size > 500
    assert set(store.digests_of("2026-05-14")) == {"markdown", "html", "atom"}
    (msg,) = sink.messages
    assert msg["Subject"] == "newswatch digest for 2026-05-14: 1 stories, 1 numbers that disagree"
    parsed = email.message_from_bytes(msg.as_bytes(), policy=email.policy.default)
    plain = parsed.get_body(("plain",)).get_content()
    page = parsed.get_body(("html",)).get_content()
    assert "\\<script\\>" in plain and "300 megawatts" in plain
    _no_live_markup(page)
    assert msg["To"] == "me@example.com, you@example.com"
    # a restart, and the job running again: nothing due, nothing re-sent
    assert due_days(store, cfg, now) == [] and write_due(store, cfg, now)["days"] == []
    assert len(sink.messages) == 1
    # the daemon was down for two days: each missed day is written once, in order
    later = datetime(2026, 5, 17, 9, 0, tzinfo=UTC)
    assert write_due(store, cfg, later)["days"] == ["2026-05-15", "2026-05-16"]
    assert write_due(store, cfg, later)["days"] == []
    assert len(sink.messages) == 3
    entries = ElementTree.parse(tmp_path / "digests" / "atom.xml").getroot().findall(
        "{http://www.w3.org/2005/Atom}entry")
    assert len(entries) == 3


def test_failed_email_keeps_the_files_and_is_retried(store: Store, tmp_path: Path, smtp) -> None:
    sink, port = smtp
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = s.getsockname()[1]
    bad = config(tmp_path, f"  email:\n    host: 127.0.0.1\n    port: {dead}\n    security: none\n"
                           "    from: news@example.com\n    to: me@example.com\n")
    now = datetime(2026, 5, 15, 7, 30, tzinfo=UTC)
    with pytest.raises(MailError, match="cannot reach SMTP 127.0.0.1"):
        write_due(store, bad, now)
    assert (tmp_path / "digests" / "2026-05-14.html").exists()
    assert store.digests_of("2026-05-14")["html"]["emailed_at"] is None
    good = config(tmp_path, f"  email:\n    host: 127.0.0.1\n    port: {port}\n    security: none\n"
                            "    from: news@example.com\n    to: me@example.com\n")
    assert write_due(store, good, now)["days"] == ["2026-05-14"] and len(sink.messages) == 1


def test_missing_password_variable_is_one_clear_error(store: Store, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("NW_TEST_SMTP_PASSWORD", raising=False)
    cfg = config(tmp_path, "  email:\n    host: 127.0.0.1\n    user: me\n    password_env: NW_TEST_SMTP_PASSWORD\n"
                           "    from: news@example.com\n    to: me@example.com\n")
    with pytest.raises(MailError, match="NW_TEST_SMTP_PASSWORD is not set"):
        write_day(store, cfg, DAY)


@pytest.mark.parametrize("body, line, key", [
    ("  email:\n    host: h\n    from: a@b.c\n", 6, "digest.email.to"),
    ("  email:\n    host: h\n    from: nobody\n    to: a@b.c\n", 8, "digest.email.from"),
    ("  email:\n    host: h\n    from: a@b.c\n    to: a@b.c\n    security: tls\n", 10, "digest.email.security"),
    ("  email:\n    host: h\n    from: a@b.c\n    to: a@b.c\n    port: 99999\n", 10, "digest.email.port"),
    ("  email:\n    host: h\n    from: a@b.c\n    to: a@b.c\n    password: x\n", 10, "digest.email.password"),
    ("  email:\n    host: h\n    from: a@b.c\n    to: [a@b.c, 'x\ny']\n", 9, "digest.email.to[1]"),
])
def test_email_config_errors_name_file_line_and_key(tmp_path: Path, body: str, line: int, key: str) -> None:
    from newswatch.errors import ConfigError

    with pytest.raises(ConfigError) as info:
        config(tmp_path, body)
    assert f"feeds.yaml, line {line}, key '{key}'" in str(info.value)


def test_email_config_defaults(tmp_path: Path) -> None:
    cfg = config(tmp_path, "  email:\n    host: smtp.example.com\n    security: ssl\n    user: me\n"
                           "    password_env: SMTP_PW\n    from: a@b.c\n    to: d@e.f\n")
    e = cfg.digest.email
    assert (e.port, e.security, e.to, e.sender, e.password_env) == (465, "ssl", ["d@e.f"], "a@b.c", "SMTP_PW")


def test_cli_digest_formats_and_missing_database(store: Store, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from newswatch.cli import main

    runner = CliRunner()
    db = str(tmp_path / "news.db")
    res = runner.invoke(main, ["--db", db, "digest", "--date", "2026-05-14"])
    assert res.exit_code == 0, res.output
    assert res.output.startswith("# newswatch digest for 2026-05-14") and "\\<script\\>" in res.output
    out = tmp_path / "out" / "d.html"
    res = runner.invoke(main, ["--db", db, "digest", "--date", "2026-05-14", "--format", "html", "--output", str(out)])
    assert res.exit_code == 0 and out.read_text().startswith("<!DOCTYPE html>")
    res = runner.invoke(main, ["--db", db, "digest", "--date", "2026-05-14", "--format", "atom"])
    assert res.exit_code == 0 and ElementTree.fromstring(res.output.encode()).tag.endswith("feed")
    res = runner.invoke(main, ["--db", db, "digest", "--date", "14/05/2026"])
    assert res.exit_code == 2 and "YYYY" not in res.output or "%Y-%m-%d" in res.output
    missing = tmp_path / "nope.db"
    res = runner.invoke(main, ["--db", str(missing), "digest"])
    assert res.exit_code == 1 and "no database at" in res.output and not missing.exists()
    res = runner.invoke(main, ["--db", db, "db", "path"])
    assert res.exit_code == 0 and res.output.strip() == str(Path(db).resolve())


def test_reliability_and_consensus_once_scored(tmp_path: Path) -> None:
    """What m006 and m007 add (consensus on discrepancies, scores and their history) shows up
    in the digest without a change here: the views and queries follow the columns."""
    with Store(tmp_path / "news.db") as store:
        seed(store)
        # m006_claim_frames and m007_reliability have landed: their columns exist already
        assert {"kind", "consensus_value"} <= set(store.db["discrepancies"].columns_dict)
        assert {"reliability_low", "reliability_high"} <= set(store.db["sources"].columns_dict)
        assert store.db["source_scores"].exists()
        grid, pulse = store.source_id("Grid Watch"), store.source_id("DC Pulse")
        store.db["source_scores"].insert_all([
            {"source_id": grid, "at": "2026-05-13T07:00:00Z", "reliability": 0.8},
            {"source_id": grid, "at": "2026-05-14T07:00:00Z", "reliability": 0.6,
             "reliability_low": 0.5, "reliability_high": 0.7},
            {"source_id": pulse, "at": "2026-05-14T07:00:00Z", "reliability": 0.9},
            {"source_id": pulse, "at": "2026-05-15T07:00:00Z", "reliability": 0.95}])
        store.db.execute("update sources set reliability = 0.6 where id = ?", [grid])
        store.db.execute("update sources set reliability = 0.9 where id = ?", [pulse])
        store.db.execute("update discrepancies set consensus_value = 3e8, kind = 'update'")
        store.db.conn.commit()
    with Store(tmp_path / "news.db") as store:
        d = collect(store, DAY, "UTC")
        changes = {r.outlet: (r.before, r.after, r.interval) for r in d.reliability}
        assert changes == {"Grid Watch": (0.8, 0.6, "0.50–0.70"), "DC Pulse": (None, 0.9, "")}
        (x,) = d.disagreements
        assert x.consensus == "300 MW" and x.kind == "update"
        assert d.chart_title.startswith("Outlet reliability") and [b.label for b in d.bars] == ["DC Pulse", "Grid Watch"]
        text = render_digest(store, DAY, "UTC", "markdown")
        assert "- Grid Watch: 0.80 → 0.60 (0.50–0.70)" in text and "consensus: 300 MW" in text


def test_feed_problems_read_as_sentences() -> None:
    from newswatch.publish.digest import build_digest

    d = build_digest(DAY, "UTC", stories=[], articles={}, discrepancies=[], reliability=None,
                     feeds=[{"problem": "quiet", "source": "Quiet Times", "url": "https://q.example/feed",
                             "quiet_seconds": 3 * 86400, "usual_gap_seconds": 7200},
                            {"problem": "failed", "source": "Down", "url": "https://d.example/feed",
                             "consecutive_errors": 1, "last_success_at": None, "last_error": "http: HTTP 503"}],
                     counts={"articles": 0, "outlets": 0, "claims": 0, "fetch_errors": 0, "feeds": 2},
                     leaderboard=[], claims_per_outlet=[])
    assert [f.detail for f in d.feeds] == [
        "no new entry for 3.0 days (usually one every 2.0 hours)",
        "1 failed poll in a row; last success never; http: HTTP 503"]
    text = render.markdown(d)
    assert "No stories for this day." in text and "**quiet**: Quiet Times" in text


def test_the_store_lock_is_not_held_while_mailing(store: Store, tmp_path: Path, smtp) -> None:
    sink, port = smtp

    class Guard:
        held = False

        def __enter__(self) -> None:
            Guard.held = True

        def __exit__(self, *exc: object) -> None:
            Guard.held = False

    seen: list[bool] = []
    original = sink.handle_message
    sink.handle_message = lambda message: (seen.append(Guard.held), original(message))  # type: ignore[method-assign]
    cfg = config(tmp_path, f"  email:\n    host: 127.0.0.1\n    port: {port}\n    security: none\n"
                           "    from: news@example.com\n    to: me@example.com\n")
    write_due(store, cfg, datetime(2026, 5, 15, 7, 30, tzinfo=UTC), guard=Guard())
    assert seen == [False] and len(sink.messages) == 1


def test_a_scored_tie_reads_undecided_and_a_place_consensus_reads_as_text(tmp_path: Path) -> None:
    """A group the reliability stage scored without a winner (one report each side) is not
    "not scored yet"; a non-numeric consensus (a place) is shown as written."""
    with Store(tmp_path / "news.db") as store:
        seed(store)
        (gid,) = [r["group_id"] for r in store.db.query("select group_id from discrepancies")]
        assert gid is not None
        store.db.execute("update claim_groups set scored_at = '2026-05-15T07:00:00Z' where id = ?", [gid])
        store.db.conn.commit()
        (x,) = collect(store, DAY, "UTC").disagreements
        assert x.consensus == "undecided (the reports are split evenly)"
        store.db.execute("update claim_groups set consensus_text = 'Memphis, Tennessee' where id = ?", [gid])
        store.db.conn.commit()
        (x,) = collect(store, DAY, "UTC").disagreements
        assert x.consensus == "Memphis, Tennessee"
