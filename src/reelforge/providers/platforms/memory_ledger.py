"""The in-memory idempotency ledger: the reference :class:`PostLedger`.

Why it exists beside the database ledger (``reelforge.publish.post_ledger``):
the state machines' tests and one-shot runs need a ledger with no database, and
a second, minimal implementation pins down what the contract asks of any ledger.
"""

from __future__ import annotations

import threading
from dataclasses import replace

from reelforge.clock import utc_now
from reelforge.errors import InputError
from reelforge.providers.types.publishing import Phase, PostState, StatusEvent, check_phase


class InMemoryLedger:
    """A thread-safe dict of :class:`PostState`; the reference :class:`PostLedger`."""

    def __init__(self) -> None:
        self._states: dict[str, PostState] = {}
        self._lock = threading.Lock()
        self.writes: list[tuple[str, str]] = []  # (post_key, method) in order, for inspection

    def _get(self, post_key: str) -> PostState:
        state = self._states.get(post_key)
        if state is None:
            raise InputError(f"No publishing record for post {post_key!r}.")
        return state

    def _put(self, state: PostState, method: str) -> PostState:
        state = replace(state, updated_at=utc_now())
        self._states[state.post_key] = state
        self.writes.append((state.post_key, method))
        return state

    def load(self, post_key: str) -> PostState | None:
        with self._lock:
            return self._states.get(post_key)

    def record_init_sent(
        self, post_key: str, *, platform: str, total_bytes: int, chunk_size: int = 0
    ) -> PostState:
        with self._lock:
            old = self._states.get(post_key)
            if old is not None and old.platform != platform:
                raise InputError(
                    f"Post {post_key!r} is already being published to {old.platform}; "
                    "use a new post for another platform."
                )
            state = PostState(
                post_key=post_key,
                platform=platform,
                phase="init_sent",
                total_bytes=total_bytes,
                chunk_size=chunk_size,
                init_attempts=(old.init_attempts if old else 0) + 1,
                history=old.history if old else (),
            )
            return self._put(state, "record_init_sent")

    def record_init(self, post_key: str, *, publish_id: str, upload_url: str | None) -> None:
        with self._lock:
            state = self._get(post_key)
            self._put(
                replace(state, phase="initialised", publish_id=publish_id, upload_url=upload_url),
                "record_init",
            )

    def record_upload(self, post_key: str, *, uploaded_bytes: int, complete: bool) -> None:
        with self._lock:
            state = self._get(post_key)
            phase: Phase = "uploaded" if complete else state.phase
            self._put(replace(state, uploaded_bytes=uploaded_bytes, phase=phase), "record_upload")

    def record_status(
        self,
        post_key: str,
        *,
        status: str,
        fail_reason: str = "",
        post_ids: tuple[str, ...] = (),
        phase: Phase | None = None,
    ) -> None:
        check_phase(phase)
        with self._lock:
            state = self._get(post_key)
            event = StatusEvent(status=status, at=utc_now(), fail_reason=fail_reason)
            self._put(
                replace(
                    state,
                    phase=phase or state.phase,
                    status=status,
                    fail_reason=fail_reason or state.fail_reason,
                    post_ids=post_ids or state.post_ids,
                    history=(*state.history, event),
                ),
                "record_status",
            )
