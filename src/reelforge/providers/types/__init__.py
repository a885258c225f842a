"""The value types providers return and take: media assets, speech with word timings,
creators and their public video stats, post requests, OAuth tokens.

They live below the core so that a provider never imports a core package, and the
core depends on providers' contracts, never the reverse."""
