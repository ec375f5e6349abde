"""Collection settings for the doctests of camwatch/ and planners/ (pyproject ``--doctest-modules``).

Alembic's migration environment runs only under ``alembic`` (it reads
``alembic.context.config`` at import), so it is not collected.
"""

collect_ignore = ["camwatch/registry/migrations"]
