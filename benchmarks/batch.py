"""Benchmark: batch rendering of 24 organisations, four ways (issue 3).

Run from the project root (takes several minutes; keep the machine otherwise idle)::

    .venv/bin/python benchmarks/batch.py [--organisations 24]

(a) the naive way: a shell loop of the ``papermill`` CLI, then
    ``jupyter nbconvert --to html --no-input`` per organisation;
(b) ``assess batch --jobs 1``;
(c) ``assess batch --jobs 2``;
(d) the floor: per organisation, executing a notebook that only imports what the
    report imports (kernel start + imports), one after another.

Prints the times, the ratios (c)/(a) (target ≤ 1/5) and (c)/((d) × N/2 per
organisation) (target ≤ 1.3), and the peak memory of (c) (sum of resident memory of
the process tree, sampled every 0.1 s).
"""

from __future__ import annotations

import argparse
import shlex
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat
import pandas as pd
import psutil

from assessment.core.config import EXAMPLE_RESPONSES, PROJECT_ROOT, REPORT_NOTEBOOK

BIN = Path(sys.executable).parent


def cohort(n: int, folder: Path) -> tuple[Path, list[str]]:
    """Write ``n`` organisations built from the example data (renamed copies) to a CSV."""
    data = pd.read_csv(EXAMPLE_RESPONSES, dtype=str, keep_default_na=False)
    orgs = list(dict.fromkeys(data["organisation"]))
    parts, names = [], []
    for k in range(n):
        source = orgs[k % len(orgs)]
        name = source if k < len(orgs) else f"{source} {k // len(orgs) + 1}"
        part = data[data["organisation"] == source].copy()
        part["organisation"] = name
        parts.append(part)
        names.append(name)
    path = folder / "cohort.csv"
    pd.concat(parts).to_csv(path, index=False)
    return path, names


def timed(command: str | list[str], **kwargs) -> tuple[float, int]:
    """Run a command; return (seconds, peak resident memory of its process tree in bytes)."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, **kwargs)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        root = psutil.Process(proc.pid)
        while not done.is_set():
            try:
                procs = [root, *root.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in procs if p.is_running()))
            except psutil.Error:
                pass
            time.sleep(0.1)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    code = proc.wait()
    done.set()
    thread.join()
    if code:
        raise SystemExit(f"command failed ({code}): {command}")
    return time.perf_counter() - start, peak


def floor_notebook(folder: Path) -> Path:
    """Write a notebook whose only cell imports what the report notebook imports."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(
        "from IPython.display import HTML, display\n\n"
        "from assessment.report import analysis_sections, sections")]
    nbformat.validator.normalize(nb)
    path = folder / "floor.ipynb"
    nbformat.write(nb, path)
    return path


def main() -> None:
    """Run (a)–(d) and print times, ratios and peak memory."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, default=24)
    args = parser.parse_args()
    n = args.organisations
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        data, names = cohort(n, tmp)
        loop = "\n".join(
            f"{BIN}/papermill --no-progress-bar --log-level ERROR {REPORT_NOTEBOOK} "
            f"{tmp}/naive/{k}.ipynb "
            f"-p responses_path {data} -p organisation {shlex.quote(name)} -p lang nl "
            f"--cwd {REPORT_NOTEBOOK.parent} && "
            f"{BIN}/jupyter nbconvert --to html --no-input {tmp}/naive/{k}.ipynb --log-level ERROR"
            for k, name in enumerate(names))
        (tmp / "naive").mkdir()
        a, a_mem = timed(["bash", "-e", "-c", loop])
        b, b_mem = timed([f"{BIN}/assess", "batch", str(data), "--out", str(tmp / "b"),
                          "--jobs", "1", "--force"])
        c, c_mem = timed([f"{BIN}/assess", "batch", str(data), "--out", str(tmp / "c"),
                          "--jobs", "2", "--force"])
        floor = floor_notebook(tmp)
        script = "\n".join(
            f"pm.execute_notebook({str(floor)!r}, {str(tmp / f'floor{k}.ipynb')!r}, "
            "progress_bar=False)" for k in range(n))
        d, _ = timed([sys.executable, "-c", "import papermill as pm\n" + script])
    per_org_floor = d / n
    print(f"{n} organisations (+ the cohort overview in (b) and (c))")
    print(f"(a) papermill CLI + nbconvert CLI loop : {a:7.1f} s  ({a / n:.2f} s per organisation)")
    print(f"(b) assess batch --jobs 1              : {b:7.1f} s  ({b / n:.2f} s per organisation)")
    print(f"(c) assess batch --jobs 2              : {c:7.1f} s  ({c / n:.2f} s per organisation)")
    print(f"(d) floor, imports-only notebook       : {d:7.1f} s  "
          f"({per_org_floor:.2f} s per organisation)")
    print(f"(a)/(c) = {a / c:.1f}x faster (target >= 5x)")
    print(f"(c)/((d) x {n}/2) = {c / (per_org_floor * n / 2):.2f} (target <= 1.3)")
    print(f"peak memory: (a) {a_mem / 2**20:.0f} MiB, (b) {b_mem / 2**20:.0f} MiB, "
          f"(c) {c_mem / 2**20:.0f} MiB")


if __name__ == "__main__":
    main()
