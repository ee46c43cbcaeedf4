"""The claims stage over a real SQLite store: articles in; claims with frames, claim groups,
discrepancies and their sides out; re-runs replace, failures become rows; m006 upgrades an
existing store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import counting_encoder

from newswatch import migrations
from newswatch.claims import stage
from newswatch.claims.stage import run_claims
from newswatch.cli import main
from newswatch.publish.terminal import story_claims as render_story_claims
from newswatch.store import NewArticle, Store

FIXTURES = Path(__file__).parent / "fixtures"


def _seeds() -> list[Path]:
    for d in (FIXTURES / "seeds", Path(__file__).resolve().parents[2] / "shared" / "seeds"):
        files = sorted(d.glob("00*_*.txt"))
        if len(files) >= 5:
            return files
    pytest.skip("seed articles not available")


def _story(store: Store, texts: list[str], published: list[str | None] | None = None,
           outlets: list[str] | None = None) -> tuple[int, list[int]]:
    ids = []
    taken = store.db["stories"].count
    for n, text in enumerate(texts):
        sid = store.source_id(outlets[n] if outlets else f"Outlet {n:03d}")
        path = "story" if not taken else f"story-{taken}"
        (aid,) = store.add_articles([NewArticle(url=f"https://outlet{n}.example/{path}", source_id=sid,
                                                title=f"Article {n}",
                                                published=published[n] if published else None)])
        store.save_extraction(aid, text=text, method="ingest")
        ids.append(aid)
    with store.transaction():
        story = store.db["stories"].insert({"title": "The story"}).last_pk
        for aid in ids:
            store.db["articles"].update(aid, {"story_id": story})
    return story, ids


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "nw.db")
    yield s
    s.close()


@pytest.fixture
def seeded(store):
    dates = ["2026-05-14T00:00:00Z", "2026-05-07T00:00:00Z", None, "2026-05-11T00:00:00Z", None]
    story, ids = _story(store, [p.read_text(encoding="utf-8") for p in _seeds()], dates)
    return store, story, ids


def _fake_frames(monkeypatch, entity="Northbeam campus"):
    """Fixed frames for plain sentences (the entity given, the property named by the unit), so
    these tests of the store and the stage do not depend on how frames.py reads them."""
    real = stage.extract_claims

    def framed(text):
        out = real(text)
        for c in out:
            c.entity = entity
            c.property = {"W": "capacity", "USD": "cost"}.get(c.unit, c.unit)
            c.scope, c.time_ref, c.modality = "", "current", "reported"
        return out

    monkeypatch.setattr(stage, "extract_claims", framed)


def test_groups_discrepancies_and_sides_are_written(store, monkeypatch):
    _fake_frames(monkeypatch)
    story, ids = _story(store, [
        "Northbeam's Cresson campus draws 1.2 GW, the company said.",
        "The Cresson campus of Northbeam is sized at 1.2 gigawatts.",
        "Northbeam's campus in Cresson draws 900 MW.",
    ], ["2026-10-06T10:00:00Z", "2026-10-06T11:00:00Z", "2026-10-06T10:30:00Z"])
    counts = run_claims(store)
    assert counts["articles"] == 3 and counts["stories_checked"] == 1
    assert counts["groups"] >= 1 and counts["discrepancies"] == 1
    (g,) = [g for g in store.story_groups(story) if g["unit"] == "W"]
    assert g["claims"] == 3 and g["outlets"] == 3 and g["independent_reports"] == 3
    assert g["scored_at"] is None and g["consensus_value"] is None  # pending for reliability
    assert {m["article_id"] for m in g["members"]} == set(ids)
    assert all(r["group_id"] == g["id"] for r in store.db.query("select group_id from claims where unit = 'W'"))
    (d,) = store.story_discrepancies(story)
    assert d["kind"] == "conflict" and d["group_id"] == g["id"] and d["sides"] == 2
    sides = {round(s["value"]): s for s in d["side_rows"]}
    assert sides[1_200_000_000]["outlets"] == 2 and sides[1_200_000_000]["independent_reports"] == 2
    assert sides[1_200_000_000]["first_article_id"] == ids[0]
    assert sides[1_200_000_000]["first_published"] == "2026-10-06T10:00:00Z"
    assert sides[900_000_000]["first_outlet"] == "Outlet 002"
    text = render_story_claims(store.story_groups(story), store.story_discrepancies(story))
    assert "conflict" in text and "most independent reports (2 of 3)" in text
    assert "https://outlet2.example/story" in text and "“900 MW”" in text


def test_reprocessing_replaces_never_duplicates_and_rescoring_is_pending(store, monkeypatch):
    _fake_frames(monkeypatch)
    story, ids = _story(store, ["The campus draws 1.2 GW.", "The campus draws 900 MW."])
    run_claims(store)
    before = (store.db["claim_groups"].count, store.db["discrepancies"].count,
              store.db["discrepancy_sides"].count, store.db["claims"].count)
    with store.transaction():
        store.db.execute("update claim_groups set scored_at = '2026-10-07T00:00:00Z', consensus_value = 1.2e9")
    again = run_claims(store)
    assert again["articles"] == 0 and again["stories_checked"] == 0
    after = (store.db["claim_groups"].count, store.db["discrepancies"].count,
             store.db["discrepancy_sides"].count, store.db["claims"].count)
    assert after == before
    assert store.db.execute("select count(*) from claim_groups where scored_at is null").fetchone()[0] == 0
    # a changed text is re-read, its story regrouped, the groups rewritten and pending again
    store.save_extraction(ids[1], text="The campus draws 1.2 gigawatts.", method="ingest")
    third = run_claims(store)
    assert third["articles"] == 1 and third["stories_checked"] == 1
    assert store.story_discrepancies(story) == []
    assert store.db["discrepancy_sides"].count == 0
    (g,) = store.story_groups(story)
    assert g["scored_at"] is None and g["claims"] == 2


def test_a_failing_article_or_story_is_an_error_row_and_the_batch_goes_on(store, monkeypatch):
    _fake_frames(monkeypatch)
    real = stage.extract_claims

    def fragile(text):
        if "BOOM" in text:
            raise ValueError("unreadable number")
        return real(text)

    monkeypatch.setattr(stage, "extract_claims", fragile)
    story, ids = _story(store, ["The campus draws 1.2 GW.\nBOOM 12 GW\nIt cost $18 billion.",
                                "The campus draws 900 MW."])
    counts = run_claims(store)
    assert counts["failed"] == 1 and counts["parts_skipped"] == 1 and counts["articles"] == 2
    surfaces = {r["surface"] for r in store.db.query("select surface from claims where article_id = ?", [ids[0]])}
    assert surfaces == {"1.2 GW", "$18 billion"}  # only the failing paragraph is lost
    (err,) = store.db.query("select * from fetch_errors where kind = 'claims'")
    assert err["article_id"] == ids[0] and "unreadable number" in err["message"]
    assert store.story_discrepancies(story)  # the story is still grouped

    # a story whose grouping fails is skipped, recorded and retried next run; others go on
    other, _ = _story(store, ["Another campus draws 50 MW."])
    from newswatch.claims import groups

    real_analyse = stage.analyse_story

    def breaks(claims, articles):
        claims = list(claims)
        if any(c.value == 5e7 for c in claims):
            raise RuntimeError("bad story")
        return real_analyse(claims, articles)

    monkeypatch.setattr(stage, "analyse_story", breaks)
    store.save_extraction(ids[1], text="The campus draws 1 GW.", method="ingest")
    counts = run_claims(store)
    assert counts["stories_failed"] == 1 and counts["stories_checked"] == 1
    assert store.db.execute("select count(*) from fetch_errors where message like '%bad story%'").fetchone()[0] == 1
    monkeypatch.setattr(stage, "analyse_story", groups.analyse_story)
    assert run_claims(store)["stories_checked"] == 1  # the failed story is still pending


def test_membership_change_regroups_both_stories(store, monkeypatch):
    _fake_frames(monkeypatch)
    story, ids = _story(store, ["The campus draws 1.2 GW.", "The campus draws 1.2 GW.",
                                "The campus draws 900 MW."])
    run_claims(store)
    assert store.story_discrepancies(story)
    with store.transaction():
        other = store.db["stories"].insert({"title": "elsewhere"}).last_pk
        store.db["articles"].update(ids[2], {"story_id": other})
    counts = run_claims(store)
    assert counts["stories_checked"] == 2
    assert store.story_discrepancies(story) == []
    assert [g["claims"] for g in store.story_groups(other)] == [1]


def test_m006_upgrades_an_existing_store(tmp_path, monkeypatch):
    """A store made by every other migration (m005 and the later m009 of the stage queues)."""
    path = tmp_path / "old.db"
    before = [m for m in migrations.MIGRATIONS if m is not migrations.m006_claim_frames]
    monkeypatch.setattr(migrations, "MIGRATIONS", before)
    with Store(path) as old:
        assert "claim_groups" not in old.db.table_names()
        story, (aid,) = _story(old, ["Colossus 1 features over 220,000 Nvidia GPUs."])
        with old.transaction():
            old.db["claims"].insert({"article_id": aid, "story_id": story, "subject": "Colossus 1",
                                     "attribute": "gpu_count", "value": 220000, "unit": "GPU", "qualifier": ">",
                                     "surface": "over 220,000 Nvidia GPUs", "sentence": "s"})
            did = old.db["discrepancies"].insert({"story_id": story, "subject": "Colossus 1",
                                                  "attribute": "gpu_count", "unit": "GPU"}).last_pk
            old.db["discrepancy_claims"].insert({"discrepancy_id": did, "claim_id": 1, "side": 0})
            old.db["articles"].update(aid, {"claims_hash": "x"})
            old.db["stories"].update(story, {"claims_checked_hash": "y"})
    monkeypatch.undo()
    with Store(path) as new:
        assert new.applied == ["m006_claim_frames"]
        db = new.db
        assert {c.name: c.type for c in db["claim_groups"].columns} == {
            "id": "INTEGER", "story_id": "INTEGER", "entity": "TEXT", "property": "TEXT", "unit": "TEXT",
            "scope": "TEXT", "time_ref": "TEXT", "claims": "INTEGER", "outlets": "INTEGER",
            "independent_reports": "INTEGER", "consensus_value": "REAL", "consensus_text": "TEXT",
            "scored_at": "TEXT"}
        assert {c.name: c.type for c in db["discrepancy_sides"].columns} == {
            "discrepancy_id": "INTEGER", "side": "INTEGER", "value": "REAL", "value_text": "TEXT",
            "outlets": "INTEGER", "independent_reports": "INTEGER", "first_article_id": "INTEGER",
            "first_source_id": "INTEGER", "first_published": "TEXT"}
        claim_cols = {c.name: c.type for c in db["claims"].columns}
        assert {k: claim_cols[k] for k in ("low", "high", "group_id", "property", "entity", "time_ref", "scope",
                                           "modality", "value_text", "raw_value", "raw_unit")} == {
            "low": "REAL", "high": "REAL", "group_id": "INTEGER", "property": "TEXT", "entity": "TEXT",
            "time_ref": "TEXT", "scope": "TEXT", "modality": "TEXT", "value_text": "TEXT", "raw_value": "REAL",
            "raw_unit": "TEXT"}
        disc_cols = {c.name: c.type for c in db["discrepancies"].columns}
        assert {k: disc_cols[k] for k in ("group_id", "kind", "consensus_value")} == {
            "group_id": "INTEGER", "kind": "TEXT", "consensus_value": "REAL"}
        fks = {(fk.column, fk.other_table) for t in ("claims", "discrepancies", "discrepancy_sides", "claim_groups")
               for fk in db[t].foreign_keys}
        assert {("group_id", "claim_groups"), ("story_id", "stories"), ("discrepancy_id", "discrepancies"),
                ("first_article_id", "articles"), ("first_source_id", "sources")} <= fks
        # old rows kept; every article re-read and every story regrouped on the next run
        assert db["claims"].count == 1 and db["discrepancies"].count == 1
        assert db["articles"].get(aid)["claims_hash"] is None
        assert db["stories"].get(story)["claims_checked_hash"] is None
        counts = run_claims(new)
        assert counts["articles"] == 1 and counts["stories_checked"] == 1
        assert db.execute("pragma foreign_key_check").fetchall() == []


# ---------------------------------------------------------------- the seed story in the store

def test_stage_finds_the_seed_discrepancies(seeded):
    store, story, ids = seeded
    counts = run_claims(store)
    assert counts["articles"] == 5 and counts["claims"] > 40 and counts["stories_checked"] == 1
    found = store.story_discrepancies(story)
    kinds = {}
    for d in found:
        surfaces = {c["surface"] for c in d["claims"]}
        if any("220,000" in s for s in surfaces):
            kinds["gpu"] = d
        elif {"40 MW", "300+ MW"} <= surfaces:
            kinds["power"] = d
        elif {"1.08", "1.12"} <= surfaces:
            kinds["pue"] = d
    assert kinds["gpu"]["kind"] == kinds["power"]["kind"] == "conflict"
    assert kinds["pue"]["kind"] == "intra-article"
    for d in (kinds["gpu"], kinds["power"]):
        by_side: dict[int, set[int]] = {}
        for c in d["claims"]:
            by_side.setdefault(c["side"], set()).add(c["article_id"])
        assert {ids[0]} in by_side.values()
    text = render_story_claims(store.story_groups(story), found)
    assert "Outlet 000" in text and "“1,024,000 NVIDIA H200 Tensor Core GPUs”" in text
    assert "intra-article" in text and "https://outlet3.example/story" in text


def test_seed_reliability_puts_000_on_the_minority_side_and_last(seeded):
    """Issue 11 on the seed story: after claims and reliability, the GPU-count and power
    discrepancies' consensus is the other outlets' 220,000 GPUs and 300 MW, 000's values are the
    minority side, and 000's outlet has the lowest reliability of the five."""
    from newswatch.reliability.stage import run_reliability

    store, story, ids = seeded
    run_claims(store)
    run_reliability(store)
    found = store.story_discrepancies(story)
    consensus = {}
    for d in found:
        surfaces = {c["surface"] for c in d["claims"]}
        mine = {c["side"] for c in d["claims"] if c["article_id"] == ids[0]}
        values = {c["side"]: c["value"] for c in d["claims"]}
        if any("220,000" in x for x in surfaces) or {"40 MW", "300+ MW"} <= surfaces:
            assert len(mine) == 1 and d["consensus_value"] not in {values[k] for k in mine}
            consensus[d["unit"]] = d["consensus_value"]
    assert consensus == {"GPU": 220000, "W": 3e8}
    scores = {r["name"]: r["reliability"] for r in store.source_rows() if r["name"].startswith("Outlet")}
    assert len(scores) == 5 and min(scores, key=scores.get) == "Outlet 000"


# ---------------------------------------------------------------- the command line

def test_claims_cli_prints_frames_and_keeps_the_contract_fields():
    runner = CliRunner()
    res = runner.invoke(main, ["claims", "Colossus 1 features over 220,000 Nvidia GPUs."])
    assert res.exit_code == 0, res.output
    (c,) = json.loads(res.output)["claims"]
    assert c["value"] == 220000 and c["unit"] == "GPU" and c["qualifier"] == ">"
    frame = {"property", "entity", "time_ref", "scope", "modality", "value_text", "low", "high"}
    assert {"value", "unit", "surface", "qualifier", "subject", "attribute", "start", "end"} | frame <= set(c)
    res = runner.invoke(main, ["claims", "--jsonl"], input="It draws 0.3 GW.\nNo numbers here.\n  $2.5bn\n")
    assert res.exit_code == 0, res.output
    lines = [json.loads(x) for x in res.output.splitlines()]
    assert [x["line"] for x in lines] == [1, 2, 3]
    assert lines[0]["claims"][0]["value"] == 3e8 and lines[1]["claims"] == []
    assert frame <= set(lines[0]["claims"][0])
    c = lines[2]["claims"][0]
    assert "  $2.5bn"[c["start"]:c["end"]] == "$2.5bn"
    res = runner.invoke(main, ["claims", "--jsonl", "text"])
    assert res.exit_code != 0 and "Traceback" not in res.output


def test_readme_example_names_its_entity_and_property():
    res = CliRunner().invoke(main, ["claims", "Colossus 1 has over 220,000 GPUs drawing 300 MW"])
    claims = json.loads(res.output)["claims"]
    assert all(c["entity"] and c["property"] for c in claims) and len(claims) == 2


def test_show_lists_groups_and_discrepancies(tmp_path, monkeypatch):
    _fake_frames(monkeypatch)
    db = tmp_path / "nw.db"
    with Store(db) as s:
        story, _ = _story(s, ["The campus draws 1.2 GW.", "The campus is sized at 1.2 GW.",
                              "The campus draws <b>900 MW</b>."])
        run_claims(s)
    res = CliRunner().invoke(main, ["--db", str(db), "show", str(story)])
    assert res.exit_code == 0, res.output
    assert "1 numeric discrepancy" in res.output and "conflict" in res.output
    assert "“1.2 GW”" in res.output and "Outlet 002" in res.output
    assert "most independent reports" in res.output
    assert "claim group" in res.output


def test_show_output_carries_no_terminal_escapes_from_the_web():
    hostile = "Evil\x1b[2J\x1b]0;pwned\x07 \u202eNews"
    d = {"kind": "conflict", "subject": hostile, "attribute": "power", "unit": "W", "severity": 0.5,
         "side_rows": [{"side": 0, "outlets": 1, "independent_reports": 1, "first_outlet": hostile},
                       {"side": 1, "outlets": 2, "independent_reports": 2, "first_outlet": "B"}],
         "claims": [{"side": 0, "surface": "9\x1b[0m MW", "outlet": hostile, "url": "https://e.example/\x1b[1m",
                     "sentence": "It draws\r\n 9 MW\x1b[1A."},
                    {"side": 1, "surface": "1 GW", "outlet": "B", "url": "https://b.example/", "sentence": "1 GW."},
                    {"side": 1, "surface": "1 GW", "outlet": "C", "url": "https://c.example/", "sentence": "1 GW."}]}
    text = render_story_claims([], [d])
    assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text and "\r" not in text
    assert "most independent reports (2 of 3)" in text and "Evil" in text


def test_the_stories_of_one_run_go_to_the_model_in_one_call(store, monkeypatch):
    _fake_frames(monkeypatch)
    calls = counting_encoder(monkeypatch)
    _story(store, ["The campus draws 1.2 GW.", "The campus draws 900 MW."])
    _story(store, ["The plant cost $18 billion.", "The plant cost $20 billion."])
    counts = run_claims(store)
    assert counts["stories_checked"] == 2 and counts["groups"] >= 2
    assert len(calls) == 1  # one model call for both stories' texts, none while grouping each
    assert any("campus draws" in t for t in calls[0]) and any("plant cost" in t for t in calls[0])


def test_a_run_parses_its_articles_figure_sentences_in_one_parser_call(store, monkeypatch):
    from newswatch.claims import frames

    parsed: list[list[str]] = []
    real = frames.parse

    def counting(texts):
        if texts:
            parsed.append(list(texts))
        return real(texts)

    monkeypatch.setattr(frames, "parse", counting)
    texts = ["Northbeam's campus draws 1.2 GW.", "Its Cresson campus is sized at 900 MW.",
             "Northbeam will spend $18 billion on the site."]
    _story(store, texts)
    expected = [[asdict_claim(c) for c in frames.extract_claims(t)] for t in texts]  # one call each
    parsed.clear()
    assert run_claims(store)["claims"] == 3
    assert len(parsed) == 1 and len(parsed[0]) == 3  # the three articles' sentences, one call
    stored = [[{k: r[k] for k in ("surface", "entity", "property", "unit", "value")}
               for r in store.db.query("select * from claims where article_id = ? order by start", [aid])]
              for aid in range(1, 4)]
    assert stored == expected  # the same claims as each article read on its own


def asdict_claim(c) -> dict:
    return {"surface": c.surface, "entity": c.entity, "property": c.property, "unit": c.unit, "value": c.value}
