"""Commercial maturity assessment: score, analyse and report; teach the models behind it.

The package has five rooms, and imports only go down (``docs/architecture.md``)::

    cli      the ``assess`` command
    batch    many reports at once: planning, render workers, forked kernels
    report   one report: sections, charts, rendering to HTML and PDF, cohort overview
    analysis the whole file's trust figures: intervals, agreement, departments, NPS, waves
    core     instruments, reading a responses file, the scoring rules, texts, files

``teaching`` (widgets, exercises, simulations) stands beside them: it may use core,
analysis and report, and nothing imports it. ``pyproject.toml`` holds the contracts
that ``make test`` checks (import-linter).
"""
