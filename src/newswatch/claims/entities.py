"""Who or what a number is about: names, descriptions and pronouns, resolved across sentences.

frames.py finds the numbers and what they measure; this module decides the *subject*. News
introduces a thing once ("Microsoft on Thursday unveiled Fairwater, a new AI datacenter") and
then refers to it as "the facility", "it", "the company" or "the Redmond-based company", often
with a second company in passing. Subjects decide which claims the discrepancy check compares,
so a wrong subject is a missed or a false discrepancy.

For each sentence `SubjectResolver.mentions` lists the *mentions*: capitalised names, product
model names (B300, "GB300 NVL72", "TPU v5p"), definite descriptions ("the facility", "the French
startup", "the round") and "it"/"its". Each is typed facility, org, product or place, marked
when it is a place ("in Louisiana") or a possessor ("Microsoft's 3.3 GW Fairwater site"), and
resolved to an entity:

* a facility description -> the facility mentioned last (or the article's main facility);
* a company description -> the company an appositive named so ("Crusoe, the developer,"), a
  company sharing a word with it ("the AI company" -> "Mistral AI"), or the article's topic
  company (its most mentioned, with a bonus for the lead sentence's subject);
* "it"/"its" -> the sentence's subject, or the previous sentence's.

`SubjectResolver.subject` then picks, for one quantity: a restated figure keeps the subject of
the figure it restates; the noun it modifies ("a 10 MW solar canopy", "the 3.3 GW Fairwater
site"); the target it is spent on or measured on ("$4 billion in a second datacenter",
"192 GB on the B200"); the nearest mention before it in its clause; the sentence's subject; the
subject carried from earlier sentences (a facility for facility measures); the heading or list
lead-in above; and, for facility measures, the article's main facility.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .counts import CHUNK_STOP

if TYPE_CHECKING:
    from .quantities import Quantity
    from .sentences import Sentence

__all__ = ["Mention", "SubjectResolver", "modified_noun", "names_in", "norm_name"]

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
_COMMON_POSSESSORS = {"today", "yesterday", "tomorrow", "year", "week", "month", "everyone",
                      "nobody", "world", "nation", "country", "industry", "company", "city",
                      "state", "region", "market", "sector", "it", "that", "there", "what", "here",
                      "let", "who", "he", "she"}
_NAME_VERBS = re.compile(
    r"said|says|reported|reports|announced|announces|expects|plans|raised|raises|agreed|signed|has|"
    r"had|is|was|will|would|can|could|may|might|should|must|posted|builds|built|operates|employs|"
    r"employed|bought|buys|sold|sells|owns|runs|ran|covers|spans|sits|draws|houses|holds|uses|"
    r"wants|aims|hopes|seeks|intends|now|also|already|still|just|ended|ends|unveiled|unveils|"
    r"opened|opens|launched|launches|released|releases|acquired|acquires|invested|invests|"
    r"committed|commits|secured|secures|closed|closes|filed|files|cut|cuts|laid|lays|hired|"
    r"hires|leases|leased|ships|shipped|supplies|supplied|offers|offered|makes|made|delivers|"
    r"delivered|provides|provided|won|lost|paid|pays|spent|spends|became|becomes|remains|ranks|"
    r"tops|topped|leads|led|began|begins|started|starts|completed|completes|chose|picked|"
    r"partnered|joined|added|adds|declined|denied|confirmed|confirms|estimated|estimates|"
    r"forecast|forecasts|projected|projects|generates|generated|produces|produced|consumes|"
    r"consumed|needs|needed|got|gets|took|takes|gave|gives|received|receives|landed|won|"
    r"became|grew|grows|rose|rises|fell|falls|doubled|tripled|reached|reaches|hit|hits|"
    r"crossed|passed|surpassed|exceeded|exceeds|counts|lists|listed|valued|values|priced|"
    r"prices|charges|charged|struck|inked|signs|agrees|reportedly|recently|previously|first|"
    r"itself|alone|too")
_DEMONYMS = {
    "american", "european", "french", "german", "chinese", "japanese", "korean", "british",
    "indian", "taiwanese", "israeli", "canadian", "swiss", "dutch", "swedish", "norwegian",
    "saudi", "emirati", "irish", "spanish", "italian", "australian", "brazilian", "mexican",
    "finnish", "danish", "belgian", "polish", "singaporean", "malaysian", "indonesian",
    "vietnamese", "thai", "arab", "texan", "californian", "nordic", "asian", "african",
    "western", "eastern", "northern", "southern", "russian", "ukrainian", "turkish", "qatari",
    "kuwaiti", "south", "north", "us", "u.s.", "uk", "eu",
}
_ADJ_SUFFIXES = ("-based", "-headquartered", "-born", "-listed", "-backed", "-owned")
# Role words that stand before a name at a sentence start ("Rival Lambda", "Chipmaker Nvidia").
_DESCRIPTORS = {
    "rival", "rivals", "competitor", "peer", "partner", "customer", "supplier", "startup",
    "start-up", "chipmaker", "chip", "designer", "neocloud", "hyperscaler", "developer",
    "operator", "utility", "investor", "lender", "regulator", "analyst", "analysts", "former",
    "fellow", "parent", "owner", "subsidiary", "giant", "firm", "lab", "maker", "provider",
    "manufacturer", "builder", "landlord", "tenant", "buyer", "seller", "miner", "cloud",
    "retailer", "insurer", "broker", "bank", "automaker", "carmaker", "memory", "foundry",
}
_APPOSITIVE_FACILITY = re.compile(
    r"[”\"’']?\s*,\s+(?:a|an|the|its|their|[A-Z][\w.&\-]*['’]s)\s+(?:[\w\-]+\s+){0,4}?(?:"
    + "|".join(("supercomputer", "supercluster", "cluster", "data center", "datacenter", "data centre",
                "campus", "site", "facility", "plant", "fab", "hub", "complex", "megacluster",
                "station", "reactor", "project", "system", "machine", "computer")) + r")\b", re.I)

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
        # a word that opens a sentence as a name once ("Microsoft said") is a name at every
        # sentence start ("Microsoft on Thursday unveiled")
        if toks and st.kind != "heading":
            first = toks[0]
            w = re.sub(r"(?:[’']s)?\.?$", "", first.group(0))
            if w[:1].isupper() and w.lower() not in _NOT_NAMES and _starts_name(
                    text, first.start() + len(w), w, toks[1].group(0) if len(toks) > 1 else ""):
                known.add(w.lower())
    return known


def _starts_name(text: str, end: int, word: str, nxt: str) -> bool:
    """Is an unknown sentence-initial capitalised word the start of a name?

    "Colossus 1 features", "Lone Star AI was", "Nvidia reported", "Oracle's", "Crusoe, the
    developer,", "Oracle, which": yes; "Waste heat", "Allows Anthropic", "Fill out": no.
    """
    after = text[end:end + 40]
    if re.match(r"[’']s\b", after):
        return word.lower() not in _COMMON_POSSESSORS
    if re.match(r",\s+(?:which|who|whose|the|a|an|its|their|one of|based|headquartered|founded|"
                r"backed|owned|led|by comparison|meanwhile|however|too|[A-Z][\w.&\-]*[’']s)\b", after):
        return not word.lower().endswith(("ly", "ing", "ed"))
    gap = text[end:end + 1]
    if gap != " " or not nxt:
        return False
    if re.match(r"\s+(?:on|last|this|late|early|earlier)\s+(?:[A-Z][a-z]+day|week|month|year|quarter|"
                r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)", after):
        return not word.lower().endswith(("ly", "ing", "ed", "s"))  # "Microsoft on Thursday unveiled"
    if re.fullmatch(r"\d{1,3}", nxt):
        return not re.match(r"\s*\d{1,3}\s*(?:%|MW|GW|GPUs?|million|billion|percent)", text[end:end + 16])
    if word.lower().endswith(("s", "ing", "ed", "ly")):
        return False
    if nxt[:1].isupper():
        return True
    return bool(_NAME_VERBS.fullmatch(nxt))


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
    poss_prev = False

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
                     and not re.match(r"[A-Z][a-z]+[A-Z]", wb)
                     and not _starts_name(text, b, wb, toks[idx + 1][2] if idx + 1 < len(toks) else ""))
            and wb.lower() not in ("the", "a", "an", "i", "we", "it", "this", "that")
            and not re.search(r"[’'](?:ve|m|re|ll|d|t)$", w)
            and len(wb) > 1
        )
        if not ok and cur and wb == "AI" and gap == " " and not poss_prev:
            ok = True  # "Mistral AI", "Lone Star AI": a company name ending in AI
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
        poss_prev = poss
    flush()
    # a name made only of stop-listed words, nationalities or "-based" words is no name
    return [n for n in names
            if not all(t.lower() in _NOT_NAMES for t in n.text.replace("-", " ").split())
            and not all(t.lower() in _DEMONYMS or t.lower().endswith(_ADJ_SUFFIXES) for t in n.text.split())
            and not re.fullmatch(r"[A-Z][A-Za-z]*-[a-z]+", n.text)]  # "AI-ready", "GPU-rich"


def _norm(name: str) -> str:
    return re.sub(r"[\s\-–]+", " ", name.strip(" “”\"'’")).lower()




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
                    or _APPOSITIVE_FACILITY.match(text, n.end, st.end) \
                    or re.search(r"(?:known as|called|dubbed|named)\s*[“\"']?$", before) \
                    or re.match(r"[”\"’']?\s*,?\s*(?:is|was)\s+(?:\w+[\s,]+){0,6}(?:" + "|".join(_FACILITY_NOUNS) + r")", after):
                if not re.match(r"[’']s\b", text[n.end:n.end + 2]):
                    facility[key] += 1
    return mentions, facility, known




_TITLE_AFTER = re.compile(
    r",\s+(?:the\s+|a\s+|an\s+|its\s+|their\s+)?(?:[\w\-]+\s+){0,3}?(?:chief|ceo|cfo|cto|coo|president|"
    r"chairman|chairwoman|director|analyst|founder|co-founder|partner|head|vice|professor|spokesperson|"
    r"spokesman|spokeswoman|executive|economist|researcher|engineer|manager|officer|secretary|"
    r"minister|senator|governor|mayor|commissioner)\b", re.I)
_SAID_BEFORE = re.compile(r"\b(?:said|says|according\s+to|told|wrote|estimates?|Mr\.|Ms\.|Mrs\.|Dr\.)\s+$")


def _people(text: str, sents: list[Sentence], caps: set[str]) -> set[str]:
    """Names of people in the article, which are never what a number is about.

    News names a person in full once ("Tunde Adeyemi, an analyst at...") and then by surname
    ("Adeyemi estimates..."); people also come with a title or after "said".
    """
    people: set[str] = set()
    full: list[list[str]] = []
    for st in sents:
        for n in _names(text, st.start, st.end, True, caps):
            toks = n.text.split()
            if _TITLE_AFTER.match(text, n.end) or _SAID_BEFORE.search(text[max(st.start, n.start - 16):n.start]) \
                    or re.match(r"\s+(?:said|says|told|wrote)\b", text[n.end:n.end + 8]) and len(toks) == 2:
                if len(toks) in (2, 3) and all(t[:1].isupper() and t[1:].islower() for t in toks):
                    people.add(_norm(n.text))
                    full.append([t.lower() for t in toks])
    for toks in full:
        people.add(toks[-1])  # the surname alone, later on
    return people


def names_in(text: str, s: int, e: int, known_caps: set[str] | None = None) -> list[_Name]:
    """Public wrapper of the name finder (table row labels, tests)."""
    return _names(text, s, e, True, known_caps)


def norm_name(name: str) -> str:
    return _norm(name)


# Nouns a quantity can modify without being what the claim is about: "an 11% stake",
# "a $6.6bn round", "a 20-year deal", "a 300-megawatt expansion".
_RELATIONAL = {"stake", "share", "shares", "round", "valuation", "deal", "agreement", "contract",
               "investment", "increase", "decrease", "rise", "drop", "fall", "gain", "jump", "cut",
               "premium", "discount", "margin", "growth", "loan", "bond", "offering", "raise",
               "funding", "order", "commitment", "upgrade", "plan", "program", "programme",
               "budget", "target", "goal", "fund", "package", "price", "fee", "rate", "lead",
               "majority", "minority", "partnership", "lease", "term", "record", "total", "sum",
               "amount", "figure", "estimate", "forecast", "guidance", "charge", "bill", "tax",
               "credit", "grant", "subsidy", "payment", "return", "profit", "loss", "revenue"}


def modified_noun(text: str, q: Quantity, st: Sentence) -> str:
    """The lowercase noun an adjectival quantity modifies: "a 10 MW solar canopy" -> "solar canopy".

    Only concrete things: generic facility words ("a 1 GW campus": the campus is the article's
    subject, found otherwise) and relational nouns ("an 11% stake") are not subjects.
    """
    am = re.match(r"[ \-]([a-z][a-z\-]+(?: [a-z][a-z\-]+)?)\b", text[q.end:st.end])
    pre = text[max(st.start, q.start - 6):q.start].lower()
    hyphen_count = q.is_count and text[q.num_end:q.num_end + 1] == "-"
    if not am or not (re.search(r"\b(?:a|an|the|its|their|his|her)\s*$", pre) and not q.is_count or hyphen_count):
        return ""
    words = []
    for k, w in enumerate(am.group(1).split()):
        if w in CHUNK_STOP or k == 1 and w.endswith("s") and not w.endswith("ss"):
            break
        words.append(w)
    phrase = " ".join(words)
    ordinal = len(words) == 2 and words[0] in ("first", "second", "third", "fourth", "initial", "final")
    if words and (words[-1] not in _GENERIC_SUBJECTS and phrase not in _GENERIC_SUBJECTS or ordinal) \
            and words[-1] not in _RELATIONAL and words[0] not in ("year", "years", "month", "day"):
        return phrase  # "a 10 MW solar canopy", "the 200 MW first building"
    return ""


# ---------------------------------------------------------------- mentions

_PRODUCT_RX = re.compile(
    r"(?<![\w\-/$€£])(?:"
    r"(?:TPU|Gaudi|Trainium|Inferentia|Maia|Cobalt|Ascend|Axion|Graviton)\s?v?\d+[a-z]?"
    r"|(?!(?:FY|CY|Q[1-4]|H[12])\d)[A-Z]{1,4}\d{2,4}[A-Z]{0,3}[a-z]?(?:\s+(?:NVL|SXM|PCIe|HGX|DGX|Ultra|Max|Pro)\d*\b)?"
    r")(?![\w\-])")
# "investing €1.3 billion in Mistral AI", "a stake in Nebius": "in" names a company, not a place
_INVESTED_IN = re.compile(r"(?:\binvest\w*|\bstake|\binterest|\bshares?|\bposition|\bholding|\bpartnership"
                          r"|[$€£¥]\s?\d[\d.,]*\s*(?:[bm]n|billion|million|trillion|[bmk])?)\s+in\s+(?:the\s+)?$",
                          re.I)
# Places that are never companies: US states, countries, regions (a gazetteer, not a tuned list).
_PLACES = set("""
alabama alaska arizona arkansas california colorado connecticut delaware florida georgia hawaii
idaho illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan
minnesota mississippi missouri montana nebraska nevada ohio oklahoma oregon pennsylvania
rhode island carolina dakota tennessee texas utah vermont virginia washington wisconsin wyoming
new hampshire new jersey new mexico new york north carolina south carolina north dakota
south dakota west virginia rhode island
us usa u.s. america united states canada mexico brazil argentina chile colombia peru uk britain
england scotland wales ireland france germany spain portugal italy netherlands belgium
switzerland austria sweden norway denmark finland iceland poland czechia hungary romania
greece turkey russia ukraine israel saudi arabia uae qatar kuwait bahrain oman egypt morocco
nigeria kenya south africa india pakistan bangladesh china taiwan hong kong japan korea
south korea north korea singapore malaysia indonesia thailand vietnam philippines australia
new zealand europe asia africa latin america middle east gulf nordics scandinavia
silicon valley
""".replace("\n", " ").split()) | {
    "rhode island", "new hampshire", "new jersey", "new mexico", "new york", "north carolina",
    "south carolina", "north dakota", "south dakota", "west virginia", "united states",
    "saudi arabia", "south africa", "hong kong", "south korea", "north korea", "new zealand",
    "latin america", "middle east", "silicon valley", "united kingdom", "european union"}


def _is_place(key: str) -> bool:
    toks = key.split()
    if len(toks) >= 2 and toks[-1] in ("county", "city", "parish", "township", "province", "prefecture",
                                       "district", "borough", "valley", "state", "region", "metro"):
        return True  # "Storey County", "Loudoun County", "Quebec City"
    return key in _PLACES or (len(toks) == 2 and toks[1] in _PLACES and toks[0] in (
        "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
        "southeast", "southwest", "northeast", "northwest"))


_FACILITY_IN = re.compile(r"\b(?:data\s+cent(?:er|re)s?|datacenters?|campus|site|facility|plant|fab|cluster)"
                          r"\s+(?:in|near|outside)\s+$", re.I)
_LOCATIVE_BEFORE = re.compile(r"\b(?:in|near|outside|across|throughout|around|into|via|beside|inside)\s+(?:the\s+)?$", re.I)
_ORG_HEADS = ("company", "firm", "startup", "start-up", "chipmaker", "group", "developer", "provider",
              "operator", "utility", "lab", "giant", "hyperscaler", "maker", "designer", "business",
              "lender", "neocloud", "manufacturer", "supplier", "builder", "corporation",
              "conglomerate", "landlord", "miner", "foundry", "automaker", "insurer", "bank")
_EVENT_HEADS = ("round", "deal", "agreement", "transaction", "financing", "offering", "raise",
                "acquisition", "contract", "partnership", "investment")
_FAC_HEADS = ("facility", "site", "campus", "plant", "data center", "datacenter", "data centre",
              "cluster", "supercomputer", "supercluster", "complex", "fab", "station", "hub",
              "project", "building", "development", "megacluster", "reactor", "machine", "system")
_ANAPHOR_RX = re.compile(
    r"\b(?:[Tt]he|[Tt]his|[Tt]hat)\s+(?P<mods>(?:[\w’'\-]+\s+){0,3}?)(?P<head>"
    + "|".join(sorted(_ORG_HEADS + _EVENT_HEADS + _FAC_HEADS, key=len, reverse=True))
    + r")\b(?!-)(?!\s+(?:side|industry|market|sector|business|space|segment|team|operators?|developers?|"
      r"boom|demand|construction|sites|campuses|projects|world|level|model|builders?|owners?|deals?)\b)")
_PRONOUN_RX = re.compile(r"\b(?:[Ii]t|[Ii]ts)\b(?![’']s\b)")
_APPOSITIVE_ORG = re.compile(
    r"\s*,\s+(?:the|a|an|its|their)\s+(?:[\w\-]+\s+){0,3}?(?P<head>" + "|".join(_ORG_HEADS) + r")\b")
# A figure restating the one before it: "€11.7 billion, or about $13.7 billion", "300 MW (0.3 GW)".
_RESTATES = re.compile(r"\s*(?:,\s*or|\(|,\s*i\.e\.,?|,\s*equivalent to|, or roughly|—)\s*$")
_TARGET_RX = re.compile(r"\s+(?:of\s+[\w\- ]{1,30}?\s+)?(?:in|into|on|for|at)\s+(?:the|a|an|its|this|their)?\s*$")
_INDEF_FACILITY = re.compile(
    r"\s+(?:in|into|on|for)\s+(?:a|an)\s+(?P<np>(?:[a-z][\w\-]*\s+){0,2}(?:"
    + "|".join(_FAC_HEADS) + r"))\b")
_MONEY_UNITS_ATTRS = {"investment", "cost", "amount", "funding", "deal_value", "price"}
_SPEC_ATTRS = {"memory", "storage", "bandwidth", "compute_performance", "power"}


@dataclass
class Mention:
    """Something a sentence talks about, resolved to the entity it names."""

    text: str  # the entity, as displayed ("Fairwater", "Microsoft", "B300")
    start: int
    end: int
    kind: str  # name | product | anaphor | event | pronoun
    etype: str  # facility | org | product | place | unknown
    possessor: bool = False
    locative: bool = False
    object_modifier: bool = False  # a possessive inside an object, never a clause's subject


class SubjectResolver:
    """One document's entities, and the state carried from sentence to sentence."""

    def __init__(self, text: str, sents: list[Sentence]) -> None:
        self.text = text
        self.caps = _known_caps(text, sents)
        self.mention_counts, self.facility, self.known = _facility_tags(text, sents)
        for key in [k for k in self.facility if _is_place(k)]:
            del self.facility[key]
        self.focus = ""
        if self.facility:
            self.focus = max(self.facility, key=lambda k: (self.facility[k] > 0, self.mention_counts[k],
                                                           self.facility[k]))
        self.display: dict[str, str] = {}
        self.descriptors: dict[str, str] = {}
        self.people = _people(text, sents, self.caps)
        self.places: set[str] = set()
        for st in sents:
            for n in _names(text, st.start, st.end, True, self.caps):
                before = text[max(st.start, n.start - 60):n.start]
                if _LOCATIVE_BEFORE.search(before[-20:]) and not _INVESTED_IN.search(before) \
                        and not _FACILITY_IN.search(before):
                    self.places.add(_norm(n.text))
        self.orgs: Counter = Counter()
        self._scan(sents)
        self.last_subject: Mention | None = None
        self.last_line = -1
        self.line = -1
        self.last_facility = ""
        self.prev_facility = ""  # a facility named in the previous sentence

    # -- document pass
    def _scan(self, sents: list[Sentence]) -> None:
        lead_done = False
        for st in sents:
            names = _names(self.text, st.start, st.end, True, self.caps)
            if st.kind == "heading":
                names = [n for n in names if _norm(n.text) in self.known]
            for n in names:
                key = _norm(n.text)
                self.display.setdefault(key, n.text)
                if self._etype_of_name(n, st.start) != "org":
                    continue
                self.orgs[key] += 1
                am = _APPOSITIVE_ORG.match(self.text, n.end, st.end)
                if am:
                    self.descriptors.setdefault(am.group("head").lower(), key)
                if not lead_done and st.kind == "text":
                    self.orgs[key] += 2  # the lead sentence's subject is the article's topic
                    lead_done = True
            if names and st.kind == "text":
                lead_done = True

    def _etype_of_name(self, n: _Name, lo: int) -> str:
        key = _norm(n.text)
        if _is_place(key):
            return "place"  # "SpaceX's Texas data center": Texas is where, not what
        if key in self.people:
            return "person"
        if n.text.isupper() and len(n.text) > 3 and re.match(r",\s+(?:[A-Z][a-z]{2}\.?\s+\d|[A-Z][a-z]+\s+\d)",
                                                             self.text[n.end:n.end + 16]):
            return "place"  # a dateline: "SEATTLE, May 11 (Compass Wire) -"
        if self.facility.get(key):
            return "facility"
        if key in self.places:
            return "place"  # "the company's campus in Cheyenne" makes "Including Cheyenne," a place
        before = self.text[max(lo, n.start - 60):n.start]
        if _LOCATIVE_BEFORE.search(before[-20:]) and not _INVESTED_IN.search(before):
            return "place"
        return "org"

    def topic_org(self) -> str:
        if not self.orgs:
            return ""
        key = max(self.orgs, key=lambda k: self.orgs[k])
        return self.display.get(key, key)

    def _resolve_org_description(self, mods: str, head: str) -> str:
        head = head.lower()
        if head in self.descriptors:
            key = self.descriptors[head]
            return self.display.get(key, key)
        words = {w.lower() for w in re.findall(r"[A-Za-z][\w\-]+", mods)}
        for key in sorted(self.orgs, key=lambda k: -self.orgs[k]):
            toks = set(key.split())
            if words & toks:
                return self.display.get(key, key)  # "the AI company" -> "Mistral AI"
        return self.topic_org()

    # -- sentence pass
    def mentions(self, st: Sentence, body_start: int, q_spans: list[tuple[int, int]]) -> list[Mention]:
        """The mentions of one sentence, in order, resolved against what came before."""
        text = self.text
        out: list[Mention] = []
        names = _names(text, body_start, st.end, True, self.caps)
        if st.kind == "heading":
            names = [n for n in names if _norm(n.text) in self.known]
        for n in names:
            toks = n.text.split()
            if n.start == body_start and len(toks) > 1 and toks[0].lower() in _DESCRIPTORS:
                cut = n.text.index(toks[1])  # "Rival Lambda" -> "Lambda"
                n = _Name(n.text[cut:], n.start + cut, n.end)
            key = _norm(n.text)
            self.display.setdefault(key, n.text)
            et = self._etype_of_name(n, st.start)
            out.append(Mention(self.display[key], n.start, n.end, "name", et, locative=et == "place"))
        for m in _PRODUCT_RX.finditer(text, body_start, st.end):
            if not any(x.start <= m.start() < x.end for x in out):
                out.append(Mention(m.group(0), m.start(), m.end(), "product", "product"))
        for m in _ANAPHOR_RX.finditer(text, body_start, st.end):
            if any(m.start() <= x.start < m.end() for x in out):
                continue  # "the Stargate site": the name speaks for itself
            head = m.group("head").lower()
            if head in _FAC_HEADS:
                ent = self.last_facility or self.display.get(self.focus, self.focus)
                out.append(Mention(ent, m.start(), m.end(), "anaphor", "facility"))
            elif head in _EVENT_HEADS:
                out.append(Mention(self.topic_org(), m.start(), m.end(), "event", "org"))
            else:
                out.append(Mention(self._resolve_org_description(m.group("mods"), head), m.start(), m.end(),
                                   "anaphor", "org"))
        for m in _PRONOUN_RX.finditer(text, body_start, st.end):
            out.append(Mention("", m.start(), m.end(), "pronoun", "unknown"))
        out = [x for x in out if not any(a <= x.start < b for a, b in q_spans)]
        out.sort(key=lambda x: x.start)
        for i, x in enumerate(out):
            # "Google's data center in Council Bluffs": a facility known by its town
            if x.kind == "name" and x.locative and not _is_place(_norm(x.text)) and _FACILITY_IN.search(
                    text[max(body_start, x.start - 40):x.start]) and not (
                    i and out[i - 1].etype == "facility" and out[i - 1].end >= x.start - 40):
                x.locative, x.etype = False, "facility"
        # possessors ("Microsoft's 3.3 GW Fairwater site") and place chains ("Abilene, Texas")
        for i, x in enumerate(out):
            if re.match(r"[’']s?\b", text[x.end:x.end + 2]) and i + 1 < len(out):
                if len(text[x.end:out[i + 1].start].split()) <= 4 and out[i + 1].kind != "pronoun":
                    x.possessor = True
            if i and out[i - 1].locative and re.fullmatch(r",\s*", text[out[i - 1].end:x.start]):
                x.locative = True
                x.etype = "place"
            if x.kind == "name" and re.search(r"\b(?:a|an)\s+$", text[max(body_start, x.start - 4):x.start]) \
                    and re.match(r"\s+[a-z]", text[x.end:x.end + 2]):
                x.locative = True  # "a San Francisco artificial-intelligence developer": a modifier
            if x.etype == "person":
                x.locative = True  # people state numbers; they are not what the numbers are about
        for i, x in enumerate(out):
            nxt = out[i + 1] if i + 1 < len(out) else None
            if nxt is not None and nxt.kind == "name" and re.fullmatch(
                    r"(?:[’']s)?\s+[a-z][\w\-]*(?:\s+[a-z][\w\-]*){0,2},\s+", text[x.end:nxt.start]) \
                    and text[nxt.end:nxt.end + 1] == ",":
                x.possessor = True  # "Its parent, Southern Company, plans...": the appositive names it
            elif i and re.match(r"[’']s\s+\w", text[x.end:x.end + 4]) and not x.possessor:
                x.object_modifier = True  # "...supplies most of Nvidia's HBM and holds 60%"
        subject = None
        for x in out:
            if x.kind == "pronoun":
                ref = subject or self.last_subject
                if ref is not None:
                    x.text, x.etype = ref.text, ref.etype
            if subject is None and not x.locative and not x.possessor and x.text:
                subject = x
        return [x for x in out if x.text]

    def end_sentence(self, mentions: list[Mention], line: int = -1) -> None:
        subject = next((x for x in mentions if not x.locative and not x.possessor), None)
        if subject is not None:
            self.last_subject = subject
            self.last_line = line
        facs = [x.text for x in mentions if x.etype == "facility"]
        self.prev_facility = facs[-1] if facs else ""
        if facs:
            self.last_facility = facs[-1]

    # -- one quantity
    def subject(self, q: Quantity, st: Sentence, body_start: int, mentions: list[Mention],
                attribute: str, infra: bool, prev: tuple[Any, str] | None) -> str:
        """The subject of quantity `q` (see the module docstring for the order of the rules)."""
        text = self.text
        if prev is not None and _RESTATES.search(text[prev[0].end:q.start]):
            return prev[1]
        after = [x for x in mentions if x.start >= q.end]
        before = [x for x in mentions if x.end <= q.start]
        # the thing the quantity modifies: "the 3.3 GW Fairwater site", "a GB300 NVL72 rack's 135 kW"
        if after and re.fullmatch(r"[\s\-]*", text[q.end:after[0].start]) and after[0].etype in ("facility", "product") \
                and re.search(r"(?:\b(?:a|an|the|its|their)|[’']s)\s*$", text[max(st.start, q.start - 12):q.start]):
            return after[0].text
        # what the figure is spent on or measured on: "$4 billion in a second datacenter", "192 GB on the B200"
        if attribute in _MONEY_UNITS_ATTRS or attribute in _SPEC_ATTRS:
            im = _INDEF_FACILITY.match(text, q.end, st.end)
            if im and attribute in _MONEY_UNITS_ATTRS:
                return im.group("np")
            for x in after[:1]:
                want = ("facility",) if attribute in _MONEY_UNITS_ATTRS else ("product", "facility")
                if x.etype in want and _TARGET_RX.fullmatch(text[q.end:x.start]):
                    return x.text
        # the nearest mention before it in its clause
        clause_lo = body_start
        for m in re.finditer(r"[;:(]|,(?!\d)|\s[—–]\s", text[body_start:q.start]):
            clause_lo = body_start + m.end()
        if re.match(r"\s*(?:a|an|the|its)\s+[^,;]*?\b(?:that|which|who)\b", text[clause_lo:q.start]):
            heads = [x for x in before if x.end <= clause_lo and re.fullmatch(r"[’']?\s*,\s*", text[x.end:clause_lo])]
            if heads and heads[-1].kind == "name" and not heads[-1].locative:
                return heads[-1].text
        in_clause = [x for x in before if x.start >= clause_lo and not x.locative and not x.possessor]
        if len(in_clause) > 1:
            in_clause = [x for x in in_clause if not x.object_modifier] or in_clause[:1]
        if in_clause:
            x = in_clause[-1]
            if x.kind == "event":
                return self._event_subject(after)
            return x.text
        # the sentence's subject
        opening = [x for x in before if not x.locative and not x.possessor]
        if opening:
            x = opening[0]
            return self._event_subject(after) if x.kind == "event" else x.text
        if before and all(x.possessor for x in before if not x.locative):
            poss = [x for x in before if x.possessor]
            if poss:
                return poss[-1].text
        # carried over from the sentences before: a facility named in the previous sentence for a
        # facility measure; otherwise the last subject, within the same paragraph only
        last = self.last_subject if self.last_line == st.line else None
        if infra and self.prev_facility and (last is None or last.etype not in ("facility", "product")):
            return self.prev_facility
        if last is not None and (not infra or last.etype in ("facility", "product")):
            return last.text
        return ""

    def _event_subject(self, after: list[Mention]) -> str:
        """'The round, which totals €1.7 billion, values the AI company at...': the company."""
        for x in after:
            if x.etype == "org" and not x.locative:
                return x.text
        return self.topic_org()


def resolve_story_entities(names: list[str]) -> dict[str, str]:
    """Map every entity name used by a story's claims to one canonical name for that story, so
    "xAI's Colossus", "Colossus 1" and "the Memphis supercomputer" meet when the story says they
    are one thing. Names it cannot tie together map to their own normal form."""
    return {n: norm_name(n) for n in names}
