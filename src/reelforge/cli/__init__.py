"""The command-line door: thin commands over the core services."""
