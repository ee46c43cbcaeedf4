"""Frame fields read from how a figure is written: a change's two levels, the period a figure is
for, the noun a figure measures, and a figure per counted thing (sentences written for these tests)."""

from __future__ import annotations

import pytest

from newswatch.claims.frames import extract_claims
from newswatch.claims.quantities import find_quantities


def claims(text: str) -> list:
    return [c for c in extract_claims(text) if c.value is not None]


def quantities(text: str) -> list:
    return find_quantities(text, 0, len(text))


# ---------------------------------------------------------------- "from X to Y" after a change

@pytest.mark.parametrize("text,earlier,current,unit", [
    ("The operator cut its annual water draw from roughly 310 million liters to about 60 million.",
     3.1e8, 6e7, "L"),
    ("Engineers lowered the hall's PUE from 1.51 to 1.18.", 1.51, 1.18, ""),
    ("Regional demand rose from 12 to 19 GW in a decade.", 1.2e10, 1.9e10, "W"),
    ("A reduction in the cluster's draw from 80 MW to 65 MW was announced.", 8e7, 6.5e7, "W"),
    ("The lab went from 4,000 GPUs to 9,000 GPUs this year.", 4000, 9000, "GPU"),
])
def test_from_x_to_y_after_a_change_is_two_levels_not_a_range(text, earlier, current, unit):
    found = claims(text)
    assert all(c.qualifier in ("=", "~") for c in found)
    assert [c.value for c in found] == pytest.approx([earlier, current])
    assert {c.unit for c in found} == {unit}
    assert [c.time_ref for c in found][0] == "earlier"
    assert found[1].time_ref != "earlier"


@pytest.mark.parametrize("text,low,high", [
    ("Summer temperatures in the valley range from 18 to 27 C.", 18, 27),
    ("The turbines produce between 40 MW and 60 MW each.", 4e7, 6e7),
    ("Bids from $30 to $45 per megawatt-hour were received.", 3e-5, 4.5e-5),
    ("The clusters hold 10,000 to 12,000 GPUs.", 10000, 12000),
])
def test_a_range_without_a_change_stays_one_range(text, low, high):
    (q,) = quantities(text)
    assert q.qualifier == "range" and (q.low, q.high) == pytest.approx((low, high))


def test_the_earlier_level_of_a_change_is_a_baseline_in_groups():
    from newswatch.claims.groups import ClaimRecord, mark_baselines

    s = "The operator cut its annual water draw from roughly 310 million liters to about 60 million."
    recs = [ClaimRecord(claim_id=k, article_id=1, source_id=1, value=c.value, unit=c.unit, surface=c.surface,
                        qualifier=c.qualifier, low=c.low, high=c.high, entity="Op", property=c.property,
                        scope=c.scope, time_ref=c.time_ref, modality=c.modality, value_text=None,
                        sentence=c.sentence, published=None)
            for k, c in enumerate(claims(s))]
    mark_baselines(recs)
    assert [r.baseline for r in recs] == [True, False]


# ---------------------------------------------------------------- per-period needs the period to be the figure's

@pytest.mark.parametrize("text,surface", [
    ("The firm will build a $3.1bn factory, with work starting in the first quarter of next year.", "$3.1bn"),
    ("Lenders approved a $700 million loan; the first quarter saw record demand.", "$700 million"),
    ("Nimbus raised $410m in the quarter, valuing it at $3.9bn.", "$3.9bn"),
])
def test_a_quarter_that_dates_something_else_is_not_the_figures_period(text, surface):
    (c,) = [c for c in claims(text) if c.surface == surface]
    assert c.scope != "per-period"


@pytest.mark.parametrize("text,surface", [
    ("Acme reported revenue of $4.2bn in the first quarter.", "$4.2bn"),
    ("Quarterly revenue reached $2bn.", "$2bn"),
    ("First-quarter sales rose to $2bn.", "$2bn"),
    ("In the third quarter, Acme earned $900m.", "$900m"),
    ("Acme pays $5m per quarter in rent.", "$5m per quarter"),
])
def test_a_quarters_figure_is_per_period(text, surface):
    (c,) = [c for c in claims(text) if c.surface == surface]
    assert c.scope == "per-period"


# ---------------------------------------------------------------- the measured noun, not a verb that moves it

@pytest.mark.parametrize("text,prop", [
    ("About 310MW of capacity will go to the cloud unit.", "capacity"),
    ("The company will offer 20MW of capacity to tenants.", "capacity"),
    ("The campus will take 500MW of power from the grid.", "power"),
    ("The deal will raise $300m of new equity.", "equity"),
])
def test_a_verb_that_moves_a_measured_thing_is_not_its_property(text, prop):
    (c,) = claims(text)
    assert c.property.split()[-1] == prop and c.property.split()[0] in (prop, "new")


# ---------------------------------------------------------------- per-thing densities

@pytest.mark.parametrize("text,unit", [
    ("The halls support rack densities of up to 140kW.", "W/rack"),
    ("Per-GPU power of 1.4kW is expected.", "W/GPU"),
    ("The design allows power per cabinet of 90 kW.", "W/cabinet"),
    ("The halls support up to 140kW per rack.", "W/rack"),
    ("The site has a power density of 40 MW.", "W"),
    ("An energy density of 300 Wh was reported.", "Wh"),
])
def test_a_density_of_a_counted_thing_is_per_that_thing(text, unit):
    (q,) = quantities(text)
    assert q.unit == unit


@pytest.mark.parametrize("text,unit", [
    ("Brookfield agreed to acquire Ridgeline for $45.70 a share in cash.", "USD/share"),
    ("Brookfield will pay $47.50 in cash for each Ridgeline share.", "USD/share"),
    ("The offer of $47.50 in cash per share gives it a premium.", "USD/share"),
    ("The new hall goes live at 130 kW a rack.", "W/rack"),
    ("Each rack in the building, which opened Tuesday, can draw up to 180 kilowatts.", "W/rack"),
    ("Racks in the new hall can draw up to 180 kW apiece, per AP.", "W/rack"),
    ("It supports racks of up to 130 kilowatts.", "W/rack"),
    ("The chip moves data at 9.6 terabytes a second.", "B/s"),
    # no thing it is per: a figure and the words after it
    ("The company raised $5 billion a company spokesman said.", "USD"),
    ("The campus will draw 300 MW a year from now.", "W"),
    ("A campus of 300 MW is planned.", "W"),
    # a clause joined after "each rack ..." is about another thing
    ("Each rack is cooled by liquid, and the whole campus will draw 300 MW.", "W"),
])
def test_a_figure_written_for_one_of_a_counted_thing_is_per_that_thing(text, unit):
    """However a writer says it is for each one ("a share", "for each share", "each rack ...",
    "apiece", "racks of"), a price per share or a rack's power is one unit, so the outlets
    writing it differently meet."""
    (q,) = [q for q in quantities(text) if q.unit != "story"]
    assert q.unit == unit


def test_the_two_levels_of_a_change_share_what_they_measure_and_their_period():
    found = claims("The plant will go from 150MW of load today to 260MW after the upgrade.")
    assert [c.property for c in found][0] == found[1].property and "load" in found[1].property
    found = claims("The operator cut its water use from about 310 million liters a year to about 60 million.")
    assert [c.scope for c in found] == ["per-period", "per-period"]


@pytest.mark.parametrize("text,prop", [
    ("The upgrade lifts total storage capacity at the site to 90MWh.", "capacity"),
    ("Grid operators raised output from 5 GW to 8 GW.", "output"),
])
def test_what_a_verb_moves_to_a_figure_is_its_property(text, prop):
    assert all(prop in c.property for c in claims(text))


@pytest.mark.parametrize("text,modality", [
    ("The developer has applied for a $700 million loan from the state fund.", "asked"),
    ("Nimbus is in talks with lenders about raising as much as $3 billion in debt.", "asked"),
    ("The developer received a $700 million loan from the state fund.", "reported"),
    ("The rules apply to 500 MW plants.", "reported"),
])
def test_a_figure_applied_for_or_under_negotiation_is_asked(text, modality):
    (c,) = claims(text)
    assert c.modality == modality


@pytest.mark.parametrize("text,units", [
    ("Each cabinet holds 64 accelerators per rack.", ["accelerator/rack"]),
    ("The pods have 64 accelerators and 16 CPUs per rack.", ["accelerator/rack", "CPU/rack"]),
    ('The pods have 64 accelerators and 16 "Zen" CPUs per rack.', ["accelerator/rack", ""]),
    ("The cluster has 48,000 accelerators.", ["accelerator"]),
])
def test_a_count_per_counted_thing_is_never_a_total(text, units):
    assert [q.unit for q in quantities(text)] == units


def test_the_noun_before_of_names_the_figure_when_the_parse_loses_it():
    (c,) = claims("Cooling upgrades let the older rooms reach rack densities of up to 133kW, the operator said.")
    assert "densities" in c.property and c.unit == "W/rack"


@pytest.mark.parametrize("text,surface,scope", [
    ("Nimbus will refit four of the nine rooms, giving them a combined 90 megawatts of capacity.", "90 megawatts",
     "part-of"),
    ("Two of the five units will supply 400 MW.", "400 MW", "part-of"),
    ("Nimbus will refit four of the nine rooms, giving them a combined 90 megawatts of capacity.", "nine rooms",
     "planned"),
    ("Nimbus will refit its rooms, giving them 90 megawatts of capacity.", "90 megawatts", "planned"),
])
def test_a_figure_of_a_part_named_by_its_whole_is_part_of(text, surface, scope):
    (c,) = [c for c in claims(text) if c.surface == surface]
    assert c.scope == scope
