"""Schema migrations: one named function per step, applied in order when the store opens.

History is append-only (the sqlite-utils / llm pattern): a mistake is fixed by a new migration,
never by editing an applied one, because users' databases have already run the old one.
Applied names are recorded in ``_migrations``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import sqlite_utils

Migration = Callable[[sqlite_utils.Database], None]
MIGRATIONS: list[Migration] = []


def migration(fn: Migration) -> Migration:
    """Register a migration: the order of the definitions below is the order they apply in."""
    MIGRATIONS.append(fn)
    return fn


@migration
def m001_initial(db: sqlite_utils.Database) -> None:
    """The contract's public tables plus the queue bookkeeping the foundation needs."""
    db["sources"].create(
        {"id": int, "name": str, "reliability": float, "created_at": str},
        pk="id",
        not_null={"name"},
    )
    db["sources"].create_index(["name"], unique=True)

    db["feeds"].create(
        {
            "id": int,
            "url": str,
            "source_id": int,
            "title": str,
            "interval_seconds": int,
            "etag": str,
            "last_modified": str,
            "last_fetched_at": str,  # last attempt
            "last_success_at": str,
            "last_status": int,
            "next_fetch_at": str,
            "consecutive_errors": int,
            "last_error": str,
            "added_at": str,
        },
        pk="id",
        not_null={"url", "source_id"},
        foreign_keys=[("source_id", "sources", "id")],
        defaults={"consecutive_errors": 0},
    )
    db["feeds"].create_index(["url"], unique=True)

    db["stories"].create(
        {"id": int, "title": str, "first_seen": str, "last_seen": str},
        pk="id",
    )

    db["articles"].create(
        {
            "id": int,
            "url": str,  # canonical
            "guid": str,
            "source_id": int,
            "feed_id": int,
            "title": str,
            "author": str,
            "published": str,
            "site_name": str,
            "discovered_at": str,
            "summary": str,  # the feed's summary, as text
            "feed_content": str,  # the feed's full content (HTML), when it carries one
            "text": str,
            "content_hash": str,
            "extracted_at": str,
            "extract_method": str,  # trafilatura | feed-content | feed-summary | ingest
            "extract_note": str,  # why a fallback was used
            "extract_attempts": int,
            "story_id": int,
        },
        pk="id",
        not_null={"url", "source_id"},
        foreign_keys=[
            ("source_id", "sources", "id"),
            ("feed_id", "feeds", "id"),
            ("story_id", "stories", "id"),
        ],
        defaults={"extract_attempts": 0},
    )
    db["articles"].create_index(["url"], unique=True)
    db["articles"].create_index(["source_id", "guid"])
    db["articles"].create_index(["extracted_at"])
    db["articles"].create_index(["story_id"])
    db["articles"].create_index(["published"])

    # Which feeds carried an article: one outlet's several feeds may list the same link.
    db["feed_articles"].create(
        {"feed_id": int, "article_id": int, "first_seen": str},
        pk=("feed_id", "article_id"),
        foreign_keys=[("feed_id", "feeds", "id"), ("article_id", "articles", "id")],
    )

    db["claims"].create(
        {
            "id": int,
            "article_id": int,
            "story_id": int,
            "subject": str,
            "attribute": str,
            "value": float,
            "unit": str,
            "qualifier": str,
            "surface": str,
            "sentence": str,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id"), ("story_id", "stories", "id")],
    )
    db["claims"].create_index(["article_id"])
    db["claims"].create_index(["story_id"])

    db["discrepancies"].create(
        {"id": int, "story_id": int, "subject": str, "attribute": str, "unit": str},
        pk="id",
        foreign_keys=[("story_id", "stories", "id")],
    )
    db["discrepancies"].create_index(["story_id"])
    db["discrepancy_claims"].create(
        {"discrepancy_id": int, "claim_id": int},
        pk=("discrepancy_id", "claim_id"),
        foreign_keys=[("discrepancy_id", "discrepancies", "id"), ("claim_id", "claims", "id")],
    )

    db["fetch_errors"].create(
        {
            "id": int,
            "feed_id": int,
            "article_id": int,
            "url": str,
            "time": str,
            "kind": str,
            "status": int,
            "message": str,
        },
        pk="id",
        foreign_keys=[("feed_id", "feeds", "id"), ("article_id", "articles", "id")],
    )
    db["fetch_errors"].create_index(["feed_id", "time"])

    db["runs"].create(
        {
            "id": int,
            "job": str,
            "started_at": str,
            "finished_at": str,
            "outcome": str,  # running | ok | error | interrupted
            "details": str,  # JSON counts
            "error": str,
        },
        pk="id",
    )
    db["runs"].create_index(["job", "started_at"])

    db["articles"].enable_fts(["title", "text"], create_triggers=True, tokenize="porter")


@migration
def m002_stories(db: sqlite_utils.Database) -> None:
    """Stories (issue 3): embeddings keyed by article with the hash of the text they came from
    (so unchanged text is never embedded again), a story's running state (mean embedding,
    entity/number profile as JSON, counts), merges recorded rather than deleted, and the
    index behind the time-window candidate query."""
    db["embeddings"].create(
        {
            "article_id": int,
            "model": str,  # embeddings of different models are not comparable
            "text_hash": str,  # sha256 of the exact text embedded
            "content_hash": str,  # articles.content_hash when embedded (the pending test)
            "dims": int,
            "vector": bytes,  # float32, L2-normalised
            "embedded_at": str,
        },
        pk="article_id",
        foreign_keys=[("article_id", "articles", "id")],
    )
    for name, type_ in (("centroid", bytes), ("profile", str), ("article_count", int),
                        ("outlet_count", int), ("report_count", int), ("created_at", str),
                        ("updated_at", str), ("merged_into", int)):
        db["stories"].add_column(name, type_)
    # The time-window query: live stories (merged_into is null) by last_seen. One composite
    # index serves both the equality and the range; with two single-column indexes SQLite
    # picked merged_into and scanned every live story.
    db["stories"].create_index(["merged_into", "last_seen"])
    db["articles"].add_column("clustered_at", str)
    db["story_merges"].create(
        {"id": int, "from_story": int, "into_story": int, "time": str, "score": float},
        pk="id",
        foreign_keys=[("from_story", "stories", "id"), ("into_story", "stories", "id")],
    )


@migration
def m003_claims(db: sqlite_utils.Database) -> None:
    """Claims and discrepancies (issue 4): a claim's bounds, span and scope; a discrepancy's
    severity and scope, and which side each of its claims is on; and the queue bookkeeping:
    the text hash an article's claims were extracted from, and the set of claims a story's
    discrepancies were computed from (so re-processing replaces them only when that changed)."""
    for name, type_ in (("low", float), ("high", float), ("start", int), ("end", int),
                        ("scope", str), ("raw_value", float), ("raw_unit", str)):
        db["claims"].add_column(name, type_)
    for name, type_ in (("severity", float), ("scope", str), ("intra_article", int),
                        ("sides", int), ("checked_at", str)):
        db["discrepancies"].add_column(name, type_)
    db["discrepancy_claims"].add_column("side", int)
    db["discrepancy_claims"].create_index(["claim_id"])
    db["articles"].add_column("claims_hash", str)
    db["articles"].add_column("claims_extracted_at", str)
    db["stories"].add_column("claims_checked_hash", str)
    db["claims"].create_index(["story_id", "attribute"])


@migration
def m004_daemon(db: sqlite_utils.Database) -> None:
    """The daemon's bookkeeping (issue 5): which process a run belongs to, so `status` can tell
    a run that is still going from one whose process was killed; and a feed's current parse
    warning, so a feed malformed on every poll leaves one fetch_errors row, not one per poll."""
    db["runs"].add_column("pid", int)
    db["feeds"].add_column("last_warning", str)


@migration
def m005_story_moves(db: sqlite_utils.Database) -> None:
    """Regrouping (issue 3): every article that leaves its story after placement, with why
    ("split": its story held two events; "better fit": another story now fits it better) and
    the score behind the decision, so a story whose members change can be explained; the
    stories waiting to be reconsidered; and the index on (story_id, clustered_at) for loading
    stories with their members in join order."""
    db["story_moves"].create(
        {"id": int, "article_id": int, "from_story": int, "into_story": int, "reason": str,
         "score": float, "time": str},
        pk="id",
        foreign_keys=[("article_id", "articles", "id"), ("from_story", "stories", "id"),
                      ("into_story", "stories", "id")],
    )
    db["story_moves"].create_index(["article_id"])
    db["articles"].create_index(["story_id", "clustered_at"])
    # The queue of stories to reconsider: set when an article joins, cleared by the regrouping,
    # so a process killed between the two regroups them on its next run.
    db["stories"].add_column("regroup_pending", int)
    db.execute("create index idx_stories_regroup_pending on stories(regroup_pending) "
               "where regroup_pending = 1")


@migration
def m006_claim_frames(db: sqlite_utils.Database) -> None:
    """Claims as frames, and claim groups (issue 10).

    A claim gains its frame: what is measured (``property``), of whom (``entity``, resolved in
    the story), when (``time_ref``), how it is asserted (``modality``) and a non-numeric value
    (``value_text``); ``raw_value``/``raw_unit`` (m003) keep the value and unit as written. The
    claims of one story about the same thing form a ``claim_groups`` row (agreeing or not), the
    unit reliability learns from; ``scored_at`` NULL marks a group the reliability stage has not
    scored since it was (re)written. A discrepancy is now a group whose values cannot all hold,
    with its ``kind`` (conflict, update, intra-article) and one ``discrepancy_sides`` row per
    side (value, outlets, independent reports, the first reporter).

    Columns with a foreign key are added with plain ALTER TABLE (sqlite-utils' foreign-key
    helper rewrites the table, which commits early). Every article's claims are re-extracted and
    every story regrouped on the next run, since stored claims have no frame yet.
    """
    claims = set(db["claims"].columns_dict)
    for name, type_ in (("low", float), ("high", float), ("scope", str), ("property", str),
                        ("entity", str), ("time_ref", str), ("modality", str), ("value_text", str)):
        if name not in claims:
            db["claims"].add_column(name, type_)
    db["claim_groups"].create(
        {"id": int, "story_id": int, "entity": str, "property": str, "unit": str, "scope": str,
         "time_ref": str, "claims": int, "outlets": int, "independent_reports": int,
         "consensus_value": float, "consensus_text": str, "scored_at": str},
        pk="id",
        foreign_keys=[("story_id", "stories", "id")],
    )
    db["claim_groups"].create_index(["story_id"])
    db.execute("create index idx_claim_groups_pending on claim_groups(id) where scored_at is null")
    db.execute("alter table claims add column group_id integer references claim_groups(id)")
    db["claims"].create_index(["group_id"])
    db.execute("alter table discrepancies add column group_id integer references claim_groups(id)")
    db["discrepancies"].add_column("kind", str)
    db["discrepancies"].add_column("consensus_value", float)
    db["discrepancies"].create_index(["group_id"])
    db["discrepancy_sides"].create(
        {"discrepancy_id": int, "side": int, "value": float, "value_text": str, "outlets": int,
         "independent_reports": int, "first_article_id": int, "first_source_id": int,
         "first_published": str},
        pk=("discrepancy_id", "side"),
        foreign_keys=[("discrepancy_id", "discrepancies", "id"), ("first_article_id", "articles", "id"),
                      ("first_source_id", "sources", "id")],
    )
    db.execute("update articles set claims_hash = null")
    db.execute("update stories set claims_checked_hash = null")


@migration
def m007_reliability(db: sqlite_utils.Database) -> None:
    """Source reliability (issue 11): each source's Beta posterior over its checked claims (mean,
    90 % interval, evidence counts, when scored), whether it is first-party (its own releases:
    a strong prior), and `source_scores`, the history of a source's score (a row only when a
    scoring run changed it), for plotting and for explaining a change."""
    for name, type_ in (("reliability_low", float), ("reliability_high", float),
                        ("checked_claims", int), ("agreed", float), ("disagreed", float),
                        ("scored_at", str), ("first_party", int)):
        db["sources"].add_column(name, type_)
    db["source_scores"].create(
        {"id": int, "source_id": int, "at": str, "reliability": float, "reliability_low": float,
         "reliability_high": float, "checked_claims": int},
        pk="id",
        foreign_keys=[("source_id", "sources", "id")],
    )
    db["source_scores"].create_index(["source_id", "at"])


@migration
def m008_digests(db: sqlite_utils.Database) -> None:
    """The digests written (issue 12): one row per day and format with where it went and when,
    and when it was emailed, so a restarted daemon neither writes nor sends a day twice and
    writes a missed day once when it comes back."""
    db["digests"].create(
        {"day": str, "format": str, "path": str, "written_at": str, "emailed_at": str},
        pk=("day", "format"),
    )


@migration
def m009_stage_queues(db: sqlite_utils.Database) -> None:
    """The summary queue: stories whose title and counts must be recomputed, set by
    placement and regrouping and cleared by the summarise stage, so summarising is a stage of
    its own that finds its work in the store. Stories already queued for regrouping were
    placed but not yet summarised: they are queued here too."""
    db["stories"].add_column("summary_pending", int)
    db.execute("update stories set summary_pending = 1 where regroup_pending = 1")
    db.execute("create index idx_stories_summary_pending on stories(summary_pending) "
               "where summary_pending = 1")


@migration
def m010_claim_checks(db: sqlite_utils.Database) -> None:
    """Each claim's check by the reliability stage (issue 11): ``agreement`` in [0, 1] with its
    group's consensus (NULL: not checked, as for a copy or a group with one independent report)
    and ``checked_at``. A source's score is recomputed from these stored checks, so re-scoring
    a regrouped story replaces its claims' checks instead of adding to a running total. The
    partial indexes keep the per-source sums and the search for checks left on claims that
    lost their group small.

    A checked claim can also vanish (its article re-extracted), and then no group need come
    back pending to say its source's sum changed; the trigger marks the source
    (``sources.rescore_pending``) whichever code deletes the claim, so the reliability stage
    re-scores it on its next run."""
    db["claims"].add_column("agreement", float)
    db["claims"].add_column("checked_at", str)
    db["sources"].add_column("rescore_pending", int)
    db.execute("create index idx_claims_checked on claims(article_id) where agreement is not null")
    if "group_id" in db["claims"].columns_dict:  # m006's column (a store may apply m006 later)
        db.execute("create index idx_claims_checked_group on claims(group_id) where agreement is not null")
    db.execute("create index idx_sources_rescore_pending on sources(id) where rescore_pending = 1")
    db.execute("""create trigger claims_checked_deleted after delete on claims
                  when old.agreement is not null
                  begin
                    update sources set rescore_pending = 1
                    where id = (select source_id from articles where id = old.article_id);
                  end""")


@migration
def m011_claim_follows(db: sqlite_utils.Database) -> None:
    """What each checked group says about echoing (issue 11): for a claim that follows another
    outlet's in its group (publication order), that outlet (``follows_source_id``) and whether
    the claim repeats its value (``repeats_previous``). An outlet that repeats the claim before
    it far more often than the two outlets' accuracies explain echoes (truth.echo_probability);
    written and replaced with the group's checks, so a regrouped story does not count twice."""
    db["claims"].add_column("follows_source_id", int)
    db["claims"].add_column("repeats_previous", int)
    db.execute("create index idx_claims_follows on claims(article_id) "
               "where follows_source_id is not null")


def _drop_views(db: sqlite_utils.Database) -> None:
    """Views are derived (the store re-creates them on open), so they go before migrating: a
    migration that rebuilds a table (create, copy, drop, rename) fails in SQLite while a view
    still names the dropped table."""
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        for (name,) in db.execute("select name from sqlite_master where type = 'view'").fetchall():
            db.execute(f"drop view if exists [{name}]")
    except BaseException:
        db.conn.execute("ROLLBACK")
        raise
    db.conn.execute("COMMIT")


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Apply pending migrations in order, each in its own transaction. Returns the names applied.

    Each migration runs inside an explicit ``BEGIN IMMEDIATE``: Python's sqlite3 opens no
    transaction for DDL and ``executescript`` commits first, so ``with conn:`` alone left a
    migration half-applied when the process died mid-way (tests/test_crash.py caught a kill
    during m001 that made every later start fail with "table sources already exists"). The
    explicit transaction makes a migration all or nothing; sqlite-utils runs scripts statement
    by statement inside it. IMMEDIATE takes the write lock first, so two processes opening a
    new database together apply each migration once (the second re-checks under the lock).
    Migrations must not use ``Table.transform()`` or ``with db.conn:``, which commit early.
    """
    db["_migrations"].create({"name": str, "applied_at": str}, pk="name", if_not_exists=True)
    done = {row["name"] for row in db["_migrations"].rows}
    applied = []
    if any(fn.__name__ not in done for fn in MIGRATIONS):
        _drop_views(db)
    for fn in MIGRATIONS:
        if fn.__name__ in done:
            continue
        db.conn.execute("BEGIN IMMEDIATE")
        try:
            if db.execute("select 1 from _migrations where name = ?", [fn.__name__]).fetchone():
                db.conn.execute("ROLLBACK")  # another process applied it while we waited
                continue
            fn(db)
            db["_migrations"].insert(
                {"name": fn.__name__, "applied_at": datetime.now(UTC).isoformat(timespec="seconds")}
            )
        except BaseException:
            db.rollback()
            raise
        db.conn.execute("COMMIT")
        applied.append(fn.__name__)
    return applied
