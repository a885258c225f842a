"""Publishing: connected platforms, posts with their ledger and status history, uploads.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 18:00:00
"""

from __future__ import annotations

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    pass  # filled in by the publishing feature


def downgrade() -> None:
    pass
