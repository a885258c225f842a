"""imagegen providers."""
