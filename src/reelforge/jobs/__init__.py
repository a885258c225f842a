"""Background jobs: a row per job (the truth), a queue that carries only ids."""
