"""Voices (the TTS kind): piper (default, offline), espeak, ElevenLabs, OpenAI speech and the silent cut, one module each, with the forced aligner they share."""
