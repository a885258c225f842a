"""Bodies of the research routes: creators, imports, Content DNA, the wizard, derivation."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from reelforge.providers import registry
from reelforge.providers.types.research import CreatorPlatform
from reelforge.research.creators import IMPORT, VideoCount, label
from reelforge.research.dna.profile import ContentDNA
from reelforge.research.tables import Creator, DnaVersion
from reelforge.web.api.bodies.jobs import JobOut

SVG_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"image/svg+xml": {"schema": {"type": "string"}}}, "description": "SVG"}
}
TZ_HELP = "IANA time zone for weekday x hour, e.g. Europe/Berlin (default: server setting)."


class CreatorCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={"examples": [{"platform": "youtube", "handle": "@breadlab"}]},
    )
    platform: CreatorPlatform
    handle: str = Field(
        min_length=1, max_length=200, description="@handle, channel id (UC…) or profile URL"
    )
    source: str | None = Field(
        default=None,
        min_length=1,
        max_length=64,
        description=f"Where its videos come from: {', '.join([*registry.available('research'), IMPORT])}, among "
        "those that read the platform; default: the platform's first source that reads any "
        f"public creator. {IMPORT!r} means files you upload.",
    )


class RefreshState(BaseModel):
    status: str | None  # complete, partial, failed; None before the first refresh
    message: str | None
    refreshed_at: datetime | None
    retry_after: datetime | None  # when a used-up daily quota comes back


class CreatorOut(BaseModel):
    id: str
    platform: str
    handle: str | None
    platform_id: str | None
    label: str
    source: str
    display_name: str | None
    followers: int | None
    videos: int
    last_published: datetime | None
    created_at: datetime
    refresh: RefreshState
    links: dict[str, str]

    @classmethod
    def of(cls, creator: Creator, count: VideoCount | None = None) -> CreatorOut:
        base = f"/api/v1/creators/{creator.id}"
        return cls(
            id=creator.id,
            platform=creator.platform,
            handle=creator.handle,
            platform_id=creator.platform_id,
            label=label(creator),
            source=creator.source,
            display_name=creator.display_name,
            followers=creator.followers,
            videos=count.videos if count else 0,
            last_published=count.last_published if count else None,
            created_at=creator.created_at,
            refresh=RefreshState(
                status=creator.refresh_status,
                message=creator.refresh_message,
                refreshed_at=creator.refreshed_at,
                retry_after=creator.retry_after,
            ),
            links={
                "analytics": f"{base}/analytics",
                "refresh": f"{base}/refresh",
                "charts": f"{base}/charts/{{name}}.svg",
            },
        )


class CreatorAndJob(BaseModel):
    creator: CreatorOut
    job: JobOut


class DnaPut(ContentDNA):
    """A whole profile, written by hand (fields left out take their defaults)."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        str_strip_whitespace=True,
        json_schema_extra={
            "examples": [
                {
                    "niche": "sourdough baking for beginners",
                    "audience": "busy parents who bake at weekends",
                    "voice_and_tone": "warm, expert",
                    "hook_styles": ["question"],
                    "phrases_to_avoid": ["game changer"],
                    "calls_to_action": ["Follow for the next bake"],
                    "target_seconds": 40,
                }
            ]
        },
    )


class DnaOut(BaseModel):
    version: int | None  # None: no DNA saved yet (the writer then uses none)
    id: str | None
    source: str | None
    note: str | None
    created_at: datetime | None
    profile: ContentDNA

    @classmethod
    def of(cls, row: DnaVersion | None) -> DnaOut:
        if row is None:
            return cls(
                version=None, id=None, source=None, note=None, created_at=None, profile=ContentDNA()
            )
        return cls(
            version=row.version,
            id=row.id,
            source=row.source,
            note=row.note,
            created_at=row.created_at,
            profile=ContentDNA.model_validate(row.profile),
        )


class WizardSubmit(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={
            "examples": [
                {
                    "answers": {
                        "niche": "sourdough baking for beginners",
                        "audience": "busy parents",
                        "voice_and_tone": ["warm", "expert"],
                        "hook_styles": ["question"],
                        "phrases_to_avoid": "game changer\nsmash that like button",
                        "target_seconds": 40,
                    },
                    "refine": False,
                }
            ]
        },
    )
    answers: dict[str, Any] = Field(description="Question id -> answer (see GET /dna/wizard).")
    refine: bool = Field(False, description="Have your writer model tidy the profile.")
    writer: str | None = Field(None, max_length=40, description="Model to refine with.")
    save: bool = Field(True, description="Save the result as a new DNA version.")


class DeriveRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={"examples": [{"creator_ids": ["0190c7e0-0000-7000-8000-000000000000"]}]},
    )
    creator_ids: list[Annotated[str, Field(max_length=64)]] = Field(min_length=1, max_length=50)
    tz: str | None = Field(None, max_length=64, description=TZ_HELP)
    save: bool = Field(False, description="Save the derived profile as a new DNA version.")
