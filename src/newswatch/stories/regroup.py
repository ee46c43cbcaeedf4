"""Second thoughts after a batch: split stories that hold two events, move misplaced articles.

Why: online placement (cluster.place) decides with what it has seen so far. An early short
report can join the story of a sibling event (same kind of event, same place, same actors)
while that story holds one or two articles; later reports of *both* events then join the mixed
story, whose blended profile now fits both, and nothing in online placement undoes it. So
after each batch the stories the batch touched are reconsidered, with the same score as
placement:

1. **Split.** A story's members are divided in two: 2-means on the placement score, seeded by
   the two members whose embeddings are least alike, each member scored against each half
   without itself. If the halves, compared as stories (cluster.story_score), score below the
   merge threshold, i.e. they would never have been merged had they arrived as two stories,
   the story is split. Both halves need ``min_split`` members: a single odd member is the
   move step's job. The half holding the story's earliest article keeps the id users have
   seen; the other half becomes a new story. Halves are split again while they qualify.
2. **Move.** Each member of a touched story is scored against its own story without itself
   (leave one out) and against the other stories of its time window. It moves when another
   story scores higher and clears the join threshold. A story left empty by moves is recorded
   as merged into the story its last article went to.

Everything here is pure: the stage (stage.py) loads the stories of the neighbourhood
(:func:`neighbourhood`) with their members, and writes back what changed. The split threshold
is the merge threshold; ``min_split`` was chosen on the ECB+ dev topics (figures in the README).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np

from .cluster import (
    ArticleFeatures,
    ClusterParams,
    StoryId,
    StoryState,
    add_article,
    build_story,
    rank,
    remove_article,
    score,
    story_score,
)

SPLIT_ITERATIONS = 8


@dataclass(frozen=True)
class Move:
    """One article leaving its story: ``reason`` is "split" or "better fit"."""

    article_id: int | str
    from_story: StoryId
    into_story: StoryId
    reason: str
    score: float


@dataclass
class Regrouping:
    """What :func:`regroup` changed.

    ``stories`` holds the new state of every story that changed (split halves under the ids
    ``new_id`` gave them); ``emptied`` maps a story left without members to the story its
    last article went to.
    """

    stories: dict[StoryId, StoryState] = field(default_factory=dict)
    moves: list[Move] = field(default_factory=list)
    emptied: dict[StoryId, StoryId] = field(default_factory=dict)
    new_ids: list[StoryId] = field(default_factory=list)


def split_members(
    articles: Sequence[ArticleFeatures], params: ClusterParams
) -> tuple[list[ArticleFeatures], list[ArticleFeatures], float] | None:
    """Divide a story's members into two events, or None when they are one.

    Returns ``(keep, leave, score)``: ``keep`` holds the earliest article (by publication
    time, then by position in ``articles``, which is join order), ``score`` is the story
    score between the halves (below ``params.merge_threshold`` by construction).
    """
    n = len(articles)
    if n < 2 * params.min_split:
        return None
    vectors = np.stack([a.embedding for a in articles])
    similarity = vectors @ vectors.T
    first, second = np.unravel_index(int(np.argmin(similarity)), similarity.shape)
    if first == second:
        return None
    side = np.full(n, -1)
    side[first], side[second] = 0, 1
    for _ in range(SPLIT_ITERATIONS):
        halves = [[articles[i] for i in range(n) if side[i] == s] for s in (0, 1)]
        if not halves[0] or not halves[1]:
            return None
        stories = [build_story(h) for h in halves]
        new_side = side.copy()
        for i, article in enumerate(articles):
            scores = []
            for s in (0, 1):
                story = stories[s]
                if side[i] == s:
                    if story.size == 1:
                        scores.append(math.inf)  # a half's only member stays in it
                        continue
                    story = remove_article(story, article)
                scores.append(score(article, story, params))
            new_side[i] = 0 if scores[0] >= scores[1] else 1
        if (new_side == side).all():
            break
        side = new_side
    halves = [[articles[i] for i in range(n) if side[i] == s] for s in (0, 1)]
    if min(len(h) for h in halves) < params.min_split:
        return None
    value = story_score(build_story(halves[0]), build_story(halves[1]), params)
    if value >= params.merge_threshold:
        return None
    order = {id(a): k for k, a in enumerate(articles)}

    def earliest(half: list[ArticleFeatures]) -> tuple[datetime, int]:
        return min((a.published or datetime.max, order[id(a)]) for a in half)

    keep, leave = sorted(halves, key=earliest)
    return keep, leave, value


def _in_window(article: ArticleFeatures, story: StoryState, window: timedelta) -> bool:
    when = article.published
    if when is None or story.first_seen is None or story.last_seen is None:
        return True
    return story.first_seen - window <= when <= story.last_seen + window


def neighbourhood(
    touched: Mapping[StoryId, StoryState],
    candidates: Mapping[StoryId, StoryState],
    params: ClusterParams,
    around: Mapping[StoryId, Collection[StoryId]] | None = None,
) -> set[StoryId]:
    """The stories a regrouping looks at: the touched ones and, for each, its
    ``params.neighbours`` nearest stories by centroid within its time window.

    ``around`` may give each touched story's own candidates (the store's window query); by
    default every candidate is tried and the time spans decide. Why not every story of the
    window: an article only ever moves between stories about the same kind of thing, and those
    are a touched story's nearest neighbours. Bounding them keeps the cost of a batch
    proportional to the batch, not to how busy its window is.
    """
    chosen = set(touched)
    if params.neighbours <= 0:
        return chosen
    window = timedelta(days=params.window_days)
    for story_id, story in touched.items():
        ids = candidates if around is None else around.get(story_id, ())
        # stories of another embedding model (the configured model changed) are not comparable
        pool = [k for k in ids if k not in touched and k in candidates
                and candidates[k].centroid.shape == story.centroid.shape]
        if not pool:
            continue
        matrix = np.stack([candidates[k].direction for k in pool])
        cosines = matrix @ story.direction
        taken = 0
        for k in np.argsort(-cosines):
            if cosines[k] < params.min_cosine or taken >= params.neighbours:
                break
            other = candidates[pool[k]]
            if _spans_meet(story, other, window):
                chosen.add(pool[k])
                taken += 1
    return chosen


def _spans_meet(a: StoryState, b: StoryState, window: timedelta) -> bool:
    if None in (a.first_seen, a.last_seen, b.first_seen, b.last_seen):
        return True
    return b.first_seen <= a.last_seen + window and b.last_seen >= a.first_seen - window


def regroup(
    members: Mapping[StoryId, Sequence[ArticleFeatures]],
    params: ClusterParams,
    new_id: Callable[[], StoryId],
    touched: Collection[StoryId] | None = None,
) -> Regrouping:
    """Reconsider the stories of a time window after a batch (see the module docstring).

    ``members`` are the window's stories with their articles in join order; ``touched`` are
    the stories the batch changed (default: all). Only touched stories are tried for a split
    (an unchanged story was tried when it last changed). Members of touched stories are
    compared with every story of the window; members of unchanged stories only with the
    stories that changed, since nothing else about their choice is new. ``new_id`` names a
    story made by a split.
    """
    result = Regrouping()
    groups: dict[StoryId, list[ArticleFeatures]] = {k: list(v) for k, v in members.items() if v}
    touched = set(groups) if touched is None else set(touched) & set(groups)

    queue = sorted(touched, key=str)
    while queue:
        story_id = queue.pop()
        parts = split_members(groups[story_id], params)
        if parts is None:
            continue
        keep, leave, value = parts
        created = new_id()
        result.new_ids.append(created)
        groups[story_id], groups[created] = keep, leave
        for article in leave:
            result.moves.append(Move(article.id, story_id, created, "split", value))
        touched |= {story_id, created}
        queue += [story_id, created]

    states: dict[StoryId, StoryState] = {k: build_story(v, k) for k, v in groups.items()}
    window = timedelta(days=params.window_days)
    changed = set(touched)
    for _ in range(params.regroup_rounds):
        moved = False
        for story_id in list(groups):
            for article in list(groups.get(story_id, ())):
                own_story = states[story_id]
                own = (score(article, remove_article(own_story, article), params)
                       if own_story.size > 1 else -math.inf)
                pool = states if story_id in changed else {k: states[k] for k in changed}
                candidates = [s for k, s in pool.items()
                              if k != story_id and _in_window(article, s, window)]
                ranked = rank(article, candidates, params)
                if not ranked or ranked[0][0] < params.threshold or ranked[0][0] <= own:
                    continue
                value, target = ranked[0]
                result.moves.append(Move(article.id, story_id, target.id, "better fit", value))
                moved = True
                groups[story_id].remove(article)
                groups[target.id].append(article)
                states[target.id] = add_article(target, article)
                changed |= {story_id, target.id}
                if groups[story_id]:
                    states[story_id] = remove_article(own_story, article)
                else:
                    del groups[story_id], states[story_id]
                    changed.discard(story_id)
                    result.emptied[story_id] = target.id
        if not moved:
            break
    # Changed stories rebuilt from their members: exact profiles rather than subtracted ones.
    touched_by_moves = set(result.new_ids) | {m.from_story for m in result.moves} | {
        m.into_story for m in result.moves}
    for story_id in touched_by_moves:
        if story_id in groups:
            result.stories[story_id] = build_story(groups[story_id], story_id)
    for gone, into in list(result.emptied.items()):
        while into in result.emptied:  # the story it went to was emptied later too
            into = result.emptied[into]
        result.emptied[gone] = into
    return result
