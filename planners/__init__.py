"""Planners: where to add cameras and other devices, intruder and patrol routes (issue 4).

Built on the exact coverage engine (:mod:`camwatch.geometry`); imports
``camwatch`` (model, geometry, sitefile) and never the registry or the web.

Modules, one idea each:

- :mod:`planners.lenses` — camera types (lens, resolution, mounting, cost) and the ``--lenses`` table;
- :mod:`planners.candidates` — candidate cameras on mounts, facades and the boundary;
- :mod:`planners.demand` — the objective (weighted uncovered area); :mod:`planners.atoms` its exact atoms;
- :mod:`planners.evaluators` — the exact evaluators of the objective (polygons, atoms);
- :mod:`planners.placement` — lazy greedy; :mod:`planners.local_search` — local search;
- :mod:`planners.exact` — max-coverage / set-cover integer programmes solved with HiGHS;
- :mod:`planners.plan` — ``plan_cameras`` and ``site_with_suggestions`` (``camwatch plan``);
- :mod:`planners.devices` — access control, perimeter alarms, intercoms (``camwatch suggest``);
- :mod:`planners.paths` — shortest paths in free space;
- :mod:`planners.routes` — intruder routes (``camwatch routes``);
- :mod:`planners.patrol` — the patrol route (``camwatch patrol``);
- :mod:`planners.overlays` — what ``render`` draws of all of the above;
- :mod:`planners.cli` — ``camwatch plan``; :mod:`planners.advice_cli` — ``suggest``,
  ``routes``, ``patrol``; :mod:`planners.cli_kit` — what they share.
"""
