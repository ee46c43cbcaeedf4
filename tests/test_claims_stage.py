"""The claims stage over a real SQLite store: seed articles in, discrepancy rows out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newswatch.claims.stage import render_discrepancies, run_claims
from newswatch.cli import main
from newswatch.store import NewArticle, Store

FIXTURES = Path(__file__).parent / "fixtures"


def _seeds() -> list[Path]:
    for d in (FIXTURES / "seeds", Path(__file__).resolve().parents[2] / "shared" / "seeds"):
        files = sorted(d.glob("00*_*.txt"))
        if len(files) >= 5:
            return files
    pytest.skip("seed articles not available")


@pytest.fixture
def seeded(tmp_path):
    store = Store(tmp_path / "nw.db")
    ids = []
    for n, path in enumerate(_seeds()):
        sid = store.source_id(f"Outlet {n:03d}")
        (aid,) = store.add_articles([NewArticle(url=f"https://outlet{n}.example/colossus", source_id=sid,
                                                title=f"Seed {n}")])
        store.save_extraction(aid, text=path.read_text(encoding="utf-8"), method="ingest")
        ids.append(aid)
    with store.transaction():
        story = store.db["stories"].insert({"title": "Colossus 1 for Anthropic"}).last_pk
        for aid in ids:
            store.db["articles"].update(aid, {"story_id": story})
    yield store, story, ids
    store.close()


def _snapshot(store):
    rows = list(store.db.query("select d.attribute, d.subject, count(*) as n from discrepancies d "
                               "join discrepancy_claims dc on dc.discrepancy_id = d.id group by d.id order by d.id"))
    return rows


@pytest.mark.xfail(reason="the seed discrepancies need claims/groups.py's entity resolution", strict=False)
def test_stage_finds_the_seed_discrepancies(seeded):
    store, story, ids = seeded
    counts = run_claims(store)
    assert counts["articles"] == 5 and counts["claims"] > 40 and counts["stories_checked"] == 1
    assert all(r["story_id"] == story for r in store.db["claims"].rows)
    found = {(d["subject"], d["attribute"]): d for d in store.story_discrepancies(story)}
    gpu = found[("Colossus 1", "gpu_count")]
    by_side: dict[int, set[int]] = {}
    for c in gpu["claims"]:
        by_side.setdefault(c["side"], set()).add(c["article_id"])
    assert {ids[0]} in by_side.values()
    assert any({ids[1], ids[2], ids[3], ids[4]} <= arts for arts in by_side.values())
    power = found[("Colossus 1", "power")]
    assert {c["surface"] for c in power["claims"]} >= {"40 MW", "over 40 MW", "300+ MW", "more than 300 megawatts"}
    assert power["severity"] > 0.8 and gpu["sides"] >= 2
    # every claim of the discrepancy is linked, none twice
    n_links = store.db.execute("select count(*), count(distinct discrepancy_id || '-' || claim_id) "
                               "from discrepancy_claims").fetchone()
    assert n_links[0] == n_links[1] > 0
    text = render_discrepancies(store, story)
    assert "Outlet 000" in text and "“1,024,000 NVIDIA H200 Tensor Core GPUs”" in text
    assert "https://outlet3.example/colossus" in text


def test_reprocessing_replaces_never_duplicates(seeded):
    store, story, ids = seeded
    run_claims(store)
    before = _snapshot(store)
    claims_before = store.db["claims"].count
    again = run_claims(store)
    assert again["articles"] == 0 and again["stories_checked"] == 0
    assert _snapshot(store) == before and store.db["claims"].count == claims_before
    # a changed text is re-read and its story re-checked; the discrepancy set is replaced
    store.save_extraction(ids[0], text="Colossus 1 features over 220,000 Nvidia GPUs and 300 MW.", method="ingest")
    third = run_claims(store)
    assert third["articles"] == 1 and third["stories_checked"] == 1
    attrs = {d["attribute"] for d in store.story_discrepancies(story)}
    assert "gpu_count" not in attrs and "power" not in attrs
    assert store.db.execute("select count(*) from discrepancies").fetchone()[0] == len(attrs)


def test_membership_change_rechecks_the_story(seeded):
    store, story, ids = seeded
    run_claims(store)
    assert store.story_discrepancies(story)
    with store.transaction():
        other = store.db["stories"].insert({"title": "elsewhere"}).last_pk
        store.db["articles"].update(ids[0], {"story_id": other})
    counts = run_claims(store)
    assert counts["stories_checked"] == 2
    assert store.story_discrepancies(story) == []  # 001-004 agree with each other
    assert {c["story_id"] for c in store.db.query("select story_id from claims where article_id = ?", [ids[0]])} == {other}


def test_claims_cli_text_and_jsonl():
    runner = CliRunner()
    res = runner.invoke(main, ["claims", "Colossus 1 features over 220,000 Nvidia GPUs."])
    assert res.exit_code == 0, res.output
    (c,) = json.loads(res.output)["claims"]
    assert c["value"] == 220000 and c["unit"] == "GPU" and c["qualifier"] == ">" and c["subject"] == "Colossus 1"
    assert {"value", "unit", "surface", "qualifier", "subject", "attribute", "start", "end"} <= set(c)
    res = runner.invoke(main, ["claims", "--jsonl"], input="It draws 0.3 GW.\nNo numbers here.\n  $2.5bn\n")
    assert res.exit_code == 0, res.output
    lines = [json.loads(x) for x in res.output.splitlines()]
    assert [x["line"] for x in lines] == [1, 2, 3]
    assert lines[0]["claims"][0]["value"] == 3e8 and lines[1]["claims"] == []
    c = lines[2]["claims"][0]
    assert "  $2.5bn"[c["start"]:c["end"]] == "$2.5bn"
    res = runner.invoke(main, ["claims"], input="It draws 40 MW")
    assert json.loads(res.output)["claims"][0]["value"] == 4e7
    res = runner.invoke(main, ["claims", "--jsonl", "text"])
    assert res.exit_code != 0 and "Traceback" not in res.output
