"""Which independent report each claim of a group belongs to, and which claims are copies
(claims/reports.py): one decision for the claims stage's discrepancy sides and the reliability
stage's votes. Each case is literal text; the last ones check that both stages read one answer."""

from __future__ import annotations

import pytest

from newswatch.claims.groups import ClaimRecord, analyse_story
from newswatch.claims.reports import (
    ArticleInfo,
    ClaimReport,
    ReportedClaim,
    StoryReports,
    claim_reports,
    story_reports,
)
from newswatch.reliability.stage import group_item


def articles(texts: dict[int, tuple[str, str]], times: dict[int, str]) -> list[ArticleInfo]:
    return [ArticleInfo(article_id=n, source_id=n, text=text, outlet=outlet, published=times[n])
            for n, (outlet, text) in texts.items()]


def point(value: float) -> tuple[float, float]:
    """The interval a figure written to three significant digits allows."""
    return (value * 0.9995, value * 1.0005)


def claim(n: int, value: float, sentence: str, published: str, allows: tuple[float, float] | None = None
          ) -> ReportedClaim:
    return ReportedClaim(claim_id=n, article_id=n, source_id=n, sentence=sentence, published=published,
                         allows=allows or point(value))


# A company's statement, carried by Bloomberg and its syndicated copy, credited to Bloomberg by a
# third outlet; a fourth outlet has its own figure.
STATED = "The campus would draw as much as 865 megawatts, the company said in a statement Tuesday."
CREDITED = "The finished campus will draw up to 865 megawatts, as first reported by Bloomberg."
CHAIN = {1: ("Bloomberg", "Quarrystone AI plans a campus near Temple. " + STATED),
         2: ("Yahoo Finance", "(Bloomberg) -- Quarrystone AI plans a campus near Temple. " + STATED),
         3: ("Tom's Hardware", "Another week, another Texas campus. " + CREDITED),
         4: ("DatacenterDynamics", "Temple gets a campus. Quarrystone says it will draw 615 MW.")}
CHAIN_TIMES = {1: "2026-11-10T08:00:00Z", 2: "2026-11-10T08:30:00Z", 3: "2026-11-10T10:00:00Z",
               4: "2026-11-10T11:00:00Z"}


def test_a_credit_to_a_report_that_credits_another_is_followed_to_its_end() -> None:
    """Tom's Hardware credits Bloomberg, whose own figure credits the company's statement: one
    report (the statement), with Bloomberg its original and the others copies. The reliability
    stage used to stop at Bloomberg, counting the statement and Bloomberg as two reports."""
    story = story_reports(articles(CHAIN, CHAIN_TIMES))
    claims = [claim(1, 865e6, STATED, CHAIN_TIMES[1]), claim(2, 865e6, STATED, CHAIN_TIMES[2]),
              claim(3, 865e6, CREDITED, CHAIN_TIMES[3]),
              claim(4, 615e6, "Quarrystone says it will draw 615 MW.", CHAIN_TIMES[4])]
    roles = claim_reports(claims, story)
    statement = ClaimReport("doc:statement", False)
    assert roles[1] == statement and roles[2] == roles[3] == statement._replace(copy=True)
    assert roles[4] == ClaimReport(story.reports[4], False)
    # a figure Bloomberg never gives is Tom's Hardware's own, however it credits Bloomberg
    claims[2] = claim(3, 856e6, CREDITED.replace("865", "856"), CHAIN_TIMES[3])
    assert claim_reports(claims, story)[3] == ClaimReport(story.reports[3], False)


def test_a_credited_value_the_credited_report_never_gives_is_a_misquote() -> None:
    """"Vexa reported $31.5 billion" where Vexa's release says $35.1 billion is Tech Daily's own
    claim; DCD's "Vexa reported $35.1 billion" repeats the release. The claims stage used to
    count the misquote as Vexa's report, so its side's first reporter and the group's report
    count disagreed with the reliability stage's."""
    texts = {1: ("Vexa", "Vexa today announced revenue of $35.1 billion for the quarter."),
             2: ("Tech Daily", "Vexa reported revenue of $31.5 billion for the quarter."),
             3: ("DCD", "Vexa reported revenue of $35.1 billion for the quarter, beating estimates."),
             4: ("The Register", "Chipmaker Vexa posted revenue of $35.1 billion.")}
    times = {n: f"2026-11-12T0{n}:00:00Z" for n in texts}
    story = story_reports(articles(texts, times))
    claims = [claim(n, v, texts[n][1], times[n]) for n, v in ((1, 35.1e9), (2, 31.5e9), (3, 35.1e9), (4, 35.1e9))]
    roles = claim_reports(claims, story)
    assert roles == {1: ClaimReport(story.reports[1], False), 2: ClaimReport(story.reports[2], False),
                     3: ClaimReport(story.reports[1], True), 4: ClaimReport(story.reports[4], False)}


def test_a_figure_from_a_report_the_article_credits_elsewhere_is_a_repeat() -> None:
    """"Reuters first reported the deal" in one sentence, the wire's $6.2 billion in another: the
    figure is the wire's report repeated (the claims stage used to count it as a second report
    on the wire's side); a figure the wire never gives is the outlet's own."""
    said = "Cobalt Ridge will be paid $6.2 billion over ten years."
    texts = {1: ("Reuters", f"HOUSTON, Nov 3 (Reuters) - Cobalt Ridge signed a hosting deal. {said}"),
             2: ("The Register", "Reuters first reported the deal on Monday. The bit barn biz will pocket "
                                 "$6.2 billion over the decade."),
             3: ("DCD", "Cobalt Ridge's contract is worth $5.2 billion over ten years.")}
    times = {n: f"2026-11-03T0{n}:00:00Z" for n in texts}
    story = story_reports(articles(texts, times))
    own = "The bit barn biz will pocket $6.2 billion over the decade."
    claims = [claim(1, 6.2e9, said, times[1]), claim(2, 6.2e9, own, times[2]), claim(3, 5.2e9, texts[3][1], times[3])]
    roles = claim_reports(claims, story)
    assert roles[2] == ClaimReport("wire:reuters", True) and roles[1] == ClaimReport("wire:reuters", False)
    claims[1] = claim(2, 7.1e9, own.replace("6.2", "7.1"), times[2])
    assert claim_reports(claims, story)[2] == ClaimReport(story.reports[2], False)


def test_the_wire_is_the_original_of_its_own_copy_whatever_the_feeds_say() -> None:
    """An outlet runs AP's copy under AP's dateline and its feed dates it before AP's own story:
    one report, AP's, of which the copy is a copy."""
    said = "Calder will take 520 megawatts from plants being developed by Redhawk."
    texts = {1: ("AP", f"RENO, Nev. (AP) — Calder Cloud has agreed to buy geothermal power. {said}"),
             2: ("Yahoo Finance", f"RENO, Nev. (AP) — Calder Cloud has agreed to buy geothermal power. {said}")}
    times = {1: "2026-11-12T07:00:00Z", 2: "2026-11-12T06:30:00Z"}
    story = story_reports(articles(texts, times))
    roles = claim_reports([claim(1, 520e6, said, times[1]), claim(2, 520e6, said, times[2])], story)
    assert roles == {1: ClaimReport("wire:ap", False), 2: ClaimReport("wire:ap", True)}


def test_the_first_outlet_to_publish_a_report_is_its_original() -> None:
    """Two outlets quote one press release: one report, the earlier outlet its original. Report
    keys given by hand work without articles (no outlets, no copies)."""
    pr = "The campus will draw 300 MW, according to a press release."
    story = StoryReports({1: "report:1", 2: "report:2"})
    roles = claim_reports([claim(2, 3e8, pr, "2026-05-02"), claim(1, 3e8, pr, "2026-05-01")], story)
    assert roles == {1: ClaimReport("doc:press release", False), 2: ClaimReport("doc:press release", True)}


# ---------------------------------------------------------------- both stages read one answer

FIRST = {1: ("Tech Daily", "Tech Daily toured the campus this week. The campus draws 520 MW."),
         2: ("The Register", "The campus draws 520 MW, as first reported by Tech Daily."),
         3: ("DCD", "Planning filings describe the site. The campus draws 320 MW."),
         4: ("SiliconANGLE", "Operators confirmed the campus draws 320 MW.")}
# the crediting outlet's feed dates it before the report it credits
FIRST_TIMES = {1: "2026-11-12T09:00:00Z", 2: "2026-11-12T08:00:00Z", 3: "2026-11-12T08:30:00Z",
               4: "2026-11-12T10:00:00Z"}


def _records(texts: dict[int, tuple[str, str]], times: dict[int, str], values: dict[int, float]) -> list[ClaimRecord]:
    return [ClaimRecord(claim_id=n, article_id=n, source_id=n, value=v, unit="W", surface=f"{v / 1e6:g} MW",
                        entity="the campus", property="power draw", published=times[n], outlet=texts[n][0],
                        sentence=texts[n][1].split(". ")[-1]) for n, v in values.items()]


def _stored(records: list[ClaimRecord]) -> list[dict]:
    return [{"id": c.claim_id, "article_id": c.article_id, "source_id": c.source_id, "value": c.value,
             "unit": c.unit, "qualifier": c.qualifier, "surface": c.surface, "sentence": c.sentence,
             "published": c.published, "outlet": c.outlet} for c in records]


@pytest.mark.parametrize("case", ["first", "misquote", "chain"])
def test_the_claims_and_reliability_stages_count_the_same_reports(case: str) -> None:
    """A discrepancy's sides (report counts, first reporter: what users see and
    discrepancy_sides stores) and the reliability stage's votes come from one decision."""
    if case == "first":
        texts, times, values = FIRST, FIRST_TIMES, {1: 520e6, 2: 520e6, 3: 320e6, 4: 320e6}
    elif case == "misquote":
        texts = {1: ("Vexa", "Vexa today announced the campus draws 350 MW."),
                 2: ("Tech Daily", "Vexa reported the campus draws 530 MW."),
                 3: ("DCD", "Vexa reported the campus draws 350 MW."),
                 4: ("The Register", "Our sources say the campus draws 350 MW.")}
        times, values = {n: f"2026-11-12T0{n}:00:00Z" for n in texts}, {1: 350e6, 2: 530e6, 3: 350e6, 4: 350e6}
    else:
        texts = {1: ("Bloomberg", "Quarrystone plans a campus. The campus draws 865 MW, the company said in a statement."),
                 2: ("Tom's Hardware", "Another campus. The campus draws 865 MW, as first reported by Bloomberg."),
                 3: ("DCD", "Temple gets a campus. The campus draws 615 MW."),
                 4: ("SiliconANGLE", "Operators confirmed it. The campus draws 615 MW.")}
        times, values = {n: f"2026-11-12T0{n}:00:00Z" for n in texts}, {1: 865e6, 2: 865e6, 3: 615e6, 4: 615e6}
    arts = articles(texts, times)
    records = _records(texts, times, values)
    found = analyse_story(records, arts)
    (group,) = found.groups
    (d,) = found.discrepancies
    item = group_item({"id": 1, "unit": "W"}, _stored(records), story_reports(arts))
    voted = {c.ref: (c.report, c.copy) for c in item.claims}
    assert voted == {cid: (group.reports[cid], cid in group.copies) for cid in values}
    sides = {s.value: s for s in d.sides}
    if case == "first":
        # The Register credits Tech Daily: a copy, never the first to report Tech Daily's figure
        assert sides[520e6].first.article_id == 1 and sides[520e6].independent_reports == 1
    elif case == "misquote":
        # Tech Daily's misquote is its own report, and it first reported its figure
        assert sides[530e6].first.article_id == 2 and voted[2] == (story_reports(arts).reports[2], False)
        assert group.independent_reports == 3
    else:
        # the credit follows Bloomberg to the statement: one report on the 865 MW side
        assert voted[2] == ("doc:statement", True) and sides[865e6].independent_reports == 1
