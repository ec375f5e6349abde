"""One not-yet-verified problem per finding (``problems.open_key`` + a unique index);
``compounds.imported_at`` (when an import last changed the compound).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

``open_key`` is the finding's key (``zone:<name>`` or ``blind_spot:<x>,<y>``;
see docs/registry.md, "One problem per finding") while the problem is not
verified, NULL otherwise; the unique index on ``(compound_id, open_key)``
refuses a second one (NULLs never clash).  Existing analysis problems get
their key here; where duplicates were already opened, the oldest keeps the
key and the later ones stay without (they remain listed and can be closed).

``compounds.imported_at`` starts NULL: the creation time of the compound
stands in for it (docs/registry.md, "import-site / export-site").
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _key(ref_key: str | None, reference: object) -> str | None:
    if ref_key and ref_key.startswith("zone:"):
        return ref_key
    if ref_key == "blind_spot" and isinstance(reference, dict):
        centroid = reference.get("centroid")
        if isinstance(centroid, list) and len(centroid) == 2:
            return f"blind_spot:{float(centroid[0]):.1f},{float(centroid[1]):.1f}"
    return None


def upgrade() -> None:
    with op.batch_alter_table("compounds", schema=None) as batch_op:
        batch_op.add_column(sa.Column("imported_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("problems", schema=None) as batch_op:
        batch_op.add_column(sa.Column("open_key", sa.String(length=300), nullable=True))
    problems = sa.table(
        "problems",
        sa.column("id", sa.Integer),
        sa.column("compound_id", sa.Integer),
        sa.column("source", sa.String),
        sa.column("status", sa.String),
        sa.column("ref_key", sa.String),
        sa.column("reference", sa.JSON),
        sa.column("open_key", sa.String),
    )
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(problems.c.id, problems.c.compound_id, problems.c.ref_key, problems.c.reference)
        .where(problems.c.source == "analysis", problems.c.status != "verified")
        .order_by(problems.c.id)
    ).all()
    taken: set[tuple[int, str]] = set()
    for pid, compound_id, ref_key, reference in rows:
        key = _key(ref_key, reference)
        if key is None or (compound_id, key) in taken:
            continue
        taken.add((compound_id, key))
        bind.execute(problems.update().where(problems.c.id == pid).values(open_key=key))
    with op.batch_alter_table("problems", schema=None) as batch_op:
        batch_op.create_index(
            "uq_problems_compound_open_key", ["compound_id", "open_key"], unique=True
        )


def downgrade() -> None:
    with op.batch_alter_table("problems", schema=None) as batch_op:
        batch_op.drop_index("uq_problems_compound_open_key")
        batch_op.drop_column("open_key")
    with op.batch_alter_table("compounds", schema=None) as batch_op:
        batch_op.drop_column("imported_at")
