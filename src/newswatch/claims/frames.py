"""Numeric claims in article text: what number, about what, measuring what, in which sentence.

`extract_claims(text)` is pure: text in, `Claim` dataclasses out. quantities.py finds the
numbers and their units (counts.py reads what a number counts); this module decides, for each
one,

* the **attribute** (what is measured: gpu_count, power, generation, valuation, headcount,
  layoffs, land_area, floor_area, pue...) from the unit and the words around the number,
  including bullet labels ("Power Capacity: Over 300 MW");
* the **scope**: claims of different scopes are not compared by the discrepancy check. "each"
  (per rack, per unit, a block size), "planned" (will reach, expects; but not the future tense
  of a transaction: "Talen will supply 1.92 GW" states the deal), "by 2028", "contracted",
  "leased", "part" (the remaining 50 MW, of which...), "cumulative" (to date, in total for
  money), "per year", "quarterly" (revenue and profit), and, only when the sentence also
  states another figure in the same unit, "prior" (up from X a year earlier) and "in 2024";
* the **subject** (what the number is about), delegated to entities.py, which tracks the
  names, descriptions ("the facility", "the French startup") and pronouns of the document;
  table row labels and the heading or list lead-in above a line are handled here;
* the sentence and character span.

Sentence splitting is line-aware because web text keeps headings, bullets and tables as
lines; within a line it splits on terminal punctuation unless the period belongs to an
abbreviation, an initial or a decimal number.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from .counts import count_chunk
from .entities import SubjectResolver, modified_noun, names_in, norm_name
from .quantities import Quantity, find_quantities, mask_non_quantities
from .sentences import BULLET, Sentence, split_sentences
from .units import count_family, is_count_unit

__all__ = ["Claim", "Sentence", "extract_claims", "split_sentences", "claim_to_dict"]


@dataclass
class Claim:
    """One numeric claim. `value` is in the canonical unit named by `unit` (see units.py)."""

    value: float
    unit: str
    surface: str
    qualifier: str = "="
    low: float | None = None
    high: float | None = None
    subject: str = ""
    attribute: str = ""
    sentence: str = ""
    start: int = 0
    end: int = 0
    scope: str = ""
    raw_value: float | None = None
    raw_unit: str = ""
    # The frame (CONTRACT.md, claims): what is measured, of whom, when, how it is asserted.
    property: str = ""          # what is measured, in words: "people killed", "GPUs installed"
    entity: str = ""            # whom it is about, as named in the article
    time_ref: str = "current"   # "current" or the earlier time/event it refers to
    modality: str = "reported"  # reported | estimated | asked | hypothetical
    value_text: str | None = None  # a non-numeric value (a place, a partner)


def claim_to_dict(claim: Claim) -> dict:
    return asdict(claim)


# ---------------------------------------------------------------- attributes and scope

_MONEY_ATTRS: list[tuple[str, str]] = [
    ("valuation", r"valu(?:ed|ation|ing|es)\b|worth of the company|post-money|pre-money"),
    ("market_cap", r"market (?:cap|capitali[sz]ation|value)"),
    ("revenue", r"revenue|sales|run[- ]rate|turnover|bookings"),
    ("profit", r"profit|net income|earnings|ebitda"),
    ("loss", r"\bloss(?:es)?\b"),
    ("funding", r"rais(?:e|ed|es|ing)|funding|round|financing|debt|bonds?|loan|ipo|offering"),
    ("investment", r"invest|spend|capex|capital (?:expenditure|spending)|build(?:out)?|commit"),
    ("price", r"pric(?:e|ed|es|ing)|per share|a share|charges?|fee|rate|cost per|per hour|per token"),
    ("deal_value", r"deal|contract|agreement|acquisition|acquire|buy|bought|purchase|order|lease|backlog"),
    ("cost", r"\bcost"),
]
_LABEL_ATTRS: list[tuple[str, str]] = [
    ("gpu_count", r"\bgpu|accelerator|chips?\b|processors?"),
    ("power", r"\bpower\b|capacity|\bload\b|electric"),
    ("pue", r"\bpue\b|power usage effectiveness"),
    ("storage", r"storage"),
    ("memory", r"memory|\bhbm|\bram\b"),
    ("bandwidth", r"bandwidth|interconnect|throughput|network"),
]
_INFRA_ATTRS = {"gpu_count", "power", "pue", "energy", "storage", "memory", "bandwidth",
                "compute_performance", "land_area", "floor_area", "server_count", "rack_count",
                "water_use", "building_count", "data_hall_count"}
# What a count of people measures depends on the verb: a total, a cut or new hires.
_LAYOFF_RX = re.compile(
    r"\b(?:cut(?:s|ting)?|lay(?:s|ing)?\s+off|laid\s+off|layoffs?|eliminat\w+|shed(?:s|ding)?|"
    r"slash(?:es|ed|ing)?|ax(?:e|es|ed|ing)|trim(?:s|med|ming)?|reduc(?:e|es|ed|ing)\s+(?:its\s+)?"
    r"(?:workforce|headcount|staff)\s+by|job\s+cuts|redundanc\w+|let\s+go|fire[sd]?|firing)\b", re.I)
_HIRING_RX = re.compile(r"\b(?:hir(?:e|es|ed|ing)|recruit\w*|creat(?:e|es|ed|ing)|add(?:s|ed|ing)?|new\s+jobs)\b", re.I)
_GENERATION_AFTER = re.compile(
    r"[\s\-]*(?:of\s+)?(?:(?:new|natural|on-?site|behind-the-meter|installed|onsite|aeroderivative|"
    r"offshore|onshore|rooftop|utility-scale)\s+)*(?:gas(?:-fired)?\s+|diesel\s+)?(?:turbines?|generation|"
    r"generators?|solar|wind|batter(?:y|ies)|fuel\s+cells?|reactors?|nuclear|hydro|geothermal)\b", re.I)
_GENERATION_BEFORE = re.compile(
    r"\b(?:turbines?|generators?|reactors?|batter(?:y|ies)|fuel\s+cells?|solar\s+(?:farm|array|plant)s?|"
    r"wind\s+(?:farm|project)s?)\s+(?:of|rated\s+at|at|totall?ing|providing|producing)\s+"
    r"(?:(?:about|roughly|some|up\s+to|nearly)\s+)?$", re.I)
_LAND_RX = re.compile(r"\b(?:land|site|parcel|plot|property|tract|acreage|farmland|lot)\b", re.I)

_SCOPE_EACH = re.compile(r"\b(?:each|every)\b(?:\s+\S+){0,3}\s*$", re.I)
_SCOPE_EACH_AFTER = re.compile(r"^\s*(?:each|apiece|a piece|per (?!cent\b|year\b|annum\b|month\b|day\b)\w+)\b", re.I)
_SCOPE_BY = re.compile(
    r"\b(?:by|before)\s+(?:the\s+)?(?:end\s+of\s+|end-|mid-|early\s+|late\s+|the\s+end\s+of\s+)?"
    r"(?P<y>(?:19|20)\d{2}|year-end|year end|the decade|the end of the decade)\b", re.I)
_SCOPE_PLANNED = re.compile(
    r"\b(?:will|would|won't|plans?|planned|planning|expects?|expected|expecting|aims?|aiming|intends?|"
    r"proposed?|proposes|targets?|targeting|eventually|could|may|might|once\s+(?:complete|completed|"
    r"finished|fully)|when\s+complete|at\s+full\s+build-?out|under\s+construction|set\s+to|slated|"
    r"forecasts?|projected|projects\s+to|future|upcoming|goal|ambition|envisions?|seeks?\s+to|to\s+be\s+built|"
    r"guid(?:ed|es|ing|ance)|outlook)\b",
    re.I)
# A future tense of a transaction does not make its figure a plan: "Talen will supply 1.92 GW",
# "ASML will take an 11% stake", "Intel will cut 15,000 jobs" state the deal or the cut itself.
# (Spending and raising stay planned: outlets write future capex in the future tense alike.)
_TRANSACTIONAL = re.compile(
    r"\s*(?:to\s+)?(?:(?:also|now|then|still|eventually|likely|reportedly|soon|each|jointly)\s+)?"
    r"(?P<v>supply|supplies|sell|buy|purchase|provide|deliver|pay|receive|get|take|give|fund|lend|"
    r"acquire|lease|rent|charge|offer|sign|commit|cut|eliminate|lay|shed|slash|axe|hire|cost|"
    r"contribute|inject|loan)\b", re.I)
_SCOPE_PRIOR_BEFORE = re.compile(
    r"(?:\b(?:up|down|rising|falling|rose|fell|grew|increased|decreased|climbed|jumped|dropped)\b[^,;]{0,40}?\bfrom"
    r"|^\s*from|,\s*(?:up|down)\s+from|\b(?:compared\s+(?:with|to)|versus|vs\.?|against)|\bprevious(?:ly)?|\bprior)"
    r"\s+(?:(?:about|roughly|around|nearly|some|an\s+estimated|more\s+than|over)\s+)?$", re.I)
_SCOPE_PRIOR_AFTER = re.compile(
    r"\s*(?:(?:a|one|the)\s+)?(?:year|quarter|month)s?\s+(?:earlier|ago|before)\b|\s*last\s+(?:year|quarter)\b"
    r"|\s*(?:in|during|for)\s+the\s+(?:year-earlier|year-ago|prior-year|same|previous|prior)\s+(?:period|quarter|year)\b",
    re.I)
_SCOPE_PART = re.compile(r"\b(?:the\s+remaining|the\s+rest\s+of|the\s+balance\s+of|of\s+which|among\s+them|"
                         r"including|another|an\s+additional|a\s+further)\s+(?:(?:about|roughly|some|nearly)\s+)?$",
                         re.I)
_SCOPE_BLOCK = re.compile(r"\b(?:starting\s+at|starting\s+from|blocks?\s+of|increments?\s+of|as\s+little\s+as|"
                          r"minimum\s+of)\s+(?:(?:about|roughly|some|nearly)\s+)?$", re.I)
_SCOPE_RACK = re.compile(r"\b(?:rack|cabinet|power)\s+densit(?:y|ies)\s+(?:of\s+)?(?:(?:up\s+to|about|around|over|"
                         r"more\s+than|roughly)\s+)?$", re.I)
_SCOPE_LEASED_BEFORE = re.compile(r"\b(?:leas(?:ing|ed|es)|lease\s+for|taken|take-up\s+of|rented)\s+"
                                  r"(?:(?:about|roughly|some|nearly|all|up\s+to)\s+)?$", re.I)
_SCOPE_LEASED_AFTER = re.compile(
    r"\s*(?:of\s+leased\b|under\s+lease\b|(?:of\s+[\w\s]{0,20}?)?under\s+(?:a|an|the|its)\s+(?:[\w\-]+\s+)?lease\b"
    r"|(?:[\w\-]+\s+)?lease\b|leased\b)", re.I)
_SCOPE_DATED = re.compile(r"\s*(?:in|during)\s+(?:(?:late|early|mid-?|the\s+first\s+half\s+of|the\s+second\s+half\s+of)"
                          r"\s*)?(?P<y>(?:19|20)\d{2})\b", re.I)
_SCOPE_PER_YEAR = re.compile(r"^\s*(?:a|per|each|every)\s+year\b|^\s*(?:annually|yearly|per\s+annum)\b", re.I)
_SCOPE_QUARTER = re.compile(r"\bquarter(?:ly)?\b|\bQ[1-4]\b|\bthree months\b", re.I)
_SCOPE_CONTRACTED = re.compile(
    r"^\s*(?:of\s+)?(?:[\w\-]+\s+){0,2}?(?:contracted|under\s+contract|signed|committed|pipeline)\b"
    r"|\bcontracted\s*$", re.I)
_SCOPE_CUMULATIVE = re.compile(
    r"\b(?:cumulative(?:ly)?|in\s+total|to\s+date|so\s+far|(?:bringing|brings|bring|taking|takes)\s+(?:its|the|their)"
    r"\s+total\s+to|since\s+(?:launch|inception|its\s+founding)|all-time|"
    r"altogether|lifetime)\b", re.I)


def _attribute(q: Quantity, unit: str, context: str, label: str, q_offset: int = 0) -> str:
    q_len = q.end - q.start  # `context` holds the quantity at q_offset
    ctx = context.lower()
    lab = label.lower()
    if lab:
        for name, pat in _LABEL_ATTRS:
            if re.search(pat, lab):
                if name == "gpu_count" and not (is_count_unit(unit) or unit == ""):
                    continue
                if name == "power" and unit not in ("W",):
                    continue
                if name == "pue" and unit not in ("",):
                    continue
                if name in ("storage", "memory") and unit not in ("B",):
                    continue
                if name == "bandwidth" and unit not in ("B/s", "bit/s"):
                    continue
                return name
    if unit == "W":
        if _GENERATION_AFTER.match(ctx, q_offset + q_len) or _GENERATION_BEFORE.search(ctx[:q_offset]):
            return "generation"  # "250 MW of gas turbines", "a 300 MW wind power purchase agreement"
        return "power"
    if unit == "Wh":
        return "energy"
    if unit in ("VA", "V", "A"):
        return "electrical"
    if unit in ("B", "bit"):
        return "memory" if re.search(r"memory|\bhbm|\bram\b|dram", ctx) else "storage"
    if unit in ("B/s", "bit/s"):
        return "bandwidth"
    if unit in ("FLOP/s", "OP/s"):
        return "compute_performance"
    if unit in ("%", "pp", "bp"):
        if q.qualifier in ("up", "down"):
            return "change"
        for name, pat in (("market_share", r"market|share of"), ("utilization", r"utili[sz]ation"),
                          ("margin", r"margin"), ("vacancy", r"vacan"), ("growth", r"grow|growth|increase"),
                          ("stake", r"stake|own")):
            if re.search(pat, ctx):
                return name
        return "percentage"
    if unit in ("x",):
        return "multiplier"
    if unit == "fraction":
        return "fraction"
    if unit in ("m2", "sq ft", "sq mi", "acre"):
        # land ("315 acres", "1,400 hectares") is not floor space ("1.2 million square feet")
        if unit in ("acre", "sq mi") or re.search(r"hectare|\bha\b|km", q.raw_unit, re.I) \
                or _LAND_RX.search(ctx[:q_offset][-50:]):
            return "land_area"
        return "floor_area"
    if unit in ("m", "mi", "ft", "in", "yd", "nmi"):
        return "length"
    if unit in ("L", "gal"):
        return "water_use" if "water" in ctx else "volume"
    if unit in ("kg", "lb", "oz", "ton"):
        return "mass"
    if unit in ("s", "minute", "hour", "day", "week", "month", "year"):
        # "a 15-year lease", "a 20-year power purchase agreement": a deal's term can conflict;
        # other durations (battery hours, build months, "two years ago") are too varied to compare
        if re.match(r"[\s\-]*(?:[\w\-]+\s+){0,2}?(?:deal|lease|agreement|contract|ppa|power\s+purchase|loan|"
                    r"term|partnership|offtake)\b", ctx[q_offset + q_len:]):
            return "term"
        return "duration"
    if unit in ("°C", "°F", "K"):
        return "temperature"
    if unit in ("Hz", "rpm"):
        return "frequency"
    if unit == "":
        if re.search(r"\bpue\b|power usage effectiveness", ctx):
            return "pue"
        return "number"
    if "/" in unit:
        return "price" if unit.split("/")[0].isupper() else "rate"
    if is_count_unit(unit):
        fam = count_family(unit)
        if fam == "accelerator":
            return "gpu_count"
        if fam == "employee":
            if re.match(r"\s*(?:who\s+(?:are|were)\s+)?(?:familiar|briefed|with\s+(?:direct\s+)?knowledge|close\s+to|"
                        r"involved|speaking|who\s+(?:asked|declined|spoke)|in\s+the\s+room)\b",
                        context[q_offset + q_len:]):
                return "sources"  # "two people familiar with the matter" count sources, not staff
            clause = re.split(r"[;.]", context[:q_offset])[-1][-80:]
            if _LAYOFF_RX.search(clause) or re.match(r"\s*(?:\w+\s+){0,3}(?:were|was|will be|would be|to be)\s+"
                                                    r"(?:cut|laid off|eliminated)", context[q_offset:]):
                return "layoffs"
            if _HIRING_RX.search(clause[-40:]):
                return "hiring"
            return "headcount"
        return unit.replace(" ", "_").replace("-", "_").lower() + "_count"
    # money: the money keyword nearest to the number (words before it count double distance
    # less: "valued at $61.5 billion in its latest round" is a valuation)
    qpos = q_offset
    best = None
    for name, pat in _MONEY_ATTRS:
        for m in re.finditer(pat, ctx):
            dist = qpos - m.end() if m.end() <= qpos else (m.start() - qpos) * 2
            if best is None or dist < best[0]:
                best = (dist, name)
    return best[1] if best else "amount"


def _scope(text: str, sent: Sentence, q: Quantity, attribute: str = "", others: list[str] | None = None) -> str:
    """What part of the thing a figure is about ("each", "planned", "cumulative", "prior"...).

    `others` are the units of the sentence's other figures: a prior-period or dated figure is
    only set apart when the sentence also states another figure in the same unit ("up from X
    a year earlier"); alone, "1.3 billion gallons last year" is the article's main figure."""
    clause_start = sent.start
    for m in re.finditer(r"[;:]|\s[—–]\s", text[sent.start:q.start]):
        clause_start = sent.start + m.end()
    before = text[clause_start:q.start]
    after_end = sent.end
    m_after = re.search(r"[;:,]|\s[—–]\s", text[q.end:sent.end])
    if m_after:
        after_end = q.end + m_after.start()
    after = text[q.end:after_end]
    near_before = " ".join(before.split()[-4:])
    if _SCOPE_EACH.search(near_before) or _SCOPE_EACH_AFTER.match(after):
        return "each"
    if _SCOPE_PART.search(before):
        return "part"  # "the remaining 50 MW", "of which $5.1 billion": a part of a figure
    if _SCOPE_BLOCK.search(before) or _SCOPE_RACK.search(before):
        return "each"  # "starting at about 5 MW", "rack densities of up to 132 kW"
    if _SCOPE_LEASED_BEFORE.search(before) or _SCOPE_LEASED_AFTER.match(after):
        return "leased"  # "leasing 150 MW", "420 MW under lease", "an 80 MW lease"
    contrast = bool(others) and any(u == q.unit for u in others)
    if contrast and (_SCOPE_PRIOR_BEFORE.search(before) or _SCOPE_PRIOR_AFTER.match(after)):
        return "prior"  # "up 62% from $4.57 billion a year earlier": last period's figure
    dated = _SCOPE_DATED.match(after)
    if contrast and dated:
        return f"in {dated.group('y')}"  # "after facilities of $1.9bn in late 2024 and $3.7bn..."
    if _SCOPE_PER_YEAR.search(after):
        return "per year"
    by = _SCOPE_BY.search(after) or _SCOPE_BY.search(before)
    if by:
        y = by.group("y").lower()
        return f"by {y}" if y[:2] in ("19", "20") else "by year-end" if "year" in y else "by end of decade"
    if _SCOPE_CONTRACTED.search(after) or _SCOPE_CONTRACTED.search(" ".join(before.split()[-3:])):
        return "contracted"
    planned = None
    for m in _SCOPE_PLANNED.finditer(before):
        planned = m  # the last plan word before the figure
    tm = _TRANSACTIONAL.match(before, planned.end()) if planned is not None else None
    if tm and not re.search(r"\b(?:reach|grow|expand|scale|have|house|hold|draw)\b", before[planned.end():]):
        planned = None
    if planned is not None or re.match(r"\s*(?:planned|proposed|expected)\b", after):
        return "planned"
    money = attribute not in _INFRA_ATTRS
    if _SCOPE_CUMULATIVE.search(before) or _SCOPE_CUMULATIVE.search(after):
        if money or not re.search(r"\b(?:in\s+total|altogether|combined)\b", before + " " + after):
            return "cumulative"  # "in total" sums parts of a plant, but rounds of a company's funding
    if money and attribute in ("revenue", "profit", "loss") and (
            _SCOPE_QUARTER.search(before) or _SCOPE_QUARTER.search(after)):
        return "quarterly"
    return ""


# ---------------------------------------------------------------- the document pass

def extract_claims(text: str) -> list[Claim]:
    """All numeric claims in `text`, in text order. Never raises on odd input."""
    if not text or not text.strip():
        return []
    sents = split_sentences(text)
    masks = mask_non_quantities(text)
    resolver = SubjectResolver(text, sents)
    facility, known = resolver.facility, resolver.known
    claims: list[Claim] = []
    context_name = ""  # from the last heading or list lead-in
    context_from_lead = False
    prev_line = -1
    line_names: list[list] = []
    for st in sents:
        label = ""
        body_start = st.start
        lm = re.match(r"\s*(?:[-•*·▪◦–—]\s*)?([A-Z][A-Za-z0-9 &/\-’']{1,40}?):\s", text[st.start:st.end])
        if lm and st.first_in_line and st.kind != "table":
            label = lm.group(1)
            body_start = st.start + lm.end()
        bm = BULLET.match(text, body_start) if st.kind == "list" else None
        if bm:
            body_start = bm.end()
        names = names_in(text, body_start, st.end, resolver.caps)
        if st.kind == "heading":
            names = [n for n in names if norm_name(n.text) in known]
        if st.line != prev_line:
            line_names = []
            prev_line = st.line
            if st.kind != "list" and not st.kind == "heading" and context_from_lead:
                context_name = ""
                context_from_lead = False
        qs = [q for q in find_quantities(text, st.start, st.end, masks) if q.start < q.end]
        mentions = resolver.mentions(st, body_start, [(x.start, x.end) for x in qs])
        cells: list[tuple[int, int]] = []
        if st.kind == "table":
            p = st.start
            for cell in text[st.start:st.end].split("|"):
                cells.append((p, p + len(cell)))
                p += len(cell) + 1
        prev: tuple[Quantity, str] | None = None
        for q in qs:
            subject = ""
            row_label = ""
            if cells:
                nonempty = [(a, b) for a, b in cells if text[a:b].strip()]
                if nonempty and not (nonempty[0][0] <= q.start < nonempty[0][1]):
                    a, b = nonempty[0]
                    row_label = text[a:b].strip()
                    rl_names = names_in(text, a, b)
                    if rl_names:
                        subject = rl_names[0].text
            sentence_text = text[st.start:st.end]
            ctx_lo = max(st.start, q.start - 120)
            context = text[ctx_lo:min(st.end, q.end + 60)]
            unit = q.unit
            if row_label and not unit:
                cc = count_chunk(" " + row_label, 0, len(row_label) + 1)
                if cc:
                    unit = cc[1]
                    q.is_count = True
            attribute = _attribute(q, unit, context, label or row_label, q.start - ctx_lo)
            infra = attribute in _INFRA_ATTRS
            if not subject:
                subject = modified_noun(text, q, st)
            if not subject:
                subject = resolver.subject(q, st, body_start, mentions, attribute, infra, prev)
            if not subject:
                for prev_names in reversed(line_names):
                    if not prev_names:
                        continue
                    fac = [n for n in prev_names if facility.get(norm_name(n.text))]
                    if fac or not infra:
                        subject = (fac[0] if fac else prev_names[0]).text
                    break
            if not subject and context_name and (st.kind == "list" or st.first_in_line):
                subject = context_name
            if not subject and resolver.focus and infra:
                subject = resolver.display.get(resolver.focus, resolver.focus)
            if not subject:
                after = [x for x in mentions if x.start >= q.end and not x.locative]
                if after:
                    subject = after[0].text
            subject = subject.strip(" “”\"'’")
            prev = (q, subject)
            claims.append(Claim(
                value=q.value, unit=unit, surface=text[q.start:q.end], qualifier=q.qualifier,
                low=q.low, high=q.high, subject=subject, attribute=attribute,
                sentence=sentence_text, start=q.start, end=q.end,
                scope=_scope(text, st, q, attribute, [x.unit for x in qs if x is not q]),
                raw_value=q.raw_value, raw_unit=q.raw_unit,
            ))
        resolver.end_sentence(mentions, st.line)
        line_names.append(names)
        # headings and list lead-ins set the context for what follows
        if st.kind == "heading":
            fac = [n for n in names if facility.get(norm_name(n.text))]
            context_name = (fac[0] if fac else names[0]).text if names else ""
            context_from_lead = False
        elif st.kind == "text" and text[st.start:st.end].rstrip().endswith(":"):
            lead = [n for sn in line_names for n in sn]
            fac = [n for n in lead if facility.get(norm_name(n.text))]
            if fac or lead:
                context_name = (fac[0] if fac else lead[0]).text
                context_from_lead = True
    return claims
