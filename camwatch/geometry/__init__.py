"""Pure geometry of coverage: optics, free space, visibility, footprints, coverage.

Shapely geometry and numbers in, shapely geometry and numbers out; no I/O.
"""
