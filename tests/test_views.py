"""The read-side views: one definition of a story, a discrepancy's sides, an outlet's standing
and a failing or quiet feed, re-created on open and following the schema as it grows."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from conftest import record_power_conflict

from newswatch.store import NOT_ENOUGH_EVIDENCE, NOT_SCORED, VIEWS, Store, iso, utcnow


def _seed(store: Store) -> dict[str, int]:
    """Two outlets disagreeing on one story's power figure, plus a third repeating one side."""
    ids: dict[str, int] = {}
    with store.transaction():
        ids["story"] = store.db["stories"].insert(
            {"title": "Campus opens", "first_seen": "2026-05-14T08:00:00Z",
             "last_seen": "2026-05-14T12:00:00Z", "report_count": 3}).last_pk
    for n, (outlet, surface, value) in enumerate(
            [("Rack Report", "300 MW", 3e8), ("Grid Watch", "40 MW", 4e7), ("DC Pulse", "300 megawatts", 3e8)]):
        src = store.source_id(outlet)
        with store.transaction():
            aid = store.db["articles"].insert({
                "url": f"https://{n}.example/a", "source_id": src, "title": f"{outlet} on the campus",
                "published": f"2026-05-14T1{n}:00:00Z", "story_id": ids["story"], "text": "x"}).last_pk
            ids[outlet] = store.db["claims"].insert({
                "article_id": aid, "story_id": ids["story"], "subject": "campus", "attribute": "power",
                "value": value, "unit": "W", "surface": surface, "qualifier": "=",
                "sentence": f"The campus draws {surface}."}).last_pk
    power = [ids["Rack Report"], ids["DC Pulse"], ids["Grid Watch"]]
    record_power_conflict(store, ids["story"], power[:2], power[2:])
    return ids


def test_views_exist_and_are_left_alone_when_current(tmp_path: Path) -> None:
    with Store(tmp_path / "n.db") as store:
        names = {r[0] for r in store.db.execute("select name from sqlite_master where type = 'view'")}
        assert names == set(VIEWS)
    with Store(tmp_path / "n.db") as store:
        store.db.conn.set_authorizer(lambda action, *a: 1 if action in (8, 17) else 0)  # deny CREATE/DROP VIEW
        store.ensure_views()  # nothing stale: no DDL attempted


def test_story_and_discrepancy_overview(tmp_path: Path) -> None:
    with Store(tmp_path / "n.db") as store:
        ids = _seed(store)
        (story,) = store.db.query("select * from story_overview")
        assert story["articles"] == 3 and story["outlets"] == 3 and story["independent_reports"] == 3
        assert story["outlet_names"] == "DC Pulse, Grid Watch, Rack Report"
        assert story["claims"] == 3 and story["discrepancies"] == 1
        rows = list(store.db.query("select * from discrepancy_overview order by side, outlet"))
        assert [(r["side"], r["outlet"], r["value_as_written"]) for r in rows] == [
            (0, "DC Pulse", "300 megawatts"), (0, "Rack Report", "300 MW"), (1, "Grid Watch", "40 MW")]
        assert rows[0]["quote"] == "The campus draws 300 megawatts." and rows[0]["url"].startswith("https://")
        assert {r["kind"] for r in rows} == {"conflict"} and rows[0]["consensus_value"] is None
        (d,) = store.story_discrepancies(ids["story"])
        assert len(d["claims"]) == 3 and d["kind"] == "conflict"
        assert d["entity"] == "campus" and d["property"] == "power"
        assert [(s["side"], s["outlets"], s["independent_reports"]) for s in d["side_rows"]] == [(0, 2, 2), (1, 1, 1)]


def test_leaderboard_before_and_after_reliability_columns(tmp_path: Path) -> None:
    with Store(tmp_path / "n.db") as store:
        _seed(store)
        board = store.source_leaderboard()
        assert {r["reliability_text"] for r in board} == {NOT_SCORED}
        assert all(r["claims"] == 1 and r["discrepancies"] == 1 for r in board)
        assert board[0]["reliability_low"] is None
        # m006 and m007 brought the kinds and the interval; the next open shows what is set
        store.db.execute("update sources set reliability = 0.9, reliability_low = 0.8, checked_claims = 12 "
                         "where name = 'Grid Watch'")
        store.db.execute("update sources set reliability = 0.95, reliability_low = 0.5, checked_claims = 3 "
                         "where name = 'DC Pulse'")
        store.db.execute("update discrepancies set kind = 'update'")
        store.db.conn.commit()
    with Store(tmp_path / "n.db") as store:
        board = store.source_leaderboard()
        assert board[0]["outlet"] == "Grid Watch" and board[0]["reliability_low"] == 0.8
        assert board[0]["reliability_text"] == "0.90"
        # fewer than MIN_EVIDENCE checks: ranked after the supported scores, no number shown
        assert board[1]["outlet"] == "DC Pulse" and board[1]["reliability_text"] == NOT_ENOUGH_EVIDENCE
        assert {r["kind"] for r in store.db.query("select kind from discrepancy_overview")} == {"update"}


def test_failing_feeds_lists_failed_and_quiet_feeds(tmp_path: Path) -> None:
    now = utcnow()
    with Store(tmp_path / "n.db") as store:
        src = store.source_id("Outlet")
        with store.transaction():
            feeds = {name: store.db["feeds"].insert(
                {"url": f"https://{name}.example/feed", "source_id": src, "interval_seconds": 1800,
                 "consecutive_errors": 0}).last_pk for name in ("busy", "quiet", "broken", "new")}
            # busy and quiet both publish every hour; quiet's last new entry came two days ago
            for name, seen in (("busy", now), ("quiet", now - timedelta(days=2)), ("new", now)):
                for i in range(4):
                    aid = store.db["articles"].insert({
                        "url": f"https://{name}.example/{i}", "source_id": src,
                        "published": iso(seen - timedelta(hours=i))}).last_pk
                    store.db["feed_articles"].insert(
                        {"feed_id": feeds[name], "article_id": aid, "first_seen": iso(seen)})
        store.feed_failed(feeds["broken"], kind="http", message="HTTP 503", status=503,
                          next_fetch_at=now + timedelta(hours=1))
        rows = {r["url"].split("//")[1].split(".")[0]: r for r in store.failing_feeds(quiet=True)}
        assert set(rows) == {"quiet", "broken"}
        assert rows["broken"]["problem"] == "failed" and rows["quiet"]["problem"] == "quiet"
        assert rows["quiet"]["usual_gap_seconds"] == 3600
        assert [r["url"] for r in store.failing_feeds()] == ["https://broken.example/feed"]


def test_a_migration_may_rebuild_a_table_the_views_read(tmp_path: Path, monkeypatch) -> None:
    import newswatch.migrations as migrations

    with Store(tmp_path / "n.db") as store:
        _seed(store)

    def m999_rebuild(db) -> None:  # a table rebuild, as a migration changing a column type does
        db.execute("create table dc_new (discrepancy_id integer references discrepancies(id), "
                   "claim_id integer references claims(id), side integer, weight real, "
                   "primary key (discrepancy_id, claim_id))")
        db.execute("insert into dc_new (discrepancy_id, claim_id, side) "
                   "select discrepancy_id, claim_id, side from discrepancy_claims")
        db.execute("drop table discrepancy_claims")
        db.execute("alter table dc_new rename to discrepancy_claims")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, m999_rebuild])
    with Store(tmp_path / "n.db") as store:
        assert store.applied == ["m999_rebuild"]
        assert len(list(store.db.query("select * from discrepancy_overview"))) == 3
