"""A ledger that stops the run at a chosen write, as if the worker process were killed there."""

from __future__ import annotations

from typing import Any

from reelforge.providers.platforms.memory_ledger import InMemoryLedger
from reelforge.providers.types.publishing import PostState


class SimulatedCrash(BaseException):  # BaseException: no `except Exception` stops it
    """The worker died."""


class CrashingLedger(InMemoryLedger):
    """Dies once at the ``nth`` call of ``method``: after storing it, or ``before`` storing it
    (the platform call happened but its result never reached the database)."""

    def __init__(
        self, method: str, *, nth: int = 1, before: bool = False, complete: bool | None = None
    ) -> None:
        super().__init__()
        self.method, self.nth, self.before, self.complete = method, nth, before, complete
        self.seen = 0
        self.armed = True

    def _hit(self, method: str, kw: dict[str, Any]) -> bool:
        if not self.armed or method != self.method:
            return False
        if self.complete is not None and kw.get("complete") is not self.complete:
            return False
        self.seen += 1
        if self.seen < self.nth:
            return False
        self.armed = False
        if self.before:
            raise SimulatedCrash(f"killed before storing {method}")
        return True

    def record_init_sent(self, post_key: str, **kw: Any) -> PostState:
        crash = self._hit("record_init_sent", kw)
        state = super().record_init_sent(post_key, **kw)
        if crash:
            raise SimulatedCrash("killed after record_init_sent")
        return state

    def record_init(self, post_key: str, **kw: Any) -> None:
        crash = self._hit("record_init", kw)
        super().record_init(post_key, **kw)
        if crash:
            raise SimulatedCrash("killed after record_init")

    def record_upload(self, post_key: str, **kw: Any) -> None:
        crash = self._hit("record_upload", kw)
        super().record_upload(post_key, **kw)
        if crash:
            raise SimulatedCrash("killed after record_upload")
