"""Where a post stands in reelforge's own publish state machine: the phases the ledger
records, the state it keeps to resume without repeating a side effect, and what a run
hands back."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from reelforge.clock import utc_now

#: Where a post stands in reelforge's own state machine (what the ledger stores).
#:
#: ``init_sent``    the create call was about to go out (recorded *before* sending it);
#:                  if a run stops here, whether the platform got it is unknown
#: ``rejected``     the platform answered the create call with a refusal (nothing was made;
#:                  safe to create again, e.g. after a rate limit)
#: ``initialised``  the platform answered with an id (publish_id / upload session)
#: ``uploaded``     every byte is on the platform
#: ``published`` / ``sent_to_inbox`` / ``failed``  terminal
Phase = Literal[
    "init_sent", "rejected", "initialised", "uploaded", "published", "sent_to_inbox", "failed"
]


TERMINAL_PHASES: frozenset[str] = frozenset({"published", "sent_to_inbox", "failed"})


@dataclass(frozen=True)
class StatusEvent:
    """One status the platform reported, kept for the post's history."""

    status: str
    at: datetime
    fail_reason: str = ""


@dataclass(frozen=True)
class PostState:
    """The ledger's record of one post: enough to resume it without repeating a side effect."""

    post_key: str
    platform: str
    phase: Phase
    publish_id: str | None = None  # TikTok publish_id, or the YouTube upload session URL
    upload_url: str | None = None
    uploaded_bytes: int = 0
    total_bytes: int = 0
    chunk_size: int = 0  # fixed at init: a resumed upload must cut the file the same way
    status: str | None = None  # the platform's last status word
    fail_reason: str = ""
    post_ids: tuple[str, ...] = ()
    init_attempts: int = 0
    history: tuple[StatusEvent, ...] = field(default=())
    updated_at: datetime = field(default_factory=utc_now)

    @property
    def terminal(self) -> bool:
        return self.phase in TERMINAL_PHASES


class PlatformPost(BaseModel):
    """What a publish run hands back to the caller (and the post history shows)."""

    platform: str
    post_key: str
    phase: str
    publish_id: str | None = None
    status: str | None = None
    fail_reason: str = ""
    fail_message: str = ""
    post_ids: tuple[str, ...] = ()
    url: str | None = None
    history: tuple[str, ...] = Field(default=())

    @property
    def done(self) -> bool:
        return self.phase in TERMINAL_PHASES
