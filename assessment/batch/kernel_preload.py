"""Imports for the kernel zygote (see :mod:`assessment.batch.kernels`): libraries only, never data.

The forkserver imports this module once; every report kernel forked from it starts
with these modules loaded. It must not create threads, event loops, ZeroMQ contexts or
figures, and must not read any responses file: whatever it holds, every kernel inherits.
"""

import gc
import json
import os
import subprocess
import sys

from assessment.batch.lifetime import PARENT_ENV, die_with_parent

# first of all: the zygote dies with its worker, however the worker ends, also while it is
# still importing (forked kernels do the same)
die_with_parent(int(os.environ.get(PARENT_ENV) or 0) or None)

# as ipykernel does at start-up, before matplotlib reads its settings
os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
# the debugger's import-time check of frozen modules would print to the batch's terminal;
# kernels get their environment from the kernel manager, not from here
os.environ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"

import sqlite3  # noqa: E402, F401

import ipykernel.debugger  # noqa: E402, F401
import ipykernel.ipkernel  # noqa: E402, F401
import ipykernel.kernelapp  # noqa: E402, F401
import ipykernel.zmqshell  # noqa: E402, F401
import IPython.core.completerlib  # noqa: E402, F401
import IPython.extensions.storemagic  # noqa: E402, F401
import matplotlib.backends.backend_svg  # noqa: E402, F401  (savefig loads it per kernel)
import matplotlib.pyplot  # noqa: E402, F401
import pandas  # noqa: E402, F401
import psutil  # noqa: E402, F401
import tornado.queues  # noqa: E402, F401
from IPython.display import HTML, display  # noqa: E402, F401

from assessment.core.i18n import messages  # noqa: E402

# what the organisation report imports; not the cohort overview's seaborn (~1 s): that
# notebook runs once per batch and imports it itself
from assessment.report import analysis_sections, sections  # noqa: E402, F401

messages()  # the report texts (package data, the same for every report)


def _base_sys_path() -> list[str]:
    """``sys.path`` of a fresh interpreter, without its first entry (the script's folder)."""
    out = subprocess.run([sys.executable, "-c", "import json, sys; print(json.dumps(sys.path))"],
                         capture_output=True, text=True, check=True, cwd="/")
    return json.loads(out.stdout)[1:]


#: what a kernel started with ``python -m ipykernel_launcher`` has on sys.path
BASE_SYS_PATH = _base_sys_path()

# Everything above lives as long as the kernel: move it out of the collector's sight, so
# a kernel's collections neither scan it (about 0.1-0.2 s per report) nor write to its
# pages (which copy-on-write would then copy). Python's gc docs advise this before fork.
gc.freeze()
