"""``problems.description_msg``: a problem's description as a catalogue key + parameters.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01

A problem opened from an analysis finding keeps its wording as
``{"key", "params"}`` (:mod:`camwatch.i18n`), worded in the reader's language
when shown; ``description`` keeps the English text (search, exports, older
readers). Rows from before stay NULL and show their plain ``description``
(docs/registry.md, "Descriptions in the reader's language").
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("problems", schema=None) as batch_op:
        batch_op.add_column(sa.Column("description_msg", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("problems", schema=None) as batch_op:
        batch_op.drop_column("description_msg")
