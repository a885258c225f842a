"""Billing: plans for sale, Stripe Checkout and the Customer Portal, signed webhooks, receipts.

Off by default (``REELFORGE_BILLING_ENABLED``): a self-hosted studio keeps one
unlimited plan and every billing route answers 404 "billing is off". On, a
user's plan changes only when a signed webhook says so (re-read from Stripe
first), never on the browser's redirect back from Checkout.
"""
