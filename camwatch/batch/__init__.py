"""District batches: many compounds analysed, checked or planned on a Dask cluster.

:mod:`.jobs` says what one compound's job is (its inputs and fingerprint, from
a folder of site files or from the ledger), :mod:`.tasks` what runs on a
worker, :mod:`.runner` how jobs go through ``dask.distributed`` and
:mod:`.cli` is ``camwatch district analyze|check|plan``. See docs/district.md.
"""
