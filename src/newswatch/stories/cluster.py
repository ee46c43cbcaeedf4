"""Online clustering of articles into stories: pure functions over plain dataclasses.

An arriving article is compared with the stories of its time window (the store selects them;
the benchmark keeps them in memory) and either joins the best one or starts a new story.

Why not the embedding alone: a sentence embedding says what *kind* of event a text is about.
Two supermarket fires, two Oscar-host announcements, or two data-center openings in one week
embed almost alike. What tells the events apart is the evidence they do not share: the names
(people, companies, places), the numbers (26 pirates vs 23, 300 MW vs 1 GW) and the time (the
years a text mentions; the store's time window). So the score of an article against a story is

    score = cos(embedding, story centroid)
          + entity_weight * cos(entity profile)      # tf-weighted capitalised names
          + number_weight * cos(number profile)      # the figures a text states
          - year_weight   * [the years mentioned are disjoint]
          + term_weight   * cos(word profile)        # rare-word weighted bag of words

The word profile is the lexical view of the whole text (lower-cased content words, sublinear
tf times :func:`general_idf`, the word's rarity in general English): a sentence embedding
reads only the lead and blurs details, names miss the lower-case details ("magnitude",
"villagers", "goalkeeper"), and a rare word shared by two reports (a village, a victim, a
team) is strong evidence while a topic word ("earthquake") weighs little. The IDF comes from
a general corpus (the wordfreq package) rather than from the stored articles so an article's
features never change with what was stored before it and need no corpus-wide state.

and the article joins the best-scoring candidate when the score reaches ``threshold`` (and the
embedding cosine reaches ``min_cosine``: a shared name alone never joins unrelated texts).
The weights and thresholds were chosen on the dev topics of the ECB+ corpus, by running this
very code (benchmarks/cluster_ecbplus.py; how, and the figures, are in the README). Years
count only against a story: reports of one time window share the current year, so agreement
says nothing. The profiles are sums of per-article unit vectors, so a story's
profile is dominated by what most of its reports say, not by one article's background.

Entity extraction is deliberately light (regular expressions, no model download): a word is a
name when it is capitalised, not a stop word, and not also used in lower case in the same text
("Fire" in a headline vs "fire" in the body). Sentence-initial words count only when the same
word also appears capitalised mid-sentence; abbreviations right after a figure ("120 MW",
"100,000 GPUs") are units or counted things, not names.

Merges: a story that grows may turn out to be the same event as another story started before
the evidence was in (e.g. two stories both seeded by short wire items). When an article clears
the threshold of a second story too, :func:`story_score` compares the two stories as wholes
with the same formula and, above ``merge_threshold``, the younger story is folded into the
older (whose id users have seen stays). Merging on story similarity alone, without such a
bridging article, chains same-kind events together.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import numpy as np

StoryId = int | str
ArticleId = int | str

# Words that are capitalised for grammar, not because they name something. Month and day
# names are time, not identity: two events a week apart share them.
_STOP = frozenset(
    """
a an the and or but if of in on at to for from by with as is was are were be been being this
that these those it its he she they we you i his her their our my your who what when where
why how which there here then than so not no yes all any some more most many much such
monday tuesday wednesday thursday friday saturday sunday january february march april may june
july august september october november december jan feb mar apr jun jul aug sep sept oct nov
dec mr mrs ms dr prof sir st said says say according after before while during also however
meanwhile today yesterday tomorrow tonight one two three four five six seven eight nine ten
first second third new last next another other update updated published posted read more
click share email comments photo video image getty am pm gmt est edt pst pdt utc bst ist ap
""".split()
)

_WORD = re.compile(r"[^\W\d_](?:[\w'’.&-]*\w)?")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])[\"”'’)]?\s+|\n+")
_NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w])|(?<![\w.,:])\d+(?:\.\d+)?(?![\w:])")
_MEASURE = re.compile(r"\d[\d,.]*\s?-?([A-Z][A-Za-z]{0,3}|[A-Z]{2,}[a-z]?s)\b")
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-9]\d)\b")

PROFILE_CAP = 60  # keep a story's entity/number profiles bounded (the top weights)
TERM_CAP = 200  # the same for a story's word profile
IDF_CEILING = 8.0  # Zipf frequency at or above which a word carries no weight


# --------------------------------------------------------------------------- features


@dataclass(frozen=True)
class Evidence:
    """What a text says that tells one event from another of the same kind.

    ``entities`` and ``numbers`` are unit-length sparse vectors (name -> weight, sublinear
    term frequency); ``years`` are the years the text mentions.
    """

    entities: Mapping[str, float] = field(default_factory=dict)
    numbers: Mapping[str, float] = field(default_factory=dict)
    years: frozenset[int] = frozenset()
    terms: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class ArticleFeatures:
    """An article as the clustering sees it."""

    id: ArticleId
    embedding: np.ndarray  # float32, L2-normalised
    title: str = ""
    evidence: Evidence = field(default_factory=Evidence)
    published: datetime | None = None


@dataclass
class StoryState:
    """A story as the clustering sees it; what the store keeps between runs.

    ``centroid`` is the mean of the member embeddings (not normalised, so adding an article
    is ``(centroid * size + v) / (size + 1)``). ``entities``/``numbers`` are sums of the
    members' unit evidence vectors; ``years`` counts the members mentioning each year.
    """

    id: StoryId | None
    centroid: np.ndarray
    size: int = 1
    entities: dict[str, float] = field(default_factory=dict)
    numbers: dict[str, float] = field(default_factory=dict)
    years: Counter[int] = field(default_factory=Counter)
    terms: dict[str, float] = field(default_factory=dict)
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    members: list[ArticleId] = field(default_factory=list)

    @functools.cached_property
    def direction(self) -> np.ndarray:
        """The unit-length centroid, for cosine similarity.

        Cached: ranking compares an article with hundreds of stories, and every change to a
        story makes a new StoryState (``dataclasses.replace``), so a cache never goes stale.
        """
        norm = float(np.linalg.norm(self.centroid))
        return self.centroid / norm if norm > 0 else self.centroid


@dataclass(frozen=True)
class ClusterParams:
    """Weights and thresholds of the decision; the defaults are the measured ones."""

    entity_weight: float = 2.4
    number_weight: float = 1.56
    year_weight: float = 0.7
    term_weight: float = 2.0
    threshold: float = 2.4
    merge_threshold: float = 3.6
    min_cosine: float = 0.3  # below this embedding similarity, shared names alone never join
    candidates: int = 5  # rescore only the top-k stories by embedding similarity
    # The store's time window around an article's date. A month: follow-ups that revise a
    # figure (an order expanded, a toll revised) come weeks after the first reports, and the
    # score above separates same-kind events without any window (ECB+ is scored in one window).
    window_days: float = 30.0
    min_split: int = 3  # regroup: each half of a split story has at least this many articles
    regroup_rounds: int = 3  # regroup: passes of the move step (it stops early when stable)
    neighbours: int = 10  # regroup: nearest stories looked at around each touched story


def _clean_word(word: str) -> str:
    word = re.sub(r"['’]s$", "", word)
    return word.strip(".'’-&").lower()


def extract_entities(title: str, text: str) -> Counter[str]:
    """Occurrence counts of the capitalised names in a headline and text (lower-cased)."""
    lowercase_words = {w for w in _WORD.findall(text) if w[0].islower()}
    lowercase_words = {_clean_word(w) for w in lowercase_words}
    # Abbreviations right after a figure are units or counted things ("120 MW", "100,000
    # GPUs"), not names: every report of every event in one field uses them.
    measures = {_clean_word(m.group(1)) for m in _MEASURE.finditer(f"{title}\n{text}")}
    lowercase_words |= measures
    mid: Counter[str] = Counter()
    initial: Counter[str] = Counter()
    for sentence in _SENTENCE_SPLIT.split(text):
        for position, word in enumerate(_WORD.findall(sentence)):
            if not word[0].isupper():
                continue
            name = _clean_word(word)
            if len(name) < 2 or name in _STOP or name in lowercase_words:
                continue
            (initial if position == 0 else mid)[name] += 1
    counts = Counter(mid)
    for name, n in initial.items():
        if name in mid:
            counts[name] += n
    title_words = _WORD.findall(title)
    sentence_case = sum(1 for w in title_words if w[0].islower() and len(w) > 3) >= 2
    for position, word in enumerate(title_words):
        if not word[0].isupper():
            continue
        name = _clean_word(word)
        if len(name) < 2 or name in _STOP or name in lowercase_words:
            continue
        if name in mid or (sentence_case and position > 0):
            counts[name] += 1
    return counts


def extract_numbers(text: str) -> tuple[Counter[str], frozenset[int]]:
    """The figures a text states (normalised strings, years and 0-9 left out) and its years."""
    numbers: Counter[str] = Counter()
    years: set[int] = set()
    for match in _NUMBER.finditer(text):
        raw = match.group().replace(",", "")
        if _YEAR.fullmatch(raw):
            years.add(int(raw))
            continue
        try:
            value = float(raw)
        except ValueError:
            continue
        if value < 10 and "." not in raw:
            continue  # counts like "two" or "3" are everywhere
        numbers[f"{value:g}"] += 1
    return numbers, frozenset(years)


def _unit(counts: Mapping[str, float]) -> dict[str, float]:
    weights = {k: 1.0 + math.log(v) for k, v in counts.items() if v > 0}
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {k: w / norm for k, w in weights.items()} if norm else {}


def extract_evidence(
    title: str | None, text: str | None, idf: Callable[[str], float] | None = None
) -> Evidence:
    """The event-telling evidence of an article (see the module docstring).

    ``idf`` weighs the words of the lexical profile; the default is :func:`general_idf`.
    """
    title = title or ""
    text = text or ""
    numbers, years = extract_numbers(f"{title}\n{text}")
    return Evidence(
        entities=_unit(extract_entities(title, text)),
        numbers=_unit(numbers),
        years=years,
        terms=_weighted_unit(extract_terms(title, text), idf or general_idf),
    )


@functools.lru_cache(maxsize=200_000)
def general_idf(word: str) -> float:
    """How rare ``word`` is in general English: 8 minus its Zipf frequency, at least 0.

    The Zipf frequency (wordfreq: log10 of occurrences per billion words over Wikipedia,
    news, books, subtitles and the web) makes an inverse document frequency that needs no
    corpus of our own and does not drift with what the monitor has stored: "the" (7.7)
    weighs almost nothing, "earthquake" (4.2) is a topic word, while a victim's name, a
    town or a team (below 3, or unknown: 8) are the details that tell one event from
    another of the same kind.
    """
    from wordfreq import zipf_frequency

    return max(0.0, IDF_CEILING - zipf_frequency(word, "en"))


_TERM = re.compile(r"[^\W\d_][^\W_]*(?:['’-][^\W\d_]+)*")


def extract_terms(title: str, text: str) -> Counter[str]:
    """Lower-cased content words of headline and text (the headline counted twice)."""
    counts: Counter[str] = Counter()
    for part, times in ((title, 2), (text, 1)):
        for word in _TERM.findall(part):
            w = re.sub(r"['’]s$", "", word.lower())
            if len(w) > 2 and w not in _STOP:
                counts[w] += times
    return counts


def _weighted_unit(counts: Mapping[str, float], idf: Callable[[str], float]) -> dict[str, float]:
    weights = {k: (1.0 + math.log(v)) * idf(k) for k, v in counts.items() if v > 0}
    weights = {k: w for k, w in weights.items() if w > 0}
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {k: w / norm for k, w in weights.items()} if norm else {}


# --------------------------------------------------------------------------- scoring


def _cosine(vector: Mapping[str, float], profile: Mapping[str, float]) -> float:
    if not vector or not profile:
        return 0.0
    norm = math.sqrt(sum(w * w for w in profile.values()))
    if norm == 0:
        return 0.0
    if len(vector) > len(profile):
        vector, profile = profile, vector
    return sum(w * profile.get(k, 0.0) for k, w in vector.items()) / norm


def _main_years(years: Counter[int]) -> set[int]:
    if not years:
        return set()
    top = max(years.values())
    return {y for y, n in years.items() if n >= top / 2}


def _year_agreement(years: Iterable[int], story_years: Counter[int]) -> float:
    """-1 when the article and the story mention disjoint years, else 0.

    Only disagreement is evidence: reports in one time window mostly mention the same
    current year, so rewarding agreement would just lower the threshold for everything.
    """
    years = set(years)
    main = _main_years(story_years)
    if not years or not main:
        return 0.0
    return 0.0 if years & main else -1.0


def score(article: ArticleFeatures, story: StoryState, params: ClusterParams) -> float:
    """How strongly ``article`` belongs to ``story`` (higher is more; see module docstring)."""
    cosine = float(np.dot(article.embedding, story.direction))
    return _combine(cosine, article.evidence, story, params)


def _combine(
    cosine: float, evidence: Evidence, story: StoryState, params: ClusterParams
) -> float:
    total = cosine
    if params.entity_weight:
        total += params.entity_weight * _cosine(evidence.entities, story.entities)
    if params.number_weight:
        total += params.number_weight * _cosine(evidence.numbers, story.numbers)
    if params.year_weight:
        total += params.year_weight * _year_agreement(evidence.years, story.years)
    if params.term_weight:
        total += params.term_weight * _cosine(evidence.terms, story.terms)
    return total


def rank(
    article: ArticleFeatures, candidates: Sequence[StoryState], params: ClusterParams
) -> list[tuple[float, StoryState]]:
    """Candidates scored and sorted best first.

    Only the ``params.candidates`` stories closest by embedding are rescored with the
    evidence: the embedding is cheap to compare in one matrix product and is a good recall
    filter, the evidence is the precise but slower part.
    """
    # Stories of another embedding model (the configured model changed) are not comparable.
    candidates = [s for s in candidates if s.centroid.shape == article.embedding.shape]
    if not candidates:
        return []
    matrix = np.stack([s.direction for s in candidates])
    cosines = matrix @ article.embedding
    top = np.argsort(-cosines)[: max(1, params.candidates)]
    scored = [
        (_combine(float(cosines[k]), article.evidence, candidates[k], params), candidates[k])
        for k in top
        if cosines[k] >= params.min_cosine
    ]
    scored.sort(key=lambda pair: -pair[0])
    return scored


def assign(
    article: ArticleFeatures, candidates: Sequence[StoryState], params: ClusterParams
) -> StoryId | None:
    """The id of the story ``article`` joins, or None when it starts a new story."""
    ranked = rank(article, candidates, params)
    if ranked and ranked[0][0] >= params.threshold:
        return ranked[0][1].id
    return None


# --------------------------------------------------------------------------- state updates


def _add_vector(total: dict[str, float], vector: Mapping[str, float], scale: float = 1.0) -> None:
    for k, w in vector.items():
        total[k] = total.get(k, 0.0) + w * scale


def _summed(a: Mapping[str, float], b: Mapping[str, float], cap: int = PROFILE_CAP) -> dict[str, float]:
    """A new profile: ``a`` plus ``b``, capped to its strongest ``cap`` entries."""
    total = dict(a)
    _add_vector(total, b)
    return _cap(total, cap)


def _cap(profile: dict[str, float], cap: int = PROFILE_CAP) -> dict[str, float]:
    if len(profile) <= cap:
        return profile
    return dict(sorted(profile.items(), key=lambda kv: -kv[1])[:cap])


def _earliest(a: datetime | None, b: datetime | None) -> datetime | None:
    return min(a, b) if a and b else a or b


def _latest(a: datetime | None, b: datetime | None) -> datetime | None:
    return max(a, b) if a and b else a or b


def new_story(article: ArticleFeatures, story_id: StoryId | None = None) -> StoryState:
    """A story holding just ``article``."""
    return StoryState(
        id=story_id,
        centroid=np.asarray(article.embedding, dtype=np.float32).copy(),
        size=1,
        entities=dict(article.evidence.entities),
        numbers=dict(article.evidence.numbers),
        years=Counter(article.evidence.years),
        terms=_cap(dict(article.evidence.terms), TERM_CAP),
        first_seen=article.published,
        last_seen=article.published,
        members=[article.id],
    )


def add_article(story: StoryState, article: ArticleFeatures) -> StoryState:
    """``story`` with ``article`` added (a new object; the input is not changed)."""
    size = story.size + 1
    centroid = (story.centroid * story.size + article.embedding) / size
    years = Counter(story.years)
    years.update(article.evidence.years)
    return replace(
        story,
        centroid=centroid.astype(np.float32),
        size=size,
        entities=_summed(story.entities, article.evidence.entities),
        numbers=_summed(story.numbers, article.evidence.numbers),
        years=years,
        terms=_summed(story.terms, article.evidence.terms, TERM_CAP),
        first_seen=_earliest(story.first_seen, article.published),
        last_seen=_latest(story.last_seen, article.published),
        members=[*story.members, article.id],
    )


def remove_article(story: StoryState, article: ArticleFeatures) -> StoryState:
    """``story`` without ``article`` (the inverse of :func:`add_article`; a new object).

    Used to score a member against the rest of its story (leave one out) without rebuilding
    the story. Profiles are capped, so an entry the cap dropped is simply not subtracted;
    entries that fall to about zero are removed. The time span is kept (a leave-one-out score
    does not look at it); regroup rebuilds changed stories from their members.
    """
    if story.size <= 1:
        raise ValueError("cannot remove the only article of a story")
    size = story.size - 1
    centroid = (story.centroid * story.size - article.embedding) / size
    years = Counter(story.years)
    years.subtract(article.evidence.years)
    return replace(
        story,
        centroid=centroid.astype(np.float32),
        size=size,
        entities=_without(story.entities, article.evidence.entities),
        numbers=_without(story.numbers, article.evidence.numbers),
        years=+years,
        terms=_without(story.terms, article.evidence.terms),
        members=[m for m in story.members if m != article.id],
    )


def _without(profile: Mapping[str, float], vector: Mapping[str, float]) -> dict[str, float]:
    total = dict(profile)
    for k, w in vector.items():
        if k in total:
            left = total[k] - w
            if left > 1e-6:
                total[k] = left
            else:
                del total[k]
    return total


def build_story(articles: Sequence[ArticleFeatures], story_id: StoryId | None = None) -> StoryState:
    """A story made of ``articles``, added in the given order."""
    if not articles:
        raise ValueError("a story needs at least one article")
    story = new_story(articles[0], story_id)
    for article in articles[1:]:
        story = add_article(story, article)
    return story


def story_score(a: StoryState, b: StoryState, params: ClusterParams) -> float:
    """The article/story score applied to two stories (symmetric)."""
    cosine = float(np.dot(a.direction, b.direction))
    total = cosine
    if params.entity_weight:
        total += params.entity_weight * _cosine(_unit_profile(a.entities), b.entities)
    if params.number_weight:
        total += params.number_weight * _cosine(_unit_profile(a.numbers), b.numbers)
    if params.year_weight:
        total += params.year_weight * _year_agreement(_main_years(a.years), b.years)
    if params.term_weight:
        total += params.term_weight * _cosine(_unit_profile(a.terms), b.terms)
    return total


def _unit_profile(profile: Mapping[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(w * w for w in profile.values()))
    return {k: w / norm for k, w in profile.items()} if norm else {}


def find_merges(
    story: StoryState, candidates: Sequence[StoryState], params: ClusterParams
) -> list[tuple[StoryState, StoryState, float]]:
    """Stories among ``candidates`` that are the same event as ``story``.

    Returns ``(from_story, into_story, score)`` triples, best first: the younger story (later
    ``first_seen``, then larger id) is folded into the older one so that the id users have
    already seen survives.
    """
    merges = []
    for other in candidates:
        if other.id == story.id:
            continue
        value = story_score(story, other, params)
        if value >= params.merge_threshold:
            older, younger = sorted((story, other), key=_age_key)
            merges.append((younger, older, value))
    merges.sort(key=lambda m: -m[2])
    return merges


def _age_key(story: StoryState) -> tuple[Any, ...]:
    first = story.first_seen.isoformat() if story.first_seen else ""
    return (first == "", first, str(type(story.id)), story.id)


def merge_stories(into: StoryState, other: StoryState) -> StoryState:
    """``into`` with every member and all evidence of ``other`` folded in."""
    size = into.size + other.size
    centroid = (into.centroid * into.size + other.centroid * other.size) / size
    return replace(
        into,
        centroid=centroid.astype(np.float32),
        size=size,
        entities=_summed(into.entities, other.entities),
        numbers=_summed(into.numbers, other.numbers),
        years=into.years + other.years,
        terms=_summed(into.terms, other.terms, TERM_CAP),
        first_seen=_earliest(into.first_seen, other.first_seen),
        last_seen=_latest(into.last_seen, other.last_seen),
        members=[*into.members, *other.members],
    )


@dataclass
class Placement:
    """The outcome of placing one article (see :func:`place`).

    ``story`` is the article's story after the update (and after any merges); ``merges``
    lists ``(from_story, into_story, score)`` as they were before merging; ``removed`` are
    the ids of stories folded away.
    """

    story: StoryState
    created: bool
    score: float | None
    merges: list[tuple[StoryState, StoryState, float]] = field(default_factory=list)

    @property
    def removed(self) -> list[StoryId | None]:
        return [m[0].id for m in self.merges]


def place(
    article: ArticleFeatures,
    candidates: Sequence[StoryState],
    params: ClusterParams,
    new_id: StoryId | None = None,
) -> Placement:
    """Place one article: join the best story or start one (``new_id``), then merge.

    This is the whole online decision; the product (stories.py, candidates from the store's
    time window) and the benchmark (candidates from memory) both call it.
    """
    ranked = rank(article, candidates, params)
    if not ranked or ranked[0][0] < params.threshold:
        best = ranked[0][0] if ranked else None
        return Placement(new_story(article, new_id), created=True, score=best)
    value, chosen = ranked[0]
    current = add_article(chosen, article)
    merges: list[tuple[StoryState, StoryState, float]] = []
    # A merge needs a bridge: the new article also clears the threshold of another story,
    # and the two stories, compared as wholes, clear the (higher) merge threshold. Merging
    # on story similarity alone was measured to chain same-kind events together.
    for other_value, other in ranked[1:]:
        if other_value < params.threshold:
            break
        merge_value = story_score(current, other, params)
        if merge_value < params.merge_threshold:
            continue
        older, younger = sorted((current, other), key=_age_key)
        merges.append((younger, older, merge_value))
        current = merge_stories(older, younger)
    return Placement(current, created=False, score=value, merges=merges)


def representative_title(
    members: Sequence[tuple[str, np.ndarray]], centroid: np.ndarray | None = None
) -> str:
    """The headline of the member closest to the story's centroid.

    The most central report is the one that best says what the story is about; an outlier
    headline (an opinion piece, a follow-up) is less likely to be picked than by "first" or
    "longest". Members without a headline are skipped; ties go to the earlier member.
    """
    titled = [(t.strip(), np.asarray(v, dtype=np.float32)) for t, v in members if t and t.strip()]
    if not titled:
        return ""
    if centroid is None:
        centroid = np.mean([v for _, v in titled], axis=0)
    direction = centroid / (np.linalg.norm(centroid) or 1.0)
    best = max(range(len(titled)), key=lambda i: (float(titled[i][1] @ direction), -i))
    return titled[best][0]


# --------------------------------------------------------------------------- serialisation


def profile_to_json(story: StoryState) -> dict[str, Any]:
    """The evidence part of a story, as a JSON-able dict for the store."""
    return {
        "entities": {k: round(v, 5) for k, v in story.entities.items()},
        "numbers": {k: round(v, 5) for k, v in story.numbers.items()},
        "years": {str(k): v for k, v in story.years.items()},
        "terms": {k: round(v, 5) for k, v in story.terms.items()},
    }


def profile_from_json(
    data: Mapping[str, Any] | None,
) -> tuple[dict, dict, Counter[int], dict]:
    """Inverse of :func:`profile_to_json`: (entities, numbers, years, terms).

    Stories stored before the word profile existed read back with an empty one; their
    next member starts it.
    """
    data = data or {}
    years: Counter[int] = Counter({int(k): int(v) for k, v in (data.get("years") or {}).items()})
    return (dict(data.get("entities") or {}), dict(data.get("numbers") or {}), years,
            dict(data.get("terms") or {}))
