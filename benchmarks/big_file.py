"""Write a large responses file: the example rows repeated under new organisation names.

Run from the project root::

    .venv/bin/python benchmarks/big_file.py 100000 build/responses-100000.csv

Each copy of ``data/examples/responses.csv`` gets new organisation names (``<name> 00001``)
and respondent ids, so 100,000 rows hold about 7,100 organisations of the example sizes
(the file of issue 13). Used by ``benchmarks/commands.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from assessment.core.config import EXAMPLE_RESPONSES


def big_file(rows: int, path: Path) -> Path:
    """Write the example rows repeated under new organisation names up to ``rows`` rows."""
    base = pd.read_csv(EXAMPLE_RESPONSES, dtype=str, keep_default_na=False)
    parts = []
    for k in range(rows // len(base) + 1):
        part = base.copy()
        part["organisation"] = part["organisation"] + f" {k:05d}"
        part["respondent_id"] = part["respondent_id"] + f"-{k}"
        parts.append(part)
    path.parent.mkdir(parents=True, exist_ok=True)
    pd.concat(parts).iloc[:rows].to_csv(path, index=False)
    return path


if __name__ == "__main__":
    if len(sys.argv) != 3 or not sys.argv[1].isdigit():
        sys.exit("usage: big_file.py ROWS PATH")
    print(big_file(int(sys.argv[1]), Path(sys.argv[2])))
