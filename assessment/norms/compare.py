"""Norms put to use: store a file, read a norm group, compare an organisation or a class.

The functions here open a store (:func:`assessment.norms.store.open_store`) and join
:mod:`~assessment.norms.records` and :mod:`~assessment.norms.table`; the ``assess store``,
``norms`` and ``forget`` commands, the report's comparison and the teaching recipe in
``notebooks/README.md`` call them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from assessment.analysis.whole_file import analyse
from assessment.core.ingest import Responses, read_responses
from assessment.core.text import normalise
from assessment.norms.records import organisation_key, rows_digests, to_records
from assessment.norms.store import StoreResult, open_store
from assessment.norms.table import (
    CELL,
    MIN_NORM_GROUP,
    PERCENTILES,
    as_norm_rows,
    norm_comparison,
    norm_table,
)

#: the columns of stored score rows that a norm table or a comparison reads
NORM_COLUMNS = ["organisation", "instrument", "level", "interface", "dimension", "score", "stage"]

__all__ = [
    "NORM_COLUMNS",
    "NormComparison",
    "class_against_norms",
    "cohort_bands",
    "compare_organisation",
    "norm_group",
    "norms_state",
    "store_responses",
]


@dataclass(frozen=True)
class NormComparison:
    """One organisation placed in its norm group.

    Attributes
    ----------
    table : DataFrame
        :func:`~assessment.norms.table.norm_comparison` of its interface, dimension and
        discipline rows.
    group_size : int
        Other organisations in the norm group (the most of any cell).
    sector : str
        The group's sector ('' = all sectors).
    enough : bool
        Whether the group holds at least ``min_group`` other organisations.
    min_group : int
    """

    table: pd.DataFrame
    group_size: int
    sector: str
    enough: bool
    min_group: int = MIN_NORM_GROUP


def store_responses(responses: Responses | str | Path, target: str | None = None, *,
                    sector: str = "", size: str = "", label: str = "",
                    keep_names: bool = False, table: pd.DataFrame | None = None,
                    salt_in_store: bool = False) -> StoreResult:
    """Score a responses file and store its aggregate records (idempotent).

    Parameters
    ----------
    responses : Responses or path
        A checked file (:func:`assessment.core.ingest.read_responses`) or its path.
    target : str, optional
        The store (default: :func:`~assessment.norms.store.default_target`).
    sector, size, label : str
        Stored with every record.
    keep_names : bool
        Store organisation names instead of their salted hash.
    table : DataFrame, optional
        The file's :func:`~assessment.analysis.whole_file.analyse` table, when computed
        already.
    salt_in_store : bool
        A new DuckDB store keeps its salt inside (see
        :func:`~assessment.norms.store.open_store`).

    Returns
    -------
    StoreResult
        The counts, the key file written when the store was made now, and advice about
        where its salt is.
    """
    if not isinstance(responses, Responses):
        responses = read_responses(responses)
    if table is None:
        table = analyse(responses.data, responses.instruments)
    digests = rows_digests(responses.data)
    with open_store(target, salt_in_store=salt_in_store) as store:
        records = to_records(table, responses.instruments, digests,
                             salt="" if keep_names else store.salt,
                             keep_names=keep_names, sector=sector, size=size, label=label)
        result = store.store(records)
        return replace(result, key_file=str(store.created_key or ""),
                       advice=store.salt_advice())


def norms_state(target: str) -> str:
    """Open (and upgrade) a store; return the fingerprint of its records (for batch digests).

    Raises
    ------
    AssessmentError
        When the store cannot be opened, or its salt (needed to leave each organisation out
        of its own norm group) is missing: one error before any report starts.
    """
    with open_store(target) as store:
        store.salt  # noqa: B018 - the property raises when the salt is missing
        return store.state()


def _is(organisation: str, salt: str) -> set[str]:
    return {organisation_key(organisation, salt), normalise(organisation)}


def norm_group(target: str, *, instrument: str = "", sector: str = "", size: str = "",
               exclude: str | Sequence[str] = "", read_only: bool = False,
               columns: list[str] | None = None) -> pd.DataFrame:
    """Return the norm rows of a group: each organisation's latest record, ``exclude`` left out.

    ``exclude`` is an organisation's name (or several); its records are left out whether
    stored under the salted hash or by name. ``columns``: only these (default all;
    ``organisation`` is always read).
    """
    if columns and "organisation" not in columns:
        columns = ["organisation", *columns]
    with open_store(target, read_only=read_only) as store:
        rows = store.scores(instrument=instrument, sector=sector, size=size, columns=columns,
                            ordered=not columns)
        if exclude:
            names = [exclude] if isinstance(exclude, str) else list(exclude)
            drop = set().union(*(_is(name, store.salt) for name in names))
            orgs = pd.Series(rows["organisation"].astype(str).unique())
            gone = set(orgs[orgs.isin(drop) | orgs.map(normalise).isin(drop)])
            rows = rows[~rows["organisation"].isin(gone)]
    return rows.reset_index(drop=True)


def compare_organisation(own: pd.DataFrame, organisation: str, target: str, *,
                         sector: str = "", min_group: int = MIN_NORM_GROUP,
                         read_only: bool = True) -> NormComparison:
    """Place an organisation (its analysis rows of one wave) in its norm group.

    Parameters
    ----------
    own : DataFrame
        The organisation's rows of :func:`~assessment.analysis.whole_file.analyse`, one wave.
    organisation : str
        Its name (its own records are not part of its group).
    target : str
        The store.
    sector : str
        Only organisations stored with this sector ('' = all).
    min_group : int
        Fewest other organisations for a comparison.
    read_only : bool
        Open the store only to read (report kernels).
    """
    rows = own[own["level"].isin(["interface", "dimension", "discipline"])
               & own["department"].isna()] if "department" in own else own
    group = norm_group(target, sector=sector, exclude=organisation, read_only=read_only,
                       columns=NORM_COLUMNS)
    group = group[group["instrument"].isin(rows["instrument"].unique())]
    table = norm_comparison(rows, group, min_group)
    size = int(group["organisation"].nunique())
    return NormComparison(table, size, sector, size >= min_group, min_group)


def class_against_norms(responses: Responses | str | Path, target: str, *,
                        sector: str = "", exclude_label: str = "") -> pd.DataFrame:
    """Compare a class (every organisation of a file) with the norms of a store.

    For a trainer: the class's own norm table beside the store's (for example the
    records of earlier classes), per interface, dimension and discipline.

    Parameters
    ----------
    responses : Responses or path
        The class's answers (for example ``collect_answers`` of notebook 9).
    target : str
        The store with the earlier classes' records.
    sector : str
        Only records with this sector.
    exclude_label : str
        Leave out records with this label (the class itself, if it was stored already).

    Returns
    -------
    DataFrame
        Per cell: ``class_n``, ``class_median``, ``norm_n``, ``norm_p25``, ``norm_p50``,
        ``norm_p75`` and ``class_percentile`` (where the class's median falls among the
        earlier organisations; missing under five).
    """
    if not isinstance(responses, Responses):
        responses = read_responses(responses)
    mine = norm_table(as_norm_rows(analyse(responses.data, responses.instruments)))
    with open_store(target) as store:
        rows = store.scores(sector=sector, columns=[*NORM_COLUMNS, "label"], ordered=False)
        if exclude_label:
            rows = rows[rows["label"] != exclude_label]
    norms = norm_table(rows)
    keys = ["instrument", "level", "interface", "dimension"]
    out = mine[[*keys, "organisations", "p50"]].rename(
        columns={"organisations": "class_n", "p50": "class_median"})
    wanted = [f"p{p}" for p in PERCENTILES if p in (25, 50, 75)]
    out = out.merge(norms[[*keys, "organisations", *wanted]].rename(
        columns={"organisations": "norm_n", **{w: f"norm_{w}" for w in wanted}}),
        on=keys, how="left")
    placed = norm_comparison(out.assign(score=out["class_median"], ci_low=None, ci_high=None),
                             rows, MIN_NORM_GROUP)
    out["class_percentile"] = placed["percentile"].to_numpy()
    out["norm_n"] = out["norm_n"].astype("Int64")
    return out



def cohort_bands(scores: pd.DataFrame, target: str, *, sector: str = "",
                 read_only: bool = True) -> pd.DataFrame:
    """Return a cohort's medians beside its norm group's band, per interface and discipline.

    For the cohort overview: where the middle half of the norm group lies (25th to 75th
    percentile) behind the cohort's median.

    Parameters
    ----------
    scores : DataFrame
        The cohort's organisation scores (``organisation``, ``wave``, :data:`CELL`,
        ``score``); of an organisation with several waves the latest counts.
    target : str
        The store.
    sector : str
        Only records of this sector ('' = all).
    read_only : bool
        Open the store only to read (report kernels).

    Returns
    -------
    DataFrame
        Per cell (interfaces, then disciplines, in the cohort's order): :data:`CELL`,
        ``cohort_n``, ``cohort_median``, ``norm_n`` (other organisations: the cohort's own
        are left out), ``norm_p25``, ``norm_p50``, ``norm_p75``.
    """
    rows = scores
    if "department" in rows:
        rows = rows[rows["department"].isna()]
    rows = as_norm_rows(rows[rows["level"].isin(["interface", "discipline"])])
    rows = rows[rows["score"].notna()]
    own = (rows.groupby(CELL, sort=False)
           .agg(cohort_n=("organisation", "nunique"), cohort_median=("score", "median"))
           .reset_index())
    group = norm_group(target, sector=sector, exclude=list(rows["organisation"].unique()),
                       read_only=read_only, columns=NORM_COLUMNS)
    norms = norm_table(group[group["level"].isin(["interface", "discipline"])])
    wanted = {"organisations": "norm_n", "p25": "norm_p25", "p50": "norm_p50",
              "p75": "norm_p75"}
    norms = norms[[*CELL, *wanted]].rename(columns=wanted)
    out = own.merge(norms, on=CELL, how="left")
    out["norm_n"] = out["norm_n"].fillna(0).astype("int64")
    return out
