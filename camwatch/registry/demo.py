"""Demo data for ``make run``: the sample compounds and one user per role.

:func:`seed_demo` is idempotent: compounds are (re-)imported through
:func:`~camwatch.registry.site_import.import_site`, which changes nothing when
the files have not changed, and users that already exist are left alone
(their passwords are not reset).  Demo passwords are ``<username>-demo`` and
are printed by ``camwatch db seed-demo``: this is demo data, not for
production.  The ``manager`` user sees the old residential compound (the
one whose file name or code contains ``old``, e.g. ``old_residential.geojson``;
else the first one).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from camwatch.errors import UsageError
from camwatch.i18n import msg
from camwatch.registry.audit import set_actor
from camwatch.registry.models import User
from camwatch.registry.site_import import import_site
from camwatch.registry.users import create_user
from camwatch.sitefile import load_site

DEFAULT_SITES_DIR = Path("sample_sites")
# username, role, display name, language
DEMO_USERS: tuple[tuple[str, str, str, str], ...] = (
    ("admin", "admin", "系统管理员 Administrator", "zh"),
    ("district", "district", "区综治办 District office", "zh"),
    ("planner", "planner", "安防设计 Planner", "zh"),
    ("technician", "technician", "维保技术员 Technician", "zh"),
    ("manager", "manager", "物业经理 Property manager", "zh"),
)


def demo_password(username: str) -> str:
    """The demo password of a demo user."""
    return f"{username}-demo"


def _manager_compound(sources: dict[str, str]) -> list[str]:
    """The old residential compound: file name or code containing 'old', else the first."""
    if not sources:
        return []
    for code, stem in sources.items():
        if "old" in stem.lower() or "old" in code.lower():
            return [code]
    return [next(iter(sources))]


def seed_demo(
    session: Session, *, sites_dir: str | Path | None = None, actor: str = "demo-seed"
) -> dict[str, Any]:
    """Import every ``*.geojson`` in ``sites_dir`` and create the demo users.

    Returns ``{"compounds": {code: diff dict}, "users": [{"username", "password",
    "role", "created"}]}`` (a user created earlier keeps whatever password it has now).
    """
    set_actor(session, actor)
    folder = Path(sites_dir) if sites_dir is not None else DEFAULT_SITES_DIR
    if not folder.is_dir():
        raise UsageError(msg("sample sites folder %(folder)s does not exist", folder=str(folder)))
    files = sorted(folder.glob("*.geojson"))
    compounds: dict[str, Any] = {}
    sources: dict[str, str] = {}  # compound code -> file name without extension
    for path in files:
        diff = import_site(session, load_site(path), actor=actor)
        compounds[diff.compound] = diff.to_dict()
        sources[diff.compound] = path.stem
    users = []
    for username, role, display_name, language in DEMO_USERS:
        exists = session.scalar(select(User.id).where(User.username == username)) is not None
        if not exists:
            create_user(
                session,
                username,
                demo_password(username),
                role=role,
                display_name=display_name,
                language=language,
                compounds=_manager_compound(sources) if role == "manager" else (),
                actor=actor,
            )
        users.append(
            {
                "username": username,
                "role": role,
                "created": not exists,
                "password": demo_password(username),
            }
        )
    session.flush()
    return {"compounds": compounds, "users": users}
