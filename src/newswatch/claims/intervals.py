"""Which values of one quantity can all be true together: each claim as the interval of values it
allows, and the *sides* of a set of claims (claims whose intervals share a point).

A number in the news is rarely exact: "220,000" is rounded, "over 220,000" is a bound, "about 48,000"
is an estimate. Comparing written values for equality flags all of them; comparing intervals does
not, and still keeps "over 220,000" apart from "1 million":

| qualifier | interval around the written value v |
|---|---|
| `=` | v ± the rounding of the digits as written ("220,000" ± 5,000, capped at 10 %) |
| `~` | v ± max(rounding, 10 %) |
| `>`, `>=` | [v, 1.25 v]: "over 220,000" agrees with 230,000, not with 1 million |
| `<`, `<=` | [0.75 v, v] |
| `range` | [low, high] widened by rounding |

Values are compared in the base unit of their dimension (units.si_factor), so 300 MW and 0.3 GW
are one value. Non-numeric claims allow exactly their normalised text; a place allows every place
it can be (places.py: "Memphis, Tennessee" and "Tennessee" are one side, "Texas" another).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from . import places
from .units import si_factor

__all__ = ["Side", "interval", "sides", "precision", "text_key", "text_bounds", "severity"]

T = TypeVar("T")
_PLACE = "place:"


def precision(surface: str, value: float) -> float:
    """Relative half-unit of the last significant digit as written ("220,000" -> 5000/220000)."""
    m = re.search(r"\d[\d,]*(?:\.\d+)?", surface or "")
    if not m:
        return 0.05
    digits = m.group(0).replace(",", "")
    try:
        written = float(digits)
    except ValueError:
        return 0.05
    if written == 0:
        return 0.05
    if "." in digits:
        half = 0.5 * 10 ** -len(digits.split(".")[1])
    else:
        stripped = digits.rstrip("0")
        half = 0.5 * 10 ** (len(digits) - len(stripped))
    return half / abs(written)


def interval(value: float, unit: str, qualifier: str = "=", surface: str = "",
             low: float | None = None, high: float | None = None) -> tuple[float, float]:
    """The values (in the dimension's base unit) a claim allows."""
    f = si_factor(unit)
    r = min(max(precision(surface, value), 0.001), 0.10)
    if qualifier == "range" and low is not None and high is not None:
        lo, hi = sorted((low * f, high * f))
        return lo - abs(lo) * r, hi + abs(hi) * r
    v = value * f
    if qualifier == "~":
        r = max(r, 0.10)
    elif qualifier in (">", ">="):
        return v - abs(v) * 0.001, v + abs(v) * 0.25
    elif qualifier in ("<", "<="):
        return v - abs(v) * 0.25, v + abs(v) * 0.001
    return v - abs(v) * r, v + abs(v) * r


def text_bounds(prop: str, text: str, qualifier: str = "=") -> str:
    """The key ``sides`` compares a non-numeric claim by: a place by its levels (places.py), any
    other text as written."""
    if prop == places.PLACE_PROPERTY:
        return _PLACE + places.place_key(text or "", qualifier)
    return "text:" + text_key(text)


def text_key(text: str) -> str:
    """A non-numeric value compared as written, ignoring case, accents and punctuation."""
    t = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    return " ".join(re.findall(r"[a-z0-9]+", t))


@dataclass
class Side(Generic[T]):
    """Items that can all be true together, and the values they jointly allow."""

    low: float
    high: float
    items: list[T] = field(default_factory=list)
    text: str | None = None  # the shared value of non-numeric claims


def sides(items: Sequence[T], bounds: Callable[[T], tuple[float, float] | str]) -> list[Side[T]]:
    """Sweep items into sides. ``bounds`` gives an item's interval, or its text key for a
    non-numeric claim. Numeric sides come first, ordered by value; text sides follow."""
    numeric: list[tuple[tuple[float, float], T]] = []
    texts: dict[str, Side[T]] = {}
    for item in items:
        b = bounds(item)
        if isinstance(b, str):
            texts.setdefault(b, Side(0.0, 0.0, [], b)).items.append(item)
        else:
            numeric.append((b, item))
    numeric.sort(key=lambda t: (t[0][0], t[0][1]))
    _merge_places(texts)
    out: list[Side[T]] = []
    for (lo, hi), item in numeric:
        if out and _overlaps(lo, hi, out[-1]):
            s = out[-1]
            s.low, s.high = max(s.low, lo), min(s.high, hi)
            s.items.append(item)
        else:
            out.append(Side(lo, hi, [item]))
    return out + list(texts.values())


def _overlaps(lo: float, hi: float, side: Side[T]) -> bool:
    """Does the interval [lo, hi] share more than an end point with the side's? Two figures
    written to one digit that differ in it ("$1.4bn", "$1.5bn") only touch at the rounding
    boundary: one of them is wrong, as every reader takes it, not both right. An exact point
    (zero) meets what contains it."""
    tol = 1e-9 * max(abs(lo), abs(side.high), abs(hi), abs(side.low))
    if lo > side.high + tol:
        return False
    touching = lo >= side.high - tol
    return not touching or hi - lo <= tol or side.high - side.low <= tol


def _merge_places(texts: dict[str, Side[T]]) -> None:
    """Join the sides of places that can both be true ("Memphis, Tennessee" and "Tennessee"),
    most specific first; a vaguer place joins the side it agrees with on most levels."""
    keys = sorted((k for k in texts if k.startswith(_PLACE)), key=lambda k: -places.specificity(k[len(_PLACE):]))
    merged: list[tuple[str, str]] = []  # (side key in texts, the place the side describes)
    for k in keys:
        place = k[len(_PLACE):]
        fits = [(places.specificity(places.merge(p, place)) - places.specificity(p) == 0, n)
                for n, (_, p) in enumerate(merged) if places.compatible(p, place)]
        if not fits:
            merged.append((k, place))
            continue
        n = max(fits)[1] if any(f for f, _ in fits) else fits[0][1]
        side_key, side_place = merged[n]
        texts[side_key].items.extend(texts.pop(k).items)
        merged[n] = (side_key, places.merge(side_place, place))


def severity(values: Sequence[float]) -> float:
    """The relative gap between the farthest values, in [0, 1]: 40 MW vs 300 MW is 0.87."""
    if len(values) < 2:
        return 0.0
    lo, hi = min(values), max(values)
    denom = max(abs(lo), abs(hi)) or 1.0
    return round(min((hi - lo) / denom, 1.0), 4)
