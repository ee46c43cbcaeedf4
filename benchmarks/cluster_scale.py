"""Flat cost: placing one article costs the same with 1,000 or 100,000 stored articles.

Run from the repository root:  .venv/bin/python benchmarks/cluster_scale.py

Synthetic news at a steady 50 articles a day (a 20-feed monitor), three articles per story,
spread over 20 days (1,000 articles) or 2,000 days (100,000 articles). Embeddings are random
unit vectors perturbed per story; each article has a few random names and figures. Nothing here
measures quality (benchmarks/cluster_ecbplus.py does); only cost.

Two variants, same probes (200 new articles at random times inside the archive):
  memory  a list of stories kept sorted by last_seen, bisected for the time window: the stand-in
          for the store that the ECB+ benchmark uses, plus cluster.place;
  store   the product path: SQLite store on disk, stories.place_pending (the indexed window
          query, profile decoding, cluster.place, the write of the placement), with an empty
          per-run cache so every probe reads its candidates from the database.
The candidate count is printed: it is bounded by the window (about 21 days x 50 / 3 stories),
not by the archive, so the per-article time stays flat. "regroup" is stories.regroup_pending
after the probes (each probe's story and its nearest neighbours in its own window), divided by
the articles regrouped, in two cases: a daemon's batch (50 new articles of the archive's last
day, one window: the ratio line compares this case) and the 200 spread probes (at 100,000
articles no two share a window, so each pays for loading its own window's centroids: the
cost of a backfill, bounded by the window, not by the archive).
"""

from __future__ import annotations

import bisect
import gc
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from newswatch.config import Config  # noqa: E402
from newswatch.store import NewArticle, Store, iso  # noqa: E402
from newswatch.stories import cluster, embed  # noqa: E402
from newswatch.stories import stage as stories  # noqa: E402

PER_DAY = 50
PER_STORY = 3
DIM = 384
PROBES = 200
BATCH = 50  # a daemon's processing run: new articles of one day
START = datetime(2020, 1, 1, tzinfo=UTC)
SYLLABLES = "ka lo mi ra te no vu si da pe ro zu ne li ma ko".split()


def name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize()


def synth_text(rng: random.Random, names: list[str], figures: list[int]) -> tuple[str, str]:
    title = f"{names[0]} and {names[1]} agree on a {figures[0]} MW deal"
    body = (f"The company {names[0]} said on Monday that {names[1]} will supply {figures[1]} units "
            f"to its site near {names[2]}. Analysts at {names[3]} expect {figures[2]} more.")
    return title, body


def synth(n_articles: int, seed: int = 1):
    """(stories as StoryState, article rows) for an archive of ``n_articles``."""
    rng = random.Random(seed)
    nprng = np.random.default_rng(seed)
    days = n_articles / PER_DAY
    n_stories = n_articles // PER_STORY
    out = []
    for s in range(n_stories):
        base = nprng.normal(size=DIM).astype(np.float32)
        base /= np.linalg.norm(base)
        names = [name(rng) for _ in range(4)]
        figures = [rng.randint(10, 5000) for _ in range(3)]
        t0 = START + timedelta(days=rng.uniform(0, days))
        members = []
        for k in range(PER_STORY):
            v = base + 0.3 * nprng.normal(size=DIM).astype(np.float32) / np.sqrt(DIM)
            v /= np.linalg.norm(v)
            title, body = synth_text(rng, names, figures)
            when = t0 + timedelta(hours=6 * k)
            members.append((v, title, body, when))
        out.append((s, members))
    return out


def build_memory(archive) -> list[cluster.StoryState]:
    states = []
    for s, members in archive:
        state = None
        for k, (v, title, body, when) in enumerate(members):
            art = cluster.ArticleFeatures(id=(s, k), embedding=v, title=title,
                                          evidence=cluster.extract_evidence(title, body), published=when)
            state = cluster.new_story(art, s) if state is None else cluster.add_article(state, art)
        _ = state.direction  # computed once per stored state, as a long-lived process would
        states.append(state)
    states.sort(key=lambda st: st.last_seen)
    return states


def probes(n_articles: int, seed: int = 7):
    rng = random.Random(seed)
    nprng = np.random.default_rng(seed)
    days = n_articles / PER_DAY
    out = []
    for _ in range(PROBES):
        v = nprng.normal(size=DIM).astype(np.float32)
        v /= np.linalg.norm(v)
        names = [name(rng) for _ in range(4)]
        title, body = synth_text(rng, names, [rng.randint(10, 5000) for _ in range(3)])
        when = START + timedelta(days=rng.uniform(min(10, days / 2), days - min(10, days / 2)))
        out.append((v, title, body, when))
    return out


def run_memory(n_articles: int) -> tuple[float, float]:
    states = build_memory(synth(n_articles))
    keys = [st.last_seen for st in states]
    longest = max(st.last_seen - st.first_seen for st in states)
    params = cluster.ClusterParams()
    window = timedelta(days=params.window_days)
    # The archive lives in this process only in the memory variant (the product keeps it in
    # SQLite): freeze it so the garbage collector does not rescan 100,000 objects per probe.
    gc.collect()
    gc.freeze()
    times, sizes = [], []
    for i, (v, title, body, when) in enumerate(probes(n_articles)):
        start = time.perf_counter()
        art = cluster.ArticleFeatures(id=-i, embedding=v, title=title,
                                      evidence=cluster.extract_evidence(title, body), published=when)
        lo = bisect.bisect_left(keys, when - window)
        hi = bisect.bisect_right(keys, when + window + longest)
        candidates = [st for st in states[lo:hi] if st.first_seen <= when + window]
        cluster.place(art, candidates, params)
        times.append(time.perf_counter() - start)
        sizes.append(len(candidates))
    gc.unfreeze()
    return float(np.mean(times) * 1000), float(np.mean(sizes))


def add_embedded(store: Store, source: int, url: str, vector: np.ndarray, title: str, body: str,
                 when: datetime) -> None:
    """Store one new article as extraction and embedding would leave it: ready to place."""
    [article_id] = store.add_articles([NewArticle(url=url, source_id=source, title=title,
                                                  published=iso(when))])
    store.save_extraction(article_id, text=body, method="ingest")
    store.save_embeddings([{"article_id": article_id, "model": embed.model_name(None),
                            "text_hash": url, "dims": DIM, "vector": embed.to_blob(vector),
                            "content_hash": store.db["articles"].get(article_id)["content_hash"]}])


def run_store(n_articles: int, folder: Path) -> tuple[float, float, float]:
    db = folder / f"scale-{n_articles}.db"
    config = Config(path=None, database=db)
    name_ = embed.model_name(None)
    archive = synth(n_articles)
    states = build_memory(archive)
    with Store(db) as store:
        source = store.source_id("Synthetic Wire")
        with store.transaction():
            for st in states:
                row = stories.story_to_row(st)
                row.pop("id")
                sid = store.db["stories"].insert({**row, "title": "synthetic"}).last_pk
                st.id = sid
        # the archive's articles, so the articles table has its real size too
        with store.transaction():
            n = 0
            for (_story, members), st in zip(sorted(archive, key=lambda a: a[0]),
                                        sorted(states, key=lambda x: x.members[0][0]), strict=True):
                for v, title, body, when in members:
                    aid = store.db["articles"].insert({
                        "url": f"https://synthetic.example/{n}", "source_id": source, "title": title,
                        "published": iso(when), "text": body, "content_hash": str(n),
                        "extracted_at": iso(when), "story_id": st.id}).last_pk
                    store.db["embeddings"].insert({"article_id": aid, "model": name_, "text_hash": str(n),
                                                   "content_hash": str(n), "dims": DIM,
                                                   "vector": embed.to_blob(v)})
                    n += 1
        plan = " ".join(r[3] for r in store.db.execute(
            "explain query plan select id from stories where merged_into is null and last_seen >= ? "
            "and last_seen <= ? and first_seen <= ? and centroid is not null "
            "order by last_seen desc limit ?", ["2020", "2021", "2021", 10]).fetchall())
        params = cluster.ClusterParams()
        window = timedelta(days=params.window_days)
        del archive, states
        gc.collect()
        sizes = []
        for i, (v, title, body, when) in enumerate(probes(n_articles)):
            add_embedded(store, source, f"https://probe.example/{i}", v, title, body, when)
            sizes.append(len(store.candidate_story_ids(when - window, when + window)))
        start = time.perf_counter()
        counts = stories.place_pending(store, config, params, cache=False)
        elapsed = time.perf_counter() - start
        assert counts["placed"] == PROBES, counts
        start = time.perf_counter()
        stories.regroup_pending(store, config, params)
        backfill = (time.perf_counter() - start) / PROBES * 1000
        # a daemon's batch: BATCH new articles of the archive's last day, placed, then regrouped
        end = START + timedelta(days=n_articles / PER_DAY)
        for i, (v, title, body, _) in enumerate(probes(BATCH * 4, seed=11)[:BATCH]):
            when = end - timedelta(hours=random.Random(i).uniform(0, 24))
            add_embedded(store, source, f"https://batch.example/{i}", v, title, body, when)
        stories.place_pending(store, config, params)
        start = time.perf_counter()
        stories.regroup_pending(store, config, params)
        batch = (time.perf_counter() - start) / BATCH * 1000
    return elapsed / PROBES * 1000, float(np.mean(sizes)), plan, batch, backfill


def main() -> int:
    print(__doc__.splitlines()[0])
    print(f"{PER_DAY} articles/day, {PER_STORY} per story, window +-{cluster.ClusterParams().window_days:g} "
          f"days, {PROBES} probe articles each")
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in (1_000, 100_000):
            mem_ms, mem_c = run_memory(n)
            db_ms, db_c, plan, regroup_ms, backfill_ms = run_store(n, Path(tmp))
            results[n] = (mem_ms, db_ms, regroup_ms)
            print(f"{n:>7,} stored articles: memory {mem_ms:6.2f} ms/article ({mem_c:.0f} candidate "
                  f"stories)   store {db_ms:6.2f} ms/article ({db_c:.0f} candidate stories)   "
                  f"regroup: daemon batch {regroup_ms:6.2f} ms/article, spread probes "
                  f"{backfill_ms:6.2f} ms/article")
    print(f"window query plan: {plan}")
    mem_ratio = results[100_000][0] / results[1_000][0]
    db_ratio = results[100_000][1] / results[1_000][1]
    regroup_ratio = results[100_000][2] / results[1_000][2]
    print(f"ratio 100,000 / 1,000: memory {mem_ratio:.2f}x, store {db_ratio:.2f}x, "
          f"regroup {regroup_ratio:.2f}x (a scan of every story would be ~100x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
