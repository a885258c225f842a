"""The research domain's job kinds: ``creator_refresh`` reads a creator's public videos."""

from __future__ import annotations

from reelforge.jobs.registry import JobRegistry
from reelforge.research.creators import REFRESH_KIND
from reelforge.research.refresh_job import refresh_creator


def register(jobs: JobRegistry) -> None:
    jobs.add_kind(REFRESH_KIND, refresh_creator)
