"""Scene media (the media kind): procedural backgrounds (default, offline), the local library, Pexels and Pixabay, one module each, with their shared download cache."""
