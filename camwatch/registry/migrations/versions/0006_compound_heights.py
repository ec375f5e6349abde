"""The compound's heights settings as columns: ``coverage_model``, ``target_height_m``,
``max_depression_deg`` (docs/site-format.md §4; docs/registry.md, "Heights").

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01

Until now these site members were kept, like any other member, inside the
plan's ``site`` object (``plan_json``). They are settings of the compound, not
of its drawing, so they get their own columns; ``upgrade`` moves each
compound's values out of ``plan_json`` into the columns, ``downgrade`` puts
them back. ``coverage_model`` is one of ``ground``/``standing`` (CHECK) or
NULL for the site format's default.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEYS = ("coverage_model", "target_height_m", "max_depression_deg")


def _compounds() -> Any:
    return sa.table(
        "compounds",
        sa.column("id", sa.Integer),
        sa.column("plan_json", sa.JSON),
        sa.column("coverage_model", sa.String),
        sa.column("target_height_m", sa.JSON(none_as_null=True)),
        sa.column("max_depression_deg", sa.JSON(none_as_null=True)),
    )


def upgrade() -> None:
    with op.batch_alter_table("compounds", schema=None) as batch_op:
        batch_op.add_column(sa.Column("coverage_model", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("target_height_m", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("max_depression_deg", sa.JSON(), nullable=True))
    compounds = _compounds()
    bind = op.get_bind()
    for cid, plan in bind.execute(sa.select(compounds.c.id, compounds.c.plan_json)).all():
        site = (plan or {}).get("site") if isinstance(plan, dict) else None
        if not isinstance(site, dict) or not any(k in site for k in KEYS):
            continue
        values = {k: site.get(k) for k in KEYS}
        if values["coverage_model"] not in (None, "ground", "standing"):
            values["coverage_model"] = None  # the loader refused such a file; never stored
        plan = {**plan, "site": {k: v for k, v in site.items() if k not in KEYS}}
        bind.execute(
            compounds.update().where(compounds.c.id == cid).values(plan_json=plan, **values)
        )
    with op.batch_alter_table("compounds", schema=None) as batch_op:
        batch_op.create_check_constraint(
            op.f("ck_compounds_coverage_model"), "coverage_model IN ('ground', 'standing')"
        )


def downgrade() -> None:
    compounds = _compounds()
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(compounds.c.id, compounds.c.plan_json, *(compounds.c[k] for k in KEYS))
    ).all()
    for cid, plan, *values in rows:
        given = {k: v for k, v in zip(KEYS, values, strict=True) if v is not None}
        if not given:
            continue
        plan = dict(plan or {})
        plan["site"] = {**(plan.get("site") or {}), **given}
        bind.execute(compounds.update().where(compounds.c.id == cid).values(plan_json=plan))
    with op.batch_alter_table("compounds", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_compounds_coverage_model"), type_="check")
        batch_op.drop_column("max_depression_deg")
        batch_op.drop_column("target_height_m")
        batch_op.drop_column("coverage_model")
