"""Teaching: what the nine teaching notebooks use (widgets, exercises, simulations).

Beside the product, not in its chain: it may use core, analysis and report (notebook 9
renders a student's own report), and nothing in the package imports it.
"""
