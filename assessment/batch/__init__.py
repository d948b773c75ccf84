"""Batch: every organisation's report of a file at once, in parallel, incrementally.

``run`` plans the work (one item per organisation × wave, with digests), writes the
prepared files, index, manifest and score files; ``worker`` is what a render worker
process runs; ``kernels`` and ``kernel_preload`` fork each report's fresh kernel from a
parent that has loaded the libraries but never any data.

Importing this package loads nothing heavy: render workers import only what they use.
"""
