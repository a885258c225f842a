"""Bodies of the publishing routes: connections, uploads, posts, schedule suggestions."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from reelforge.connections.tables import PlatformConnection
from reelforge.providers.base import Platform
from reelforge.publish.posts import PostView
from reelforge.publish.suggest import Suggestion
from reelforge.publish.tables import Post, PostEvent, Upload
from reelforge.web.api.bodies.jobs import JobOut


class ConnectionOut(BaseModel):
    """A connected account: only what promise P11 allows, never a token."""

    id: str
    platform: str
    open_id: str | None
    display_name: str
    avatar_url: str
    scopes: list[str]
    needs_reconsent: bool
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, row: PlatformConnection) -> ConnectionOut:
        return cls(
            id=row.id,
            platform=row.platform,
            open_id=row.open_id,
            display_name=row.display_name,
            avatar_url=row.avatar_url,
            scopes=[s for s in row.scopes.split(",") if s],
            needs_reconsent=row.needs_reconsent,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )


class PlatformOut(BaseModel):
    """A registered platform and what connecting it takes."""

    name: str = Field(description="Its id in URLs, connections and posts.")
    display_name: str
    needs_oauth: bool = Field(
        description="true: connect with GET /connections/{platform}/authorize (a sign-in at the "
        "platform); false: with POST /connections/{platform}."
    )

    @classmethod
    def of(cls, platform: Platform) -> PlatformOut:
        return cls(
            name=platform.name,
            display_name=platform.display_name,
            needs_oauth=platform.needs_oauth,
        )


class AuthorizeOut(BaseModel):
    url: str = Field(description="Open this in a browser to approve the connection.")
    platform: str
    expires_in_s: int


class DisconnectOut(BaseModel):
    id: str
    revoked: bool = Field(description="Whether the platform confirmed the revoke.")
    message: str


class UploadOut(BaseModel):
    id: str
    name: str
    width: int
    height: int
    size_bytes: int
    source_format: str
    created_at: datetime
    posted_at: datetime | None
    deleted_after: datetime = Field(description="When retention removes it at the latest (P17).")

    @classmethod
    def of(cls, row: Upload, *, posted_days: float, unposted_days: float) -> UploadOut:
        if row.posted_at is not None:
            after = row.posted_at + timedelta(days=posted_days)
        else:
            after = row.created_at + timedelta(days=unposted_days)
        return cls(
            id=row.id,
            name=row.name,
            width=row.width,
            height=row.height,
            size_bytes=row.size_bytes,
            source_format=row.source_format,
            created_at=row.created_at,
            posted_at=row.posted_at,
            deleted_after=after,
        )


class PostCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "connection_id": "0192f0c4-7d1e-7a3b-9c55-2f1e0d9a7b61",
                    "video_id": "0192f0c4-7d1e-7a3b-9c55-2f1e0d9a7b62",
                    "title": "Why bread goes stale",
                    "description": "#science #bread",
                    "privacy_level": "SELF_ONLY",
                    "is_aigc": True,
                    "mode": "direct",
                }
            ]
        },
    )
    connection_id: str = Field(min_length=1, max_length=64)
    video_id: str | None = Field(None, min_length=1, max_length=64)
    images: list[str] = Field(
        default_factory=list, max_length=35, description="Upload ids, in carousel order."
    )
    title: str = Field("", max_length=2200)
    description: str = Field("", max_length=5000)
    privacy_level: str = Field(
        "SELF_ONLY",
        max_length=32,
        description="The platform's own words, e.g. TikTok: PUBLIC_TO_EVERYONE, "
        "MUTUAL_FOLLOW_FRIENDS, FOLLOWER_OF_CREATOR, SELF_ONLY; YouTube: public, unlisted, "
        "private (or the TikTok words). The platform checks it before the post is queued.",
    )
    disable_comment: bool = False
    disable_duet: bool = False
    disable_stitch: bool = False
    is_aigc: bool = Field(False, description="Label the post as AI-generated content.")
    publish_at: AwareDatetime | None = Field(
        None, description="When to post (with a time zone); omit to post now."
    )
    mode: Literal["direct", "draft"] = Field(
        "direct",
        description="direct: publish; draft: leave it for the account to finish on the platform "
        "(TikTok: its inbox), where the platform has drafts.",
    )


class PostEventOut(BaseModel):
    at: datetime
    source: str = Field(description="platform: the platform's own status; reelforge: ours.")
    status: str
    fail_reason: str
    message: str | None

    @classmethod
    def of(cls, event: PostEvent) -> PostEventOut:
        return cls(
            at=event.at,
            source=event.source,
            status=event.status,
            fail_reason=event.fail_reason,
            message=event.message,
        )


class PostOut(BaseModel):
    id: str
    connection_id: str | None
    platform: str
    account_name: str
    kind: str
    video_id: str | None
    images: list[str] | None = Field(None, description="Upload ids (detail view only).")
    image_count: int
    title: str
    description: str
    privacy_level: str
    disable_comment: bool
    disable_duet: bool
    disable_stitch: bool
    is_aigc: bool
    mode: str
    publish_at: datetime | None
    status: str
    message: str | None
    platform_status: str | None
    fail_reason: str
    platform_post_ids: list[str]
    url: str | None
    job_id: str | None
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None
    history: list[PostEventOut] | None = Field(None, description="Detail view only.")

    @classmethod
    def of(cls, post: Post, view: PostView | None = None) -> PostOut:
        return cls(
            id=post.id,
            connection_id=post.connection_id,
            platform=post.platform,
            account_name=post.account_name,
            kind=post.kind,
            video_id=post.video_id,
            images=view.images if view else None,
            image_count=post.image_count,
            title=post.title,
            description=post.description,
            privacy_level=post.privacy_level,
            disable_comment=post.disable_comment,
            disable_duet=post.disable_duet,
            disable_stitch=post.disable_stitch,
            is_aigc=post.is_aigc,
            mode=post.mode,
            publish_at=post.publish_at,
            status=post.status,
            message=post.message,
            platform_status=post.platform_status,
            fail_reason=post.fail_reason,
            platform_post_ids=list(post.post_ids or []),
            url=post.url,
            job_id=post.job_id,
            created_at=post.created_at,
            updated_at=post.updated_at,
            finished_at=post.finished_at,
            history=[PostEventOut.of(e) for e in view.history] if view else None,
        )


class PostAndJob(BaseModel):
    post: PostOut
    job: JobOut | None = Field(description="None while the post waits for its publish_at.")


class SlotOut(BaseModel):
    at: datetime
    weekday: str
    hour: int
    reason: str
    median_views: float | None
    posts: int


class SuggestOut(BaseModel):
    source: Literal["research", "default"]
    label: str
    time_zone: str
    slots: list[SlotOut]

    @classmethod
    def of(cls, suggestion: Suggestion) -> SuggestOut:
        return cls(
            source="research" if suggestion.source == "research" else "default",
            label=suggestion.label,
            time_zone=suggestion.time_zone,
            slots=[SlotOut(**slot.__dict__) for slot in suggestion.slots],
        )
