"""Connected platform accounts (TikTok, YouTube, the outbox) and their OAuth tokens.

A package of its own so that research (reading your own videos with your TikTok
token) and publishing (posting with it) both use one connection and one token
refresh without importing each other. It sits above accounts (the vault) and the
platform providers, below every domain that uses a connection.
"""
