"""Helpers for the research service tests: the app wired to a YouTube fake, tiny CSVs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from reelforge.config import Settings
from reelforge.research.tables import ResearchVideo, VideoSnapshot
from reelforge.store.db import Database
from reelforge.web.app import create_app
from tests.fakes.server import FakeServer, serve
from tests.fakes.youtube_data import KEY, PREFIX, FakeYouTubeData, yt_video
from tests.store.support import configured
from tests.web.support import Account, Api

CHANNEL_ID = "UC" + "b" * 22
START = datetime(2024, 3, 4, 17, 0, tzinfo=UTC)  # a Monday
CSV_HEADER = "platform,platform_video_id,title,description,views,likes,comments,shares,duration_s,published_at,hashtags,creator\n"


def uploads(n: int, *, breakout: int | None = None) -> list[dict[str, Any]]:
    """``n`` YouTube uploads, newest first, one a day; ``breakout`` gets 50x the views."""
    videos = []
    for i in reversed(range(n)):
        views = 1000 + 10 * i
        if i == breakout:
            views *= 50
        videos.append(
            yt_video(
                f"yt{i:03d}",
                title=f"How to bake loaf {i} #bread",
                published=(START + timedelta(days=i)).isoformat().replace("+00:00", "Z"),
                views=views,
                likes=views // 20,
                comments=3,
                duration="PT42S",
            )
        )
    return videos


def csv_rows(creator: str, n: int, *, platform: str = "tiktok", prefix: str = "tt") -> str:
    """``n`` good CSV rows for ``creator`` (no header)."""
    rows = []
    for i in range(n):
        when = (START + timedelta(days=2 * i)).isoformat()
        views = 500 + 100 * i
        rows.append(
            f"{platform},{prefix}{i},Packing tip {i},Pack light #travel,{views},{views // 10},"
            f"{i},{i},{15 + i},{when},travel,{creator}\n"
        )
    return "".join(rows)


@dataclass
class YouTubeWorld:
    """The app and a YouTube fake, wired by settings (as a real deployment would be)."""

    api: Api
    settings: Settings
    youtube: FakeYouTubeData
    server: FakeServer

    def add_creator(self, account: Account, handle: str = "@BreadLab") -> str:
        answer = self.api.client.post(
            "/api/v1/creators",
            json={"platform": "youtube", "handle": handle},
            headers=account.headers,
        )
        assert answer.status_code == 201, answer.text
        return str(answer.json()["id"])

    def start_refresh(self, account: Account, creator_id: str) -> str:
        answer = self.api.client.post(
            f"/api/v1/creators/{creator_id}/refresh", headers=account.headers
        )
        assert answer.status_code == 202, answer.text
        return str(answer.json()["job"]["id"])


@contextmanager
def youtube_world(
    settings: Settings, *, key: str | None = KEY, **changes: Any
) -> Iterator[YouTubeWorld]:
    youtube = FakeYouTubeData()
    with serve(youtube.handle) as server:
        cfg = configured(
            settings,
            youtube_base_url=server.base_url + PREFIX,
            youtube_api_key=key,
            **changes,
        )
        with TestClient(create_app(cfg)) as client:
            yield YouTubeWorld(Api(client, cfg), cfg, youtube, server)


def stored_videos(database: Database, *, owner_id: str) -> list[ResearchVideo]:
    with database.session() as db:
        return list(db.scalars(select(ResearchVideo).where(ResearchVideo.owner_id == owner_id)))


def stored_snapshots(database: Database, *, owner_id: str) -> list[VideoSnapshot]:
    with database.session() as db:
        return list(db.scalars(select(VideoSnapshot).where(VideoSnapshot.owner_id == owner_id)))


# Shaped like `yt-dlp --dump-json` output for TikTok (trimmed: real lines carry formats etc.).
TIKTOK_LINE = {
    "id": "7301234567890123456",
    "title": "How I fixed my sourdough #baking #sourdough",
    "description": "How I fixed my sourdough #baking #sourdough",
    "timestamp": 1714584600,
    "duration": 34,
    "view_count": 120400,
    "like_count": 9100,
    "comment_count": 210,
    "repost_count": 455,
    "uploader": "breadlab",
    "uploader_id": "6712345678901234567",
    "channel": "Bread Lab",
    "webpage_url": "https://www.tiktok.com/@breadlab/video/7301234567890123456",
    "extractor": "TikTok",
    "extractor_key": "TikTok",
    "formats": [{"url": "https://v16.example/video.mp4"}],
    "track": "original sound",
}


def ytdlp_lines() -> str:
    """Three good lines and three bad ones (bad JSON, no time, Vimeo), one warning."""
    second = {
        **TIKTOK_LINE,
        "id": "7301234567890123457",
        "view_count": "1,200",
        "timestamp": 1714671000,
    }
    missing_time = {k: v for k, v in TIKTOK_LINE.items() if k != "timestamp"}
    missing_time["id"] = "7301234567890123458"
    bad_likes = {
        **TIKTOK_LINE,
        "id": "7301234567890123459",
        "like_count": "lots",
        "timestamp": 1714757400,
    }
    return "\n".join(
        [
            json.dumps(TIKTOK_LINE),
            json.dumps(second),
            "{not json",
            json.dumps(missing_time),
            json.dumps(bad_likes),
            json.dumps({**TIKTOK_LINE, "extractor": "Vimeo", "extractor_key": "Vimeo", "id": "v1"}),
        ]
    )  # fmt: skip
