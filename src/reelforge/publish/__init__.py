"""Publishing: post a finished video or a photo carousel to a connected platform.

This package is the service: ``tables`` (posts and their history, uploads),
``posts`` (asked for, checked by the platform, queued or scheduled),
``uploads``, ``post_ledger`` (the idempotency ledger on the ``posts`` table),
``publish_job`` (the job that hands a post to its platform), ``scheduler``,
``suggest`` and ``retention``. The platforms themselves — their clients and
resumable state machines — are providers (:mod:`reelforge.providers.platforms`,
kind ``"platform"`` in the registry), reached only through
:class:`reelforge.providers.base.Platform`; connecting accounts is
:mod:`reelforge.connections`, the routes ``reelforge.web.api`` and the commands
:mod:`reelforge.cli.publish`.
"""
