"""Benchmark: the norm store with 10,000 organisations × 3 waves, DuckDB and PostgreSQL.

Run from the project root::

    .venv/bin/python benchmarks/norms.py [--organisations 10000] [--waves 3]
                                         [--postgresql URL]

The records are synthetic: the example file's 30 records (10 organisations × 3 instruments)
copied with noise on every score, under new organisation keys, stored in batches of 100
organisations (one wave) as ``assess store`` stores a file: each call opens the store, stores
and closes it (DuckDB checkpoints on close), and that whole call is timed. Prints for each
backend: the store time per organisation × wave, the norms query (every organisation's
latest record read and the norm table made, as ``assess norms``), one organisation's
comparison with its norm group (as a report), the size of the tables on disk, and the 1-minute
load average before and after (the machine may be shared). Without ``--postgresql`` a
temporary server is started in a temporary folder (Debian's ``postgresql``; as root it runs
as ``postgres``).
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from assessment.analysis.whole_file import analyse
from assessment.core.config import EXAMPLE_RESPONSES
from assessment.core.ingest import read_responses
from assessment.norms.compare import NORM_COLUMNS, compare_organisation
from assessment.norms.records import Records, organisation_key, record_id, rows_digests, to_records
from assessment.norms.store import open_store
from assessment.norms.table import norm_table

BATCH = 100  # organisations per store call (one file)


def templates() -> tuple[Records, pd.DataFrame]:
    """Return the example file's records (salt '') and its analysis table."""
    r = read_responses(EXAMPLE_RESPONSES)
    table = analyse(r.data, r.instruments)
    return to_records(table, r.instruments, rows_digests(r.data), salt=""), table


def synthetic(base: Records, organisations: list[int], wave: str, seed: int) -> Records:
    """Return records of ``organisations`` in ``wave``: the templates with noise, new keys."""
    rng = np.random.default_rng(seed)
    heads, scores = base.records, base.scores
    template_orgs = list(heads["organisation"].unique())
    org_of = heads.set_index("record_id")["organisation"].map(template_orgs.index)
    h = heads.assign(_t=heads["organisation"].map(template_orgs.index))
    pick = pd.DataFrame({"k": organisations, "_t": [k % len(template_orgs) for k in organisations]})
    h = pick.merge(h, on="_t")
    keys = {k: organisation_key(f"synthetic {k}", "bench") for k in organisations}
    h["organisation"] = h["k"].map(keys)
    h["wave"] = wave
    h["rows_hash"] = h["k"].astype(str) + "-" + wave
    h["old"] = h["record_id"]
    h["record_id"] = [record_id(o, wave, i, v) for o, i, v in
                      zip(h["organisation"], h["instrument"], h["instrument_version"], strict=True)]
    s = scores.assign(_t=scores["record_id"].map(org_of)).rename(columns={"record_id": "old"})
    s = h[["k", "old", "record_id"]].merge(s, on="old")
    noise = rng.normal(0, 0.05, len(s)) * np.where(s["level"].isin(["discipline", "nps"]), 20, 1)
    for col in ("score", "ci_low", "ci_high"):
        s[col] = s[col] + noise
    return Records(h[list(heads.columns)].reset_index(drop=True),
                   s[list(scores.columns)].reset_index(drop=True))


@contextlib.contextmanager
def temporary_postgresql() -> Iterator[str]:
    """Start PostgreSQL in a temporary folder on a Unix socket; yield its URL; stop it."""
    initdb = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not initdb:
        raise SystemExit("needs Debian's postgresql (make system-deps), or --postgresql URL")
    bindir = Path(initdb[-1]).parent
    root = Path(tempfile.mkdtemp(prefix="pg-"))
    prefix = []
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(root, user.pw_uid, user.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    data = root / "data"
    try:
        subprocess.run([*prefix, str(bindir / "initdb"), "-D", str(data), "-U", "postgres",
                        "-A", "trust", "-E", "UTF8", "--locale=C"], check=True, cwd=root,
                       capture_output=True)
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-l",
                        str(root / "log"), "-w", "-o", f"-k {root} -c listen_addresses=''",
                        "start"], check=True, cwd=root, capture_output=True)
        yield f"postgresql:///postgres?host={root}&user=postgres"
    finally:
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w",
                        "stop"], cwd=root, capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


def measure(target: str, base: Records, table: pd.DataFrame, organisations: int,
            waves: int) -> dict:
    """Store everything into ``target``; time the store, the norms query and a comparison."""
    stored = 0
    seconds = 0.0
    load = [os.getloadavg()[0]]
    for w in range(waves):
        wave = str(2024 + w)
        for start in range(0, organisations, BATCH):
            batch = synthetic(base, list(range(start, min(start + BATCH, organisations))),
                              wave, seed=w * 100_000 + start)
            t0 = time.perf_counter()
            with open_store(target) as store:  # as `assess store`: open, store, close
                result = store.store(batch)
            seconds += time.perf_counter() - t0
            stored += result.new
        print(f"  {target[:40]}: wave {wave} stored, {seconds:.1f} s so far",
              file=sys.stderr, flush=True)
    query = []
    for _ in range(3):
        t0 = time.perf_counter()
        with open_store(target) as store:
            norms = norm_table(store.scores(columns=NORM_COLUMNS, ordered=False))  # as CLI
        query.append(time.perf_counter() - t0)
    own = table[(table["organisation"] == "Delta Meettechniek") & table["department"].isna()]
    compare = []
    for _ in range(3):
        t0 = time.perf_counter()
        placed = compare_organisation(own, "Delta Meettechniek", target, read_only=False)
        compare.append(time.perf_counter() - t0)
    with open_store(target) as store:
        size = store.size_bytes()
    load.append(os.getloadavg()[0])
    return {"records": stored, "org_waves": organisations * waves,
            "store_ms_per_org": seconds / (organisations * waves) * 1000,
            "store_s": seconds, "norms_s": min(query), "norm_rows": len(norms),
            "compare_s": min(compare), "group": placed.group_size, "size_mb": size / 1e6,
            "load_1min_start": load[0], "load_1min_end": load[1]}


def main() -> None:  # noqa: D103
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, default=10_000)
    parser.add_argument("--waves", type=int, default=3)
    parser.add_argument("--postgresql", default="", help="an empty database to use")
    args = parser.parse_args()
    base, table = templates()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        results["DuckDB"] = measure(str(Path(tmp) / "bench.duckdb"), base, table,
                                    args.organisations, args.waves)
    with (contextlib.nullcontext(args.postgresql) if args.postgresql
          else temporary_postgresql()) as url:
        results["PostgreSQL"] = measure(url, base, table, args.organisations, args.waves)
    frame = pd.DataFrame(results)
    print(f"{args.organisations} organisations × {args.waves} waves "
          f"({args.organisations * args.waves * 3} records, stored {BATCH} organisations "
          "per call)")
    print(frame.to_string(float_format=lambda x: f"{x:.3f}"))
    print(f"uptime at the end: {subprocess.run(['uptime'], capture_output=True, text=True).stdout}"
          f"cores: {os.cpu_count()}")


if __name__ == "__main__":
    main()
