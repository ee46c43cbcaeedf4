"""Claim groups and discrepancies (claims/groups.py): which claims of a story measure the same
thing, how many independent reports stand behind each value, and what kind of disagreement it is.

Each failure pattern of issue 10 that belongs to grouping has a case written here: one article's
two figures never look like outlets disagreeing; copies do not corroborate; a revision over time is
an update, not a conflict; different scopes, times and modalities are never compared; agreement
forms groups too. The seed story closes the file."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from conftest import counting_encoder, seed_frames

from newswatch.claims import intervals
from newswatch.claims.frames import extract_claims
from newswatch.claims.groups import (
    CLOSE_PROPERTY_ODDS,
    ClaimRecord,
    analyse_story,
    candidates,
    find_discrepancy,
    group_claims,
)
from newswatch.claims.reports import (
    ArticleInfo,
    StoryReports,
    credited_source,
    independent_reports,
    reports_and_copies,
    story_reports,
)

FIXTURES = Path(__file__).parent / "fixtures"


_n = iter(range(1, 10_000))


def rec(article, value, surface=None, *, unit="GPU", qualifier="=", entity="Colossus 1",
        prop="GPUs installed", scope="", time_ref="current", modality="reported", published=None,
        source=None, sentence="", low=None, high=None, value_text=None):
    return ClaimRecord(claim_id=next(_n), article_id=article, source_id=source if source is not None else article,
                       value=value, unit=unit, surface=surface or (f"{value:,.0f}" if value is not None else ""),
                       qualifier=qualifier, low=low, high=high, entity=entity, property=prop, scope=scope,
                       time_ref=time_ref, modality=modality, value_text=value_text, sentence=sentence,
                       published=published)


def art(article, text=None, source=None, outlet="", published=None):
    return ArticleInfo(article_id=article, source_id=source if source is not None else article,
                       text=text if text is not None else f"Article number {article} with its own words {article}.",
                       outlet=outlet or f"Outlet {article}", published=published)


def analyse(claims, articles=None):
    arts = articles or [art(a) for a in sorted({c.article_id for c in claims})]
    return analyse_story(claims, arts)


# ---------------------------------------------------------------- intervals (from the old check)

@pytest.mark.parametrize("a,b", [
    (rec(1, 220000, "over 220,000", qualifier=">"), rec(2, 230000, "230,000")),
    (rec(1, 48000, "about 48,000", qualifier="~"), rec(2, 48500, "48,500")),
    (rec(1, 220000, "220,000"), rec(2, 220000, "over 220,000", qualifier=">")),
    (rec(1, 220000, "220,000+", qualifier=">="), rec(2, 220000, "more than 220,000", qualifier=">")),
    (rec(1, 3e8, "300+ MW", unit="W", qualifier=">=", prop="power"), rec(2, 3e8, "300 megawatts", unit="W", prop="power")),
    (rec(1, 3e8, "300 MW", unit="W", prop="power"), rec(2, 3e8, "0.3 GW", unit="W", prop="power")),
    (rec(1, 1.1e10, "10-12 GW", unit="W", qualifier="range", low=1e10, high=1.2e10, prop="power"),
     rec(2, 1.15e10, "11.5 GW", unit="W", prop="power")),
    (rec(1, 1e11, "up to $100 billion", unit="USD", qualifier="<=", prop="cost"),
     rec(2, 9e10, "$90 billion", unit="USD", prop="cost")),
])
def test_agreeing_claims_form_one_group_and_no_discrepancy(a, b):
    found = analyse([a, b])
    assert found.discrepancies == []
    (g,) = found.groups
    assert {c.claim_id for c in g.claims} == {a.claim_id, b.claim_id}
    assert g.outlets == 2 and g.independent_reports == 2


def test_exact_zeros_are_one_side_and_touching_roundings_two():
    zeros = [rec(k, 0, "0", unit="point", prop="points") for k in (1, 2, 3)]
    assert len(intervals.sides(zeros, lambda c: intervals.interval(c.value, c.unit, "=", c.surface))) == 1
    pair = [rec(1, 7.5, "7.5", unit="", prop="magnitude"), rec(2, 7.6, "7.6", unit="", prop="magnitude")]
    assert len(intervals.sides(pair, lambda c: intervals.interval(c.value, c.unit, "=", c.surface))) == 2


def test_interval_uses_written_precision():
    lo, hi = intervals.interval(220000, "GPU", "=", "220,000")
    assert lo == pytest.approx(215000) and hi == pytest.approx(225000)
    lo, hi = intervals.interval(1.08, "", "=", "1.08")
    assert 1.07 < lo < hi < 1.09


@pytest.mark.parametrize("claims,sides", [
    ([rec(1, 3e8, "300 MW", unit="W", prop="power"), rec(2, 3e9, "3 GW", unit="W", prop="power"),
      rec(3, 3e8, "300,000 kW", unit="W", prop="power")], [[1, 3], [2]]),
    ([rec(1, 220000, "more than 220,000", qualifier=">"), rec(2, 1e6, "1 million")], [[1], [2]]),
    ([rec(1, 4.2e9, "$4.2bn", unit="USD", prop="revenue"), rec(2, 4.6e9, "$4.6 billion", unit="USD", prop="revenue")],
     [[1], [2]]),
    # written to one digit and one apart: they touch only at the rounding boundary, so they differ
    ([rec(1, 1.4e9, "$1.4bn", unit="USD", prop="cost"), rec(2, 1.5e9, "$1.5 billion", unit="USD", prop="cost"),
      rec(3, 1.4e9, "$1.4 billion", unit="USD", prop="cost")], [[1, 3], [2]]),
])
def test_values_that_cannot_all_hold_are_a_conflict_with_every_claim_on_a_side(claims, sides):
    (d,) = analyse(claims).discrepancies
    assert d.kind == "conflict"
    assert sorted(sorted(c.article_id for c in s.claims) for s in d.sides) == sides


# ---------------------------------------------------------------- what is never compared

def test_different_time_dimension_scope_version_and_modality_are_never_grouped():
    """The frame's hard facts: whatever the wording, these never meet (groups.candidates)."""
    base = rec(1, 3e8, "300 MW", unit="W", prop="power", sentence="Colossus 1 draws 300 MW of power.")
    others = [
        rec(3, 1e8, "100 MW", unit="W", prop="power", time_ref="2024", sentence="In 2024 it drew 100 MW of power."),
        rec(4, 1e9, "1 GW", unit="W", prop="power", entity="Colossus 2", sentence="Colossus 2 draws 1 GW of power."),
        rec(5, 5e9, "5 GWh", unit="Wh", prop="power", sentence="Colossus 1 draws 5 GWh of power."),
        rec(6, 5e7, "50 MW", unit="W", prop="power", modality="hypothetical",
            sentence="Had it drawn 50 MW of power, nobody would have noticed."),
        rec(7, 6e7, "60 MW", unit="W", prop="power", modality="asked", sentence="xAI asked for 60 MW of power."),
        rec(9, 4e7, "40 MW", unit="W", prop="", sentence="Colossus 1: 40 MW."),
        rec(11, 30, "up 30%", unit="%", prop="power", qualifier="up", sentence="Colossus 1's power is up 30%."),
        rec(12, 20, "20%", unit="%", prop="power", sentence="Colossus 1's power share is 20%."),
    ]
    found = analyse([base, *others])
    assert found.discrepancies == []
    assert {c.article_id for c in found.ungrouped} == {6, 9}
    assert all(len(g.claims) == 1 for g in found.groups)


def test_outlets_reporting_one_demand_disagree_but_a_demand_never_meets_an_offer():
    """What was asked for is a figure outlets report and misreport; it is never what was offered."""
    def demand(article, value, surface):
        return rec(article, value, surface, unit="USD", prop="repay", entity="Marlowe", modality="asked",
                   sentence=f"The authority voted to demand that Marlowe repay {surface} in property taxes.")
    claims = [demand(1, 2.34e7, "$23.4 million"), demand(2, 2.34e7, "$23.4 million"),
              demand(3, 3.24e7, "$32.4 million"),
              rec(4, 6.5e6, "$6.5 million", unit="USD", prop="repay", entity="Marlowe",
                  sentence="Marlowe offered to repay $6.5 million in property taxes.")]
    found = analyse(claims)
    (d,) = found.discrepancies
    assert d.kind == "conflict"
    assert sorted(sorted(c.article_id for c in s.claims) for s in d.sides) == [[1, 2], [3]]
    assert not any({1, 4} <= {c.article_id for c in g.claims} for g in found.groups)


def test_a_planned_figure_meets_the_plain_one_and_an_unnamed_owner_is_the_storys():
    """Outlets write one project's figure as planned ("plans a 1.2 GW campus") and as plain ("the
    1.2GW campus"); a figure the parse cannot tie to an owner belongs to the story's main entity."""
    claims = [rec(1, 1.2e9, "1.2 GW", unit="W", prop="power", scope="planned", entity="Northbeam",
                  sentence="Northbeam plans a 1.2 GW AI campus near Cresson."),
              rec(2, 1.2e9, "1.2GW", unit="W", prop="power", entity="Northbeam",
                  sentence="Northbeam's 1.2GW AI campus near Cresson is the largest in the county."),
              rec(3, 1.6e9, "1.6GW", unit="W", prop="power", entity="",
                  sentence="The 1.6GW AI campus near Cresson will use closed-loop cooling.")]
    found = analyse(claims)
    (g,) = found.groups
    assert len(g.claims) == 3 and not found.ungrouped
    (d,) = found.discrepancies
    assert d.kind == "conflict" and d.sides[d.majority].value == 1.2e9


@pytest.mark.xfail(strict=True, reason="known limit: the bundled model reads sentences about one quake's dead and "
                   "injured as near-identical (0.77) and the fitted score follows the sentences")
def test_killed_and_injured_in_one_story_are_two_groups():
    """Different quantities with one unit: the words around each number tell them apart where the
    property phrases alone did not ("death toll" and "people killed" read as different)."""
    claims = [rec(1, 12, "12 people", unit="person", prop="people killed", entity="the event",
                  sentence="The earthquake killed 12 people in Aceh on Tuesday, officials said."),
              rec(2, 12, "12", unit="person", prop="death toll", entity="the event",
                  sentence="The death toll from Tuesday's quake in Aceh stands at 12, officials said."),
              rec(3, 40, "40 people", unit="person", prop="people injured", entity="the event",
                  sentence="Officials said 40 people were injured in the Aceh quake on Tuesday."),
              rec(4, 41, "41 people", unit="person", prop="people hurt", entity="the event",
                  sentence="At least 41 people were hurt in Tuesday's quake, Aceh officials said.")]
    groups, _ = group_claims(claims)
    assert sorted(sorted(c.claim_id - claims[0].claim_id for c in g.claims) for g in groups) == [[0, 1], [2, 3]]


# ---------------------------------------------------------------- one article, copies, reports

def test_one_articles_two_figures_are_intra_article_never_a_conflict():
    a = rec(7, 1.08, "1.08", unit="", prop="PUE")
    b = rec(7, 1.12, "1.12", unit="", prop="PUE")
    (d,) = analyse([a, b]).discrepancies
    assert d.kind == "intra-article" and d.intra_article
    assert all(s.outlets == 1 and s.independent_reports == 1 for s in d.sides)
    # a second outlet agreeing with one of them does not turn it into outlets disagreeing
    c = rec(8, 1.08, "1.08", unit="", prop="PUE")
    (d,) = analyse([a, b, c]).discrepancies
    assert d.kind == "intra-article"


def test_one_outlets_feeds_and_articles_are_one_report():
    claims = [rec(1, 2.1e9, "$2.1 billion", unit="USD", prop="valuation", source=5),
              rec(2, 2.1e9, "$2.1bn", unit="USD", prop="valuation", source=5),
              rec(3, 2.1e9, "$2.1 billion", unit="USD", prop="valuation", source=6)]
    found = analyse(claims, [art(1, source=5), art(2, source=5), art(3, source=6)])
    (g,) = found.groups
    assert g.outlets == 2 and g.independent_reports == 2 and found.discrepancies == []
    # the same outlet giving two figures in two articles is no conflict between outlets
    claims[1] = rec(2, 4e9, "$4 billion", unit="USD", prop="valuation", source=5)
    found = analyse(claims, [art(1, source=5), art(2, source=5), art(3, source=6)])
    assert [d.kind for d in found.discrepancies] != ["conflict"]


WIRE = ("Northbeam Compute will spend about $18 billion to build an artificial intelligence data center "
        "campus in Texas, the privately held cloud company said on Tuesday, joining a rush of developers "
        "racing to secure power for AI computing. The campus in Cresson will have eight buildings and a "
        "total capacity of 1.2 gigawatts when complete, Northbeam said. The first two buildings are due "
        "to start operating in the second half of 2027, the company said.")


def test_near_duplicate_copies_do_not_corroborate():
    copy = "Northbeam to build Texas campus\n\n" + WIRE + " Shares of its partners rose."
    own = ("Analysts doubt Northbeam's plan. The Cresson site, southwest of Fort Worth, is said by the "
           "county to be sized for 900 megawatts, far short of what the company announced this week.")
    arts = [art(1, WIRE, outlet="Wire A"), art(2, copy, outlet="Daily B"), art(3, own, outlet="Gazette C")]
    reports = independent_reports(arts)
    assert reports[1] == reports[2] != reports[3]
    claims = [rec(1, 1.2e9, "1.2 gigawatts", unit="W", prop="capacity", entity="Cresson campus"),
              rec(2, 1.2e9, "1.2 gigawatts", unit="W", prop="capacity", entity="Cresson campus"),
              rec(3, 9e8, "900 megawatts", unit="W", prop="capacity", entity="Cresson campus")]
    found = analyse(claims, arts)
    (g,) = found.groups
    assert g.outlets == 3 and g.independent_reports == 2
    (d,) = found.discrepancies
    assert d.kind == "conflict"
    copies = next(s for s in d.sides if s.value == pytest.approx(1.2e9))
    assert copies.outlets == 2 and copies.independent_reports == 1
    assert copies.first.article_id == 1


def test_copies_that_disagree_are_not_outlets_disagreeing():
    copy = WIRE.replace("1.2 gigawatts", "1.5 gigawatts")
    arts = [art(1, WIRE), art(2, copy)]
    claims = [rec(1, 1.2e9, "1.2 gigawatts", unit="W", prop="capacity"),
              rec(2, 1.5e9, "1.5 gigawatts", unit="W", prop="capacity")]
    assert analyse(claims, arts).discrepancies == []


def test_credited_wire_copies_and_press_releases_are_one_report():
    assert credited_source("Oct 6 (Reuters) - Northbeam Compute will spend", dateline=True) == "wire:reuters"
    assert credited_source("LONDON (AP) — The company said", dateline=True) == "wire:ap"
    assert credited_source("The company said nothing (Reuters was not there).", dateline=True) is None
    assert credited_source("The site will use 300 MW, according to a press release.") == "doc:press release"
    assert credited_source("The company said in a statement that it would hire 350 people.") == "doc:statement"
    assert credited_source("AP reports that 12 people were hurt.") == "wire:ap"
    assert credited_source("Police said 12 people were hurt.") is None
    arts = [art(1, "Oct 6 (Reuters) - Northbeam will build a campus of 1.2 GW in Texas.", outlet="Daily A"),
            art(2, "NEW YORK (Reuters) - Plans for a big Texas site: the campus will have 1.2 GW.", outlet="Paper B"),
            art(3, "A campus of 1.2 GW, the Register hears from people with knowledge of it.", outlet="Reuters"),
            art(4, "Our own reporting puts the site at 1.2 GW.", outlet="Gazette")]
    reports = independent_reports(arts)
    assert reports[1] == reports[2] == reports[3] != reports[4]
    pr = "The campus will draw 300 MW, according to a press release."
    claims = [rec(5, 3e8, "300 MW", unit="W", prop="power", sentence=pr),
              rec(6, 3e8, "300 MW", unit="W", prop="power", sentence=pr),
              rec(7, 3e8, "300 MW", unit="W", prop="power", sentence="Our count: 300 MW.")]
    (g,) = analyse(claims).groups
    assert g.outlets == 3 and g.independent_reports == 2


def test_a_sentence_crediting_a_wire_is_the_wires_own_report():
    """"according to Reuters" in an outlet's own article repeats the wire's report: with the
    wire's article and its credited copy, three outlets give the wire's figure and it is still
    one report against two."""
    said = "Vantor will take 800 megawatts from the Bellmont plant"
    arts = [art(1, f"CHICAGO, Oct 20 (Reuters) - {said}, the company said.", outlet="Reuters",
                published="2026-10-20T10:30:00Z"),
            art(2, f"CHICAGO (Reuters) - {said}, the company said on Monday.", outlet="Investing.com",
                published="2026-10-20T11:05:00Z"),
            art(3, "The Register hears the plant restarts in 2029. Vantor will take 800 megawatts of "
                   "the plant's output, according to Reuters.", outlet="The Register",
                published="2026-10-20T14:20:00Z"),
            art(4, "DCD: a 20-year deal for 600MW from the restarted Bellmont plant.", outlet="DCD",
                published="2026-10-20T12:40:00Z"),
            art(5, "The Next Platform: Vantor takes 600 megawatts of nuclear power.", outlet="TNP",
                published="2026-10-20T16:00:00Z")]
    credited = "Vantor will take 800 megawatts of the plant's output, according to Reuters."
    claims = [rec(1, 8e8, "800 megawatts", unit="W", prop="power bought", entity="Vantor",
                  sentence=f"{said}, the company said.", published="2026-10-20T10:30:00Z"),
              rec(2, 8e8, "800 megawatts", unit="W", prop="power bought", entity="Vantor",
                  sentence=f"{said}, the company said on Monday.", published="2026-10-20T11:05:00Z"),
              rec(3, 8e8, "800 megawatts", unit="W", prop="power bought", entity="Vantor", sentence=credited,
                  published="2026-10-20T14:20:00Z"),
              rec(4, 6e8, "600MW", unit="W", prop="power bought", entity="Vantor", published="2026-10-20T12:40:00Z"),
              rec(5, 6e8, "600 megawatts", unit="W", prop="power bought", entity="Vantor",
                  published="2026-10-20T16:00:00Z")]
    found = analyse(claims, arts)
    (g,) = found.groups
    assert g.outlets == 5 and g.independent_reports == 3
    (d,) = found.discrepancies
    wire = next(s for s in d.sides if s.value == pytest.approx(8e8))
    assert wire.outlets == 3 and wire.independent_reports == 1 and wire.first.article_id == 1
    reports = independent_reports(arts)
    assert reports[1] == reports[2] == credited_source(credited) != reports[4]


@pytest.mark.parametrize("sentence,wire", [
    ("Calder will take 520 megawatts from the plants, according to The Associated Press.", "wire:ap"),
    ("Calder will take 520 megawatts, according to an AP tally.", "wire:ap"),
    ("Calder will take 520 megawatts, according to a report from Bloomberg.", "wire:bloomberg"),
    ("Calder will take 520 megawatts, as first reported by the AP.", "wire:ap"),
    ("Calder will take 520 megawatts, citing Reuters.", "wire:reuters"),
    ("Its chief executive told Reuters the site will draw 520 megawatts.", "wire:reuters"),
    ("Reuters had reported 520 megawatts earlier.", "wire:reuters"),
    ("The site will draw 520 MW, Dow Jones Newswires reported.", "wire:dowjones"),
    ("Racks in the new hall can draw up to 180 kW apiece, per AP, a record.", "wire:ap"),
    ("The deal values the firm at $2 billion, per a Bloomberg report.", "wire:bloomberg"),
    ("The campus will use 300 MW, via Reuters.", "wire:reuters"),
    ("The exam costs $98 per AP Exam this year.", None),
    ("The site will use 300 MW, according to the company's press release.", "doc:press release"),
    ("Ani Patel said the site will draw 520 megawatts.", None),
    ("The site will draw 520 megawatts, according to Ani Patel.", None),
])
def test_a_sentence_credits_a_wire_however_it_names_it(sentence, wire):
    assert credited_source(sentence) == wire


@pytest.mark.parametrize("sentence", [
    "The market will reach $50 billion by 2030, according to Fortune Business Insights.",
    "Ad spending rose 20%, according to Insider Intelligence.",
    "His fortune is $200 billion, according to the Bloomberg Billionaires Index.",
    "Trust in news fell to 40%, according to the Reuters Institute.",
])
def test_a_longer_proper_name_that_starts_with_an_outlets_name_credits_no_outlet(sentence):
    """A market-research firm or index named after an outlet is another body: crediting it makes
    the figure no copy of the outlet's report."""
    story = StoryReports(outlets={"Fortune": "report:1", "Insider": "report:2", "Tech Daily": "report:3"})
    assert story.credit(sentence) is None
    assert story.credit("The site draws 5 MW, according to Fortune.") == "report:1"
    assert story.credit("Its chief told Reuters Tuesday the site draws 5 MW.") == "wire:reuters"
    assert story.credit("The site draws 5 MW, per Tech Daily.") == "report:3"
    arts = [art(1, "By Fortune Business Insights\nThe market will reach $50 billion.", outlet="PR Wire"),
            art(2, "By Tech Daily Staff\nThe site draws 5 MW.", outlet="DCD"),
            art(3, "Fortune has the story.", outlet="Fortune"), art(4, "Tech Daily story.", outlet="Tech Daily")]
    reports, copies = reports_and_copies(arts)
    assert reports[1] != reports[3] and reports[2] == reports[4] and copies == {2}


def test_a_blank_outlet_name_credits_nothing():
    """A name of spaces (from a source created outside feeds.yaml) would match an empty credit."""
    assert StoryReports(outlets={"  ": "report:9"}).credit("The site draws 5 MW, according to “analysts”.") is None
    reports, copies = reports_and_copies([art(1, "By  \n The site draws 5 MW.", outlet="  "),
                                          art(2, "Source: \n The site draws 5 MW.", outlet="B")])
    assert copies == set()


def test_a_wire_is_known_by_its_outlet_name_and_its_byline():
    assert credited_source("By The Associated Press\nRENO, Nev. - Calder said", dateline=True) == "wire:ap"
    arts = [art(1, "RENO, Nev. (AP) — Calder will take 520 megawatts.", outlet="The Associated Press"),
            art(2, "RENO, Nev. (AP) — Calder will take 520 megawatts, the firm said.", outlet="Yahoo Finance"),
            art(3, "Calder signed for 320MW, our reporting shows.", outlet="DCF")]
    reports, copies = reports_and_copies(arts)
    assert reports[1] == reports[2] == "wire:ap" != reports[3]
    assert copies == {2}  # the wire's own article is the original, not a copy of itself


def test_a_credit_to_an_outlet_of_the_story_is_that_outlets_report():
    """A wire the closed list does not know ("Global Wire"): its copy run under its dateline and a
    sentence crediting it by name are its one report, so its figure, given by three outlets,
    still loses to two independent reports; a name written in lower case is no credit."""
    said = "Calder will take 520 megawatts from the Redhawk plants"
    arts = [art(1, f"RENO, Nev. (Global Wire) — {said}, the companies said.", outlet="Global Wire",
                published="2026-11-12T06:00:00Z"),
            art(2, f"RENO, Nev. (Global Wire) — {said}, the companies said on Thursday.", outlet="Yahoo Finance",
                published="2026-11-12T06:30:00Z"),
            art(3, "Calder has a 15-year deal. Calder will take 520 megawatts, according to Global Wire.",
                outlet="DCK", published="2026-11-12T09:40:00Z"),
            art(4, "Calder signed a deal with Redhawk for 320MW of firm capacity.", outlet="DCF",
                published="2026-11-12T08:15:00Z"),
            art(5, "Calder locks in 320 megawatts of geothermal power.", outlet="SiliconANGLE",
                published="2026-11-12T11:20:00Z")]
    credited = "Calder will take 520 megawatts, according to Global Wire."
    kw = {"unit": "W", "prop": "power bought", "entity": "Calder"}
    claims = [rec(1, 5.2e8, "520 megawatts", sentence=f"{said}, the companies said.", published=arts[0].published, **kw),
              rec(2, 5.2e8, "520 megawatts", sentence=f"{said}, the companies said on Thursday.",
                  published=arts[1].published, **kw),
              rec(3, 5.2e8, "520 megawatts", sentence=credited, published=arts[2].published, **kw),
              rec(4, 3.2e8, "320MW", published=arts[3].published, **kw),
              rec(5, 3.2e8, "320 megawatts", published=arts[4].published, **kw)]
    found = analyse(claims, arts)
    (d,) = found.discrepancies
    wire = next(s for s in d.sides if s.value == pytest.approx(5.2e8))
    right = next(s for s in d.sides if s.value == pytest.approx(3.2e8))
    assert (wire.outlets, wire.independent_reports, wire.first.article_id) == (3, 1, 1)
    assert right.independent_reports == 2
    reports, copies = reports_and_copies(arts)
    assert reports[1] == reports[2] != reports[3] and copies == {2}
    story = story_reports(arts)
    assert story.credit(credited) == reports[1]
    assert story.credit("Calder will take 520 megawatts, says a global wire.") is None


# ---------------------------------------------------------------- update vs conflict

def test_later_reports_that_agree_make_an_update():
    claims = [rec(1, 5, "5", unit="person", prop="people injured", entity="Reno fire", published="2026-05-01T08:00:00Z"),
              rec(2, 50, "50", unit="person", prop="people injured", entity="Reno fire", published="2026-05-01T15:00:00Z"),
              rec(3, 50, "50", unit="person", prop="people injured", entity="Reno fire", published="2026-05-01T16:00:00Z")]
    (d,) = analyse(claims).discrepancies
    assert d.kind == "update"
    assert d.sides[d.majority].value == 50


def test_revision_language_makes_a_single_later_report_an_update():
    claims = [rec(1, 5, "5", unit="person", prop="people injured", entity="Reno fire", published="2026-05-01T08:00:00Z"),
              rec(2, 50, "50", unit="person", prop="people injured", entity="Reno fire", published="2026-05-01T15:00:00Z",
                  sentence="The number of injured has risen to 50, officials said.")]
    (d,) = analyse(claims).discrepancies
    assert d.kind == "update"


@pytest.mark.parametrize("times", [
    # one later report, no word of revision: two outlets disagree
    ["2026-05-01T08:00:00Z", "2026-05-01T15:00:00Z"],
    # the same time
    ["2026-05-01T08:00:00Z", "2026-05-01T08:00:00Z"],
    # undated: the order is unknown
    [None, "2026-05-01T15:00:00Z"],
])
def test_disagreement_without_an_order_of_revision_is_a_conflict(times):
    claims = [rec(1, 220000, "over 220,000", qualifier=">", published=times[0]),
              rec(2, 1e6, "over 1 million", qualifier=">", published=times[1])]
    (d,) = analyse(claims).discrepancies
    assert d.kind == "conflict"


def test_an_old_figure_repeated_after_the_new_one_is_a_conflict():
    claims = [rec(1, 5, "5", unit="person", prop="people injured", published="2026-05-01T08:00:00Z"),
              rec(2, 50, "50", unit="person", prop="people injured", published="2026-05-01T10:00:00Z"),
              rec(3, 50, "50", unit="person", prop="people injured", published="2026-05-01T11:00:00Z"),
              rec(4, 5, "5", unit="person", prop="people injured", published="2026-05-01T12:00:00Z")]
    (d,) = analyse(claims).discrepancies
    assert d.kind == "conflict"


def test_sides_say_who_reported_first_and_which_side_most_reports_take():
    claims = [rec(1, 1e6, "over 1 million", qualifier=">", published="2026-05-14T00:00:00Z"),
              rec(1, 4096, "4,096", published="2026-05-14T00:00:00Z"),
              rec(2, 220000, "220,000+", qualifier=">=", published="2026-05-07T00:00:00Z"),
              rec(3, 220000, "more than 220,000", qualifier=">", published="2026-05-11T00:00:00Z"),
              rec(4, 220000, "over 220,000", qualifier=">", published=None)]
    (d,) = analyse(claims).discrepancies
    assert d.kind == "conflict" and d.intra_article  # 000-like: against the others and itself
    major = d.sides[d.majority]
    assert major.value == 220000 and major.independent_reports == 3 and major.outlets == 3
    assert major.first.article_id == 2 and major.first.published == "2026-05-07T00:00:00Z"
    assert len(d.sides) == 3


def test_a_non_numeric_claim_conflicts_by_its_text():
    claims = [rec(1, None, unit="", prop="location", value_text="Memphis, Tennessee"),
              rec(2, None, unit="", prop="location", value_text="memphis tennessee"),
              rec(3, None, unit="", prop="location", value_text="Texas")]
    (d,) = analyse(claims).discrepancies
    assert d.kind == "conflict"
    assert sorted(s.value_text for s in d.sides) == ["Memphis, Tennessee", "Texas"]


def test_entities_are_resolved_across_the_story(monkeypatch):
    from newswatch.claims import groups

    monkeypatch.setattr(groups, "resolve_story_entities",
                        lambda names, texts=None: {n: "colossus 1" for n in names})
    claims = [rec(1, 220000, "over 220,000", qualifier=">", entity="xAI's Colossus"),
              rec(2, 220000, "220,000", entity="the Memphis supercomputer")]
    groups_, _ = group_claims(claims)
    assert len(groups_) == 1


# ---------------------------------------------------------------- the bundled sample corpus

def _benchmark():
    """benchmarks/quantities.py, whose scorers the tests share."""
    import importlib.util
    import sys

    path = Path(__file__).resolve().parents[1] / "benchmarks" / "quantities.py"
    if "bench_quantities" in sys.modules:
        return sys.modules["bench_quantities"]
    spec = importlib.util.spec_from_file_location("bench_quantities", path)
    bench = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bench  # its dataclasses look themselves up there
    spec.loader.exec_module(bench)
    return bench


@seed_frames
def test_sample_corpus_errors_are_found_without_false_alarms():
    """The bundled sample's deliberate errors (manifest.yaml) are flagged; the rest is quiet.

    Uses the benchmark's scorer (benchmarks/quantities.py prints the same figures)."""
    bench = _benchmark()
    notes: list[str] = []
    caught, total, _n, false = bench.sample_discrepancies(notes=notes)
    if not total:
        pytest.skip("sample corpus not available")
    assert caught == total and false <= 2, "\n".join(notes)


# ---------------------------------------------------------------- the seed story

def _seed_files() -> list[Path]:
    for d in (FIXTURES / "seeds", Path(__file__).resolve().parents[2] / "shared" / "seeds"):
        files = sorted(d.glob("00*_*.txt"))
        if len(files) >= 5:
            return files
    pytest.skip("seed articles not available")


SEED_DATES = ["2026-05-14T00:00:00Z", "2026-05-07T00:00:00Z", None, "2026-05-11T00:00:00Z", None]


def _story(texts: list[tuple[str | None, str]], first: int = 1, outlet: str = "Outlet {}"):
    """The analysis of articles (published, text) as the claims stage would store them: article
    and outlet ids from ``first``, outlets named by ``outlet``."""
    records, articles, n = [], [], 0
    for k, (published, text) in enumerate(texts, start=first):
        articles.append(ArticleInfo(article_id=k, source_id=k, text=text, outlet=outlet.format(k),
                                    published=published))
        for c in extract_claims(text):
            n += 1
            records.append(ClaimRecord(
                claim_id=n, article_id=k, source_id=k, value=c.value, unit=c.unit, surface=c.surface,
                qualifier=c.qualifier, low=c.low, high=c.high, entity=c.entity, property=c.property,
                time_ref=c.time_ref, scope=c.scope, modality=c.modality, value_text=c.value_text,
                sentence=c.sentence, published=published))
    return analyse_story(records, articles)


@functools.lru_cache(maxsize=1)
def _seed_analysis():
    """The seed story's analysis (read-only; computed once for the tests below)."""
    texts = [(SEED_DATES[k], path.read_text(encoding="utf-8")) for k, path in enumerate(_seed_files())]
    return _story(texts, first=0, outlet="Outlet {:03d}")


def _surfaces(d):
    return {c.surface for s in d.sides for c in s.claims}


def test_seed_gpu_count_and_power_conflicts_with_000_on_one_side():
    found = _seed_analysis()
    gpu = [d for d in found.discrepancies if any("220,000" in s for s in _surfaces(d))]
    power = [d for d in found.discrepancies if {"40 MW", "300+ MW"} <= _surfaces(d)]
    assert len(gpu) == 1 and len(power) == 1
    for d in (gpu[0], power[0]):
        assert d.kind == "conflict"
        arts = [{c.article_id for c in s.claims} for s in d.sides]
        assert {0} in arts
        assert any(a and 0 not in a for a in arts)
    assert any("1,024,000" in s for s in _surfaces(gpu[0]))
    g = found.groups[gpu[0].group]
    assert {c.article_id for c in g.claims} >= {0, 1, 2, 3, 4}  # every report of the figure meets
    major = gpu[0].sides[gpu[0].majority]
    assert 0 not in {c.article_id for c in major.claims} and major.independent_reports >= 3


def test_seed_pue_is_an_intra_article_discrepancy():
    found = _seed_analysis()
    (pue,) = [d for d in found.discrepancies if any("1.08" in s for s in _surfaces(d))]
    assert pue.kind == "intra-article" and {c.article_id for s in pue.sides for c in s.claims} == {0}


def test_seed_location_is_a_non_numeric_conflict():
    """000 puts Colossus 1 in Texas; 001 and 003 say Memphis, Tennessee."""
    found = _seed_analysis()
    (d,) = [d for d in found.discrepancies if any(s.value_text for s in d.sides)]
    assert d.kind == "conflict" and found.groups[d.group].property == "location"
    by_value = {s.value_text: {c.article_id for c in s.claims} for s in d.sides}
    assert by_value == {"Texas": {0}, "Memphis, Tennessee": {1, 3}}
    assert d.sides[d.majority].value_text == "Memphis, Tennessee"


def test_seed_story_has_no_false_alarm():
    found = _seed_analysis()
    assert 2 <= len(found.discrepancies) <= 4  # GPUs, power, PUE (and the Texas/Memphis location)
    for d in found.discrepancies:
        surfaces = _surfaces(d)
        assert not surfaces & {"5 GW", "$200 billion", "10 MW"}, surfaces
        assert len([s for s in d.sides if any("220,000" in c.surface for c in s.claims)]) <= 1
        assert len([s for s in d.sides if any("300" in c.surface and c.unit == "W" for c in s.claims)]) <= 1
    # agreement is recorded too: 220,000 / over 220,000 / 220,000+ sit in one group
    assert any(len({c.article_id for c in g.claims}) >= 3 for g in found.groups)


def test_two_values_in_one_sentence_are_parts_not_a_contradiction():
    s = "The hot tier holds 8 PB and the archive 200 PB."
    claims = [rec(1, 8e15, "8 PB", unit="B", prop="storage", sentence=s),
              rec(1, 2e17, "200 PB", unit="B", prop="storage", sentence=s)]
    assert analyse(claims).discrepancies == []
    claims[0].sentence = "The hot tier holds 8 PB of flash storage."
    claims[1].sentence = "Its hot tier holds 200 PB of flash storage, the company added."
    (d,) = analyse(claims).discrepancies
    assert d.kind == "intra-article"


def test_an_article_telling_its_own_revision_is_an_update():
    claims = [rec(1, 3, "3", unit="person", prop="people killed", sentence="Three people died in the blast."),
              rec(1, 4, "4", unit="person", prop="people killed",
                  sentence="The toll later rose to four, police said.")]
    (d,) = analyse(claims).discrepancies
    assert d.kind == "update"


def test_one_outlet_revising_its_own_figure_is_an_update():
    claims = [rec(1, 5, "5", unit="person", prop="people injured", source=9, published="2026-05-01T08:00:00Z"),
              rec(2, 50, "50", unit="person", prop="people injured", source=9, published="2026-05-01T15:00:00Z")]
    (d,) = analyse(claims, [art(1, source=9), art(2, source=9)]).discrepancies
    assert d.kind == "update"
    claims[1].published = None  # no order: one outlet's two figures, not outlets disagreeing
    assert analyse(claims, [art(1, source=9), art(2, source=9)]).discrepancies == []


def test_a_bare_number_joins_the_count_of_the_same_property():
    claims = [rec(1, 220000, "220,000+", unit="", qualifier=">="), rec(2, 220000, "over 220,000 GPUs", qualifier=">"),
              rec(3, 1e6, "over 1 million GPUs", qualifier=">"), rec(4, 1.08, "1.08", unit="", prop="PUE")]
    found = analyse(claims)
    assert sorted(len(g.claims) for g in found.groups) == [1, 3]
    assert {g.unit for g in found.groups} == {"GPU", ""}
    (d,) = found.discrepancies
    assert sorted(s.independent_reports for s in d.sides) == [1, 2]


def test_a_copy_is_never_the_first_to_report():
    arts = [art(1, "Oct 6 (Reuters) - The campus will have 1.2 GW.", outlet="Daily A", published="2026-10-06T09:00:00Z"),
            art(2, "Oct 6 (Reuters) - The campus will have 1.2 GW, Northbeam said.", outlet="Reuters",
                published="2026-10-06T10:00:00Z"),
            art(3, "Our sources put the campus at 900 MW.", outlet="Gazette", published="2026-10-06T11:00:00Z")]
    claims = [rec(1, 1.2e9, "1.2 GW", unit="W", prop="capacity", published="2026-10-06T09:00:00Z"),
              rec(2, 1.2e9, "1.2 GW", unit="W", prop="capacity", published="2026-10-06T10:00:00Z"),
              rec(3, 9e8, "900 MW", unit="W", prop="capacity", published="2026-10-06T11:00:00Z")]
    (d,) = analyse(claims, arts).discrepancies
    wire = next(s for s in d.sides if s.value == pytest.approx(1.2e9))
    assert wire.first.article_id == 2 and wire.independent_reports == 1 and wire.outlets == 2


def test_one_article_contradiction_needs_two_values_of_one_named_property() -> None:
    """On real news the one-article flags were different measures of one article: three scores
    in a boxing report, the event's 'came' counts. Only two values of one property, word for
    word, about a named entity make an intra-article contradiction."""
    from newswatch.claims.groups import Group, find_discrepancy

    def rec(cid: int, value: float, prop: str, entity: str, sentence: str) -> ClaimRecord:
        return ClaimRecord(claim_id=cid, article_id=1, source_id=1, value=value, unit="point", surface=str(value),
                           sentence=sentence, entity=entity, property=prop)

    two = Group(entity="Colossus 1", property="pue", unit="point", scope="", time_ref="current",
                claims=[rec(1, 1.08, "pue", "Colossus 1", "PUE is 1.08."), rec(2, 1.12, "pue", "Colossus 1", "Its PUE: 1.12.")])
    found = find_discrepancy(two, {1: "report:1"})
    assert found is not None and found.kind == "intra-article"
    three = Group(entity="Klitschko", property="points", unit="point", scope="", time_ref="current",
                  claims=[rec(1, 1, "points", "Klitschko", "a."), rec(2, 3, "points", "Klitschko", "b."),
                          rec(3, 2, "points", "Klitschko", "c.")])
    assert find_discrepancy(three, {1: "report:1"}) is None
    event = Group(entity="the event", property="came", unit="point", scope="", time_ref="current",
                  claims=[rec(1, 6, "came", "the event", "a."), rec(2, 5, "came", "the event", "b.")])
    assert find_discrepancy(event, {1: "report:1"}) is None


def test_a_common_noun_owner_joins_the_storys_main_named_entity() -> None:
    """The parse often names a figure's owner only as "the site" or "the supercomputer"; in a
    story about Colossus 1 that figure is Colossus 1's, and must meet the other outlets' figure."""
    from newswatch.claims.groups import story_entities

    claims = [rec(1, 220_000, sentence="Colossus 1 has over 220,000 GPUs installed."),
              rec(2, 220_000, sentence="Colossus 1 has 220,000 GPUs installed, xAI says."),
              rec(3, 1_000_000, entity="supercomputer", sentence="The supercomputer has 1,000,000 GPUs installed."),
              rec(4, 5, unit="person", entity="the event", prop="people killed", sentence="Five people were killed.")]
    canon = story_entities(claims)
    assert canon["supercomputer"].lower() == canon[""].lower() == "colossus 1"
    groups, ungrouped = group_claims(claims)
    gpu = [g for g in groups if g.unit == "GPU"]
    assert len(gpu) == 1 and sorted(c.value for c in gpu[0].claims) == [220_000, 220_000, 1_000_000]


def test_a_datelines_town_is_no_owner() -> None:
    """Wire copy opens with its town in capitals ("LISBON, Nov 12 (Reuters) -"); a figure the parse
    files under that town is the story's, and meets the other outlets' figure of it."""
    from newswatch.claims.groups import story_entities

    texts = ["LISBON, Nov 12 (Reuters) - Portugal signed a deal with Aurelian.\nThe state will pay 1.1 billion.",
             "AMSTERDAM and LISBON, 12 November 2026 - Aurelian signed a deal.",
             "WILMINGTON - The data center will get a makeover."]
    claims = [rec(1, 1.1e9, unit="EUR", entity="LISBON", prop="contribute"),
              rec(2, 1.1e9, unit="EUR", entity="AMSTERDAM", prop="contribute"),
              rec(3, 1.4e9, unit="EUR", entity="Aurelian", prop="contribute"),
              rec(4, 2.6e9, unit="EUR", entity="Aurelian", prop="value"),
              rec(5, 3e8, unit="W", entity="NASA", prop="power")]
    canon = story_entities(claims, texts)
    assert canon["LISBON"] == canon["AMSTERDAM"] == canon[""] == "aurelian"
    assert canon["NASA"] == "nasa"  # capitals that are no dateline's town stay an owner
    groups, _ = group_claims(claims[:3], texts)
    assert [g.entity for g in groups if g.unit == "EUR"] == ["Aurelian"]


def test_a_total_meets_the_plain_figure() -> None:
    """"Worth €2.9 billion in total" (scope cumulative) and "a €2.6 billion deal" give one figure."""
    claims = [rec(1, 2.6e9, "€2.6 billion", unit="EUR", prop="value", entity="agreement",
                  sentence="The agreement has a total value of €2.6 billion."),
              rec(2, 2.6e9, "2.6 billion euros", unit="EUR", prop="worth", entity="deal",
                  sentence="The government announced a deal worth 2.6 billion euros."),
              rec(3, 2.9e9, "€2.9 billion", unit="EUR", prop="worth", entity="agreement", scope="cumulative",
                  sentence="The seven-year agreement is worth €2.9 billion in total.")]
    found = analyse(claims)
    (d,) = found.discrepancies
    assert d.kind == "conflict" and d.sides[d.majority].value == 2.6e9


def test_numbered_members_of_one_family_are_never_one_entity():
    from newswatch.claims.entities import different_versions

    assert different_versions("Colossus 1", "Colossus 2") and different_versions("CX-300", "CX-400")
    assert different_versions("H100", "H200")
    assert not different_versions("xAI's Colossus 1", "Colossus 1") and not different_versions("Colossus", "Colossus 2")
    assert not different_versions("Meridian-2", "Parallax")
    assert not different_versions("Meta's 2 GW Hyperion", "5 GW Hyperion")  # a figure in the name


def test_masked_context_hides_values_so_a_wrong_figure_still_meets_the_right_one():
    from newswatch.claims.alignment import masked_sentence, number_window

    assert masked_sentence("It has 220,000 GPUs and five halls.") == "It has N GPUs and N halls."
    assert number_window("Colossus 1 has over 220,000 GPUs drawing 300 MW today", "300 MW", 2) == "GPUs drawing N MW today"
    right = rec(1, 220_000, "220,000 GPUs", sentence="Colossus 1 has 220,000 GPUs installed, xAI said.")
    wrong = rec(2, 1_000_000, "1 million GPUs", sentence="Colossus 1 has 1 million GPUs installed, xAI said.")
    (d,) = analyse([right, wrong]).discrepancies
    assert d.kind == "conflict"


def test_an_ownerless_group_is_named_for_the_storys_main_entity_and_never_contradicts_itself_unnamed():
    """A group of figures the parse could not tie to an owner is the story's main entity's (its
    subject is shown to readers); with no named entity in the story at all, one article's two
    unowned figures are not an intra-article contradiction."""
    def own(cid, value, sentence, entity=""):
        return ClaimRecord(claim_id=cid, article_id=1, source_id=1, value=value, unit="W",
                           surface=f"{value / 1e6:.0f} MW", entity=entity, property="power capacity", sentence=sentence)

    unowned = [own(2, 3e8, "The campus will draw 300 MW of power capacity at first."),
               own(3, 5e8, "Later the campus will draw 500 MW of power capacity in total.")]
    named = [own(1, 3e8, "Meta's Hyperion campus will draw 300 MW, Meta said.", "Meta"), *unowned]
    groups, _ = group_claims(named)
    assert {c.claim_id for g in groups for c in g.claims} == {1, 2, 3} and all(g.entity == "Meta" for g in groups)
    groups, _ = group_claims(unowned)
    assert [g.entity for g in groups] == [""]
    assert find_discrepancy(groups[0], {}) is None


def test_the_figure_a_sentence_compares_with_is_not_its_level():
    """"240MW, up from 150MW today": the 150MW is an earlier time's figure; it meets other outlets'
    earlier figures, never the 240MW others report (and it is no conflict with them)."""
    s1 = "The upgrade takes total IT capacity at the site to 240MW, up from 150MW today."
    s2 = "When the work is complete, the campus will offer 240 megawatts of IT capacity."
    s3 = "Halvard's optics use 16 lasers, versus 128 for an equivalent pluggable design."
    s4 = "The switch uses 16 external lasers per switch."
    claims = [rec(1, 2.4e8, "240MW", unit="W", prop="it capacity", entity="Corvane", sentence=s1),
              rec(1, 1.5e8, "150MW", unit="W", prop="it capacity", entity="Corvane", sentence=s1),
              rec(2, 2.4e8, "240 megawatts", unit="W", prop="it capacity", entity="Corvane", sentence=s2),
              rec(3, 16, "16 lasers", unit="laser", prop="lasers", entity="Corvane", sentence=s3),
              rec(3, 128, "128", unit="laser", prop="lasers", entity="Corvane", sentence=s3),
              rec(4, 16, "16 external lasers", unit="laser", prop="lasers", entity="Corvane", sentence=s4)]
    found = analyse(claims)
    assert found.discrepancies == []
    assert [c.baseline for c in claims] == [False, True, False, False, True, False]
    assert {g.time_ref for g in found.groups if any(c.value == 1.5e8 for c in g.claims)} == {"baseline"}


def test_a_source_named_with_from_is_no_baseline():
    from newswatch.claims.groups import mark_baselines

    s = "Brightwater will buy 1,000 megawatts from the 1,200-megawatt plant, rising from 300 MW to 1,000 MW."
    claims = [rec(1, 1e9, "1,000 megawatts", unit="W", sentence=s), rec(1, 1.2e9, "1,200-megawatt", unit="W", sentence=s),
              rec(1, 3e8, "300 MW", unit="W", sentence=s), rec(1, 1e9, "1,000 MW", unit="W", sentence=s)]
    mark_baselines(claims)
    assert [c.baseline for c in claims] == [False, False, True, False]
    # "from X to Y" compares even when Y is written without its unit
    s = "Water use drops from about 290 million gallons a year to 45 million once the towers go."
    claims = [rec(1, 2.9e8, "about 290 million gallons", unit="gal", sentence=s), rec(1, 4.5e7, "45 million", unit="", sentence=s)]
    mark_baselines(claims)
    assert [c.baseline for c in claims] == [True, False]


def test_a_figure_a_sentence_sets_another_beside_is_a_baseline():
    """"Set at 225 basis points, well inside the 350 basis points the company paid last year": the
    350 is last year's loan's, never another outlet's report of this loan's margin."""
    from newswatch.claims.groups import mark_baselines

    for s, first, second in [
        ("Pricing was set at SOFR plus 225 basis points, well inside the 350 basis points the company paid "
         "on last year's loan.", "225 basis points", "350 basis points"),
        ("It carries a margin of 2.25 percentage points, a notable tightening from the 350 basis points "
         "Thornbury paid before.", "2.25 percentage points", "350 basis points"),
        ("Each rack draws 130 kW, far above the 15 kW a typical rack drew.", "130 kW", "15 kW"),
    ]:
        claims = [rec(1, 1.0, first, unit="bp" if "basis" in first else "pp" if "points" in first else "W",
                      sentence=s),
                  rec(1, 2.0, second, unit="bp" if "basis" in second else "W", sentence=s)]
        mark_baselines(claims)
        assert [c.baseline for c in claims] == [False, True], s
    # a bound is no comparison: nothing the sentence points to
    s = "The campus will draw below 300 MW and cost $2 billion."
    claims = [rec(1, 3e8, "300 MW", unit="W", sentence=s), rec(1, 2e9, "$2 billion", unit="USD", sentence=s)]
    mark_baselines(claims)
    assert [c.baseline for c in claims] == [False, False]


def test_counts_of_one_family_are_one_unit_to_the_pair_score():
    """"1,700 construction jobs" and "1,100 construction workers" count the same people."""
    from newswatch.claims.alignment import FEATURES, feature_matrices

    claims = [rec(1, 1700, "1,700 construction jobs", unit="job", prop="construction jobs"),
              rec(2, 1100, "1,100 construction workers", unit="employee", prop="construction workers"),
              rec(3, 1100, "1,100 people", unit="person", prop="people")]
    same_unit = feature_matrices(claims, ["x"] * 3)[FEATURES.index("same_unit")]
    assert same_unit[0, 1] == 1.0 and same_unit[0, 2] == same_unit[1, 2] == 0.0


def test_one_measure_in_two_conventions_is_one_unit_to_the_pair_score():
    """"2.4 million litres" and "640,000 gallons", "2.25 percentage points" and "225 basis
    points": the outlet's convention says nothing about which figure it reports. Bytes and bits,
    or a "year" and "months", stay apart."""
    from newswatch.claims.alignment import FEATURES, feature_matrices

    claims = [rec(1, 2.4e6, "2.4 million litres", unit="L", prop="water"),
              rec(2, 6.4e5, "640,000 gallons", unit="gal", prop="water"),
              rec(3, 2.25, "2.25 percentage points", unit="pp", prop="margin"),
              rec(4, 225, "225 basis points", unit="bp", prop="margin"),
              rec(5, 8e9, "8 GB", unit="B", prop="memory"),
              rec(6, 8e9, "8 Gb", unit="bit", prop="memory"),
              rec(7, 30, "30%", unit="%", prop="capacity"),
              rec(8, 0.5, "half", unit="fraction", prop="capacity")]
    same_unit = feature_matrices(claims, ["x"] * 8)[FEATURES.index("same_unit")]
    assert same_unit[0, 1] == same_unit[2, 3] == 1.0
    assert same_unit[1, 2] == same_unit[4, 5] == same_unit[6, 7] == 0.0


def test_changes_reported_days_apart_are_two_periods():
    """"Shares rose 33%" on the day of the offer and "rose 6.4%" two weeks later are two days' moves."""
    claims = [rec(1, 33, "33%", unit="%", qualifier="up", prop="shares rose", entity="Lumenstack",
                  published="2026-10-06T10:00:00Z", sentence="Lumenstack shares rose 33% on the news."),
              rec(2, 6.4, "6.4%", unit="%", qualifier="up", prop="shares rose", entity="Lumenstack",
                  published="2026-10-20T10:00:00Z", sentence="Lumenstack shares rose 6.4% on the news."),
              rec(3, 30, "30%", unit="%", qualifier="up", prop="shares rose", entity="Lumenstack",
                  published="2026-10-06T15:00:00Z", sentence="Lumenstack shares rose 30% on the news.")]
    found = analyse(claims)
    assert [sorted(c.value for c in g.claims) for g in found.groups] == [[30, 33], [6.4]]


def test_values_an_order_of_magnitude_apart_are_not_one_figure_misreported() -> None:
    """A group the pair score could not split (a back's 63 yards in one game, his 716 yards in a
    season) is no disagreement; within a wider group only the sides within an order of magnitude
    of each other disagree, and a toll of 5 against 50 still does."""
    from newswatch.claims.groups import Group

    def yards(cid: int, value: float, sentence: str) -> ClaimRecord:
        return ClaimRecord(claim_id=cid, article_id=cid, source_id=cid, value=value, unit="yard",
                           surface=f"{value:g} yards", entity="Thomas", property="yards rushed", sentence=sentence)

    def group(*claims: ClaimRecord) -> Group:
        return Group(entity="Thomas", property="yards rushed", unit="yard", scope="", time_ref="current",
                     claims=list(claims))

    reports = {k: f"report:{k}" for k in range(1, 6)}
    game_and_season = group(yards(1, 63, "Thomas rushed for 63 yards against Atlanta."),
                            yards(2, 716, "As a rookie he rushed for 716 yards in 12 games."))
    assert find_discrepancy(game_and_season, reports) is None
    wider = group(yards(1, 63, "Thomas rushed for 63 yards on Sunday."),
                  yards(2, 69, "Thomas ran for 69 yards on Sunday."),
                  yards(3, 68, "Thomas gained 68 yards on the ground on Sunday."),
                  yards(4, 716, "He rushed for 716 yards as a rookie."))
    found = find_discrepancy(wider, reports)
    assert found is not None and found.kind == "conflict"
    assert sorted(s.value for s in found.sides) == [63, 68, 69]
    toll = group(yards(1, 5, "At least 5 people were killed."), yards(2, 50, "At least 50 people were killed."))
    assert find_discrepancy(toll, reports) is not None


def test_a_unit_or_zero_slip_further_than_ten_times_is_still_one_figure_misreported() -> None:
    """"52 gigawatts" for a site's 52 MW is 1,000 times off but the same digits: a slip of a unit,
    one figure misreported, unlike two quantities far apart with their own digits."""
    from newswatch.claims.groups import Group

    def power(cid: int, watts: float, surface: str) -> ClaimRecord:
        return ClaimRecord(claim_id=cid, article_id=cid, source_id=cid, value=watts, unit="W",
                           surface=surface, entity="Vexa", property="power",
                           sentence=f"The Vexa site will draw {surface}.")

    reports = {k: f"report:{k}" for k in range(1, 5)}
    slip = Group(entity="Vexa", property="power", unit="W", scope="", time_ref="current",
                 claims=[power(1, 52e6, "52 MW"), power(2, 52e6, "52 megawatts"), power(3, 52e9, "52 gigawatts")])
    found = find_discrepancy(slip, reports)
    assert found is not None and found.kind == "conflict" and len(found.sides) == 2
    apart = Group(entity="Vexa", property="power", unit="W", scope="", time_ref="current",
                  claims=[power(1, 52e6, "52 MW"), power(2, 52e6, "52 megawatts"), power(3, 37e9, "37 gigawatts")])
    assert find_discrepancy(apart, reports) is None


def test_a_figure_the_parser_overflowed_does_not_stop_the_story() -> None:
    """A hostile "999…9 MW" of 400 digits parses as infinity; the order-of-magnitude cut must
    neither crash on it nor read it as a slip."""
    from newswatch.claims.groups import Group

    def power(cid: int, value: float) -> ClaimRecord:
        return ClaimRecord(claim_id=cid, article_id=cid, source_id=cid, value=value, unit="MW",
                           surface=f"{value:g} MW", entity="Vexa", property="power",
                           sentence=f"The Vexa site will draw {value:g} MW.")

    group = Group(entity="Vexa", property="power", unit="MW", scope="", time_ref="current",
                  claims=[power(1, 5), power(2, 40), power(3, float("inf"))])
    found = find_discrepancy(group, {k: f"report:{k}" for k in range(1, 4)})
    assert found is None or found.kind == "conflict"


# ---------------------------------------------------------------- frames that agree, sentences that do not

def _chip_story(tdp_a: float, tdp_b: float, prop_b: str = "thermal design power"):
    """Two outlets on one chip, each giving several power figures and writing the chip's own
    power in sentences of their own."""
    return [
        rec(1, tdp_a, f"{tdp_a:,.0f} watts", unit="W", entity="Larkspur", prop="thermal design power",
            sentence=f"Larkspur's thermal design power is {tdp_a:,.0f} watts, the company said on Monday."),
        rec(1, 1.2e5, "120 kW", unit="W", entity="rack", prop="rack power",
            sentence="A full rack draws 120 kW."),
        rec(1, 4e7, "40 MW", unit="W", entity="Larkspur", prop="site capacity",
            sentence="The first customer site has 40 MW."),
        rec(2, tdp_b, f"{tdp_b:,.0f}W", unit="W", entity="Larkspur", prop=prop_b,
            sentence=f"Expect liquid cooling everywhere: at {tdp_b:,.0f}W of {prop_b}, nothing else will do."),
        rec(2, 6e4, "60kW", unit="W", entity="Larkspur", prop="cooling loop capacity",
            sentence="Each loop moves 60kW of heat."),
        rec(2, 3e7, "30MW", unit="W", entity="Larkspur", prop="grid connection",
            sentence="The grid connection is 30MW for now."),
    ]


def test_one_property_of_one_owner_meets_across_differently_written_sentences():
    claims = _chip_story(1100, 1300)
    found = analyse(claims)
    (d,) = [d for d in found.discrepancies if {c.claim_id for s in d.sides for c in s.claims} >= {claims[0].claim_id, claims[3].claim_id}]
    assert d.kind == "conflict" and sorted(s.value for s in d.sides) == [1100, 1300]


def test_a_figure_named_only_by_its_dimension_does_not_meet_on_the_word_alone():
    """'power' is what frames.py calls any figure in watts whose sentence names nothing else: two
    such figures share a unit, not a property."""
    claims = _chip_story(1100, 1300, prop_b="power")
    claims[0].property = "power"
    found = analyse(claims)
    assert not any({c.claim_id for s in d.sides for c in s.claims} >= {claims[0].claim_id, claims[3].claim_id}
                   for d in found.discrepancies)


def test_one_article_giving_one_property_twice_in_two_sentences_contradicts_itself():
    claims = [
        rec(1, 1.21, "1.21", unit="", entity="Halvard Hall", prop="PUE",
            sentence="Halvard Hall runs at a PUE of 1.21 in summer, its operator said."),
        rec(1, 3e7, "30 MW", unit="W", entity="Halvard Hall", prop="IT load", sentence="It carries 30 MW of IT load."),
        rec(1, 400, "400", unit="rack", entity="Halvard Hall", prop="racks", sentence="There are 400 racks."),
        rec(1, 1.35, "1.35", unit="", entity="Halvard Hall", prop="PUE",
            sentence="Across the whole year the PUE settles at 1.35, according to the filing."),
    ]
    (d,) = analyse(claims).discrepancies
    assert d.kind == "intra-article" and sorted(s.value for s in d.sides) == [1.21, 1.35]


def test_two_stated_maxima_that_differ_are_a_conflict():
    """"Up to 1,400" allows 1,200, but two reports that each state the maximum state one maximum."""
    def up_to(article, value):
        return rec(article, value, f"up to {value:,} workers", unit="worker", qualifier="<=", entity="Tamsin",
                   prop="construction workers")
    (d,) = analyse([up_to(1, 1200), up_to(2, 1400), up_to(3, 1200)]).discrepancies
    assert d.kind == "conflict"
    assert sorted(sorted(c.article_id for c in s.claims) for s in d.sides) == [[1, 3], [2]]
    assert analyse([up_to(1, 1400), rec(2, 1200, "1,200 workers", unit="worker", entity="Tamsin",
                                        prop="construction workers")]).discrepancies == []
    # "as many as" and "a maximum of" state a maximum as "up to" does
    (d,) = analyse([up_to(1, 1200), rec(2, 1400, "as many as 1,400 workers", unit="worker", qualifier="<=",
                                        entity="Tamsin", prop="construction workers"),
                    rec(3, 1200, "a maximum of 1,200 workers", unit="worker", qualifier="<=", entity="Tamsin",
                        prop="construction workers")]).discrepancies
    assert sorted(sorted(c.article_id for c in s.claims) for s in d.sides) == [[1, 3], [2]]


def test_a_part_named_by_a_description_or_a_plan_does_not_meet_on_the_property_alone():
    """"Its first building, with 300 MW of capacity" may be a part of the campus the story is
    about, a figure with no owner named another thing of its kind, and "plans to grow it to 2 GW"
    is a plan, not the level: none agrees with the campus's 1.8 GW of capacity by their frames."""
    claims = _chip_story(1100, 1300)
    claims[0].entity = claims[3].entity = "building"
    found = analyse(claims)
    assert not any({c.claim_id for s in d.sides for c in s.claims} >= {claims[0].claim_id, claims[3].claim_id}
                   for d in found.discrepancies)
    claims = _chip_story(1100, 1300)
    claims[0].entity = claims[3].entity = ""  # no owner named: maybe another chip of the story
    found = analyse(claims)
    assert not any({c.claim_id for s in d.sides for c in s.claims} >= {claims[0].claim_id, claims[3].claim_id}
                   for d in found.discrepancies)
    claims = _chip_story(1100, 1300)
    claims[3].scope = "planned"
    found = analyse(claims)
    assert not any({c.claim_id for s in d.sides for c in s.claims} >= {claims[0].claim_id, claims[3].claim_id}
                   for d in found.discrepancies)


# ---------------------------------------------------------------- a revision days later

_BID = ("Harbor Capital agreed on Monday to buy Quillon Systems in a deal valuing the data center operator "
        "at about $3.1 billion including debt. Harbor will pay $27 per share in cash, a 30% premium to Friday's "
        "close. Quillon reported revenue of $610 million last year and carries about $900 million of debt.")
_BID2 = ("Quillon Systems has agreed to be taken over by Harbor Capital for $27 a share, which works out to an "
         "enterprise value of $3.1 billion. The buyer manages some $40 billion of assets.")
_RAISED = ("Harbor Capital raised its offer for Quillon Systems on Monday, agreeing to pay about $3.9 billion "
           "after a rival suitor emerged. Quillon stock climbed 8% to $31.20, giving it a market value of "
           "$2.6 billion. Harbor said its plan to spend $1.5 billion on new sites is unchanged.")


def test_an_offer_raised_in_a_later_report_is_an_update():
    """The raised offer rewords the figure ("agreeing to pay" against "valuing"): a report published
    two weeks after the first that says it revises meets the earlier figure of the same owner."""
    found = _story([("2026-03-02T10:00:00Z", _BID), ("2026-03-03T09:00:00Z", _BID2),
                    ("2026-03-16T12:00:00Z", _RAISED)])
    (d,) = [d for d in found.discrepancies if {3.1e9, 3.9e9} <= {s.value * 1e9 if s.value < 1e6 else s.value
                                                                 for s in d.sides if s.value}]
    assert d.kind == "update"


@pytest.mark.parametrize("sentence, surface, governed", [
    ("Harbor Capital raised its offer for Quillon, agreeing to pay about $3.9 billion.", "about $3.9 billion", True),
    ("The price tag has swelled to $25 billion.", "$25 billion", True),
    # the rise is the share price's, not the market value's
    ("Quillon stock climbed 8% to $31.20, giving it a market value of $2.6 billion.", "$2.6 billion", False),
    ("Harbor agreed to pay $3.1 billion for Quillon.", "$3.1 billion", False),
    # a change or an old level may stand between the revision and its figure
    ("Lumenstack shares rose 6% to $46.10 in New York.", "$46.10", True),
    ("Harbor raised its offer from $3.1 billion to $3.9 billion.", "$3.9 billion", True),
    ("The campus will top out at 900MW, up from the 600MW filed earlier.", "900MW", True),
    ("McDermott now has 2,029 points in 106 games as a Bluejay.", "106 games", False),
])
def test_a_word_of_revision_governs_only_its_figure(sentence, surface, governed):
    from newswatch.claims.groups import _revised_figure
    assert _revised_figure(rec(1, 1.0, surface, unit="USD", sentence=sentence)) is governed


def test_a_side_shows_a_figure_an_outlet_wrote() -> None:
    """A side holding "300 MW" and "about 310 MW" is shown as one of them, not as 305 MW, a
    figure nobody reported."""
    from newswatch.claims.groups import Group

    def power(cid: int, mw: float, surface: str, qualifier: str = "=") -> ClaimRecord:
        return ClaimRecord(claim_id=cid, article_id=cid, source_id=cid, value=mw, unit="MW", qualifier=qualifier,
                           surface=surface, entity="Vexa", property="power",
                           sentence=f"The Vexa site will draw {surface}.")

    group = Group(entity="Vexa", property="power", unit="MW", scope="", time_ref="current",
                  claims=[power(1, 300, "300 MW"), power(2, 310, "about 310 MW", "~"), power(3, 40, "40 MW"),
                          power(4, 40, "40 megawatts")])
    found = find_discrepancy(group, {k: f"report:{k}" for k in range(1, 5)})
    assert found is not None
    assert sorted(s.value for s in found.sides) in ([40, 300], [40, 310])


def test_a_credit_to_a_wire_that_credits_a_statement_is_one_report() -> None:
    """Bloomberg gives the figure "the company said in a statement"; Tom's Hardware gives it "as
    first reported by Bloomberg"; Yahoo runs Bloomberg's copy. That is one report (the
    statement, through Bloomberg), not two beside DatacenterDynamics' own figure."""
    stated = "The campus would draw as much as 865 megawatts, the company said in a statement Tuesday."
    claims = [
        rec(1, 865e6, "as much as 865 megawatts", unit="W", prop="draw", entity="Quarrystone", sentence=stated,
            qualifier="<="),
        rec(2, 865e6, "as much as 865 megawatts", unit="W", prop="draw", entity="Quarrystone", sentence=stated,
            qualifier="<="),
        rec(3, 865e6, "up to 865 megawatts", unit="W", prop="draw", entity="Quarrystone", qualifier="<=",
            sentence="The finished campus will draw up to 865 megawatts, as first reported by Bloomberg."),
        rec(4, 615e6, "615 MW", unit="W", prop="draw", entity="Quarrystone",
            sentence="Quarrystone says the campus will draw 615 MW when all six buildings are done."),
    ]
    articles = [art(1, "Quarrystone AI plans a campus near Temple. " + stated, outlet="Bloomberg"),
                art(2, "(Bloomberg) -- Quarrystone AI plans a campus near Temple. " + stated, outlet="Yahoo Finance"),
                art(3, "Another week, another Texas campus. " + claims[2].sentence, outlet="Tom's Hardware"),
                art(4, "Temple gets a campus. " + claims[3].sentence, outlet="DatacenterDynamics")]
    found = analyse_story(claims, articles)
    (d,) = found.discrepancies
    wrong = next(s for s in d.sides if s.value == 865e6)
    assert wrong.outlets == 3 and wrong.independent_reports == 1


# ---------------------------------------------------------------- revisions and running counts

def test_an_approximate_figure_does_not_absorb_a_later_revised_one():
    """"About $7.8 billion" allows 10 % either way and so touches "about $8.6 billion", but a
    report two weeks later that says it raised the offer gives a new figure, not the old one's
    slack: read as written, they are an update."""
    old = rec(1, 7.8e9, "about $7.8 billion", unit="USD", qualifier="~", entity="Harbor Capital", prop="value",
              published="2026-10-05T11:40:00Z",
              sentence="Harbor Capital agreed to buy Quillon in a deal valuing it at about $7.8 billion including debt.")
    new = rec(2, 8.6e9, "about $8.6 billion", unit="USD", qualifier="~", entity="Harbor Capital", prop="value",
              published="2026-10-19T13:15:00Z",
              sentence="Harbor Capital raised its offer for Quillon, agreeing to pay about $8.6 billion including debt.")
    (d,) = analyse([old, new]).discrepancies
    assert d.kind == "update"
    assert [s.value for s in d.sides] == [7.8e9, 8.6e9]


def test_a_later_exact_figure_is_not_absorbed_but_one_news_cycle_keeps_its_slack():
    old = rec(1, 7.8e9, "about $7.8 billion", unit="USD", qualifier="~", entity="Harbor Capital", prop="value",
              published="2026-10-05T11:40:00Z")
    later = rec(2, 8.5e9, "$8.5 billion", unit="USD", entity="Harbor Capital", prop="value",
                published="2026-10-19T13:15:00Z")
    (d,) = analyse([old, later]).discrepancies
    assert d.kind == "conflict"  # one later report, no word of revision
    later.published = "2026-10-05T18:00:00Z"  # the same news cycle: outlets round one figure differently
    assert analyse([old, later]).discrepancies == []


_FILING = ("Quarry Data is planning a campus on 900 acres north of Laramie that could eventually draw 600 "
           "megawatts, according to documents filed with Albany County.")
_ANNOUNCED = ("Quarry Data has gone public with Pinecrest, a campus north of Laramie that it now says will top out "
              "at 900MW, up from the 600MW in the paperwork it filed with the county a week earlier.")


def test_a_later_report_naming_the_earlier_figure_it_revises_makes_an_update():
    """The later report says what the figure was ("up from the 600MW"): the earlier report's 600
    megawatts is the same quantity before the change, whatever owner the parse gave each figure."""
    found = _story([("2026-11-03T14:00:00Z", _FILING), ("2026-11-11T10:45:00Z", _ANNOUNCED)])
    (d,) = [d for d in found.discrepancies if {6e8, 9e8} <= {c.value for s in d.sides for c in s.claims}]
    assert d.kind == "update"
    assert {c.article_id for c in d.sides[0].claims} == {1} and {c.article_id for c in d.sides[1].claims} == {2}


def test_a_change_told_in_one_news_cycle_is_no_revision_of_another_report():
    """Reports hours apart that both tell one change ("from 150MW today to 240MW") do not revise
    each other: the earlier report's figure of today stays out of the later report's new level."""
    found = _story([("2026-11-03T14:00:00Z", _FILING), ("2026-11-03T20:45:00Z", _ANNOUNCED)])
    assert not [d for d in found.discrepancies if {6e8, 9e8} <= {c.value for s in d.sides for c in s.claims}]


def test_undated_reports_are_an_update_only_when_the_revision_governs_the_figure():
    """Without dates, the side that says it revises is the latest; a word of revision about
    another figure of the sentence ("now has 2,029 points in 106 games") revises nothing."""
    games = [rec(1, 106, "106 games", unit="game", entity="McDermott", prop="games played",
                 sentence="McDermott now has 2,029 points in 106 games as a Bluejay."),
             rec(2, 105, "105 games", unit="game", entity="McDermott", prop="games played",
                 sentence="McDermott has notched his points in 105 games over three seasons.")]
    (d,) = analyse(games).discrepancies
    assert d.kind == "conflict"
    toll = [rec(1, 12, "12", unit="person", prop="people killed", entity="the event",
                sentence="The death toll has risen to 12, police said."),
            rec(2, 10, "10", unit="person", prop="people killed", entity="the event",
                sentence="The blast killed 10 people, police said.")]
    for claims in (toll, toll[::-1]):
        (d,) = analyse(claims).discrepancies
        assert d.kind == "update"


def test_minimums_of_an_events_count_are_a_running_tally():
    """"Killing at least one person", "at least three", "at least five": each report's count as far
    as it has got, never a contradiction; a named thing's minimums (GPUs in Colossus 1) are not."""
    claims = [rec(1, 1, "at least one person", unit="person", qualifier=">=", entity="earthquake", prop="people killed"),
              rec(2, 3, "at least three people", unit="person", qualifier=">=", entity="earthquake", prop="people killed"),
              rec(3, 5, "at least five people", unit="person", qualifier=">=", entity="the event", prop="people killed")]
    (d,) = analyse(claims).discrepancies
    assert d.kind == "update"
    claims[0].published, claims[2].published = "2026-05-02T08:00:00Z", "2026-05-01T08:00:00Z"
    claims[1].published = "2026-05-01T12:00:00Z"
    (d,) = analyse(claims).discrepancies
    assert d.kind == "conflict"  # a later report's minimum below an earlier one's


def test_a_later_report_recounting_the_old_figure_still_makes_an_update():
    """A later report that gives the new figure with a word of revision and, in another sentence,
    the figure it replaces ("had described 600MW") holds the new side: its history is no
    disagreement with itself or with the earlier report."""
    kw = dict(unit="W", entity="Pinecrest", prop="power")
    claims = [rec(1, 6e8, "600 megawatts", published="2026-11-03T14:00:00Z",
                  sentence="Pinecrest could eventually draw 600 megawatts, a county filing shows.", **kw),
              rec(2, 9e8, "900MW", published="2026-11-10T17:30:00Z",
                  sentence="Quarry Data now says Pinecrest will have a capacity of 900MW.", **kw),
              rec(2, 6e8, "600MW", published="2026-11-10T17:30:00Z",
                  sentence="Documents filed with the county had described a 600MW Pinecrest.", **kw),
              rec(3, 9e8, "900 megawatts", published="2026-11-10T16:20:00Z",
                  sentence="Pinecrest will have a total capacity of 900 megawatts, Quarry said.", **kw)]
    found = analyse(claims)
    (d,) = found.discrepancies
    assert len(found.groups[d.group].claims) == 4
    assert d.kind == "update"


def test_a_figure_its_sentence_names_only_by_a_verb_meets_another_outlets_named_one():
    """ "Tarn Cloud will take 450 megawatts" names nothing it measures but its owner's power, and
    another outlet writes that figure as "250MW of firm, carbon-free capacity": one quantity
    (the learned score, reading two unlike sentences, kept them apart, so the wire's wrong
    figure became its own group's consensus). The first tranche of each stays apart."""
    found = _story([
        ("2026-05-04T06:00:00Z", "Tarn Cloud has agreed to buy power from planned wind farms in Wyoming. "
                                 "Under the 20-year agreement, Tarn Cloud will take 450 megawatts from farms "
                                 "being developed by Ridgeback Wind. The first 60 megawatts are expected in 2027."),
        ("2026-05-04T08:00:00Z", "Tarn Cloud has signed a 20-year power purchase agreement with Ridgeback Wind "
                                 "for 250MW of firm, carbon-free capacity from new wind farms in Wyoming. "
                                 "Deliveries will begin with 60MW in 2027."),
    ])
    (d,) = [d for d in found.discrepancies if {"450 megawatts", "250MW"} <= _surfaces(d)]
    assert d.kind == "conflict" and not {"60 megawatts", "60MW"} & _surfaces(d)



def _odds(claims):
    """groups._frames_agree over claims whose owners are already the story's names."""
    from newswatch.claims.alignment import feature_matrices
    from newswatch.claims.groups import _frames_agree
    return _frames_agree(claims, feature_matrices(claims, [c.entity for c in claims]))


def test_an_unnamed_figure_meets_another_only_as_its_owners_one_figure_of_that_unit():
    """The loose meeting of an unnamed figure ("Ferrow will take 90 MW") holds only where it is
    its owner's one figure of the unit in its article and its own sentence names that owner:
    another chip's memory the parse carried over ("Its predecessor made do with 96GB"), an
    owner's second figure of the unit, and money (a contract's value against a valuation) stay
    to the learned score."""
    named = rec(2, 9e7, "90MW", unit="W", entity="Ferrow", prop="firm capacity",
                sentence="Ferrow signed for 90MW of firm capacity.")
    taken = rec(1, 7e7, "70 megawatts", unit="W", entity="Ferrow", prop="take",
                sentence="Ferrow will take 70 megawatts.")
    assert _odds([taken, named])[0, 1] == CLOSE_PROPERTY_ODDS
    carried = rec(1, 7e7, "70 megawatts", unit="W", entity="Ferrow", prop="power",
                  sentence="Its older site made do with 70 megawatts.")
    assert _odds([carried, named])[0, 1] == 1.0
    second = rec(1, 2e7, "20 MW", unit="W", entity="Ferrow", prop="power",
                 sentence="Ferrow runs 20 MW elsewhere.")
    assert _odds([taken, second, named])[0, 2] == 1.0
    # a part the article only describes ("a 30 MW first chunk") is no second figure of the owner
    chunk = rec(1, 3e7, "30 MW", unit="W", entity="chunk", prop="power", sentence="The first chunk is 30 MW.")
    assert _odds([taken, chunk, named])[0, 2] == CLOSE_PROPERTY_ODDS
    # nor does it meet one of another article's two unnamed figures of that owner
    here = rec(3, 9e7, "90 MW", unit="W", entity="Ferrow", prop="power", sentence="Ferrow will build a 90 MW campus.")
    there = rec(3, 4e7, "40 MW", unit="W", entity="Ferrow", prop="power", sentence="Ferrow runs 40 MW in Oslo.")
    assert _odds([taken, here, there])[0, 1] == 1.0 and _odds([taken, here])[0, 1] == CLOSE_PROPERTY_ODDS
    paid = rec(1, 7e9, "$7 billion", unit="USD", entity="Ferrow", prop="value", sentence="Ferrow is worth $7 billion.")
    deal = rec(2, 9e9, "$9 billion", unit="USD", entity="Ferrow", prop="contract value",
               sentence="Ferrow signed a contract value of $9 billion.")
    assert _odds([paid, deal])[0, 1] == 1.0


def test_a_total_its_own_article_tells_apart_from_a_deal_meets_no_deal():
    """"Raised $300m, bringing its total funding to $1.1bn": the article gives both, so the total is
    the owner's running sum and never another outlet's figure for the round."""
    found = _story([
        ("2026-03-02T09:00:00Z", "Tessaly raises $300m\n\nTessaly said on Monday it had raised $300 million in a round "
                                 "led by Corvid Partners. The round brings Tessaly's total funding to $1.1 billion."),
        ("2026-03-02T11:00:00Z", "Tessaly lands $300m\n\nAI start-up Tessaly has raised $300 million from investors "
                                 "led by Corvid Partners, the company said on Monday."),
    ])
    assert not [d for d in found.discrepancies
                if {c.surface for s in d.sides for c in s.claims} >= {"$1.1 billion", "$300 million"}]
    total = next(c for g in found.groups for c in g.claims if c.surface == "$1.1 billion")
    assert total.running_total
    # a total its own article does not contradict stays the deal's figure
    deal = _story([(None, "The agreement is worth €2.6bn in total, officials said."),
                   (None, "Officials announced a €2.6bn agreement on Monday.")])
    assert not any(c.running_total for g in deal.groups for c in g.claims)


def test_a_figure_no_claim_may_meet_is_never_encoded(monkeypatch):
    """Block-mates of one sentence never meet, and neither do two numbered members of one family:
    Colossus 2's figure below has no possible partner, so its contexts never go to the model."""
    calls = counting_encoder(monkeypatch)
    one = "Colossus 1 draws 300 MW while Colossus 2 has a cooling load of 150 MW."
    claims = [
        ClaimRecord(1, 1, 1, 3e8, "W", "300 MW", entity="Colossus 1", property="power draw", sentence=one),
        ClaimRecord(2, 1, 1, 1.5e8, "W", "150 MW", entity="Colossus 2", property="cooling load", sentence=one),
        ClaimRecord(3, 2, 2, 2.5e8, "W", "250 MW", entity="Colossus 1", property="power draw",
                    sentence="Colossus 1 draws 250 MW, the company said."),
    ]
    groups, _ = group_claims(claims)
    encoded = [t for call in calls for t in call]
    assert sorted(len(g.claims) for g in groups) == [1, 2]  # 300 MW and 250 MW meet; 150 MW alone
    assert encoded and "power draw" in encoded
    assert "cooling load" not in encoded and "load of N MW." not in encoded


def test_a_whole_given_beside_its_parts_still_meets_other_outlets_figures():
    """"The total cost is $2.1bn; the state will contribute $400m": a whole that simply is, with a
    part of it beside it, is the project's own figure, not a running sum of deals, so another
    outlet's "will cost $2.5bn" still disagrees with it."""
    found = _story([
        ("2026-03-02T09:00:00Z", "The total cost of the project is $2.1 billion. The state will contribute $400 million."),
        ("2026-03-02T11:00:00Z", "The project will cost $2.5 billion, officials said."),
    ])
    assert any({c.surface for s in d.sides for c in s.claims} >= {"$2.1 billion", "$2.5 billion"}
               for d in found.discrepancies)
    found = _story([
        ("2026-03-02T09:00:00Z", "The combined capacity of the two campuses is 900 MW. The first campus has 300 MW."),
        ("2026-03-02T11:00:00Z", "The two campuses have 1.2 GW of capacity, the developer said."),
    ])
    assert any({c.surface for s in d.sides for c in s.claims} >= {"900 MW", "1.2 GW"} for d in found.discrepancies)


def test_a_level_said_to_be_todays_is_not_a_plans_figure():
    # "currently operates 22,000 GPUs" and "plans to add 84K GPUs": a fleet and a purchase
    fleet = rec(1, 22_000, "about 22,000 GPUs", entity="Marrowind", prop="gpus operate",
                sentence="Marrowind currently operates about 22,000 GPUs.")
    plan = rec(2, 84_000, "84K GPUs", entity="Marrowind", prop="gpus add", scope="planned",
               sentence="Marrowind plans to add 84K GPUs.")
    plain = rec(3, 84_000, "84,000 GPUs", entity="Marrowind", prop="gpus operate",
                sentence="Marrowind operates 84,000 GPUs.")
    assert not candidates(fleet, plan)
    assert candidates(plain, plan)


# ---------------------------------------------------------------- one owner's stock counted twice

_HALLS_A = ("Vantor Systems will spend $900 million to rebuild its Duluth data center, the company said on "
            "Tuesday. The Duluth campus will have eleven halls when the work is done.\n\n"
            "The work starts in March. Vantor did not say when the rest of the 13-hall campus would open.")
_HALLS_B = ("Vantor Systems said on Tuesday it would spend $900 million rebuilding its Duluth data center. "
            "The campus will have eleven halls once the rebuild is complete, the company said.")


def _counted_story(first: str, second: str = _HALLS_B):
    return _story([("2026-04-07T15:00:00Z", first), ("2026-04-07T16:00:00Z", second)])


def _with(found, surface):
    return [d for d in found.discrepancies if any(surface in s for s in _surfaces(d))]


def test_an_owners_count_given_twice_in_one_article_is_an_intra_article_contradiction():
    """"will have eleven halls" and "the 13-hall campus": one owner's stock of halls, two values."""
    (d,) = _with(_counted_story(_HALLS_A), "13-hall")
    assert d.kind == "intra-article"
    assert {c.surface for s in d.sides for c in s.claims if c.article_id == 1} == {"eleven halls", "13-hall"}


def test_a_possessors_count_given_twice_in_one_article_is_an_intra_article_contradiction():
    """A possessor owns the count whatever its clause does with the halls ("are rebuilt", "stay
    open"), and "Vantor's 13 halls" is a count, not a model numbered 13."""
    text = ("Vantor Systems said on Tuesday it would rebuild four of the campus's eleven halls. "
            "Vantor's 13 halls will stay open during the work, it said.")
    (d,) = _with(_counted_story(text), "13 halls")
    assert d.kind == "intra-article"


def test_a_part_and_the_whole_counted_in_one_article_stay_quiet():
    """"The first phase will see three halls" and "the first phase, three halls" are a part of
    the campus's eleven, not a second count of them."""
    for part in ("The first phase will see three halls brought online next year.",
                 "The first phase, three halls with 90 megawatts of capacity, opens next year."):
        text = f"Vantor Systems said the Duluth campus will have eleven halls. {part}"
        found = _counted_story(text)
        assert not _with(found, "three halls"), [(d.kind, _surfaces(d)) for d in found.discrepancies]


def test_a_count_now_and_a_planned_count_stay_apart():
    """"has eight halls" today and "will have eleven halls" are a level and a plan."""
    text = ("Vantor Systems has eight halls at its Duluth campus today. "
            "After the rebuild, Vantor Systems will have eleven halls at the Duluth campus.")
    found = _counted_story(text)
    assert not _with(found, "eight halls"), [(d.kind, _surfaces(d)) for d in found.discrepancies]


def test_counts_of_what_was_done_are_not_an_owners_stock():
    """"added two halls" and "the 13-hall campus": what the owner did, not how many it has."""
    text = ("Vantor Systems added two halls at the Duluth campus last year. "
            "Vantor Systems said the 13-hall campus would be finished in 2028.")
    found = _counted_story(text)
    assert not _with(found, "two halls"), [(d.kind, _surfaces(d)) for d in found.discrepancies]



def test_a_figure_spread_across_several_things_is_their_sum():
    """"Operates 110,000 GPUs across four data centers" beside its article's 72,000-GPU cluster is
    the fleet, not another report of the cluster."""
    def gpus(article, value, surface, sentence):
        return rec(article, value, surface, entity="Tidewell", prop="gpus", sentence=sentence)
    cluster = "The installation uses {} Nvidia GPUs."
    fleet = "Tidewell now operates {} across four data centers in the US."
    found = analyse([gpus(1, 72000, "72,000 Nvidia GPUs", cluster.format("72,000")),
                     gpus(1, 110000, "110,000 GPUs", fleet.format("110,000 GPUs")),
                     gpus(2, 72000, "72,000 Nvidia GPUs", cluster.format("72,000")),
                     gpus(3, 72000, "72,000 Nvidia GPUs", cluster.format("72,000")),
                     gpus(3, 110000, "110,000 GPUs", fleet.format("110,000 GPUs"))])
    assert found.discrepancies == []
    # the things a sum is spread over, counted in its own sentence, are not one of them
    transistors = "Headline spec: 280 billion transistors across two dies."
    found = analyse([rec(1, 2.8e11, "280 billion transistors", unit="transistor", prop="transistors",
                         entity="O-3", sentence=transistors),
                     rec(1, 2.0, "two", unit="", prop="dies", entity="O-3", sentence=transistors),
                     rec(2, 2.08e11, "208 billion transistors", unit="transistor", prop="transistors",
                         entity="O-3", sentence="The O-3 has 208 billion transistors.")])
    assert len(found.discrepancies) == 1


def test_a_maximum_another_report_gives_as_the_figure_is_a_rating():
    """"Draws up to 1,400 watts" and "rated at 1,400W" give the chip's rating, which "consumes up
    to 1.1 kilowatts" contradicts, though 1,100 is below 1,400."""
    def watts(article, value, surface, qualifier="<="):
        return rec(article, value, surface, unit="W", qualifier=qualifier, entity="LX-4", prop="power draw")
    (d,) = analyse([watts(1, 1400, "up to 1,400 watts"), watts(2, 1100, "up to 1.1 kilowatts"),
                    watts(3, 1400, "1,400W", "=")]).discrepancies
    assert sorted(sorted(c.article_id for c in s.claims) for s in d.sides) == [[1, 3], [2]]
    (d,) = analyse([watts(1, 1200, "up to 1,200 watts"), watts(2, 1000, "1,000W", "="),
                    watts(3, 1200, "1,200 watts", "=")]).discrepancies
    assert sorted(sorted(c.article_id for c in s.claims) for s in d.sides) == [[1, 3], [2]]


def _toll_group(*claims: ClaimRecord):
    from newswatch.claims.groups import Group

    return Group(entity="the event", property="people killed", unit="person", scope="", time_ref="current",
                 claims=list(claims))


def _killed(cid: int, article: int, value: float, sentence: str, qualifier: str = "=") -> ClaimRecord:
    return ClaimRecord(claim_id=cid, article_id=article, source_id=article, value=value, unit="person",
                       surface=sentence.split(" people")[0].split()[-1], qualifier=qualifier,
                       entity="the event", property="people killed", sentence=sentence)


def test_an_article_giving_two_values_tells_their_quantities_apart():
    """An article that says "Five people died in Takengon" and "Twelve people were killed in Bener
    Meriah" gives two districts' dead, not one toll twice: against the 10 two other reports give,
    its 12 may disagree, but its 5 is another quantity and stays out of the disagreement."""
    reports = {k: f"report:{k}" for k in range(1, 5)}
    group = _toll_group(
        _killed(1, 1, 5, "Five people died in Takengon, the district chief said."),
        _killed(2, 1, 12, "Twelve people were killed in Bener Meriah by landslides."),
        _killed(3, 2, 10, "Officials said 10 people were killed by the quake."),
        _killed(4, 3, 10, "The quake killed 10 people, officials said."))
    found = find_discrepancy(group, reports)
    assert found is not None and found.kind == "conflict"
    assert sorted(s.value for s in found.sides) == [10, 12]


def test_a_conflict_far_from_the_figure_most_reports_give_is_another_quantity():
    """"Five people died and seven were injured" (three reports) against "40 others were injured by
    a landslide" is a district's count beside the quake's, not the quake's misreported; a figure
    close to the others' ("eight were injured") still disagrees, and so does a slip of a zero."""
    reports = {k: f"report:{k}" for k in range(1, 6)}

    def injured(cid: int, value: float, sentence: str) -> ClaimRecord:
        return ClaimRecord(claim_id=cid, article_id=cid, source_id=cid, value=value, unit="person",
                           surface=sentence.split()[0], entity="the event", property="injured", sentence=sentence)

    seven = [injured(k, 7, "seven were injured in Aceh in the quake and following aftershocks.") for k in (1, 2, 3)]
    group = _toll_group(*seven, injured(4, 40, "40 others were injured by a landslide in Bener Meriah."))
    assert find_discrepancy(group, reports) is None
    group = _toll_group(*seven, injured(4, 8, "eight were injured in Aceh in the quake."))
    assert find_discrepancy(group, reports) is not None
    group = _toll_group(*seven, injured(4, 7000, "7,000 were injured in Aceh in the quake."))
    assert find_discrepancy(group, reports) is not None  # the same digit, a slip of three zeros


def test_a_far_figure_with_two_digits_swapped_still_disagrees():
    """"4,100 acres" against three reports of "1,400 acres" is 2.9 times off but the same digits
    with two swapped, the commonest slip of a figure keyed by hand: one figure misreported."""
    reports = {k: f"report:{k}" for k in range(1, 6)}

    def acres(cid: int, value: float) -> ClaimRecord:
        return ClaimRecord(claim_id=cid, article_id=cid, source_id=cid, value=value, unit="acre",
                           surface=f"{value:,.0f}-acre", entity="the event", property="tract",
                           sentence=f"The tract covers {value:,.0f} acres east of Pueblo.")

    right = [acres(k, 1400) for k in (1, 2, 3)]
    assert find_discrepancy(_toll_group(*right, acres(4, 4100)), reports) is not None
    assert find_discrepancy(_toll_group(*right, acres(4, 4300)), reports) is None  # just another figure
    # "410 acres" has the digits of 1,400 swapped only once zeros are dropped: another magnitude,
    # another figure
    assert find_discrepancy(_toll_group(*right, acres(4, 410)), reports) is None


def test_a_named_owners_far_figure_and_a_growing_toll_still_disagree():
    """The span applies to a conflict between descriptions of an event's count: one named owner's
    figure ("Colossus 1 draws 40 MW" against "over 300 MW") is that figure misreported, and tolls
    that grow as reports come in ("at least five", then "at least 50") are an update."""
    reports = {k: f"report:{k}" for k in range(1, 6)}

    def power(cid: int, watts: float, surface: str, qualifier: str = "=") -> ClaimRecord:
        return ClaimRecord(claim_id=cid, article_id=cid, source_id=cid, value=watts, unit="W", surface=surface,
                           qualifier=qualifier, entity="Colossus 1", property="power capacity",
                           sentence=f"Colossus 1 draws {surface} of power.")

    from newswatch.claims.groups import Group

    site = Group(entity="Colossus 1", property="power capacity", unit="W", scope="", time_ref="current",
                 claims=[power(1, 4e7, "40 MW"), power(2, 3e8, "300 MW"), power(3, 3e8, "300 megawatts")])
    found = find_discrepancy(site, reports)
    assert found is not None and sorted(s.value for s in found.sides) == [4e7, 3e8]
    toll = _toll_group(
        _killed(1, 1, 5, "A strong quake killed at least 5 people on Tuesday.", ">="),
        _killed(2, 2, 50, "The quake has killed at least 50 people, officials said.", ">="))
    toll.claims[0].published, toll.claims[1].published = "2026-05-01T08:00:00Z", "2026-05-01T20:00:00Z"
    found = find_discrepancy(toll, reports)
    assert found is not None and found.kind == "update"


def test_quotes_a_percentage_move_ended_at_days_apart_are_two_moments():
    """A share price given where a move ended is a quote at its report's moment; a revised offer
    days later ("raised its offer to") is still compared."""
    def quote(article, value, move, day):
        return rec(article, value, f"${value}", unit="USD", prop="shares", entity="Kiteline",
                   published=f"2026-11-{day:02d}T12:00:00Z",
                   sentence=f"Kiteline's shares {move} to ${value} in New York.")
    assert analyse([quote(1, 21.30, "fell 7.4%", 4), quote(2, 22.05, "rose 3.1%", 12)]).discrepancies == []
    same_day = analyse([quote(1, 21.30, "fell 7.4%", 4), quote(2, 22.05, "fell 4.1%", 4)])
    assert [d.kind for d in same_day.discrepancies] == ["conflict"]
    offer = [rec(1, 7.8e9, "$7.8 billion", unit="USD", prop="offer", entity="Acme", published="2026-11-01T12:00:00Z",
                 sentence="Acme offered $7.8 billion for the company."),
             rec(2, 8.6e9, "$8.6 billion", unit="USD", prop="offer", entity="Acme", published="2026-11-12T12:00:00Z",
                 sentence="Acme raised its offer 10% to $8.6 billion for the company.")]
    assert [d.kind for d in analyse(offer).discrepancies] == ["update"]


def test_a_target_a_figure_falls_short_of_is_no_earlier_value_of_it():
    """"counted 87 employees at the campus, short of the 150 jobs Marlowe agreed to create": the
    150 is a target beside the count, not what the count was, so a later report of 87 against an
    earlier one of 68 is a disagreement, not a revision."""
    from newswatch.claims.groups import _says_it_revises, mark_baselines

    s = ("The vote followed a compliance review that counted 87 employees at the campus, short of the "
         "150 jobs Marlowe agreed to create.")
    claims = [rec(2, 87, "87 employees", unit="employee", sentence=s),
              rec(2, 150, "150 jobs", unit="job", sentence=s)]
    mark_baselines(claims)
    assert [c.baseline for c in claims] == [False, True]
    assert claims[0].previous == () and not _says_it_revises(claims[0])
    # a change from another figure still tells what the level was
    s = "The campus will top out at 1.8GW, up from the 1.2GW in the filing."
    claims = [rec(2, 1.8e9, "1.8GW", unit="W", sentence=s), rec(2, 1.2e9, "1.2GW", unit="W", sentence=s)]
    mark_baselines(claims)
    assert claims[0].previous and _says_it_revises(claims[0])


def test_figures_below_zero_are_near_by_their_size():
    """Two reports of minus $5 million and one of minus $6 million disagree as 5 and 6 would: the
    span test compares sizes, and below zero it dropped every side but the majority's."""
    def claims(sign):
        return [rec(k + 1, sign * v, f"minus ${v / 1e6:.0f} million", unit="USD", prop="net income",
                    entity="the company", published=f"2026-01-01T1{k}:00:00Z")
                for k, v in enumerate((5e6, 5e6, 6e6))]

    for sign in (1, -1):
        found = analyse(claims(sign))
        assert [(d.kind, sorted(abs(s.value) for s in d.sides)) for d in found.discrepancies] \
            == [("conflict", [5e6, 6e6])], sign
