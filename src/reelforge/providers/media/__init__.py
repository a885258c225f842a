"""media providers."""
