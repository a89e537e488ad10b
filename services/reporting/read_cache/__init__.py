"""Reporting's read caches: what each process keeps in memory because reading the views
from storage is too slow for a report, not what a report means. Its copy of the view
cells, brought up to date from the batches' deltas (`cells`); the deltas' compact
encoding (`deltas`); the views held in dicts exactly as MongoDB applies the upserts
(`memory_views`: a rebuild's working copy and the tests' fake). The figures themselves
are decided in `services.reporting.domain`.
"""
