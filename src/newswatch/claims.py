"""Numeric claims in article text: what number, about what, measuring what, in which sentence.

`extract_claims(text)` is pure: text in, `Claim` dataclasses out. quantities.py finds the
numbers and their units; this module decides, for each one,

* the **subject** (what the number is about: "Colossus 1"): a table row label, a noun the
  quantity modifies ("a 10 MW solar canopy"), the nearest name before it in the sentence,
  a name carried over from the sentence before, the heading or list lead-in above it, and
  for facility-type measures (power, GPUs, PUE...) the facility the article is about;
* the **attribute** (what is measured: gpu_count, power, valuation, pue...) from the unit and
  the words around the number, including bullet labels ("Power Capacity: Over 300 MW");
* the **scope** ("planned", "by 2028", "cumulative", "each"): claims of different scopes are
  not compared by the discrepancy check;
* the sentence and character span.

Sentence splitting is line-aware because web text keeps headings, bullets and tables as
lines; within a line it splits on terminal punctuation unless the period belongs to an
abbreviation, an initial or a decimal number.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass

from .quantities import _CHUNK_STOP, Quantity, find_quantities, mask_non_quantities
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


def claim_to_dict(claim: Claim) -> dict:
    return asdict(claim)


# ---------------------------------------------------------------- sentences

@dataclass
class Sentence:
    start: int
    end: int
    line: int
    kind: str  # text | heading | list | table
    first_in_line: bool = True


_ABBREV = {
    "mr", "mrs", "ms", "dr", "prof", "inc", "corp", "co", "ltd", "jr", "sr", "st", "vs", "etc",
    "e.g", "i.e", "u.s", "u.k", "u.n", "e.u", "a.m", "p.m", "no", "nos", "fig", "figs", "jan",
    "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "approx", "est",
    "gov", "sen", "rep", "gen", "lt", "col", "mt", "ft", "sgt", "capt", "cmdr", "adm", "rev",
    "dept", "univ", "assn", "bros", "ave", "blvd", "rd", "vol", "ch", "sec", "al", "cf", "ca",
    "plc", "llc", "ag", "sa", "nv", "bn", "mn", "n.v", "s.a", "ph.d", "m.d", "b.a", "m.a",
}
_BOUNDARY = re.compile(r"[.!?…]+[\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9$€£])")
_BULLET = re.compile(r"^\s*(?:[-•*·▪◦–—]|\d{1,2}[.)]|\(?[a-z][.)])\s+")


def split_sentences(text: str) -> list[Sentence]:
    """Sentences as spans of `text`; headings, list items and table rows are their own units."""
    out: list[Sentence] = []
    pos = 0
    for line_no, line in enumerate(text.split("\n")):
        lstart = pos
        pos += len(line) + 1
        stripped = line.strip()
        if not stripped:
            continue
        offset = lstart + (len(line) - len(line.lstrip()))
        if stripped.count("|") >= 2:
            kind = "table"
        elif _BULLET.match(line):
            kind = "list"
        elif len(stripped.split()) <= 14 and not re.search(r"[.!]\W*$", stripped) and not re.search(r"[.!?]\s", stripped):
            kind = "heading"
        else:
            kind = "text"
        if kind == "table":
            out.append(Sentence(offset, offset + len(stripped), line_no, kind))
            continue
        s = offset
        first = True
        for m in _BOUNDARY.finditer(text, offset, offset + len(stripped)):
            cut = m.start()
            word = re.search(r"([A-Za-z][A-Za-z.]*)$", text[s:cut])
            if word:
                w = word.group(1).lower()
                if w.rstrip(".") in _ABBREV or len(w) == 1 and text[cut - 1].isupper():
                    continue
            end = m.end()
            while end > cut and text[end - 1].isspace():
                end -= 1
            out.append(Sentence(s, end, line_no, kind, first))
            first = False
            s = m.end()
        if s < offset + len(stripped):
            out.append(Sentence(s, offset + len(stripped), line_no, kind, first))
    return out


# ---------------------------------------------------------------- names (subject candidates)

_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9’'&.\-]*[A-Za-z0-9]|[A-Za-z0-9]")
_NOT_NAMES = {
    "the", "a", "an", "this", "that", "these", "those", "it", "its", "we", "our", "i", "my", "me",
    "you", "your", "he", "she", "his", "her", "they", "their", "there", "here", "in", "on", "at",
    "for", "from", "with", "by", "as", "and", "but", "or", "if", "when", "while", "after",
    "before", "during", "over", "under", "about", "around", "more", "most", "some", "all",
    "each", "every", "according", "despite", "instead", "however", "yet", "also", "why",
    "what", "how", "who", "where", "which", "key", "main", "quick", "tip", "explanation",
    "note", "reports", "recent", "possible", "final", "thoughts", "meanwhile", "still",
    "since", "until", "although", "though", "because", "so", "then", "now", "today", "having",
    "once", "both", "many", "much", "several", "other", "another", "one", "two", "three",
    "first", "second", "third", "last", "next", "new", "like", "just", "only", "even", "not",
    "no", "yes", "let", "see", "read", "share", "click", "subscribe", "sign", "join", "ready",
    "looking", "beyond", "within", "without", "between", "among", "into", "onto", "upon",
    "across", "per", "via", "than", "of", "to", "up", "down", "out", "off", "be", "is", "are",
    "was", "were", "has", "have", "had", "will", "would", "can", "could", "may", "might",
    "should", "must", "did", "does", "do", "said", "says", "industry", "companies", "company",
    "power", "cooling", "storage", "interconnect", "capacity", "location", "purpose", "gpus",
    "count", "software", "stack", "market", "cost", "dynamics", "utilization", "background",
    "introduction", "conclusion", "overview", "summary", "update", "updated", "source",
    "sources", "references", "related", "advertisement", "home", "news", "posts", "deep",
    "dive", "stats", "snapshot", "metric", "value", "scale", "agreement", "deal", "partnership",
    "technical", "architecture", "strategic", "energy", "efficiency", "sustainability",
    "performance", "benchmarks", "use", "case", "future", "plans", "growing", "competition",
    "rising", "massive", "large-scale", "expansion", "enterprise", "higher", "faster",
    "closer", "designed", "uses", "supports", "located", "featuring", "built", "original",
    "afternoon", "consider", "personal", "reflections", "long-term",
    "outlook", "trends", "expert", "opinions", "critiques", "data", "center", "centre",
}
_MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december", "monday", "tuesday", "wednesday",
           "thursday", "friday", "saturday", "sunday"}
_ACRONYMS = {
    "AI", "GPU", "GPUs", "CPU", "CPUs", "TPU", "TPUs", "HBM", "HBM3", "HBM3e", "NVMe", "PUE",
    "LLM", "LLMs", "API", "APIs", "CEO", "CTO", "CFO", "COO", "IPO", "RDMA", "HPC", "IT", "SLA",
    "SLAs", "ASIC", "ASICs", "FPGA", "TB", "GB", "PB", "MW", "GW", "kW", "OS", "RAM", "SSD",
    "SSDs", "HDD", "HDDs", "SAS", "RLHF", "ML", "MBA", "EV", "LCOE", "O&M", "CUDA", "JSON",
    "TWh", "GWh", "MWh", "Gbps", "AGI", "SaaS", "IaaS", "PaaS", "FAQ", "PDF", "TV", "PR",
    "NVL72", "DGX", "HGX", "SXM", "SXM5", "PCIe", "ESG", "GDP", "EPS", "YoY", "QoQ", "H1", "H2",
    "Q1", "Q2", "Q3", "Q4", "FY", "UPS", "LEO",
}
_MODEL_TOKEN = re.compile(r"^(?:[A-Z]{1,4}\d{1,4}[A-Za-z]{0,3}|\d+[A-Za-z]+\d*)$")
_FACILITY_NOUNS = ("supercomputer", "supercluster", "cluster", "data center", "datacenter",
                   "data centre", "campus", "site", "facility", "plant", "fab", "computer",
                   "system", "hub", "complex", "megacluster")
_GENERIC_SUBJECTS = {"campus", "site", "facility", "project", "building", "cluster", "plant",
                     "data center", "system", "supercomputer", "deal", "company", "center",
                     "process", "expansion", "phase", "unit", "tier", "capacity", "power",
                     "window", "improvement", "increase", "reduction", "boost", "jump"}


@dataclass
class _Name:
    text: str
    start: int
    end: int


def _known_caps(text: str, sents: list[Sentence]) -> set[str]:
    """Words written capitalised somewhere not at a sentence start: names, not sentence openers."""
    known: set[str] = set()
    for st in sents:
        if st.kind == "heading":
            continue
        toks = list(_TOKEN.finditer(text, st.start, st.end))
        for m in toks[1:]:
            w = re.sub(r"(?:[’']s)?\.?$", "", m.group(0))
            if w[:1].isupper() and text[max(st.start, m.start() - 2):m.start()].strip() not in (":", "-", "•", "*", "“", "\""):
                known.add(w.lower())
    return known


def _starts_name(text: str, end: int, word: str, nxt: str) -> bool:
    """Is an unknown sentence-initial capitalised word the start of a name?

    "Colossus 1 features", "Lone Star AI was", "Nvidia reported": yes;
    "Waste heat", "Allows Anthropic", "Fill out": no.
    """
    gap = text[end:end + 1]
    if gap != " " or not nxt:
        return False
    if re.fullmatch(r"\d{1,3}", nxt):
        return not re.match(r"\s*\d{1,3}\s*(?:%|MW|GW|GPUs?|million|billion|percent)", text[end:end + 16])
    if word.lower().endswith(("s", "ing", "ed", "ly")):
        return False
    if nxt[:1].isupper():
        return True
    return bool(re.fullmatch(r"(?:said|says|reported|reports|announced|announces|expects|plans|"
                             r"raised|raises|agreed|signed|has|had|is|was|will|would|posted|"
                             r"builds|built|operates|employs|bought|buys|sold|sells|owns|runs)", nxt))


def _names(text: str, s: int, e: int, first_in_sentence: bool = True,
           known_caps: set[str] | None = None) -> list[_Name]:
    """Capitalised names in text[s:e] ("Colossus 1", "SpaceX", "Anthropic-Google Cloud")."""
    names: list[_Name] = []
    toks = [(m.start() + s, m.end() + s, m.group(0)) for m in _TOKEN.finditer(text[s:e])]
    paren_depth_at: dict[int, int] = {}
    depth = 0
    for i, ch in enumerate(text[s:e]):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        paren_depth_at[i + s] = depth
    cur: list[tuple[int, int, str]] = []

    def flush() -> None:
        if cur:
            # drop trailing connectors
            while cur and cur[-1][2].lower() in ("of", "&", "and"):
                cur.pop()
            if cur:
                names.append(_Name(text[cur[0][0]:cur[-1][1]], cur[0][0], cur[-1][1]))
        cur.clear()

    for idx, (a, b, w) in enumerate(toks):
        poss = False
        wb = w
        for suf in ("’s", "'s", "’", "'"):
            if wb.endswith(suf) and len(wb) > len(suf) + 1:
                wb = wb[: -len(suf)]
                b = a + len(wb)
                poss = True
                break
        wb = wb.rstrip(".")
        b = a + len(wb)
        gap = text[cur[-1][1]:a] if cur else ""
        sentence_initial = idx == 0 and first_in_sentence
        is_cap = bool(re.match(r"[A-Z]", wb)) or bool(re.match(r"[a-z]+[A-Z]", wb))
        ok = (
            is_cap
            and paren_depth_at.get(a, 0) == 0
            and wb.lower() not in _MONTHS
            and wb not in _ACRONYMS
            and not _MODEL_TOKEN.match(wb)
            and not (sentence_initial and (wb.lower() in _NOT_NAMES or wb.lower().endswith(("ing", "ly", "ed"))))
            and not (sentence_initial and known_caps is not None and wb.lower() not in known_caps
                     and not re.match(r"[a-z]+[A-Z]", wb) and not wb.isupper()
                     and not _starts_name(text, b, wb, toks[idx + 1][2] if idx + 1 < len(toks) else ""))
            and wb.lower() not in ("the", "a", "an", "i", "we", "it", "this", "that")
            and not re.search(r"[’'](?:ve|m|re|ll|d|t)$", w)
            and len(wb) > 1
        )
        if ok and cur and gap not in (" ", "-", "–", " & ", " of ", "–", " - "):
            flush()
        if ok:
            cur.append((a, b, wb))
        elif cur and wb.isdigit() and len(wb) <= 3 and gap == " " and not re.match(
                r"\s*(?:%|MW|GW|kW|GB|TB|PB|GPUs?|million|billion|percent|megawatts?)\b", text[b:b + 12]):
            cur.append((a, b, wb))  # "Colossus 1"
            flush()
            continue
        elif cur and wb.lower() in ("of", "&") and gap == " ":
            cur.append((a, b, wb))
            continue
        else:
            flush()
        if poss:
            flush()
    flush()
    # a name made only of stop-listed words is no name
    return [n for n in names if not all(t.lower() in _NOT_NAMES for t in n.text.replace("-", " ").split())]


def _norm(name: str) -> str:
    return re.sub(r"[\s\-–]+", " ", name.strip(" “”\"'’")).lower()


# ---------------------------------------------------------------- attributes and scope

_MONEY_ATTRS: list[tuple[str, str]] = [
    ("valuation", r"valu(?:ed|ation|ing)|worth of the company|post-money|pre-money"),
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
                "compute_performance", "area", "server_count", "rack_count", "water_use"}

_SCOPE_EACH = re.compile(r"\b(?:each|every)\b(?:\s+\S+){0,3}\s*$", re.I)
_SCOPE_EACH_AFTER = re.compile(r"^\s*(?:each|apiece|a piece|per (?!cent\b|year\b|annum\b|month\b|day\b)\w+)\b", re.I)
_SCOPE_BY = re.compile(
    r"\b(?:by|through|until|before)\s+(?:the\s+)?(?:end\s+of\s+|end-|mid-|early\s+|late\s+|the\s+end\s+of\s+)?"
    r"(?P<y>(?:19|20)\d{2}|year-end|year end|the decade|the end of the decade)\b", re.I)
_SCOPE_PLANNED = re.compile(
    r"\b(?:will|would|won't|plans?|planned|planning|expects?|expected|expecting|aims?|aiming|intends?|"
    r"proposed?|proposes|targets?|targeting|eventually|could|may|might|once\s+(?:complete|completed|"
    r"finished|fully)|when\s+complete|at\s+full\s+build-?out|under\s+construction|set\s+to|slated|"
    r"forecasts?|projected|projects\s+to|future|upcoming|goal|ambition|envisions?|seeks?\s+to|to\s+be\s+built)\b",
    re.I)
_SCOPE_CUMULATIVE = re.compile(
    r"\b(?:cumulative(?:ly)?|in\s+total|to\s+date|so\s+far|since\s+(?:launch|inception|its\s+founding)|all-time|"
    r"altogether|lifetime)\b", re.I)


def _attribute(q: Quantity, unit: str, context: str, label: str, q_offset: int = 0) -> str:
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
        return "area"
    if unit in ("m", "mi", "ft", "in", "yd", "nmi"):
        return "length"
    if unit in ("L", "gal"):
        return "water_use" if "water" in ctx else "volume"
    if unit in ("kg", "lb", "oz", "ton"):
        return "mass"
    if unit in ("s", "minute", "hour", "day", "week", "month", "year"):
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


def _scope(text: str, sent: Sentence, q: Quantity) -> str:
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
    by = _SCOPE_BY.search(after) or _SCOPE_BY.search(before)
    if by:
        y = by.group("y").lower()
        return f"by {y}" if y[:2] in ("19", "20") else "by year-end" if "year" in y else "by end of decade"
    if _SCOPE_PLANNED.search(before) or re.match(r"\s*(?:planned|proposed|expected)\b", after):
        return "planned"
    if _SCOPE_CUMULATIVE.search(before) or _SCOPE_CUMULATIVE.search(after):
        return "cumulative"
    return ""


# ---------------------------------------------------------------- the document pass

def _facility_tags(text: str, sents: list[Sentence]) -> tuple[Counter, Counter, set[str]]:
    mentions: Counter = Counter()
    facility: Counter = Counter()
    known: set[str] = set()
    for st in sents:
        names = _names(text, st.start, st.end, True)
        for n in names:
            key = _norm(n.text)
            mentions[key] += 1
            if st.kind in ("text", "list", "table") and n.start > st.start + 1:
                known.add(key)
            after = text[n.end:min(st.end, n.end + 40)].lower()
            before = text[max(st.start, n.start - 30):n.start].lower()
            if re.match(r"[”\"’']?\s*(?:\w+\s+){0,2}(?:" + "|".join(_FACILITY_NOUNS) + r")\b", after) \
                    or re.search(r"(?:known as|called|dubbed|named)\s*[“\"']?$", before) \
                    or re.match(r"[”\"’']?\s*,?\s*(?:is|was)\s+(?:\w+[\s,]+){0,6}(?:" + "|".join(_FACILITY_NOUNS) + r")", after):
                if not re.match(r"[’']s\b", text[n.end:n.end + 2]):
                    facility[key] += 1
    return mentions, facility, known


def extract_claims(text: str) -> list[Claim]:
    """All numeric claims in `text`, in text order. Never raises on odd input."""
    if not text or not text.strip():
        return []
    sents = split_sentences(text)
    masks = mask_non_quantities(text)
    mentions, facility, known = _facility_tags(text, sents)
    caps = _known_caps(text, sents)
    focus = ""
    if facility:
        focus_key = max(facility, key=lambda k: (facility[k] > 0, mentions[k], facility[k]))
        focus = focus_key
    display: dict[str, str] = {}
    claims: list[Claim] = []
    context_name = ""  # from the last heading or list lead-in
    context_from_lead = False
    prev_line = -1
    line_names: list[list[_Name]] = []
    for st in sents:
        label = ""
        body_start = st.start
        lm = re.match(r"\s*(?:[-•*·▪◦–—]\s*)?([A-Z][A-Za-z0-9 &/\-’']{1,40}?):\s", text[st.start:st.end])
        if lm and st.first_in_line and st.kind != "table":
            label = lm.group(1)
            body_start = st.start + lm.end()
        bm = _BULLET.match(text, body_start) if st.kind == "list" else None
        if bm:
            body_start = bm.end()
        names = _names(text, body_start, st.end, True, caps)
        if st.kind == "heading":
            names = [n for n in names if _norm(n.text) in known]
        for n in names:
            display.setdefault(_norm(n.text), n.text)
        if st.line != prev_line:
            line_names = []
            prev_line = st.line
            if st.kind != "list" and not st.kind == "heading" and context_from_lead:
                context_name = ""
                context_from_lead = False
        qs = find_quantities(text, st.start, st.end, masks)
        cells: list[tuple[int, int]] = []
        if st.kind == "table":
            p = st.start
            for cell in text[st.start:st.end].split("|"):
                cells.append((p, p + len(cell)))
                p += len(cell) + 1
        for q in qs:
            if q.start >= q.end:
                continue
            subject = ""
            row_label = ""
            if cells:
                nonempty = [(a, b) for a, b in cells if text[a:b].strip()]
                if nonempty and not (nonempty[0][0] <= q.start < nonempty[0][1]):
                    a, b = nonempty[0]
                    row_label = text[a:b].strip()
                    rl_names = _names(text, a, b, True)
                    if rl_names:
                        subject = rl_names[0].text
            sentence_text = text[st.start:st.end]
            ctx_lo = max(st.start, q.start - 120)
            context = text[ctx_lo:min(st.end, q.end + 60)]
            unit = q.unit
            if row_label and not unit:
                from .quantities import _count_chunk  # noqa: PLC0415 - small internal reuse
                cc = _count_chunk(" " + row_label, 0, len(row_label) + 1)
                if cc:
                    unit = cc[1]
                    q.is_count = True
            attribute = _attribute(q, unit, context, label or row_label, q.start - ctx_lo)
            infra = attribute in _INFRA_ATTRS
            # subject: adjectival quantity -> the noun it modifies ("a 10 MW solar canopy")
            if not subject:
                am = re.match(r"[ \-]([a-z][a-z\-]+(?: [a-z][a-z\-]+)?)\b", text[q.end:st.end])
                pre = text[max(st.start, q.start - 6):q.start].lower()
                hyphen_count = q.is_count and text[q.num_end:q.num_end + 1] == "-"
                if am and (re.search(r"\b(?:a|an|the|its|their|his|her)\s*$", pre) and not q.is_count or hyphen_count):
                    words = []
                    for k, w in enumerate(am.group(1).split()):
                        if w in _CHUNK_STOP or k == 1 and w.endswith("s") and not w.endswith("ss"):
                            break
                        words.append(w)
                    phrase = " ".join(words)
                    if words and words[-1] not in _GENERIC_SUBJECTS and phrase not in _GENERIC_SUBJECTS \
                            and words[0] not in ("year", "years", "month", "day"):
                        subject = phrase
            if not subject:
                spans = [(x.start, x.end) for x in qs]
                free = [n for n in names if not any(a <= n.start < b for a, b in spans)]
                clause_lo = body_start
                for m in re.finditer(r"[;:(]|,(?!\d)|\s[—–]\s", text[body_start:q.start]):
                    clause_lo = body_start + m.end()
                in_clause = [n for n in free if clause_lo <= n.start and n.end <= q.start]
                opening = [n for n in free if n.end <= q.start and len(text[body_start:n.start].split()) <= 2]
                if in_clause:
                    subject = in_clause[-1].text
                elif opening:
                    subject = opening[0].text
            if not subject:
                for prev in reversed(line_names):
                    if not prev:
                        continue
                    fac = [n for n in prev if facility.get(_norm(n.text))]
                    if fac or not infra:
                        subject = (fac[0] if fac else prev[0]).text
                    break
            if not subject and context_name and (st.kind == "list" or st.first_in_line):
                subject = context_name
            if not subject and focus and attribute in _INFRA_ATTRS:
                subject = display.get(focus, focus)
            if not subject:
                after_names = [n for n in names if n.start >= q.end]
                if after_names:
                    subject = after_names[0].text
            claims.append(Claim(
                value=q.value, unit=unit, surface=text[q.start:q.end], qualifier=q.qualifier,
                low=q.low, high=q.high, subject=subject.strip(" “”\"'’"), attribute=attribute,
                sentence=sentence_text, start=q.start, end=q.end, scope=_scope(text, st, q),
                raw_value=q.raw_value, raw_unit=q.raw_unit,
            ))
        line_names.append(names)
        # headings and list lead-ins set the context for what follows
        if st.kind == "heading":
            fac = [n for n in names if facility.get(_norm(n.text))]
            context_name = (fac[0] if fac else names[0]).text if names else ""
            context_from_lead = False
        elif st.kind == "text" and text[st.start:st.end].rstrip().endswith(":"):
            lead = [n for sn in line_names for n in sn]
            fac = [n for n in lead if facility.get(_norm(n.text))]
            if fac or lead:
                context_name = (fac[0] if fac else lead[0]).text
                context_from_lead = True
    return claims
