"""RENDER: model + converted Markdown -> (output path, bytes), one file at a time. Touches no file.

One module per kind of output, each yielding its `core.Job`s with their `deps`; `site.py`
puts them together for build.py. `core.py` holds what they share: the Job, the one digest,
the renderer's text and term helpers and the chrome every page shows.
"""
