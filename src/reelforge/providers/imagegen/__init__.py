"""Image generation (the imagegen kind): one module per image API."""
