"""The video domain's job kinds: ``video`` renders a topic or an edited script."""

from __future__ import annotations

from sqlalchemy.orm import Session

from reelforge.jobs.registry import JobRegistry
from reelforge.jobs.tables import Job
from reelforge.videos.render_job import render_video
from reelforge.videos.tables import Video


def _render_ended(db: Session, job: Job) -> None:
    """A render that failed or was cancelled shows on its video, which has no files then."""
    if job.state != "succeeded" and job.video_id is not None:
        video = db.get(Video, job.video_id)
        if video is not None:
            video.status = job.state


def register(jobs: JobRegistry) -> None:
    jobs.add_kind("video", render_video, on_end=_render_ended)
