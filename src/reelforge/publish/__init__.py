"""Publishing: post a finished video or a photo carousel to TikTok, YouTube or the outbox.

This package is the platform-independent core (typed requests, the idempotency
ledger, the resumable state machines, upload checks, the outbox); the wire
clients live in :mod:`reelforge.providers.platforms`. No database tables and no
routes here: the service stores :class:`~reelforge.publish.models.PostState`
rows by implementing :class:`~reelforge.publish.ledger.PostLedger`.
"""
