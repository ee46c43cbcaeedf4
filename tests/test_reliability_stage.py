"""The reliability stage (reliability/stage.py) on literal stores written through the Store's own
methods: pending claim groups are scored once, outlets are re-scored from their stored checks,
copies count once, first-party releases start trusted, and the CLI explains each score."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from click.testing import CliRunner

from newswatch.claims.reports import ArticleInfo, StoryReports, independent_reports, story_reports
from newswatch.cli import main
from newswatch.config import parse_config
from newswatch.pipeline import process
from newswatch.reliability.stage import PARAMS, group_item, group_items, run_reliability
from newswatch.reliability.truth import Claim, Item, Params, score_item
from newswatch.store import MIN_EVIDENCE, NOT_ENOUGH_EVIDENCE, NewArticle, Store

# Distinct wording per outlet, so no two independent articles look like near-duplicate copies.
OPENINGS = {
    "Grid Watch": "Grid Watch visited the site on {day} and spoke to the operator's engineers about the rollout.",
    "Rack Report": "Rack Report obtained planning documents filed with the county describing phase {n}.",
    "Sloppy Times": "Sloppy Times heard from a person familiar with the plans about what comes next.",
    "Ledger": "Ledger reviewed the financing terms lenders circulated to investors last week.",
    "Acme Newsroom": "Acme today announced that its campus {n} is fully energised and serving customers.",
}


class World:
    """A store with stories whose articles each carry one power claim, grouped per story."""

    def __init__(self, path: Path) -> None:
        self.store = Store(path)
        self.n = 0
        self.stories: dict[int, list[int]] = {}

    def story(self, reports: list[tuple[str, float, str | None]], *, wire_text: str | None = None) -> int:
        """One story: (outlet, megawatts, text or None for the outlet's own wording) in
        publication order; one group over all their claims, and a discrepancy when they differ."""
        self.n += 1
        story_id = None
        claim_ids = []
        for k, (outlet, mw, text) in enumerate(reports):
            src = self.store.source_id(outlet)
            (aid,) = self.store.add_articles([NewArticle(
                url=f"https://{outlet.replace(' ', '').lower()}.example/{self.n}", source_id=src,
                title=f"Campus {self.n}", published=f"2026-05-{10 + self.n:02d}T{8 + k:02d}:00:00Z")])
            sentence = f"Campus {self.n} draws {mw:g} MW."
            body = (text or OPENINGS[outlet]).format(day=f"day {self.n}", n=self.n) + " " + sentence
            self.store.save_extraction(aid, text=body, method="test")
            story_id = self.store.save_placement(aid, {"id": story_id, "title": f"Campus {self.n}",
                                                       "first_seen": "2026-05-10T00:00:00Z",
                                                       "last_seen": "2026-05-30T00:00:00Z"})
            claim_ids += self.store.replace_article_claims(aid, [{
                "subject": f"campus {self.n}", "attribute": "power", "value": mw * 1e6, "unit": "W",
                "qualifier": "=", "surface": f"{mw:g} MW", "sentence": sentence, "entity": f"campus {self.n}",
                "property": "power", "time_ref": "current", "modality": "reported"}], "h")
        assert story_id is not None
        self.stories[story_id] = claim_ids
        self.group(story_id, claim_ids, [mw for _, mw, _ in reports])
        return story_id

    def group(self, story_id: int, claim_ids: list[int], values: list[float], tag: str = "h") -> None:
        """Write the story's group as the claims stage does (scored_at NULL: pending)."""
        sides: dict[float, list[int]] = {}
        for cid, v in zip(claim_ids, values, strict=True):
            sides.setdefault(v, []).append(cid)
        discrepancies = []
        if len(sides) > 1:
            discrepancies = [{"group": 0, "subject": "campus", "attribute": "power", "unit": "W",
                              "severity": 0.5, "kind": "conflict",
                              "sides": [{"value": v * 1e6, "outlets": len(c), "independent_reports": len(c),
                                         "claims": c} for v, c in sides.items()]}]
        self.store.replace_story_groups(story_id, [{
            "entity": "campus", "property": "power", "unit": "W", "claims": claim_ids,
            "outlets": len(claim_ids), "independent_reports": len(claim_ids)}], discrepancies, tag)

    def source(self, name: str) -> dict:
        return self.store.source_by_name(name)

    def history(self) -> int:
        return self.store.count("source_scores")


def _sloppy_world(tmp_path: Path, stories: int = 8) -> World:
    """Grid Watch and Rack Report agree on every campus; Sloppy Times is off on 6 of 8."""
    w = World(tmp_path / "news.db")
    for i in range(stories):
        mw = 100.0 + 10 * i
        w.story([("Grid Watch", mw, None), ("Rack Report", mw, None),
                 ("Sloppy Times", mw * 2 if i % 4 else mw, None)])
    return w


def test_sloppy_outlet_ends_below_the_careful_ones_with_a_wider_interval(tmp_path: Path) -> None:
    w = _sloppy_world(tmp_path)
    counts = run_reliability(w.store)
    assert counts["groups"] == 8 and counts["checked_claims"] == 24 and counts["sources_changed"] == 3
    grid, rack, sloppy = w.source("Grid Watch"), w.source("Rack Report"), w.source("Sloppy Times")
    assert sloppy["checked_claims"] == grid["checked_claims"] == 8
    assert (sloppy["agreed"], sloppy["disagreed"]) == (2, 6) and grid["disagreed"] == 0
    assert sloppy["reliability"] < min(grid["reliability"], rack["reliability"])
    assert sloppy["reliability_high"] - sloppy["reliability_low"] > grid["reliability_high"] - grid["reliability_low"]
    assert [r["name"] for r in w.store.source_rows()] == ["Grid Watch", "Rack Report", "Sloppy Times"]
    # the consensus is stored on the group and its discrepancy; checks on the claims
    (g,) = w.store.story_groups(next(iter(w.stories)))
    assert g["consensus_value"] == 100e6 and g["scored_at"]
    second = list(w.stories)[1]
    (d,) = w.store.story_discrepancies(second)
    assert d["consensus_value"] == 110e6
    checks = {r["surface"]: r["agreement"] for r in w.store.story_claims(second)}
    assert checks == {"110 MW": 1.0, "220 MW": 0.0}


def test_a_dispute_of_two_is_decided_by_what_the_batch_showed_of_them(tmp_path: Path) -> None:
    """On a fresh store every outlet starts at its prior: scored once, a careful outlet's figure
    ties a sloppy one's. The batch is scored again with the reliabilities its checks give."""
    w = _sloppy_world(tmp_path)
    duel = w.story([("Grid Watch", 500, None), ("Sloppy Times", 900, None)])
    counts = run_reliability(w.store)
    (g,) = w.store.story_groups(duel)
    assert g["consensus_value"] == 500e6 and counts["undecided"] == 0
    assert (w.source("Sloppy Times")["checked_claims"], w.source("Sloppy Times")["disagreed"]) == (9, 7)
    assert w.source("Grid Watch")["disagreed"] == 0
    assert w.history() == 3  # one history row per outlet and run, however many rounds


def test_a_run_in_several_batches_writes_one_history_row_per_source(tmp_path: Path) -> None:
    w = _sloppy_world(tmp_path)
    counts = run_reliability(w.store, batch=3)  # 8 stories: three transactions
    assert counts["groups"] == 8 and counts["sources_changed"] == 3 and w.history() == 3
    one = _sloppy_world(tmp_path / "one")
    run_reliability(one.store)
    assert [(r["reliability"], r["checked_claims"]) for r in w.store.db.query("select * from source_scores")] \
        == [(r["reliability"], r["checked_claims"]) for r in one.store.db.query("select * from source_scores")]


def test_rerun_with_nothing_pending_changes_nothing(tmp_path: Path) -> None:
    w = _sloppy_world(tmp_path)
    run_reliability(w.store)
    before = (list(w.store.db.query("select * from sources order by id")), w.history(),
              list(w.store.db.query("select id, agreement, checked_at from claims order by id")))
    assert before[1] == 3
    counts = run_reliability(w.store)
    assert counts == {"groups": 0, "checked_claims": 0, "undecided": 0, "groups_failed": 0, "sources_changed": 0}
    after = (list(w.store.db.query("select * from sources order by id")), w.history(),
             list(w.store.db.query("select id, agreement, checked_at from claims order by id")))
    assert after == before


def test_regrouped_story_is_rescored_and_its_checks_replaced_not_added(tmp_path: Path) -> None:
    w = _sloppy_world(tmp_path)
    run_reliability(w.store)
    sloppy = w.source("Sloppy Times")
    story_id, claim_ids = list(w.stories.items())[1]  # Sloppy Times was wrong here
    # the claims stage rewrites the story's group (same claims): pending again
    w.group(story_id, claim_ids, [110, 110, 220], tag="h2")
    assert w.store.pending_group_stories() == [story_id]
    counts = run_reliability(w.store)
    assert counts["groups"] == 1 and counts["checked_claims"] == 3
    again = w.source("Sloppy Times")
    assert (again["checked_claims"], again["agreed"], again["disagreed"]) == (8, 2, 6)
    assert again["reliability"] == sloppy["reliability"]
    assert counts["sources_changed"] == 0  # same score: no history row
    # regrouped without Sloppy Times's claim (left ungrouped): its check goes, its score moves
    w.group(story_id, claim_ids[:2], [110, 110], tag="h3")
    history = w.history()
    run_reliability(w.store)
    moved = w.source("Sloppy Times")
    assert (moved["checked_claims"], moved["disagreed"]) == (7, 5)
    assert moved["reliability"] > sloppy["reliability"]
    assert w.history() == history + 1


def test_a_checked_claim_that_vanishes_leaves_its_outlets_score(tmp_path: Path) -> None:
    w = _sloppy_world(tmp_path)
    run_reliability(w.store)
    story_id, claim_ids = list(w.stories.items())[1]
    (sloppy_article,) = [r["article_id"] for r in w.store.story_claims(story_id) if r["outlet"] == "Sloppy Times"]
    # the article is re-read without its claim and the story ends with no group at all:
    # no group comes back pending, yet both outlets' sums changed
    w.store.replace_article_claims(sloppy_article, [], "h-new")
    w.store.replace_story_groups(story_id, [], [], "h-none")
    assert w.store.pending_group_stories() == []
    run_reliability(w.store)
    assert (w.source("Sloppy Times")["checked_claims"], w.source("Sloppy Times")["disagreed"]) == (7, 5)
    assert w.source("Grid Watch")["checked_claims"] == 7  # its claim lost its group: check dropped
    assert w.store.sources_pending_rescore() == []


def test_wire_copy_counts_once_and_its_error_does_not_win(tmp_path: Path) -> None:
    w = World(tmp_path / "news.db")
    for i in range(6):
        mw = 300.0 + i
        wire = (f"LONDON (Reuters) - The operator switched on campus {{n}} on Thursday, people briefed on "
                f"the matter said, after months of delays over grid connections number {i}.")
        w.story([("Reuters", mw + 50, wire), ("Copy Daily", mw + 50, wire), ("Repost Weekly", mw + 50, wire),
                 ("Grid Watch", mw, None), ("Rack Report", mw, None)])
    run_reliability(w.store)
    reuters, copy, repost = w.source("Reuters"), w.source("Copy Daily"), w.source("Repost Weekly")
    assert reuters["checked_claims"] == 6 and reuters["disagreed"] == 6  # once per group, not three times
    assert copy["checked_claims"] is None and repost["reliability"] is None  # copies: neither credited nor blamed
    for story_id in w.stories:
        (g,) = w.store.story_groups(story_id)
        assert g["consensus_value"] in {v * 1e6 for v in range(300, 306)}  # two reports beat one copied three times
    assert w.source("Grid Watch")["checked_claims"] == 6


def test_first_party_release_starts_trusted(tmp_path: Path) -> None:
    cfg = parse_config("feeds:\n  - url: https://acme.example/press.xml\n    source: Acme Newsroom\n"
                       "    kind: first-party\n  - url: https://grid.example/feed\n    source: Grid Watch\n")
    w = World(tmp_path / "news.db")
    story_id = w.story([("Acme Newsroom", 300, None), ("Grid Watch", 400, None), ("Rack Report", 400, None)])
    run_reliability(w.store, cfg)
    acme = w.source("Acme Newsroom")
    assert acme["first_party"] == 1
    (g,) = w.store.story_groups(story_id)
    assert g["consensus_value"] == 300e6  # the company's own figure outweighs two outlets' other one
    assert acme["reliability"] > 0.95 and w.source("Grid Watch")["disagreed"] == 1
    # the company decides what its own release reports, against any number of outlets
    leads = ["toured the halls", "read the utility filing", "asked the county clerk", "heard from a contractor",
             "saw the permit board's agenda", "called the grid operator"]
    many = w.story([("Acme Newsroom", 500, None)] + [(f"Outlet {k}", 650, f"Outlet {k} {lead} about campus {{n}}.")
                                                     for k, lead in enumerate(leads)])
    run_reliability(w.store, cfg)
    assert w.store.story_groups(many)[0]["consensus_value"] == 500e6
    assert w.source("Outlet 0")["disagreed"] == 1
    # the same story without the first-party flag: two outlets outvote one
    plain = World(tmp_path / "plain.db")
    sid = plain.story([("Acme Newsroom", 300, None), ("Grid Watch", 400, None), ("Rack Report", 400, None)])
    run_reliability(plain.store)
    assert plain.store.story_groups(sid)[0]["consensus_value"] == 400e6


def test_fewer_than_five_checks_is_not_enough_evidence(tmp_path: Path) -> None:
    assert MIN_EVIDENCE == Params().min_evidence
    w = _sloppy_world(tmp_path, stories=3)
    w.story([("Ledger", 50, None)])  # one independent report: checks nothing
    counts = run_reliability(w.store)
    assert counts["groups"] == 4 and counts["checked_claims"] == 9
    rows = {r["name"]: r for r in w.store.source_rows()}
    assert rows["Grid Watch"]["checked_claims"] == 3
    assert rows["Grid Watch"]["reliability_text"] == NOT_ENOUGH_EVIDENCE
    assert rows["Ledger"]["reliability_text"] == "not scored yet"
    out = CliRunner().invoke(main, ["--db", str(tmp_path / "news.db"), "sources"])
    assert out.exit_code == 0, out.output
    assert out.output.count(NOT_ENOUGH_EVIDENCE) == 3 and "not scored yet" in out.output
    (ledger_group,) = w.store.story_groups(max(w.stories))
    assert ledger_group["consensus_value"] == 50e6 and ledger_group["scored_at"]


def test_thin_evidence_keeps_its_warning_and_still_ranks_a_wrong_outlet_last(tmp_path: Path) -> None:
    """Five outlets, one story each with one or two checks (the seed story's shape): all say "not
    enough evidence", and the one whose only checked claim was wrong stores the lowest posterior
    and ranks last, by its interval's lower bound."""
    w = World(tmp_path / "news.db")
    w.story([("Grid Watch", 220, None), ("Rack Report", 220, None), ("Ledger", 220, None),
             ("Sloppy Times", 1024, None)])
    w.story([("Grid Watch", 300, None), ("Rack Report", 300, None), ("Acme Newsroom", 300, None)])
    run_reliability(w.store)
    rows = w.store.source_rows()
    assert {r["reliability_text"] for r in rows} == {NOT_ENOUGH_EVIDENCE}
    assert rows[-1]["name"] == "Sloppy Times" and (rows[-1]["agreed"], rows[-1]["disagreed"]) == (0, 1)
    assert rows[-1]["reliability"] < min(r["reliability"] for r in rows[:-1])
    assert rows[-1]["reliability_low"] < min(r["reliability_low"] for r in rows[:-1])
    out = CliRunner().invoke(main, ["--db", str(tmp_path / "news.db"), "sources"])
    assert out.output.splitlines()[-1].split()[1:5] == ["Sloppy", "Times", "not", "enough"]


def test_the_stage_runs_in_the_pipeline_after_claims(tmp_path: Path) -> None:
    w = _sloppy_world(tmp_path, stories=2)
    counts = process(w.store, parse_config("feeds: []\n"), only=["reliability"])
    assert counts["reliability"]["groups"] == 2


def test_sources_and_show_source_explain_the_score(tmp_path: Path) -> None:
    w = _sloppy_world(tmp_path)
    run_reliability(w.store)
    db = str(tmp_path / "news.db")
    w.store.close()
    listed = CliRunner().invoke(main, ["--db", db, "sources"])
    assert listed.exit_code == 0, listed.output
    lines = listed.output.splitlines()
    assert "90% interval" in lines[0] and lines[-1].split()[1:3] == ["Sloppy", "Times"]
    shown = CliRunner().invoke(main, ["--db", db, "show-source", "Sloppy Times"])
    assert shown.exit_code == 0, shown.output
    out = shown.output
    lowered, raised = out.split("Claims that raised it")
    assert "Claims that lowered it (6 shown)" in lowered
    assert "wrote “220 MW”; consensus 110 MW" in lowered  # value as written beside the consensus
    assert "Grid Watch “110 MW”" in lowered and "Rack Report “110 MW”" in lowered  # the others' values
    assert "> Campus 2 draws 220 MW." in lowered and "https://sloppytimes.example/2" in lowered
    assert "(2 shown)" in raised and "consensus 100 MW" in raised
    missing = CliRunner().invoke(main, ["--db", db, "show-source", "Nobody"])
    assert missing.exit_code == 1 and len(missing.output.strip().splitlines()) == 1
    assert "no outlet called 'Nobody'" in missing.output


def test_score_item_lets_a_decisive_source_decide() -> None:
    item = Item("d", [Claim("co", 42.0)] + [Claim(f"o{k}", 99.0) for k in range(5)])
    assert score_item(item, {"co": 0.98}).value == 99.0  # five outlets outvote a trusted one
    scored = score_item(item, {"co": 0.98}, decisive={"co"})
    assert scored.value == 42.0 and {(c.source, c.agreement) for c in scored.checks if c.source == "o0"} == {("o0", 0.0)}
    # two decisive reports that differ are weighed as usual: the outlets decide between them
    two = score_item(Item("t", [Claim("a", 1.0), Claim("b", 2.0), Claim("o", 2.0)]), {}, decisive={"a", "b"})
    assert two.value == 2.0


def test_score_item_weighs_sources_and_decides_nothing_on_a_tie() -> None:
    item = Item("g", [Claim("a", 300.0), Claim("b", 400.0)])
    assert score_item(item, {}).value is None and score_item(item, {}).checks == []  # 1 vs 1, equal weight
    # a tie leaves the consensus undecided; a report off from both tied values is still wrong
    odd = score_item(Item("o", [Claim("a", 300.0), Claim("b", 400.0), Claim("e", 999.0)]), {"e": 0.5})
    assert odd.value is None and [(c.source, c.agreement, c.consensus_value) for c in odd.checks] == [("e", 0.0, None)]
    trusted = score_item(item, {"a": 0.95, "b": 0.6})
    assert trusted.value == 300.0
    assert {(c.source, c.agreement) for c in trusted.checks} == {("a", 1.0), ("b", 0.0)}
    # a copy votes with its report once and is not checked; a lone report checks nothing
    copied = Item("h", [Claim("w", 350.0, report="r"), Claim("c", 350.0, report="r", copy=True),
                        Claim("x", 300.0), Claim("y", 300.0)])
    scored = score_item(copied, {})
    assert scored.value == 300.0 and {c.source for c in scored.checks} == {"w", "x", "y"}
    alone = score_item(Item("i", [Claim("a", 5.0, report="r"), Claim("b", 5.0, report="r", copy=True)]), {})
    assert alone.value == 5.0 and alone.checks == [] and alone.reports == 1


def _claim(cid: int, source: int, published: str, **kw: object) -> dict:
    return {"id": cid, "article_id": cid, "source_id": source, "published": published, "sentence": "", **kw}


def test_group_items_compare_as_written_and_places_as_words() -> None:
    gpus = [_claim(1, 1, "2026-05-01", value=220000, unit="GPU", qualifier=">", surface="over 220,000 GPUs"),
            _claim(2, 2, "2026-05-02", value=230000, unit="GPU", qualifier="=", surface="230,000 GPUs"),
            _claim(3, 3, "2026-05-03", value=232000, unit="GPU", qualifier="=", surface="232,000 GPUs"),
            _claim(4, 4, "2026-05-04", value=100000, unit="GPU", qualifier="=", surface="100,000 GPUs")]
    reports = StoryReports({n: f"report:{n}" for n in range(1, 5)})
    scored = score_item(group_item({"id": 9, "unit": "GPU"}, gpus, reports), {}, PARAMS)
    assert scored.value == 230000
    assert {c.ref: c.agreement for c in scored.checks} == {1: 1.0, 2: 1.0, 3: 1.0, 4: 0.0}
    # three outlets' shared bound beats one outlet's far-off point (the seed story's GPU count)
    bound = [_claim(1, 1, "2026-05-01", value=220000, unit="GPU", qualifier=">", surface="over 220,000 GPUs"),
             _claim(2, 2, "2026-05-02", value=220000, unit="GPU", qualifier=">", surface="more than 220,000 GPUs"),
             _claim(3, 3, "2026-05-03", value=1024000, unit="GPU", qualifier="=", surface="1,024,000 GPUs"),
             _claim(4, 4, "2026-05-04", value=220000, unit="GPU", qualifier=">", surface="220,000+")]
    scored = score_item(group_item({"id": 6, "unit": "GPU"}, bound, reports), {}, PARAMS)
    assert scored.value == 220000 and {c.ref for c in scored.checks if c.agreement == 0} == {3}
    power = [_claim(1, 1, "2026-05-01", value=3e8, unit="W", qualifier="=", surface="0.3 GW"),
             _claim(2, 2, "2026-05-02", value=3e8, unit="W", qualifier="=", surface="300 MW"),
             _claim(3, 3, "2026-05-03", value=1.5e8, unit="W", qualifier="=", surface="150 MW")]
    scored = score_item(group_item({"id": 8, "unit": "W"}, power, reports), {})
    assert scored.value == 3e8 and [c.agreement for c in scored.checks] == [1.0, 1.0, 0.0]
    places = [_claim(1, 1, "2026-05-01", value=None, value_text="Memphis, Tennessee"),
              _claim(2, 2, "2026-05-02", value=None, value_text="Memphis"),
              _claim(3, 3, "2026-05-03", value=None, value_text="Texas")]
    scored = score_item(group_item({"id": 7, "unit": ""}, places, reports), {})
    assert scored.text == "Memphis, Tennessee"
    assert {c.ref: c.agreement for c in scored.checks} == {1: 1.0, 2: 1.0, 3: 0.0}


def test_a_wire_error_repeated_by_its_copy_and_a_credit_loses_to_two_independent_reports() -> None:
    """The wire prints 520 MW; an outlet runs its copy under the wire's dateline, another repeats
    it "according to The Associated Press"; two independent outlets print 320 MW. Counted by
    outlet the error wins 3-2; counted by report it loses 1-2, with every outlet weighed alike,
    and the copier and the crediting outlet are neither checked for it nor against it."""
    said = "Under the 15-year agreement, Calder will take 520 megawatts from plants being developed by Redhawk."
    texts = {
        1: ("AP", f"RENO, Nev. (AP) — Calder Cloud has agreed to buy geothermal power. {said}"),
        2: ("Yahoo Finance", f"RENO, Nev. (AP) — Calder Cloud has agreed to buy geothermal power. {said}"),
        3: ("Data Center Frontier", "Calder signed a 15-year deal with Redhawk for 320MW of firm capacity."),
        4: ("Data Center Knowledge", "Calder Cloud has agreed a 15-year deal, the companies said today. Calder "
                                     "will take 520 megawatts from Redhawk's planned plants in northern Nevada, "
                                     "according to The Associated Press."),
        5: ("SiliconANGLE", "Calder Cloud has signed up for 320 megawatts of round-the-clock geothermal power."),
    }
    times = {1: "2026-11-12T06:00:00Z", 2: "2026-11-12T06:30:00Z", 3: "2026-11-12T08:15:00Z",
             4: "2026-11-12T09:40:00Z", 5: "2026-11-12T11:20:00Z"}
    articles = [ArticleInfo(article_id=n, source_id=n, text=text, outlet=outlet, published=times[n])
                for n, (outlet, text) in texts.items()]
    reports = independent_reports(articles)
    sentence = {1: said, 2: said, 3: texts[3][1], 4: texts[4][1].split(". ", 1)[1], 5: texts[5][1]}
    claims = [_claim(n, n, times[n], value=mw * 1e6, unit="W", qualifier="=", surface=f"{mw} megawatts",
                     sentence=sentence[n], outlet=texts[n][0])
              for n, mw in ((1, 520), (2, 520), (3, 320), (4, 520), (5, 320))]
    # without the copies found by wording, the first outlet to publish the wire's report is its original
    item = group_item({"id": 1, "unit": "W"}, claims, StoryReports(reports, outlets=story_reports(articles).outlets))
    equal = {str(n): 0.9 for n in texts}
    scored = score_item(item, equal, PARAMS)
    assert scored.value == 320e6
    assert {c.ref: c.agreement for c in scored.checks} == {1: 0.0, 3: 1.0, 5: 1.0}
    # nor does a wire right 99 % of the time outvote two independent outlets at the default prior
    assert score_item(item, {"1": 0.99, "2": 0.99}, PARAMS).value == 320e6
    # a feed that dates the wire's story after its copy (an updated story) makes no original of
    # the copy: the wire is checked for its figure, the copier is not
    times[1] = "2026-11-12T07:00:00Z"
    articles = [replace(a, published=times[a.article_id]) for a in articles]
    claims = [c | {"published": times[c["id"]]} for c in claims]
    item = group_item({"id": 1, "unit": "W"}, claims, story_reports(articles))
    scored = score_item(item, equal, PARAMS)
    assert scored.value == 320e6 and {c.ref: c.agreement for c in scored.checks} == {1: 0.0, 3: 1.0, 5: 1.0}


def test_a_figure_an_article_takes_from_a_report_it_credits_elsewhere_is_a_repeat() -> None:
    """An outlet writes "Reuters first reported the deal" in one sentence and the wire's $6.2
    billion in another: that figure is the wire's report repeated, not a second report, so the
    wire's error (with its copy) loses to two independent outlets' $5.2 billion even when the
    wire is right 99 % of the time. A figure of its own in that article is still its own."""
    said = "Cobalt Ridge will be paid $6.2 billion over ten years."
    texts = {
        1: ("Reuters", f"HOUSTON, Nov 3 (Reuters) - Cobalt Ridge signed a hosting deal. {said}"),
        2: ("Investing.com", f"HOUSTON, Nov 3 (Reuters) - Cobalt Ridge signed a hosting deal. {said}"),
        3: ("The Register", "Reuters first reported the deal on Monday. The bit barn biz will pocket "
                            "$6.2 billion over the decade."),
        4: ("DCD", "Cobalt Ridge's contract is worth $5.2 billion over ten years."),
        5: ("Tom's Hardware", "The ten-year agreement is valued at $5.2 billion."),
    }
    times = {n: f"2026-11-03T0{n}:00:00Z" for n in texts}
    articles = [ArticleInfo(article_id=n, source_id=n, text=text, outlet=outlet, published=times[n])
                for n, (outlet, text) in texts.items()]
    story = story_reports(articles)
    sentence = {1: said, 2: said, 3: texts[3][1].split(". ", 1)[1], 4: texts[4][1], 5: texts[5][1]}
    claims = [_claim(n, n, times[n], value=b * 1e9, unit="USD", qualifier="=", surface=f"${b} billion",
                     sentence=sentence[n], outlet=texts[n][0])
              for n, b in ((1, 6.2), (2, 6.2), (3, 6.2), (4, 5.2), (5, 5.2))]
    item = group_item({"id": 1, "unit": "USD"}, claims, story)
    assert {c.ref: c.copy for c in item.claims} == {1: False, 2: True, 3: True, 4: False, 5: False}
    assert score_item(item, {"1": 0.99}, PARAMS).value == 5.2e9
    # its own figure, one the credited report never gives, stays its own claim
    claims[2] = claims[2] | {"value": 7.1e9, "surface": "$7.1 billion"}
    item = group_item({"id": 1, "unit": "USD"}, claims, story)
    assert {c.ref: c.copy for c in item.claims}[3] is False


def test_an_outlet_that_misquotes_the_report_it_credits_is_checked_for_its_figure() -> None:
    """A company's newsroom is an outlet of the story: "Vexa reported revenue of $31.5 billion"
    credits its release, which says $35.1 billion. A repeat of the release is a copy; a misquote
    is the crediting outlet's own claim, checked and found wrong."""
    texts = {1: ("Vexa", "Vexa today announced revenue of $35.1 billion for the quarter."),
             2: ("Tech Daily", "Vexa reported revenue of $31.5 billion for the quarter."),
             3: ("DCD", "Vexa reported revenue of $35.1 billion for the quarter, beating estimates."),
             4: ("The Register", "Chipmaker Vexa posted revenue of $35.1 billion.")}
    times = {n: f"2026-11-12T0{n}:00:00Z" for n in texts}
    articles = [ArticleInfo(article_id=n, source_id=n, text=text, outlet=outlet, published=times[n])
                for n, (outlet, text) in texts.items()]
    claims = [_claim(n, n, times[n], value=b * 1e9, unit="USD", qualifier="=", surface=f"${b} billion",
                     sentence=texts[n][1], outlet=texts[n][0])
              for n, b in ((1, 35.1), (2, 31.5), (3, 35.1), (4, 35.1))]
    item = group_item({"id": 1, "unit": "USD"}, claims, story_reports(articles))
    assert {c.ref: c.copy for c in item.claims} == {1: False, 2: False, 3: True, 4: False}
    scored = score_item(item, {str(n): 0.9 for n in texts}, PARAMS)
    assert scored.value == 35.1e9 and {c.ref: c.agreement for c in scored.checks}[2] == 0.0


def test_an_outlet_giving_a_figure_now_and_another_planned_splits_the_group() -> None:
    """Two outlets write "64,000 GPUs" now and "100,000 by 2027", a third only the plan, a fourth
    46,000 now. Its latest claim as each outlet's one vote would make the plan the consensus."""
    gpus = [_claim(1, 1, "2026-10-13T06", value=46000, unit="GPU", surface="46,000 GPUs"),
            _claim(2, 2, "2026-10-13T09", value=64000, unit="GPU", surface="64,000 GPUs"),
            _claim(3, 2, "2026-10-13T09", value=100000, unit="GPU", surface="100,000 GPUs", scope="planned"),
            _claim(4, 3, "2026-10-13T11", value=64000, unit="GPU", surface="64,000 GPUs"),
            _claim(5, 3, "2026-10-13T11", value=100000, unit="GPU", surface="100,000 GPUs", scope="planned"),
            _claim(6, 4, "2026-10-13T12", value=100000, unit="GPU", surface="100,000 GPUs", scope="planned")]
    for c, article in zip(gpus, (1, 2, 2, 3, 3, 4), strict=True):
        c["article_id"] = article
    reports = StoryReports({n: f"report:{n}" for n in range(1, 5)})
    group = {"id": 46, "unit": "GPU"}
    assert score_item(group_item(group, gpus, reports), {}, PARAMS).value == 100000
    now, plan = (score_item(item, {}, PARAMS) for item in group_items(group, gpus, reports))
    assert now.value == 64000 and {c.ref: c.agreement for c in now.checks} == {1: 0.0, 2: 1.0, 4: 1.0}
    assert plan.value == 100000 and {c.ref: c.agreement for c in plan.checks} == {3: 1.0, 5: 1.0, 6: 1.0}
    # outlets that write one project's figure once as planned and once plainly: one quantity
    one = [_claim(1, 1, "2026-05-01", value=1.2e9, unit="W", surface="1.2 GW", scope="planned"),
           _claim(2, 2, "2026-05-02", value=1.2e9, unit="W", surface="1.2GW"),
           _claim(3, 2, "2026-05-02", value=1.2e9, unit="W", surface="1.2 gigawatts", scope="planned"),
           _claim(4, 3, "2026-05-03", value=1.5e9, unit="W", surface="1.5 GW")]
    (item,) = group_items({"id": 5, "unit": "W"}, one, reports)
    assert score_item(item, {"3": 0.5}, PARAMS).value == 1.2e9


def _echo_world(tmp_path: Path) -> World:
    """Echo Desk publishes right after a one-off outlet on 12 campuses and repeats its figure
    each time, in its own words (so no text says it copied); Grid Watch reports them too."""
    w = World(tmp_path / "news.db")
    for i in range(12):
        mw = 100.0 + 10 * i
        w.story([(f"Local {i}", mw, f"Local paper {i} ran the story of campus {{n}} on page {i + 2}."),
                 ("Echo Desk", mw, f"Echo Desk roundup {i}: campus {{n}} news from elsewhere, item {i}."),
                 ("Grid Watch", mw, None)])
    return w


def test_an_echoing_outlet_counts_once_with_what_it_repeats(tmp_path: Path) -> None:
    w = _echo_world(tmp_path)
    run_reliability(w.store)
    echo_id = w.store.source_id("Echo Desk")
    follows = w.store.echo_evidence([echo_id])[echo_id]
    assert sum(n for _, same, n in follows if same) == 12
    # a new campus: a fresh outlet's wrong figure, Echo Desk repeating it, Grid Watch's own
    story = w.story([("Newcomer", 450, "Newcomer heard campus {n} will draw far more."),
                     ("Echo Desk", 450, "Echo Desk roundup: campus {n} news from elsewhere."),
                     ("Grid Watch", 300, None)])
    run_reliability(w.store)
    (g,) = w.store.story_groups(story)
    assert g["consensus_value"] == 300e6  # Echo Desk's repeat is Newcomer's report, not a second
    checks = {r["outlet"]: r["agreement"] for r in w.store.story_claims(story)}
    assert checks["Echo Desk"] == 0.0  # and it is still checked as its own claim


def test_without_echo_detection_the_repeat_is_a_second_vote(tmp_path: Path, monkeypatch) -> None:
    from newswatch.reliability import stage

    monkeypatch.setattr(stage, "PARAMS", Params(bound_candidates=True, detect_echo=False))
    w = _echo_world(tmp_path)
    run_reliability(w.store)
    story = w.story([("Newcomer", 450, "Newcomer heard campus {n} will draw far more."),
                     ("Echo Desk", 450, "Echo Desk roundup: campus {n} news from elsewhere."),
                     ("Grid Watch", 300, None)])
    run_reliability(w.store)
    (g,) = w.store.story_groups(story)
    assert g["consensus_value"] == 450e6


def test_a_stated_maximum_given_as_the_figure_is_checked_as_written() -> None:
    """"Up to 1,400 watts" beside "rated at 1,400W" is the chip's rating: "up to 1.1 kilowatts"
    disagrees with it, as the claims stage's sides say, and is no bound that 1,100 W satisfies."""
    watts = [_claim(1, 1, "2026-05-01", value=1400, unit="W", qualifier="<=", surface="up to 1,400 watts"),
             _claim(2, 2, "2026-05-02", value=1100, unit="W", qualifier="<=", surface="up to 1.1 kilowatts"),
             _claim(3, 3, "2026-05-03", value=1400, unit="W", qualifier="=", surface="1,400W")]
    reports = StoryReports({n: f"report:{n}" for n in range(1, 4)})
    scored = score_item(group_item({"id": 5, "unit": "W"}, watts, reports), {}, PARAMS)
    assert scored.value == 1400
    assert {c.ref: c.agreement for c in scored.checks} == {1: 1.0, 2: 0.0, 3: 1.0}
