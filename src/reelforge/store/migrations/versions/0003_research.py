"""Research: creators, their videos and stat snapshots, quota usage, Content DNA versions.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 18:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None

AUTO_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _when(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _owner_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["owner_id"], ["users.id"], name=op.f(f"fk_{table}_owner_id_users"), ondelete="CASCADE"
    )


def _creator_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["creator_id"],
        ["research_creators.id"],
        name=op.f(f"fk_{table}_creator_id_research_creators"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "research_workspaces",
        sa.Column("owner_id", sa.String(length=36), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        _when("updated_at"),
        _owner_fk("research_workspaces"),
        sa.PrimaryKeyConstraint("owner_id", name=op.f("pk_research_workspaces")),
    )
    op.create_table(
        "research_creators",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("owner_id", sa.String(length=36), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("handle", sa.String(length=100), nullable=True),
        sa.Column("platform_id", sa.String(length=64), nullable=True),
        sa.Column("lookup", sa.String(length=100), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=True),
        sa.Column("followers", sa.BigInteger(), nullable=True),
        _when("created_at"),
        _when("refreshed_at", nullable=True),
        sa.Column("refresh_status", sa.String(length=16), nullable=True),
        sa.Column("refresh_message", sa.Text(), nullable=True),
        _when("retry_after", nullable=True),
        _owner_fk("research_creators"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_research_creators")),
        sa.UniqueConstraint(
            "owner_id",
            "platform",
            "lookup",
            name=op.f("uq_research_creators_owner_id_platform_lookup"),
        ),
    )
    op.create_index(
        op.f("ix_research_creators_owner_id"), "research_creators", ["owner_id"], unique=False
    )
    op.create_table(
        "research_videos",
        sa.Column("id", AUTO_ID, autoincrement=True, nullable=False),
        sa.Column("owner_id", sa.String(length=36), nullable=False),
        sa.Column("creator_id", sa.String(length=36), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("platform_video_id", sa.String(length=128), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("views", sa.BigInteger(), nullable=True),
        sa.Column("likes", sa.BigInteger(), nullable=True),
        sa.Column("comments", sa.BigInteger(), nullable=True),
        sa.Column("shares", sa.BigInteger(), nullable=True),
        sa.Column("duration_s", sa.Float(), nullable=True),
        _when("published_at"),
        sa.Column("hashtags", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        _when("first_seen_at"),
        _when("updated_at"),
        _creator_fk("research_videos"),
        _owner_fk("research_videos"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_research_videos")),
        sa.UniqueConstraint(
            "creator_id",
            "platform_video_id",
            name=op.f("uq_research_videos_creator_id_platform_video_id"),
        ),
    )
    op.create_index(
        "ix_research_videos_owner_creator_published",
        "research_videos",
        ["owner_id", "creator_id", "published_at"],
        unique=False,
    )
    op.create_table(
        "research_snapshots",
        sa.Column("id", AUTO_ID, autoincrement=True, nullable=False),
        sa.Column("owner_id", sa.String(length=36), nullable=False),
        sa.Column("creator_id", sa.String(length=36), nullable=False),
        sa.Column("video_id", AUTO_ID, nullable=False),
        _when("captured_at"),
        sa.Column("views", sa.BigInteger(), nullable=True),
        sa.Column("likes", sa.BigInteger(), nullable=True),
        sa.Column("comments", sa.BigInteger(), nullable=True),
        sa.Column("shares", sa.BigInteger(), nullable=True),
        _creator_fk("research_snapshots"),
        _owner_fk("research_snapshots"),
        sa.ForeignKeyConstraint(
            ["video_id"],
            ["research_videos.id"],
            name=op.f("fk_research_snapshots_video_id_research_videos"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_research_snapshots")),
        sa.UniqueConstraint(
            "video_id", "captured_at", name=op.f("uq_research_snapshots_video_id_captured_at")
        ),
    )
    op.create_index(
        op.f("ix_research_snapshots_creator_id"), "research_snapshots", ["creator_id"], unique=False
    )
    op.create_index(
        "ix_research_snapshots_owner_captured",
        "research_snapshots",
        ["owner_id", "captured_at"],
        unique=False,
    )
    op.create_table(
        "research_quota_usage",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("owner_id", sa.String(length=36), nullable=True),
        sa.Column("scope", sa.String(length=40), nullable=False),
        sa.Column("provider", sa.String(length=32), nullable=False),
        sa.Column("quota", sa.String(length=16), nullable=False),
        _when("resets_at"),
        sa.Column("used", sa.BigInteger(), nullable=False),
        _owner_fk("research_quota_usage"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_research_quota_usage")),
        sa.UniqueConstraint(
            "scope",
            "provider",
            "quota",
            "resets_at",
            name=op.f("uq_research_quota_usage_scope_provider_quota_resets_at"),
        ),
    )
    op.create_index(
        op.f("ix_research_quota_usage_owner_id"), "research_quota_usage", ["owner_id"], unique=False
    )
    op.create_table(
        "research_dna_versions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("owner_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("profile", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        _when("created_at"),
        _owner_fk("research_dna_versions"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_research_dna_versions")),
        sa.UniqueConstraint(
            "owner_id", "version", name=op.f("uq_research_dna_versions_owner_id_version")
        ),
    )
    op.create_index(
        op.f("ix_research_dna_versions_owner_id"),
        "research_dna_versions",
        ["owner_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_research_dna_versions_owner_id"), table_name="research_dna_versions")
    op.drop_table("research_dna_versions")
    op.drop_index(op.f("ix_research_quota_usage_owner_id"), table_name="research_quota_usage")
    op.drop_table("research_quota_usage")
    op.drop_index("ix_research_snapshots_owner_captured", table_name="research_snapshots")
    op.drop_index(op.f("ix_research_snapshots_creator_id"), table_name="research_snapshots")
    op.drop_table("research_snapshots")
    op.drop_index("ix_research_videos_owner_creator_published", table_name="research_videos")
    op.drop_table("research_videos")
    op.drop_index(op.f("ix_research_creators_owner_id"), table_name="research_creators")
    op.drop_table("research_creators")
    op.drop_table("research_workspaces")
