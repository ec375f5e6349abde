"""Importers: CAD site plans (DXF) and scanned plans (images) → site files (docs/importers.md).

Pure conversion (:mod:`~camwatch.importers.dxf`, :mod:`~camwatch.importers.image`,
:mod:`~camwatch.importers.layers`, :mod:`~camwatch.importers.outlines`) is kept apart
from file reading (:mod:`~camwatch.importers.dxf_read`) and the commands
(:mod:`~camwatch.importers.cli`).
"""
