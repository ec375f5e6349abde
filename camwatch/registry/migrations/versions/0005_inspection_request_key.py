"""One inspection per submitted form: ``inspections.request_key`` + a unique index.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01

The web's inspection form carries a token made when the page was shown; the
inspection recorded from it keeps the token as ``request_key``, and the unique
index on ``(compound_id, request_key)`` refuses a second inspection from the
same form (a reloaded POST; docs/web.md). Inspections recorded elsewhere (the
command line) have none (NULLs never clash).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("inspections", schema=None) as batch_op:
        batch_op.add_column(sa.Column("request_key", sa.String(length=64), nullable=True))
        batch_op.create_index(
            "uq_inspections_compound_request_key", ["compound_id", "request_key"], unique=True
        )


def downgrade() -> None:
    with op.batch_alter_table("inspections", schema=None) as batch_op:
        batch_op.drop_index("uq_inspections_compound_request_key")
        batch_op.drop_column("request_key")
