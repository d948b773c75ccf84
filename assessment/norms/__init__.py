"""Norms: anonymous aggregate results of many clients and years, and comparison with them.

``records`` turns the analysis table (:func:`assessment.analysis.whole_file.analyse`) into
aggregate records without names, respondents or free text; ``store`` keeps them in DuckDB
(embedded, the default) or PostgreSQL (shared by a firm), with a versioned schema; ``table``
makes the norm table and places one organisation in its norm group; ``compare`` joins them
for a report, a command or a teaching notebook.
"""
