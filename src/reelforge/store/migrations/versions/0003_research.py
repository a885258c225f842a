"""Research: creators, their videos and stat snapshots, quota usage, Content DNA versions.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 18:00:00
"""

from __future__ import annotations

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    pass  # filled in by the research feature


def downgrade() -> None:
    pass
