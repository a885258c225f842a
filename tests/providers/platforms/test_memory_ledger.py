"""The in-memory ledger: the reference behaviour a database ledger must match."""

from __future__ import annotations

import pytest

from reelforge.errors import InputError
from reelforge.providers.platforms.memory_ledger import InMemoryLedger


def test_a_post_moves_through_its_phases_and_keeps_its_status_history() -> None:
    ledger = InMemoryLedger()
    assert ledger.load("k") is None
    ledger.record_init_sent("k", platform="tiktok", total_bytes=100, chunk_size=100)
    ledger.record_init("k", publish_id="pub-1", upload_url="https://up")
    ledger.record_upload("k", uploaded_bytes=100, complete=True)
    ledger.record_status("k", status="PROCESSING_UPLOAD")
    ledger.record_status("k", status="PUBLISH_COMPLETE", post_ids=("7",), phase="published")
    state = ledger.load("k")
    assert state is not None and state.terminal
    assert (state.phase, state.publish_id, state.post_ids) == ("published", "pub-1", ("7",))
    assert [e.status for e in state.history] == ["PROCESSING_UPLOAD", "PUBLISH_COMPLETE"]


def test_a_second_create_attempt_is_counted() -> None:
    ledger = InMemoryLedger()
    ledger.record_init_sent("k", platform="tiktok", total_bytes=1)
    state = ledger.record_init_sent("k", platform="tiktok", total_bytes=1)
    assert state.init_attempts == 2


def test_one_post_key_cannot_switch_platform() -> None:
    ledger = InMemoryLedger()
    ledger.record_init_sent("k", platform="tiktok", total_bytes=1)
    with pytest.raises(InputError, match="already being published"):
        ledger.record_init_sent("k", platform="youtube", total_bytes=1)


def test_unknown_phase_and_unknown_post_are_refused() -> None:
    ledger = InMemoryLedger()
    with pytest.raises(InputError):
        ledger.record_init("nope", publish_id="x", upload_url=None)
    ledger.record_init_sent("k", platform="tiktok", total_bytes=1)
    with pytest.raises(InputError):
        ledger.record_status("k", status="X", phase="exploded")  # type: ignore[arg-type]
