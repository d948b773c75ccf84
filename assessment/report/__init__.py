"""Report: one organisation's report, and the cohort overview, from the analysed data.

``data`` (the report's data and figure embedding) is below ``sections`` and
``analysis_sections`` (the report's parts as HTML); ``plots``, ``analysis_plots``,
``colours`` and ``layout`` draw the charts; ``recommend`` picks the roadmap;
``prepared`` is a report's share of a file; ``render`` runs a report notebook and
exports HTML, ``pdf`` prints it; ``cohort`` is the overview of all organisations.
"""
