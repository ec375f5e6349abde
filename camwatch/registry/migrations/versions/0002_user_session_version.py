"""Users get a session version (signing out and a password change end every session).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01

``users.session_version`` starts at 1 for existing users; session cookies
issued before this revision carry no version and so are no longer accepted
(everyone signs in once more after the upgrade).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_version", sa.Integer(), server_default="1", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("session_version")
