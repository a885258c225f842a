"""Pronunciations for words the aligner's dictionary lacks, via espeak and IPA.

The CMU dictionary has no "TikTok" or "reelforge", but espeak-ng's
letter-to-sound rules can read anything. Piper's wheel bundles espeak-ng (as a
phonemizer library with its data), so a word is phonemized to IPA there and
the IPA mapped to the ARPAbet phones of PocketSphinx's US-English model.
"""

from __future__ import annotations

import re
import threading
import unicodedata

# Longest sequences first; stress and length marks are dropped after these.
_MULTI = {
    "aɪə": ["AY", "ER"], "aɪɚ": ["AY", "ER"], "aʊɚ": ["AW", "ER"],
    "ɑːɹ": ["AA", "R"], "ɔːɹ": ["AO", "R"], "oːɹ": ["AO", "R"], "ɛɹ": ["EH", "R"],
    "ɪɹ": ["IH", "R"], "ʊɹ": ["UH", "R"], "iə": ["IY", "AH"],
    "aɪ": ["AY"], "aʊ": ["AW"], "eɪ": ["EY"], "oʊ": ["OW"], "əʊ": ["OW"], "ɔɪ": ["OY"],
    "dʒ": ["JH"], "tʃ": ["CH"], "ɜː": ["ER"], "ɑː": ["AA"], "ɔː": ["AO"], "iː": ["IY"],
    "uː": ["UW"],
}  # fmt: skip
_SINGLE = {
    "ɑ": "AA", "æ": "AE", "ʌ": "AH", "ə": "AH", "ɐ": "AH", "ɔ": "AO", "ɛ": "EH", "e": "EY",
    "ɪ": "IH", "ᵻ": "IH", "i": "IY", "o": "OW", "ʊ": "UH", "u": "UW", "a": "AE", "ɚ": "ER",
    "ɝ": "ER", "ɜ": "ER", "b": "B", "d": "D", "f": "F", "h": "HH", "k": "K", "l": "L",
    "ɫ": "L", "m": "M", "n": "N", "p": "P", "s": "S", "t": "T", "v": "V", "w": "W", "z": "Z",
    "ɡ": "G", "g": "G", "ŋ": "NG", "ɹ": "R", "r": "R", "ʃ": "SH", "ʒ": "ZH", "θ": "TH",
    "ð": "DH", "j": "Y", "ɾ": "T", "ʔ": "T", "x": "K", "ç": "HH",
}  # fmt: skip
_MAX = max(len(k) for k in _MULTI)
_LOCK = threading.Lock()
_READY = False


def _espeak_ipa(word: str) -> str:
    """IPA for ``word`` from the espeak-ng library bundled in piper ("" if unavailable)."""
    global _READY
    try:
        from piper import espeakbridge
        from piper.phonemize_espeak import ESPEAK_DATA_DIR
    except ImportError:
        return ""
    # piper guards its own espeak calls with this lock; share it so we never race it.
    import piper.voice as piper_voice

    lock = getattr(piper_voice, "_ESPEAK_PHONEMIZER_LOCK", _LOCK)
    with lock:
        if not _READY:
            espeakbridge.initialize(str(ESPEAK_DATA_DIR))
            _READY = True
        espeakbridge.set_voice("en-us")
        clauses = espeakbridge.get_phonemes(word)
    # "(fr)...(en)" flags mark a switch of language; they are not sounds.
    return " ".join(re.sub(r"\([^)]*\)", "", phonemes) for phonemes, _t, _e in clauses)


def ipa_to_arpabet_phones(ipa: str) -> list[str]:
    """Map an IPA string (espeak's en-us output) to ARPAbet phones."""
    text = "".join(
        c for c in unicodedata.normalize("NFD", ipa) if unicodedata.category(c) not in ("Mn",)
    )
    text = text.replace("ˈ", "").replace("ˌ", "").replace("ʲ", "")
    phones: list[str] = []
    i = 0
    while i < len(text):
        for size in range(min(_MAX, len(text) - i), 1, -1):
            if text[i : i + size] in _MULTI:
                phones.extend(_MULTI[text[i : i + size]])
                i += size
                break
        else:
            mapped = _SINGLE.get(text[i])
            if mapped:
                phones.append(mapped)
            i += 1
    return phones


def ipa_to_arpabet(word: str) -> list[str]:
    """ARPAbet phones for any English-looking ``word``; [] when espeak is unavailable."""
    return ipa_to_arpabet_phones(_espeak_ipa(word))
