"""Publishing platforms: one module per platform behind :class:`reelforge.providers.base.Platform`.

``tiktok``, ``youtube`` and ``outbox`` are the platforms the registry lists
(kind ``"platform"``); beside them are their wire clients (TikTok Login Kit and
Content Posting, Google OAuth, YouTube uploads, with the OAuth flow they share
in ``oauth``), their resumable state machines, the steps every machine shares
(``resumable``) and the reference in-memory ledger. Nothing here knows the
database: the ledger contract is :class:`~reelforge.providers.types.publishing.PostLedger`.
"""
