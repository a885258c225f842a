"""Audio and video tools that know no domain: finding and running ffmpeg, probing files,
measuring loudness. The studio, the voice and media providers and publishing all use them,
so they sit below every one of those."""
