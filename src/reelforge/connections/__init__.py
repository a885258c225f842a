"""Connected platform accounts (a TikTok account, a YouTube channel, the outbox) and their tokens.

A package of its own so that research (reading your own videos with your TikTok
token) and publishing (posting with it) both use one connection and one token
refresh without importing each other. It sits above accounts (the vault) and the
platform providers, below every domain that uses a connection.
"""
