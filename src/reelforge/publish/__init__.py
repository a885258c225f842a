"""Publishing: post a finished video or a photo carousel to TikTok, YouTube or the outbox.

This package is the platform-independent core (typed requests, the idempotency
ledger, the resumable state machines, upload checks, the outbox) and the
service on top of it: ``tables`` (connections, posts and their history,
uploads), ``connections``/``tokens`` (OAuth, vault-sealed tokens, refresh),
``posts``, ``uploads``, ``ledger_db`` (the ledger on the ``posts`` table),
``scheduler``, ``suggest`` and ``retention``. The wire clients live in
:mod:`reelforge.providers.platforms`, the job in :mod:`reelforge.publish.publish_job`,
the routes in ``reelforge.web.api`` and the commands in :mod:`reelforge.cli.publish`.
"""
