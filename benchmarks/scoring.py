"""Benchmark: scoring speed, report time and report size.

Run from the project root::

    .venv/bin/python benchmarks/scoring.py [--respondents 100000]

Prints (1) the time to score N respondents × every item of both instruments
(target: under 2 s for 100,000), (2) the time of ``assess report`` for one example
organisation (the CLI, a fresh process, as a user runs it), (3) the size of that HTML report.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from assessment.core.config import EXAMPLE_RESPONSES, PROJECT_ROOT
from assessment.core.instruments import load_instrument
from assessment.core.scoring import score_responses


def synthetic(n: int, organisations: int = 1000, seed: int = 0) -> pd.DataFrame:
    """Return ``n`` random respondents answering every item of both instruments, 3% blanks."""
    rng = np.random.default_rng(seed)
    alignment, disciplines = load_instrument("alignment"), load_instrument("value_disciplines")
    data = {
        "organisation": pd.Series(rng.integers(0, organisations, n)).map(lambda k: f"org-{k:04d}"),
        "wave": "",
        "department": rng.choice(["marketing", "sales", "service", "management"], n),
        "respondent_id": np.arange(n).astype(str),
    }
    for inst in (alignment, disciplines):
        lo, hi = inst.scale.min, inst.scale.max
        for item in inst.scored_items:
            values = rng.integers(lo, hi + 1, n).astype("float64")
            values[rng.random(n) < 0.03] = np.nan
            data[item.id] = values
    data["VD-declared"] = rng.choice(
        ["customer_intimacy", "operational_excellence", "product_leadership", "none"], n
    )
    return pd.DataFrame(data)


def main() -> None:
    """Run the three measurements and print them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    instruments = [load_instrument("alignment"), load_instrument("value_disciplines")]
    frame = synthetic(args.respondents)
    items = sum(len(i.scored_items) for i in instruments)
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        scores = score_responses(frame, instruments)
        times.append(time.perf_counter() - start)
    print(
        f"score {args.respondents:,} respondents x {items} items "
        f"({frame['organisation'].nunique()} organisations, {len(scores):,} score rows): "
        f"best {min(times):.2f} s of {args.repeat} (target < 2 s)"
    )

    assess = Path(sys.executable).with_name("assess")
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        subprocess.run(
            [
                str(assess),
                "report",
                str(EXAMPLE_RESPONSES),
                "--org",
                "Delta Meettechniek",
                "--out",
                tmp,
                "--lang",
                "nl",
            ],
            check=True,
            cwd=PROJECT_ROOT,
            capture_output=True,
        )
        elapsed = time.perf_counter() - start
        html = next(Path(tmp).glob("*.html"))
        print(f"assess report (one organisation, fresh process): {elapsed:.1f} s")
        print(f"HTML report size: {html.stat().st_size / 1024:.0f} KiB ({html.name})")


if __name__ == "__main__":
    main()
