"""Benchmark: the commands a user waits for, as whole processes, beside their floor.

Run from the project root::

    .venv/bin/python benchmarks/commands.py [--rows 100000 20000] [--repeat 1]

Builds a large responses file from the example rows, repeated under new organisation
names (the file of issue 13: 100,000 respondents, about 7,100 organisations), then times,
each as a fresh process and in the same run:

* the **floor**: a Python process that imports pandas and reads the same CSV;
* ``assess validate`` and ``assess score`` on that file (wall time, CPU time, peak memory),
  as a ratio to the floor; ``score`` as a user runs it (one process on 2 cores) and, for
  the larger file, with ``--jobs 2`` (two worker processes); ``score`` at two sizes
  gives the growth exponent log(t₂/t₁) / log(n₂/n₁) (1 = linear);
* ``assess report`` of one example organisation (HTML), beside a process that imports
  only what the report imports (its floor).

The ``load`` column is the 1-minute load average (``uptime``) around each command: on a
shared machine a load above the number of cores stretches wall times, CPU times less so.
``--million`` adds ``assess score`` of a 1,000,000-row file; the last row is
``assess batch --jobs 2`` of the 24-organisation cohort of ``benchmarks/batch.py``, per
report.

Peak memory is the largest proportional set size (PSS) of the command's process tree,
sampled every 20 ms with psutil: pages shared by worker processes count once; CPU is the
sum of each process's own time, last sampled (up to 20 ms of a process's end is lost).
Figures vary by about ±10% on a shared 2-core machine: compare ratios from one run, not
seconds across runs.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

from assessment.core.config import EXAMPLE_RESPONSES, PROJECT_ROOT

sys.path.insert(0, str(Path(__file__).parent))
from batch import cohort  # noqa: E402  (benchmarks/batch.py: the 24-organisation cohort)
from big_file import big_file  # noqa: E402

BIN = Path(sys.executable).parent
FLOOR_READ = "import sys, pandas; pandas.read_csv(sys.argv[1], dtype=str)"
FLOOR_REPORT = ("import matplotlib.pyplot, pandas, papermill, nbconvert, ipykernel; "
                "from assessment.report import analysis_sections, sections")


def run(args: list[str], ok: tuple[int, ...] = (0,)) -> dict:
    """Run one command; return wall seconds, CPU seconds and peak PSS (MiB) of its tree."""
    load_before = os.getloadavg()[0]
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
                    # proportional set size: a page shared by a worker and its parent
                    # counts once, not once per process as resident sizes would
                    rss += p.memory_full_info().pss
                    t = p.cpu_times()
                    # own CPU only: children_* would count a reaped worker's time twice
                    # (itself, sampled while alive, and again in its parent's children_*)
                    cpu[p.pid] = t.user + t.system
            peak = max(peak, rss)
        except psutil.Error:
            pass
        time.sleep(0.02)
    wall = time.perf_counter() - start
    load = os.getloadavg()[0]
    stderr = proc.stderr.read().decode(errors="replace")
    if proc.returncode not in ok:
        raise RuntimeError(f"{' '.join(map(str, args))} failed ({proc.returncode}): {stderr}")
    return {"wall": wall, "cpu": sum(cpu.values()), "peak_mib": peak / 2**20,
            "load": (load_before + load) / 2}


def best(args: list[str], repeat: int, ok: tuple[int, ...] = (0,)) -> dict:
    """Return the fastest of ``repeat`` runs (the least disturbed by the rest of the machine).

    A run that ends with another exit code than ``ok`` stops the benchmark (a refused file
    must not pass for a fast one).
    """
    return min((run(args, ok) for _ in range(repeat)), key=lambda r: r["wall"])


def line(name: str, r: dict, floor: dict | None) -> str:
    """One row of the table: wall and CPU seconds, peak memory, ratio to the floor, load."""
    ratio = f"{r['wall'] / floor['wall']:.1f}" if floor else "–"
    return (f"| {name} | {r['wall']:.1f} | {r['cpu']:.1f} | {r['peak_mib']:.0f} | {ratio} | "
            f"{r['load']:.1f} |")


def main() -> None:
    """Build the files, time every command and its floor, print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs=2, default=[100_000, 20_000],
                        metavar=("LARGE", "SMALL"))
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--million", action="store_true",
                        help="also score a 1,000,000-row file (minutes; several GB); "
                             "the product refuses files over MAX_ROWS (100,000) rows, so this "
                             "lifts the limit in the measured process only")
    parser.add_argument("--skip-batch", action="store_true")
    args = parser.parse_args()
    py, assess = str(BIN / "python"), str(BIN / "assess")
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-commands-") as tmp:
        tmp = Path(tmp)
        sizes = [*args.rows, *([1_000_000] if args.million else [])]
        files = {n: big_file(n, tmp / f"responses-{n}.csv") for n in sizes}
        scores = {}
        for n in args.rows:
            floor = best([py, "-c", FLOOR_READ, str(files[n])], args.repeat)
            rows.append(line(f"floor: read {n:,} rows", floor, floor))
            rows.append(line(f"`assess validate` {n:,} rows",
                             best([assess, "validate", str(files[n])], args.repeat,
                                  ok=(0, 1)), floor))
            scores[n] = best([assess, "score", str(files[n]), "--out", str(tmp / "s.csv"),
                              "--force"],
                             args.repeat)
            rows.append(line(f"`assess score` {n:,} rows", scores[n], floor))
            if n == max(args.rows):
                two = best([assess, "score", str(files[n]), "--out", str(tmp / "s.csv"),
                            "--jobs", "2", "--force"], args.repeat)
                rows.append(line(f"`assess score --jobs 2` {n:,} rows", two, floor))
        (n1, n2) = args.rows
        exponent = math.log(scores[n1]["wall"] / scores[n2]["wall"]) / math.log(n1 / n2)
        cpu_exponent = math.log(scores[n1]["cpu"] / scores[n2]["cpu"]) / math.log(n1 / n2)
        if args.million:
            n = 1_000_000
            floor = best([py, "-c", FLOOR_READ, str(files[n])], 1)
            rows.append(line(f"floor: read {n:,} rows", floor, floor))
            lifted = ("import sys, assessment.core.ingest as i; i.MAX_ROWS = 2_000_000; "
                      "from assessment.cli import app; sys.argv[0] = 'assess'; app()")
            rows.append(line(f"`assess score` {n:,} rows (row limit lifted)",
                             best([py, "-c", lifted, "score", str(files[n]), "--out",
                                   str(tmp / "s.csv"), "--force"], 1), floor))
        report_floor = best([py, "-c", FLOOR_REPORT], args.repeat)
        rows.append(line("floor: imports of a report", report_floor, report_floor))
        rows.append(line("`assess report` one organisation (HTML)",
                         best([assess, "report", str(EXAMPLE_RESPONSES), "--org",
                               "Delta Meettechniek", "--out", str(tmp / "report"), "--force"],
                              args.repeat), report_floor))
        if not args.skip_batch:
            path, names = cohort(24, tmp)
            batch = run([assess, "batch", str(path), "--out", str(tmp / "batch"),
                         "--jobs", "2"])
            per = {k: v / len(names) if k in ("wall", "cpu") else v for k, v in batch.items()}
            rows.append(line(f"`assess batch --jobs 2`, {len(names)} organisations, "
                             "per report", per, None))
    print(f"{time.strftime('%Y-%m-%d %H:%M')} · {platform.machine()} · "
          f"{psutil.cpu_count()} cores · {psutil.virtual_memory().total / 2**30:.0f} GB · "
          f"Python {platform.python_version()}")
    print()
    print("| command (whole process) | wall s | CPU s | peak MiB | × floor (wall) | load |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    print("\n".join(rows))
    print()
    print(f"`assess score` grows as rows^{exponent:.2f} (wall) and rows^{cpu_exponent:.2f} (CPU) "
          f"between {n2:,} and {n1:,} rows")


if __name__ == "__main__":
    main()
