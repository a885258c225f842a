from pathlib import Path

import pytest

from reelforge.providers.types.media import WordTiming
from reelforge.studio.cache import StageCache, stage_key


def test_keys_change_with_any_input_and_are_stable_otherwise() -> None:
    a = stage_key("voice", 1, text="hello", provider="piper")
    assert a == stage_key("voice", 1, provider="piper", text="hello")
    assert a != stage_key("voice", 1, text="hello!", provider="piper")
    assert a != stage_key("voice", 2, text="hello", provider="piper")
    words = [WordTiming(word="hi", start=0, end=0.2)]
    assert stage_key("c", 1, words=words) == stage_key("c", 1, words=list(words))


def test_a_failed_write_leaves_nothing_that_looks_finished(tmp_path: Path) -> None:
    cache = StageCache(tmp_path)
    with pytest.raises(RuntimeError), cache.writing("segment", "abc", "mp4") as tmp:
        tmp.write_bytes(b"half a video")
        raise RuntimeError("killed mid-write")
    assert not cache.has("segment", "abc", "mp4")
    assert list((tmp_path / "segment").iterdir()) == []


def test_a_finished_write_is_published(tmp_path: Path) -> None:
    cache = StageCache(tmp_path)
    with cache.writing("audio", "k", "m4a") as tmp:
        tmp.write_bytes(b"data")
    assert cache.has("audio", "k", "m4a")
    assert cache.path("audio", "k", "m4a").read_bytes() == b"data"
