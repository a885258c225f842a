"""The studio: topic -> script -> storyboard -> media + voice + captions -> MP4."""
