"""The orchestration layer: the `clew` command, the demo, and jobs that combine the packages.

Imports run one way: clew <- nlp <- ingest, search <- app. Nothing below imports app.
"""
