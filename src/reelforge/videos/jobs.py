"""The video domain's job kinds: ``video`` renders a topic or an edited script."""

from __future__ import annotations

from reelforge.jobs.registry import JobRegistry
from reelforge.videos.render_job import render_video


def register(jobs: JobRegistry) -> None:
    jobs.add_kind("video", render_video)
