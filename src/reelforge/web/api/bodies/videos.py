"""Bodies of the /videos and /jobs routes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from reelforge.videos.tables import Video
from reelforge.web.api.bodies.jobs import JobOut


class VideoCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"topic": "why bread goes stale", "options": {"preset": "vertical-fast"}}]
        },
    )
    topic: str = Field(min_length=1, max_length=200)
    options: dict[str, Any] = Field(
        default_factory=dict,
        description="The CLI's options: writer, voice, media (list), preset, size, fps, crf, "
        "x264_preset, captions, uppercase_captions, breath_s, target_lufs, music_volume_db.",
    )


class ScriptUpdate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "script": {
                        "title": "Why bread goes stale",
                        "hook": "Your bread is not drying out.",
                        "scenes": [
                            {"narration": f"Scene {i} narration.", "search_terms": ["bread"]}
                            for i in range(1, 5)
                        ],
                    }
                }
            ]
        },
    )
    script: dict[str, Any]


class VideoOut(BaseModel):
    id: str
    topic: str
    title: str | None
    status: str
    options: dict[str, Any]
    script: dict[str, Any] | None
    files: dict[str, str]  # name -> download path, once rendered
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, video: Video, *, files: list[str]) -> VideoOut:
        return cls(
            id=video.id,
            topic=video.topic,
            title=video.title,
            status=video.status,
            options=video.options,
            script=video.script,
            files={name: f"/api/v1/videos/{video.id}/files/{name}" for name in files},
            created_at=video.created_at,
            updated_at=video.updated_at,
        )


class VideoAndJob(BaseModel):
    video: VideoOut
    job: JobOut
