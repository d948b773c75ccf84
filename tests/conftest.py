"""Shared fixtures: the bundled instruments and small response files written on the fly."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest

from assessment.core.instruments import load_instrument

# the --help texts of `assess` are taken when assessment.cli is imported (by a test module,
# before any fixture runs): English, whatever the machine's locale
os.environ["ASSESS_LANG"] = "en"


@pytest.fixture(scope="session")
def alignment():
    return load_instrument("alignment")


@pytest.fixture(scope="session")
def disciplines():
    return load_instrument("value_disciplines")


def full_rows(
    alignment,
    disciplines,
    organisation="Fixture BV",
    n=8,
    seed=7,
    departments=("marketing", "sales", "service", "management"),
):
    """Return ``n`` complete respondent rows for ``organisation`` (seeded random answers)."""
    rng = np.random.default_rng(seed)
    rows = []
    for k in range(n):
        row = {
            "respondent_id": f"{organisation[:3]}-{k + 1}",
            "organisation": organisation,
            "department": departments[k % len(departments)],
            "wave": "",
            "language": "nl",
        }
        for item in alignment.items:
            row[item.id] = int(rng.integers(1, 5))
        for item in disciplines.scored_items:
            row[item.id] = int(rng.integers(1, 6))
        row["VD-declared"] = "customer_intimacy"
        rows.append(row)
    return rows


@pytest.fixture
def fixture_csv(tmp_path, alignment, disciplines):
    """A clean CSV with two organisations of complete answers."""
    rows = full_rows(alignment, disciplines, "Fixture BV", 8, seed=1)
    rows += full_rows(alignment, disciplines, "Tweede Organisatie", 6, seed=2)
    path = tmp_path / "responses.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


@pytest.fixture(autouse=True)
def _english_messages(monkeypatch):
    """The `assess` command speaks English in tests, whatever the machine's locale (LANG=nl_NL…).

    Tests of the Dutch messages set ASSESS_LANG (or remove it) themselves.
    """
    monkeypatch.setenv("ASSESS_LANG", "en")
