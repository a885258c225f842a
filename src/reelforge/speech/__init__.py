"""How text is spoken and heard: normalising text for a voice (numbers, symbols),
number words, and forced alignment of a known text against audio. Used by the voice
providers and the studio's voice stage alike."""
