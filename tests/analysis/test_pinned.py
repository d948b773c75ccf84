"""Pinned figures: the analysis of the example files, as computed before it was vectorised (issue 13).

The files in ``tests/analysis/data`` were written by the per-organisation implementation
(commit deaf509, before issue 13) with::

    PYTHONPATH=. python -m tests.analysis.test_pinned

Every figure of ``assess score`` (scores, intervals, agreement, reliability, ICCs, ranks,
changes, NPS, department rows) and the cells withheld per department must stay exactly the
same text: same seeds, same numbers, same order.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assessment.analysis.departments import department_cells
from assessment.analysis.whole_file import analyse, respondent_scores_of
from assessment.core.config import PROJECT_ROOT
from assessment.core.files import csv_text
from assessment.core.ingest import read_responses

DATA = Path(__file__).parent / "data"
EXAMPLES = ["responses", "waves", "messy_forms_export"]


def pinned_texts(name: str) -> dict[str, str]:
    """Return the analysis of one example file as CSV texts: the table and the withheld cells."""
    r = read_responses(PROJECT_ROOT / "data" / "examples" / f"{name}.csv")
    texts = {"analyse": csv_text(analyse(r.data, r.instruments))}
    for inst_id, scored in respondent_scores_of(r.data, r.instruments).items():
        shown, withheld = department_cells(scored)
        texts[f"departments-{inst_id}"] = csv_text(shown)
        texts[f"withheld-{inst_id}"] = csv_text(withheld)
    return texts


@pytest.mark.parametrize("name", EXAMPLES)
def test_figures_unchanged(name):
    """Every figure equals the pinned text of the implementation before issue 13 (same seed 2026)."""
    texts = pinned_texts(name)
    stored = sorted(p.name for p in DATA.glob(f"{name}--*.csv"))
    assert stored == sorted(f"{name}--{k}.csv" for k in texts)
    for key, text in texts.items():
        assert text == (DATA / f"{name}--{key}.csv").read_text(encoding="utf-8"), key


if __name__ == "__main__":
    DATA.mkdir(exist_ok=True)
    for example in EXAMPLES:
        for key, text in pinned_texts(example).items():
            (DATA / f"{example}--{key}.csv").write_text(text, encoding="utf-8")
