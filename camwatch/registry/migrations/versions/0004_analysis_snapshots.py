"""Analysis snapshots: stored results of district batches (``camwatch district``).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

One row per compound, task (analyze/check/plan) and fingerprint of what the
result was computed from (docs/district.md). Rows go with their compound.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "analysis_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("compound_id", sa.Integer(), nullable=False),
        sa.Column("task", sa.String(length=16), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["compound_id"],
            ["compounds.id"],
            name=op.f("fk_analysis_snapshots_compound_id_compounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analysis_snapshots")),
        sa.UniqueConstraint(
            "compound_id",
            "task",
            "fingerprint",
            name=op.f("uq_analysis_snapshots_compound_id_task_fingerprint"),
        ),
    )
    op.create_index(
        "ix_analysis_snapshots_compound_task",
        "analysis_snapshots",
        ["compound_id", "task", "created_at"],
    )


def downgrade() -> None:
    op.drop_index("ix_analysis_snapshots_compound_task", table_name="analysis_snapshots")
    op.drop_table("analysis_snapshots")
