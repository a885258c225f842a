"""Accounts: users, sign-in (codes, passwords, sessions), API keys, the secrets vault,
bring-your-own provider keys, usage and plans, rate limits and mail.

Every service function takes a SQLAlchemy ``Session`` first and keyword-only
arguments after it; functions that touch user-owned rows take ``owner_id``
(or ``user_id``) and filter by it themselves, so a route cannot forget to.
"""
