"""What a claim measures, compared across articles: "valued at" and "valuation of" are one
property, "killed" and "injured" are two. Grouping asks this module, never compares the strings
itself, so the comparison can be as smart as it needs to be in one place."""

from __future__ import annotations

import re

__all__ = ["property_key", "same_property"]


def property_key(prop: str) -> str:
    """A normalised form of a property phrase (lower case, single spaces)."""
    return re.sub(r"\s+", " ", prop.strip().lower())


def same_property(a: str, b: str) -> bool:
    """True when two property phrases name the same measured quantity."""
    return bool(a) and property_key(a) == property_key(b)
