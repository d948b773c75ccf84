"""Tests for assessment.batch.worker: what a batch's render worker loads."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

#: what a spawned render worker does before its first report: multiprocessing re-runs the
#: ``assess`` script as __mp_main__, the pool unpickles warm_worker, which imports these
WORKER_START = """
import json, runpy, sys
runpy.run_path(sys.argv[1], run_name="__mp_main__")
import assessment.batch.worker as w
w.skip_slow_imports()
import nbclient, papermill
from assessment.batch import kernels
from assessment.report import render
print(json.dumps({m: m in sys.modules for m in sys.argv[2:]}))
"""


def _loaded(code: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout)


def test_render_worker_loads_neither_pandas_nor_matplotlib():
    """A render worker starts without pandas, matplotlib, scipy or seaborn.

    It renders through papermill and nbconvert only: the analysis libraries are loaded by
    the main process and by the kernels, not by it (about 1 s of start-up each).

    Expected: none of the heavy modules in sys.modules; nbclient, which the worker needs,
    is there (a check that the probe ran).
    """
    assess = Path(sys.executable).with_name("assess")
    loaded = _loaded(WORKER_START, str(assess), "pandas", "matplotlib", "scipy", "seaborn",
                     "nbclient")
    assert loaded == {"pandas": False, "matplotlib": False, "scipy": False, "seaborn": False,
                      "nbclient": True}


def test_batch_main_process_does_not_load_matplotlib():
    """The batch's main process loads pandas but not matplotlib.

    It reads and analyses the file (pandas) and writes the index with the stage colours
    from assessment.report.colours; matplotlib is for the kernels only.
    """
    code = ("import json, sys\nimport assessment.batch.run\n"
            "print(json.dumps({m: m in sys.modules for m in sys.argv[1:]}))")
    assert _loaded(code, "matplotlib", "pandas") == {"matplotlib": False, "pandas": True}
