"""The real-news claims benchmark's own logic: ECB+ detokenising and how a flag is judged."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCH))
_spec = importlib.util.spec_from_file_location("claims_realnews", BENCH / "claims_realnews.py")
realnews = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(realnews)

from ecbplus_text import detokenize, split_url_line  # noqa: E402


def test_ecbplus_numbers_and_hyphens_are_joined_back():
    assert detokenize("the crowd of 22 , 000 at 2 : 56 .", plus=True) == "the crowd of 22,000 at 2:56."
    assert detokenize("Klitschko ( 58 - 3 , 51 KO ) , 8 . 7 acres", plus=True) == "Klitschko (58-3, 51 KO), 8.7 acres"
    assert detokenize("a loaded . 38 - caliber revolver", plus=True) == "a loaded .38-caliber revolver"
    assert detokenize("fell about 2 , 000ft while", plus=True) == "fell about 2,000ft while"
    # an abbreviation's period is no decimal point: "Dec . 27" is a date, not 0.27
    assert detokenize("the Falcons on Dec . 27 , Thomas", plus=True) == "the Falcons on Dec. 27, Thomas"
    assert detokenize("ships Oct . 18 .", plus=True) == "ships Oct. 18."
    # the ECB half: ' - ' is a dash and stays
    assert detokenize("Malibu , California - the same facility") == "Malibu, California - the same facility"


def test_url_line_is_split_off_without_its_spaces():
    url, rest = split_url_line(["http : / / www . foxnews . com / a", "Title"])
    assert url == "http://www.foxnews.com/a" and rest == ["Title"]
    assert realnews.outlet_of(url, "x") == "foxnews.com"
    assert realnews.outlet_of(None, "3_1ecb.xml") == "ecb 3_1ecb.xml"


def _gold():
    return {7: {"topic": 7, "quantities": [
        {"id": "wins", "event": "7_ecb", "kind": "conflict", "mentions": [
            {"doc": "a.xml", "number": "52", "value": 52, "text": "Klitschko ( 52-3 , 46 KOs )"},
            {"doc": "b.xml", "number": "53", "value": 53, "text": "Klitschko , 53-3 , 47 KO 's"},
            {"doc": "c.xml", "number": "52", "value": 52, "text": "record to 52-3"}]},
        {"id": "age", "event": "7_ecb", "kind": "agree", "mentions": [
            {"doc": "a.xml", "number": "32", "value": 32, "text": "The 32-year-old Klitschko"},
            {"doc": "b.xml", "number": "32", "value": 32, "text": "the 32-year-old Klitschko"}]}]}}


def _claim(cid, doc, surface, sentence):
    return {"id": cid, "doc": doc, "surface": surface, "sentence": sentence, "value": 0, "group": None}


CLAIMS = {
    1: _claim(1, "a.xml", "52-3", "Wladimir Klitschko (52-3, 46 KOs) blasted"),
    2: _claim(2, "b.xml", "53-3", "Wladimir Klitschko, 53-3, 47 KO's, dismantled"),
    3: _claim(3, "c.xml", "52-3", "took his record to 52-3."),
    4: _claim(4, "a.xml", "32-year-old", "The 32-year-old Klitschko won"),
    5: _claim(5, "b.xml", "32-year-old", "the 32-year-old Klitschko said"),
    6: _claim(6, "b.xml", "5 rounds", "five rounds later, 5 rounds"),
}


def _judge(claim_sides):
    quantities, by_doc = realnews.index_mentions(_gold())
    disc = {"id": 1, "kind": None, "claims": claim_sides}
    return realnews.judge(disc, CLAIMS, quantities, by_doc)


def test_a_flag_of_one_disputed_quantity_with_two_values_is_true():
    assert _judge([(1, 0), (2, 1)]) == ("true", "wins")


def test_sides_with_the_same_gold_value_are_not_a_true_flag():
    assert _judge([(1, 0), (3, 1)])[0] == "agree"


def test_false_flags_are_classified():
    assert _judge([(4, 0), (5, 1)]) == ("agree", "age")
    assert _judge([(1, 0), (5, 1)]) == ("different quantity", None)
    assert _judge([(1, 0), (6, 1)]) == ("unmatched claim", None)


def test_matching_ignores_spacing_case_and_quotes():
    _, by_doc = realnews.index_mentions(_gold())
    assert [q for q, _ in realnews.matches(CLAIMS[2], by_doc)] == ["wins"]
