"""The ``creator_refresh`` job: read a creator's public videos from its official API.

How it runs: the source (YouTube Data API, TikTok Research or Display API) is
built with the *owner's* credential — their key from the vault, or the token of
their connected account where the source reads with one — else with the
operator's settings (promise P09); its daily quota budgets (as the source
describes them) start from what the store says was already used today with
that key; every page of videos is upserted and
snapshotted as it arrives, so work is kept even when the quota runs out half
way. Then the job stops cleanly, the creator shows ``partial`` with the time
the quota resets, and the job's error says when to try again.

429s and 5xx answers are retried inside the HTTP client (honouring
Retry-After); when those retries run out, the job runner re-queues the job
with backoff. Re-running is safe: videos are upserted and the snapshot time
is fixed when the job is queued (see :mod:`reelforge.research.ingest`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reelforge.accounts import usage
from reelforge.clock import utc_now
from reelforge.deps import Deps
from reelforge.errors import ConfigError, ProviderError, ReelforgeError
from reelforge.jobs import records
from reelforge.jobs.context import JobContext
from reelforge.jobs.tables import Job
from reelforge.providers.research import (
    FetchOutcome,
    Page,
    ResearchSource,
    collect,
    is_quota_error,
    source_class,
)
from reelforge.providers.types.research import PLATFORM_NAMES, CreatorProfile
from reelforge.research import creators, ingest, workspace
from reelforge.research.quota import Budgets, load_budgets, save_budgets
from reelforge.research.tables import Creator

KIND = creators.REFRESH_KIND


def start_refresh(db: Session, settings: Any, *, owner_id: str, creator_id: str) -> Job:
    """Queue a refresh (or return the one already queued or running for this creator)."""
    creator = creators.get_creator(db, owner_id=owner_id, creator_id=creator_id)
    if creator.source == creators.IMPORT:
        raise ConfigError(
            f"{creators.label(creator)} is read from files you import, not from an API. "
            "Import a newer export instead: reelforge creators import FILE "
            "(or POST /api/v1/creators/import)."
        )
    for job in db.scalars(
        select(Job).where(Job.owner_id == owner_id, Job.kind == KIND, Job.state.in_(records.ACTIVE))
    ):
        if job.payload.get("creator_id") == creator_id:
            return job
    usage.check_limit(db, settings, owner_id=owner_id, metric="jobs")
    job = records.create_job(
        db,
        owner_id=owner_id,
        kind=KIND,
        payload={"creator_id": creator_id, "captured_at": utc_now().isoformat()},
    )
    usage.record(db, settings, owner_id=owner_id, metric="jobs")
    return job


def _account_token(deps: Deps, *, owner_id: str, source: type[ResearchSource]) -> str:
    """The owner's access token from a connection to the source's platform that grants the
    scope it reads with (:attr:`ResearchSource.account_scope`).

    Called outside any open session: refreshing the token writes in its own transaction.
    """
    from reelforge.connections.service import list_connections
    from reelforge.connections.tokens import access_token

    platform, scope = source.platform, str(source.account_scope)
    with deps.database.session() as db:
        linked = [c for c in list_connections(db, owner_id=owner_id) if c.platform == platform]
        allowed = [c.id for c in linked if scope in c.scopes.replace(" ", ",").split(",")]
    if not allowed:
        what = "does not allow reading your videos" if linked else "is not connected"
        name = PLATFORM_NAMES[platform]
        raise ConfigError(
            f"Your {name} account {what}. Connect {name} again and allow the {scope} "
            "permission, or import your videos from a file (reelforge creators import FILE)."
        )
    return access_token(deps, owner_id=owner_id, connection_id=allowed[0])


def _credential(db: Session, deps: Deps, *, owner_id: str, source: str) -> tuple[str | None, str]:
    """(credential, quota scope): the owner's own key wins; else the operator's (P09).

    The operator's key is not handed over: the source reads its own settings (and names
    them in its errors). Only whether the owner's plan may use it is checked here.
    """
    from reelforge.accounts import vault
    from reelforge.accounts.provider_keys import KIND as KEY_KIND
    from reelforge.accounts.provider_keys import credential_for

    own = vault.read_secret(db, deps.vault, owner_id=owner_id, kind=KEY_KIND, name=source)
    if own is not None:
        return own, owner_id
    # ConfigError where the user's plan does not include the server's keys.
    credential_for(db, deps.vault, deps.settings, user_id=owner_id, provider=source)
    return None, "server"


def _prepare(deps: Deps, *, owner_id: str, source: str) -> tuple[str | None, Budgets]:
    """The credential to read ``source`` with, and today's quota budgets for that key."""
    cls = source_class(source)
    if cls.account_scope is not None:  # the user's own account: the quota is theirs
        token = _account_token(deps, owner_id=owner_id, source=cls)
        with deps.database.session() as db:
            return token, load_budgets(db, deps.settings, provider=source, scope=owner_id)
    with deps.database.session() as db:
        credential, scope = _credential(db, deps, owner_id=owner_id, source=source)
        return credential, load_budgets(db, deps.settings, provider=source, scope=scope)


def _build(deps: Deps, source: str, credential: str | None, budgets: Budgets) -> ResearchSource:
    built = source_class(source)(deps.settings, credential=credential)
    built.use_budgets(budgets.by_quota)
    return built


def _record(
    deps: Deps,
    *,
    owner_id: str,
    creator_id: str,
    status: str,
    message: str | None,
    profile: CreatorProfile | None = None,
    retry_after: str | None = None,
) -> None:
    with deps.database.session() as db:
        row = db.scalar(
            select(Creator).where(Creator.id == creator_id, Creator.owner_id == owner_id)
        )
        if row is None:
            return  # removed while refreshing
        if profile is not None:
            row.display_name = profile.display_name[:200] or row.display_name
            row.followers = profile.followers
            if profile.platform_id and not row.platform_id:
                row.platform_id = profile.platform_id[:64]
        row.refresh_status, row.refresh_message = status, message
        row.retry_after = datetime.fromisoformat(retry_after) if retry_after else None
        if status != "failed":
            row.refreshed_at = utc_now()


def refresh_creator(ctx: JobContext) -> None:
    """The job handler (registered in research/jobs.py as ``creator_refresh``)."""
    deps, owner_id = ctx.deps, ctx.owner_id
    creator_id = str(ctx.payload["creator_id"])
    captured_at = datetime.fromisoformat(str(ctx.payload["captured_at"]))
    with deps.database.session() as db:
        creator = creators.get_creator(db, owner_id=owner_id, creator_id=creator_id)
        ref, source_name, name = creators.ref_of(creator), creator.source, creators.label(creator)
    try:
        credential, budgets = _prepare(deps, owner_id=owner_id, source=source_name)
    except ReelforgeError as error:
        _record(
            deps,
            owner_id=owner_id,
            creator_id=creator_id,
            status="failed",
            message=error.message,
        )
        raise
    ctx.progress("connect", 0.02, f"reading {name} from {source_name}", force=True)
    limit = max(1, int(deps.settings.youtube_max_videos))
    fetched = 0

    def on_page(page: Page) -> None:
        nonlocal fetched
        with deps.database.session() as db:
            creators.get_creator(db, owner_id=owner_id, creator_id=creator_id)
            ingest.upsert_videos(
                db, owner_id=owner_id, creator_id=creator_id, videos=page, captured_at=captured_at
            )
            save_budgets(db, budgets, owner_id=owner_id)
        fetched += len(page)
        fraction = 0.05 + 0.85 * min(1.0, fetched / limit)
        ctx.progress("fetch", fraction, f"{fetched} videos of {name}")

    profile: CreatorProfile | None = None
    try:
        source = _build(deps, source_name, credential, budgets)
        with source:
            profile = source.profile(ref)
            outcome = collect(source.videos(ref), on_page=on_page)
    except ReelforgeError as error:
        stopped = _stopped(error)
        if stopped is None:
            retryable = isinstance(error, ProviderError) and error.retryable
            if not retryable:
                _record(
                    deps,
                    owner_id=owner_id,
                    creator_id=creator_id,
                    status="failed",
                    message=error.message,
                )
            raise
        outcome = stopped
    finally:
        with deps.database.session() as db:
            save_budgets(db, budgets, owner_id=owner_id)
    _finish(ctx, outcome, profile=profile, fetched=fetched, name=name, provider=source_name)


def _stopped(error: ReelforgeError) -> FetchOutcome | None:
    """A quota error before the first page (e.g. in the profile call) as a stopped fetch."""
    if not is_quota_error(error):
        return None
    return FetchOutcome(
        complete=False, stopped=error.message, resets_at=error.details.get("resets_at")
    )


def _finish(
    ctx: JobContext,
    outcome: FetchOutcome,
    *,
    profile: CreatorProfile | None,
    fetched: int,
    name: str,
    provider: str,
) -> None:
    deps, owner_id = ctx.deps, ctx.owner_id
    creator_id = str(ctx.payload["creator_id"])
    if outcome.complete:
        message = f"{fetched} videos read."
    else:
        message = f"Stopped early after {fetched} videos: {outcome.stopped}"
    _record(
        deps,
        owner_id=owner_id,
        creator_id=creator_id,
        status="complete" if outcome.complete else "partial",
        message=message,
        profile=profile,
        retry_after=outcome.resets_at,
    )
    ctx.progress("fetch", 0.9, f"{fetched} videos of {name}", force=True)
    ctx.progress("analytics", 0.95, "updating analytics", force=True)
    workspace.refresh_snapshot(deps, owner_id=owner_id)
    if not outcome.complete:
        raise ProviderError(
            f"Refreshing {name} stopped early; the {fetched} videos read so far are kept. "
            f"{outcome.stopped}",
            provider=provider,
            retryable=False,
            status=429,
            details={"quota": True, "resets_at": outcome.resets_at, "videos": fetched},
        )
    ctx.progress("done", 1.0, message, force=True)
