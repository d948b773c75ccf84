"""nbval for the teaching notebooks (both editions, ``nl/`` and ``en/``): a reference output for every checked cell.

A cell whose output nbval checks carries the cell tag ``nbval-check-output`` (not a
``# NBVAL_CHECK_OUTPUT`` comment, which students would see). The notebooks are
committed without outputs, and nbval does not compare the output of a cell that has
never been run: on its own, the tag would check nothing here. So a cell whose numbers matter carries the text it must print in its
metadata, ``{"nbval": {"expected_stdout": "..."}}``, and this hook gives nbval that
text as the cell's reference output before the cell runs; nbval then compares as
usual. To change an expected number, check the new one against its source (the
seed's example, a hand calculation) and edit the cell's metadata (JupyterLab:
property inspector, or the .ipynb file).
"""

from __future__ import annotations

import nbformat


def pytest_runtest_setup(item):
    """Hand nbval the expected printed text of a checked cell as its reference output."""
    cell = getattr(item, "cell", None)
    if cell is None:
        return
    expected = cell.get("metadata", {}).get("nbval", {}).get("expected_stdout")
    if expected is None:
        return
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=expected)]
    cell.execution_count = 1
