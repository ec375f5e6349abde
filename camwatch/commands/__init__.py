"""The ledger's commands (``db``, ``import-site``, ``devices``, ``problems``, ...).

A layer above both :mod:`camwatch.registry` (the ledger library, which never
imports geometry or click) and :mod:`camwatch.geometry`: commands that need a
coverage analysis (``export-site --verify``, ``problems from-analysis``,
``inspect``) compute it here and pass it to the registry.  The command line
finds these groups through the ``camwatch.commands`` entry points.
"""
