"""Benchmark: the commands a user waits for, as whole processes, beside their floor.

Run from the project root::

    .venv/bin/python benchmarks/commands.py [--rows 100000 20000] [--repeat 1]

Builds a large responses file from the example rows, repeated under new organisation
names (the file of issue 13: 100,000 respondents, about 7,100 organisations), then times,
each as a fresh process and in the same run:

* the **floor**: a Python process that imports pandas and reads the same CSV;
* ``assess validate`` and ``assess score`` on that file (wall time, CPU time, peak memory),
  as a ratio to the floor; ``score`` at two sizes gives the growth exponent
  log(t₂/t₁) / log(n₂/n₁) (1 = linear);
* ``assess report`` of one example organisation (HTML), beside a process that imports
  only what the report imports (its floor).

Peak memory is the largest resident set of the command's process tree, sampled every
20 ms with psutil. Figures vary by about ±10% on a shared 2-core machine: compare ratios
from one run, not seconds across runs.
"""

from __future__ import annotations

import argparse
import math
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import psutil

from assessment.core.config import EXAMPLE_RESPONSES, PROJECT_ROOT

BIN = Path(sys.executable).parent
FLOOR_READ = "import sys, pandas; pandas.read_csv(sys.argv[1], dtype=str)"
FLOOR_REPORT = ("import matplotlib.pyplot, pandas, papermill, nbconvert, ipykernel; "
                "from assessment.report import analysis_sections, sections")


def big_file(rows: int, folder: Path) -> Path:
    """Write the example rows repeated under new organisation names up to ``rows`` rows."""
    base = pd.read_csv(EXAMPLE_RESPONSES, dtype=str, keep_default_na=False)
    parts = []
    for k in range(rows // len(base) + 1):
        part = base.copy()
        part["organisation"] = part["organisation"] + f" {k:05d}"
        part["respondent_id"] = part["respondent_id"] + f"-{k}"
        parts.append(part)
    path = folder / f"responses-{rows}.csv"
    pd.concat(parts).iloc[:rows].to_csv(path, index=False)
    return path


def run(args: list[str]) -> dict:
    """Run one command; return wall seconds, CPU seconds and peak RSS (MiB) of its tree."""
    start = time.perf_counter()
    proc = psutil.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                        cwd=PROJECT_ROOT)
    peak, cpu = 0, {}
    while proc.poll() is None:
        try:
            tree = [proc, *proc.children(recursive=True)]
            rss = 0
            for p in tree:
                with p.oneshot():
                    rss += p.memory_info().rss
                    t = p.cpu_times()
                    cpu[p.pid] = t.user + t.system + t.children_user + t.children_system
            peak = max(peak, rss)
        except psutil.Error:
            pass
        time.sleep(0.02)
    wall = time.perf_counter() - start
    stderr = proc.stderr.read().decode(errors="replace")
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(map(str, args))} failed ({proc.returncode}): {stderr}")
    return {"wall": wall, "cpu": sum(cpu.values()), "peak_mib": peak / 2**20}


def best(args: list[str], repeat: int) -> dict:
    """Return the fastest of ``repeat`` runs (the least disturbed by the rest of the machine)."""
    return min((run(args) for _ in range(repeat)), key=lambda r: r["wall"])


def main() -> None:
    """Build the files, time every command and its floor, print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs=2, default=[100_000, 20_000],
                        metavar=("LARGE", "SMALL"))
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    py, assess = str(BIN / "python"), str(BIN / "assess")
    lines = []
    with tempfile.TemporaryDirectory(prefix="bench-commands-") as tmp:
        tmp = Path(tmp)
        large, small = (big_file(n, tmp) for n in args.rows)
        for path, n in ((large, args.rows[0]), (small, args.rows[1])):
            floor = best([py, "-c", FLOOR_READ, str(path)], args.repeat)
            validate = best([assess, "validate", str(path)], args.repeat)
            score = best([assess, "score", str(path), "--out", str(tmp / "s.csv")], args.repeat)
            lines.append((n, floor, validate, score))
        report_floor = best([py, "-c", FLOOR_REPORT], args.repeat)
        report = best([assess, "report", str(EXAMPLE_RESPONSES), "--org", "Delta Meettechniek",
                       "--out", str(tmp / "report")], args.repeat)
    print(f"{time.strftime('%Y-%m-%d')} · {platform.machine()} · "
          f"{psutil.cpu_count()} cores · Python {platform.python_version()}")
    print(f"{'command':<28}{'wall s':>9}{'CPU s':>9}{'peak MiB':>10}{'× floor':>9}")
    for n, floor, validate, score in lines:
        print(f"{f'floor (read {n:,} rows)':<28}{floor['wall']:>9.1f}{floor['cpu']:>9.1f}"
              f"{floor['peak_mib']:>10.0f}{1:>9.1f}")
        for name, r in (("validate", validate), ("score", score)):
            print(f"{f'{name} {n:,} rows':<28}{r['wall']:>9.1f}{r['cpu']:>9.1f}"
                  f"{r['peak_mib']:>10.0f}{r['wall'] / floor['wall']:>9.1f}")
    (n1, _, _, s1), (n2, _, _, s2) = lines
    exponent = math.log(s1["wall"] / s2["wall"]) / math.log(n1 / n2)
    print(f"score grows as rows^{exponent:.2f} between {n2:,} and {n1:,} rows")
    print(f"{'report floor (imports)':<28}{report_floor['wall']:>9.1f}"
          f"{report_floor['cpu']:>9.1f}{report_floor['peak_mib']:>10.0f}{1:>9.1f}")
    print(f"{'report (one organisation)':<28}{report['wall']:>9.1f}{report['cpu']:>9.1f}"
          f"{report['peak_mib']:>10.0f}{report['wall'] / report_floor['wall']:>9.1f}")


if __name__ == "__main__":
    main()
