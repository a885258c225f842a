"""File imports: real-shaped yt-dlp lines and CSV, bad rows reported by line, good rows kept."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reelforge.errors import InputError
from reelforge.providers.types.research import CreatorRef, VideoStats
from reelforge.research.import_formats import import_file, parse_csv, parse_ytdlp

# Shaped like `yt-dlp --dump-json` output (trimmed: the real lines carry formats etc.).
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
    "thumbnails": [{"url": "https://p16.example/cover.jpg"}],
    "uploader_url": "https://www.tiktok.com/@breadlab",
    "track": "original sound",
}
YOUTUBE_LINE = {
    "id": "dQw4w9WgXcQ",
    "title": "Why your bread is dense",
    "description": "Full recipe below.\n#bread",
    "upload_date": "20240502",
    "duration": 58.0,
    "view_count": 5400,
    "comment_count": 12,
    "channel_id": "UCabcdefghijklmnopqrstuv",
    "uploader_id": "@breadlab",
    "extractor": "youtube",
    "extractor_key": "Youtube",
    "webpage_url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "tags": ["bread", "baking"],
}


def lines(*objs: object) -> str:
    return "\n".join(o if isinstance(o, str) else json.dumps(o) for o in objs)


def test_ytdlp_tiktok_line_maps_counts_reposts_and_time() -> None:
    result = parse_ytdlp(lines(TIKTOK_LINE))
    assert result.problems == []
    (video,) = result.videos
    assert video.platform == "tiktok"
    assert video.platform_video_id == "7301234567890123456"
    assert (video.views, video.likes, video.comments, video.shares) == (120400, 9100, 210, 455)
    assert video.published_at == datetime(2024, 5, 1, 17, 30, tzinfo=UTC)
    assert video.duration_s == 34
    assert video.hashtags == ["baking", "sourdough"]
    assert result.creators[video.platform_video_id] == CreatorRef(
        platform="tiktok", handle="breadlab"
    )


def test_ytdlp_youtube_line_uses_upload_date_and_leaves_absent_counts_unknown() -> None:
    (video,) = parse_ytdlp(lines(YOUTUBE_LINE)).videos
    assert video.platform == "youtube"
    assert video.published_at == datetime(2024, 5, 2, tzinfo=UTC)
    assert video.likes is None  # absent: not known, not zero
    assert video.shares is None  # YouTube has no share count
    assert video.hashtags == ["bread"]


def test_P14_imports_keep_only_public_metadata() -> None:
    (video,) = parse_ytdlp(lines(TIKTOK_LINE)).videos
    assert set(video.model_dump()) == {
        "platform", "platform_video_id", "title", "description", "views", "likes",
        "comments", "shares", "duration_s", "published_at", "hashtags", "url",
    }  # fmt: skip
    dumped = json.dumps(video.model_dump(mode="json"))
    assert "formats" not in dumped and "thumbnails" not in dumped and "original sound" not in dumped
    with pytest.raises(ValueError):
        VideoStats(**video.model_dump(), uploader_url="https://x")  # type: ignore[arg-type]


def test_bad_ytdlp_rows_are_reported_by_line_and_never_stop_the_good_ones() -> None:
    flat = {"_type": "url", "id": "abc", "title": "x", "extractor_key": "Youtube"}
    malformed = {**TIKTOK_LINE, "id": "2", "like_count": "1.2K", "duration": "long"}
    text = lines(
        TIKTOK_LINE,
        "",
        "{not json",
        flat,
        {**YOUTUBE_LINE, "extractor_key": "Instagram", "extractor": "instagram"},
        {**YOUTUBE_LINE, "upload_date": "2024-13-45"},
        malformed,
        TIKTOK_LINE,  # the same video again
        YOUTUBE_LINE,
    )
    result = parse_ytdlp(text)
    assert [v.platform_video_id for v in result.videos] == [
        "7301234567890123456",
        "2",
        "dQw4w9WgXcQ",
    ]
    problems = {p.line: p.reason for p in result.problems}
    assert set(problems) == {3, 4, 5, 6, 8}
    assert "not valid JSON" in problems[3]
    assert "--flat-playlist" in problems[4]
    assert "Instagram" in problems[5]
    assert "2024-13-45" in problems[6]
    assert "already read on line 1" in problems[8]
    kept = result.videos[1]
    assert kept.likes is None and kept.duration_s is None and kept.views == 120400
    assert {w.line for w in result.warnings} == {7}


def test_ytdlp_playlist_json_and_creator_filter() -> None:
    other = {**TIKTOK_LINE, "id": "9", "uploader": "someoneelse"}
    playlist = {"_type": "playlist", "entries": [TIKTOK_LINE, other]}
    result = parse_ytdlp(
        lines(playlist), only_creator=CreatorRef(platform="tiktok", handle="BreadLab")
    )
    assert [v.platform_video_id for v in result.videos] == ["7301234567890123456"]
    assert "belongs to @someoneelse" in result.problems[0].reason


CSV = """platform,platform_video_id,title,views,likes,comments,shares,duration_s,published_at,hashtags
tiktok,111,First,1000,100,10,5,21,2024-05-01T18:30:00Z,baking #bread
tiktok,222,"Second, with a
two-line title",lots,1,1,1,20,2024-05-02,
youtube,333,Third,2500,,,,61.5,20240503,
youtube,,No id,1,1,1,,5,2024-05-04,
youtube,444,Late,10,1,0,,5,yesterday,
tiktok,555,Naive time,7,1,1,1,5,2024-05-05 10:00:00,
"""


def test_csv_bad_rows_are_reported_with_their_line_numbers() -> None:
    result = parse_csv(CSV)
    assert [v.platform_video_id for v in result.videos] == ["111", "333", "555"]
    problems = {p.line: p.reason for p in result.problems}
    assert set(problems) == {3, 6, 7}  # row 2 spans lines 3-4 (a quoted line break)
    assert "views 'lots'" in problems[3]
    assert "platform_video_id is empty" in problems[6]
    assert "yesterday" in problems[7]
    first, third, naive = result.videos
    assert first.hashtags == ["baking", "bread"]
    assert third.likes is None and third.published_at == datetime(2024, 5, 3, tzinfo=UTC)
    assert naive.published_at == datetime(2024, 5, 5, 10, tzinfo=UTC)


def test_csv_without_required_columns_says_what_the_header_must_be() -> None:
    with pytest.raises(InputError, match="lacks published_at"):
        parse_csv("platform,platform_video_id,title\ntiktok,1,x\n")


def test_csv_row_with_wrong_field_count_is_a_problem() -> None:
    result = parse_csv("platform,platform_video_id,published_at\ntiktok,1,2024-05-01,extra\n")
    assert result.videos == [] and "has 4 fields" in result.problems[0].reason


def test_import_file_tells_json_lines_from_csv(tmp_path: Path) -> None:
    jsonl = tmp_path / "dump.txt"
    jsonl.write_text(lines(TIKTOK_LINE, YOUTUBE_LINE))
    csv_file = tmp_path / "videos.csv"
    csv_file.write_text("\ufeff" + CSV)
    assert len(import_file(jsonl).videos) == 2
    assert len(import_file(csv_file).videos) == 3
    with pytest.raises(InputError, match="No file"):
        import_file(tmp_path / "missing.csv")
