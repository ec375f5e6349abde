"""Reports and exports: what leaves camwatch on paper, in a spreadsheet or in a GIS.

Pure builders (no files, no database) turn a site, its analysis and ledger
facts into plain content or bytes; the commands gather inputs and write files
atomically. Modules:

- ``words``: the report's vocabulary in Chinese and English;
- ``content``: the compound report as sections of tables and paragraphs (pure);
- ``pdf``: lays content out as a PDF with fpdf2 and the Noto Sans CJK font;
- ``schedule``: the camera schedule / bill of materials (CSV, XLSX);
- ``geo``: local metres → WGS84 through ``site.crs`` and pyproj; KML, RFC 7946 GeoJSON;
- ``ledger``: what the ledger adds (problems, inspections, maintenance);
- ``district``: the district report;
- ``output``: safe output paths and atomic writes; ``cli``: the commands.

The package sits in the core: it may use the geometry, the renderer and the
ledger, never the planners or the web (planner suggestions are passed in).
See docs/reports.md.
"""
