"""One honest picture: scores with their trust figures, departments, NPS, benchmark and waves.

:func:`analyse` extends the tidy scores of :func:`assessment.core.scoring.score_responses` with
the analysis of DESIGN 5, as one table (``assess score`` writes it):

* per score: ``sd``, ``ci_low``/``ci_high`` (bootstrap 95% interval), ``rwg`` (r_wg(J)),
  ``alpha`` (reliability, when enough respondents: Spearman–Brown for two-item cells,
  Cronbach's α for more), ``reliability_coefficient`` (which of the two: ``spearman_brown``
  or ``cronbach_alpha``), ``icc1``/``icc2`` (across the
  cohort), ``rank``/``percentile``/``cohort_size`` (interfaces and disciplines, cohorts
  of at least five), ``previous_wave``/``delta``/``delta_low``/``delta_high``/
  ``delta_significant`` (change since the previous wave);
* ``level == "tension"`` rows: the sources of tension per interface (seed 001);
* ``level == "nps"`` rows: the NPS of each ``nps`` item, with promoters, passives,
  detractors and its adjusted-Wald interval (``ci_low``, ``ci_high``, ``margin``);
* ``level == "department"`` rows: every dimension (or discipline) per department group
  shown under the anonymity rule (:mod:`assessment.analysis.departments`), with ``department``
  and ``pooled``. Groups under the minimum never appear.

:func:`analyse_organisation` gathers the same for one organisation's report.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor, Future
from dataclasses import dataclass

import numpy as np
import pandas as pd

from assessment.analysis.benchmark import MIN_COHORT, benchmark
from assessment.analysis.departments import (
    MIN_GROUP_SIZE,
    Grouping,
    department_cells,
    department_scores,
    group_departments,
    perception_gaps,
)
from assessment.analysis.nps import nps_by_group
from assessment.analysis.stats import CONFIDENCE, N_BOOT, SEED, cohort_icc, describe_scores
from assessment.analysis.tension import tension_profile
from assessment.analysis.waves import wave_changes
from assessment.core.instruments import Instrument
from assessment.core.scoring import (
    COLUMNS,
    GROUP_KEYS,
    RespondentScores,
    score_respondents,
    score_responses,
)

__all__ = [
    "ANALYSIS_COLUMNS",
    "CohortContext",
    "OrganisationAnalysis",
    "analyse",
    "analyse_in_parts",
    "analyse_organisation",
    "analyse_part",
    "cohort_contexts",
    "organisation_context",
]

#: columns added to the tidy scores, in this order
EXTRA_COLUMNS = [
    "department",
    "pooled",
    "sd",
    "ci_low",
    "ci_high",
    "rwg",
    "alpha",
    "reliability_coefficient",
    "icc1",
    "icc2",
    "rank",
    "percentile",
    "cohort_size",
    "previous_wave",
    "delta",
    "delta_low",
    "delta_high",
    "delta_significant",
    "promoters",
    "passives",
    "detractors",
    "margin",
]
ANALYSIS_COLUMNS = [*COLUMNS, *EXTRA_COLUMNS]
_CELL = ["instrument", "level", "interface", "dimension"]
_STATS = ["sd", "ci_low", "ci_high", "rwg", "alpha", "reliability_coefficient"]


def _keys_to_text(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for col in ("interface", "dimension"):
        frame[col] = frame[col].astype("object").where(frame[col].notna(), "")
    return frame


def _answered(data: pd.DataFrame, instruments: list[Instrument]) -> list[Instrument]:
    return [
        inst
        for inst in instruments
        if not data.empty and any(i.id in data for i in inst.scored_items)
    ]


def respondent_scores_of(data: pd.DataFrame, instruments: list[Instrument],
                         cache: dict | None = None) -> dict[str, RespondentScores]:
    """Return :func:`~assessment.core.scoring.score_respondents` of ``data`` per instrument id.

    ``cache`` (shared between the calls for one file) keeps them, so that a file's
    respondents are scored once however many figures are drawn from them.
    """
    cache = {} if cache is None else cache
    for inst in instruments:
        if ("scored", inst.id) not in cache:
            cache[("scored", inst.id)] = score_respondents(data, inst)
    return {inst.id: cache[("scored", inst.id)] for inst in instruments}


def analyse(
    data: pd.DataFrame,
    instruments: list[Instrument],
    *,
    organisation: str | None = None,
    min_group_size: int = MIN_GROUP_SIZE,
    seed: int = SEED,
    n_boot: int = N_BOOT,
    confidence: float = CONFIDENCE,
    min_cohort: int = MIN_COHORT,
    cache: dict | None = None,
) -> pd.DataFrame:
    """Score and analyse every organisation (or one) of a responses file; one tidy table.

    Parameters
    ----------
    data : DataFrame
        Accepted responses of the whole run (``Responses.data``): the cohort for ranks and
        ICCs.
    instruments : list of Instrument
        Instruments to analyse (those without items in ``data`` are skipped).
    organisation : str, optional
        Only this organisation's rows (all its waves); the cohort is still everyone.
    min_group_size : int, default 3
        Anonymity: the smallest department group shown.
    seed, n_boot, confidence : int, int, float
        Bootstrap settings (:mod:`assessment.analysis.stats`).
    min_cohort : int, default 5
        Fewest organisations in a wave for ranks and percentiles.
    cache : dict, optional
        As :func:`respondent_scores_of`: shared with :func:`cohort_contexts` for one file.

    Returns
    -------
    DataFrame
        Columns :data:`ANALYSIS_COLUMNS`; see the module docstring.
    """
    instruments = _answered(data, instruments)
    mine = (np.ones(len(data), dtype=bool) if organisation is None
            else (data["organisation"] == organisation).to_numpy(dtype=bool))
    scored = respondent_scores_of(data, instruments, cache)
    cohort = _cohort(data, instruments, scored, min_cohort)
    if organisation is not None:
        cohort = cohort.of([organisation])
    return _analyse_part(
        data[mine], instruments, {k: v.where(mine) for k, v in scored.items()}, cohort,
        min_group_size=min_group_size, seed=seed, n_boot=n_boot, confidence=confidence,
    )


@dataclass(frozen=True)
class _Cohort:
    """The figures of :func:`analyse` that need every organisation: scores, ICCs, ranks."""

    scores: pd.DataFrame
    icc: pd.DataFrame | None
    ranks: pd.DataFrame

    def of(self, organisations) -> _Cohort:
        """Return the same with only these organisations' scores and ranks (ICCs stay)."""
        return _Cohort(self.scores[self.scores["organisation"].isin(organisations)],
                       self.icc,
                       self.ranks[self.ranks["organisation"].isin(organisations)])


def _cohort(data: pd.DataFrame, instruments: list[Instrument],
            scored: dict[str, RespondentScores], min_cohort: int) -> _Cohort:
    scores = score_responses(data, instruments, scored)
    iccs = [_keys_to_text(cohort_icc(scored[inst.id])) for inst in instruments]
    icc = (pd.concat(iccs, ignore_index=True)[["wave", *_CELL, "icc1", "icc2"]]
           if iccs else None)
    keys = [*GROUP_KEYS, *_CELL]
    ranks = _keys_to_text(benchmark(scores, min_cohort))
    return _Cohort(scores, icc, ranks[[*keys, "rank", "percentile", "cohort_size"]])


def _analyse_part(
    focus: pd.DataFrame,
    instruments: list[Instrument],
    scored: dict[str, RespondentScores],
    cohort: _Cohort,
    *,
    min_group_size: int,
    seed: int,
    n_boot: int,
    confidence: float,
) -> pd.DataFrame:
    """Analyse the organisations of ``focus`` (their respondents ``scored``) in ``cohort``."""
    base = _keys_to_text(cohort.scores.reset_index(drop=True))
    base["_part"] = 0
    parts = [base]
    described, changes = [], []
    for inst in instruments:
        own = scored[inst.id]
        d = describe_scores(own, seed=seed, n_boot=n_boot, confidence=confidence)
        described.append(_keys_to_text(d))
        changes.append(
            _keys_to_text(wave_changes(own, seed=seed, n_boot=n_boot, confidence=confidence))
        )
        for item in (i for i in inst.scored_items if i.type == "nps"):
            n = nps_by_group(focus, item.id, GROUP_KEYS, confidence)
            if n.empty:
                continue
            parts.append(
                n.rename(columns={"low": "ci_low", "high": "ci_high"}).assign(
                    instrument=inst.id, level="nps", interface="",
                    dimension=item.dimension or item.id, _part=2,
                )
            )
        dept = department_scores(own, min_group_size)
        dept = dept[dept["level"].isin(["dimension", "discipline"])]
        if not dept.empty:
            parts.append(_keys_to_text(dept).assign(level="department", _part=3))
    keys = [*GROUP_KEYS, *_CELL]
    if described:
        stats = pd.concat(described, ignore_index=True)
        parts[0] = base.merge(stats[[*keys, *_STATS]], on=keys, how="left")
        tension = stats[stats["level"] == "tension"].drop(columns=["stage"])
        if not tension.empty:
            parts.append(tension.assign(_part=1))
    out = pd.concat(parts, ignore_index=True)
    out["_seq"] = np.arange(len(out))
    if cohort.icc is not None:
        out = out.merge(cohort.icc, on=["wave", *_CELL], how="left")
    out = out.merge(cohort.ranks, on=keys, how="left")
    if changes:
        delta = pd.concat(changes, ignore_index=True).drop(columns=["previous_score"])
        out = out.merge(delta, on=keys, how="left")
    dept_rows = out["level"] == "department"
    out.loc[dept_rows, ["icc1", "icc2"]] = np.nan
    order = {inst.id: k for k, inst in enumerate(instruments)}
    codes, uniques = pd.factorize(out["instrument"])  # as .map(order), for sorting only
    out["_inst"] = np.array([order.get(u, np.nan) for u in uniques] + [np.nan])[codes]
    out = out.sort_values(["organisation", "wave", "_inst", "_part", "_seq"], kind="stable")
    for col in ANALYSIS_COLUMNS:
        if col not in out:
            out[col] = None
    for col in ("interface", "dimension"):
        out[col] = out[col].where(out[col] != "", None)
    out["n"] = out["n"].astype("int64")
    out["pooled"] = out["pooled"].where(out["pooled"].notna() & (out["pooled"] != ""), None)
    for col in ("cohort_size", "promoters", "passives", "detractors"):
        out[col] = out[col].astype("Int64")
    out["delta_significant"] = out["delta_significant"].astype("boolean")
    return out[ANALYSIS_COLUMNS].reset_index(drop=True)


def analyse_part(
    focus: pd.DataFrame,
    instruments: list[Instrument],
    cohort: _Cohort,
    settings: dict,
) -> pd.DataFrame:
    """Analyse one part of a file (some organisations, all their respondents): a worker's task.

    ``cohort`` holds the figures that need the whole file, for these organisations
    (:func:`analyse_in_parts` sends it); the respondents are scored here, so only the
    part's answers travel. Gives the rows :func:`analyse` gives for these organisations.
    """
    scored = {inst.id: score_respondents(focus, inst) for inst in instruments}
    return _analyse_part(focus, instruments, scored, cohort, **settings)


def analyse_in_parts(
    data: pd.DataFrame,
    instruments: list[Instrument],
    *,
    organisations_per_part: int = 500,
    executor: Executor | None = None,
    min_group_size: int = MIN_GROUP_SIZE,
    seed: int = SEED,
    n_boot: int = N_BOOT,
    confidence: float = CONFIDENCE,
    min_cohort: int = MIN_COHORT,
    in_flight: int = 4,
) -> Iterator[pd.DataFrame]:
    """Yield :func:`analyse` of the whole file in parts of some organisations, in order.

    Concatenated, the parts are the table of :func:`analyse` row for row (the organisations
    come sorted, and every figure of an organisation depends only on its own respondents
    and on the cohort figures computed once beforehand). Only one part's respondents and
    rows are held at a time, so ``assess score`` can write a large file as it goes.

    Parameters
    ----------
    data, instruments, min_group_size, seed, n_boot, confidence, min_cohort
        As :func:`analyse`.
    organisations_per_part : int, default 500
        Organisations per part.
    executor : concurrent.futures.Executor, optional
        Where the parts run (:func:`local_executor`, or a Dask client's
        ``get_executor()``); here, one after the other, when not given. Results still
        come back in order.
    in_flight : int, default 4
        With an executor: the most parts submitted and not yet yielded (about the
        number of workers plus one keeps them busy and memory bounded).

    Yields
    ------
    DataFrame
        Columns :data:`ANALYSIS_COLUMNS`; at least one (empty when no organisation).
    """
    if organisations_per_part < 1:
        raise ValueError(f"organisations_per_part must be 1 or more, got {organisations_per_part}")
    settings = dict(min_group_size=min_group_size, seed=seed, n_boot=n_boot,
                    confidence=confidence)
    organisations = sorted(data["organisation"].dropna().unique().tolist())
    if len(organisations) <= organisations_per_part and executor is None:
        yield analyse(data, instruments, min_cohort=min_cohort, **settings)
        return
    instruments = _answered(data, instruments)
    scored = respondent_scores_of(data, instruments)
    cohort = _cohort(data, instruments, scored, min_cohort)
    org_of = data["organisation"]
    chunks = [organisations[k:k + organisations_per_part]
              for k in range(0, len(organisations), organisations_per_part)]
    if executor is None:
        for chunk in chunks:
            mask = org_of.isin(chunk).to_numpy(dtype=bool)
            yield _analyse_part(data[mask], instruments,
                                {k: v.where(mask) for k, v in scored.items()},
                                cohort.of(chunk), **settings)
        return
    del scored
    tasks = ((analyse_part, data[org_of.isin(chunk).to_numpy(dtype=bool)], instruments,
              cohort.of(chunk), settings) for chunk in chunks)
    yield from in_order(executor, tasks, in_flight)


def in_order(executor: Executor, tasks: Iterable[tuple], in_flight: int) -> Iterator:
    """Run ``(function, *arguments)`` tasks on ``executor``; yield their results in order.

    At most ``in_flight`` tasks are submitted and not yet handed on, so a slow consumer
    (writing a file) holds only a few parts in memory, unlike ``Executor.map``, which
    submits every task at once and keeps every result until it is taken.
    """
    pending: deque[Future] = deque()
    for fn, *args in tasks:
        pending.append(executor.submit(fn, *args))
        if len(pending) >= max(in_flight, 1):
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _worker_context():
    import multiprocessing

    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    return context


def start_worker_server() -> None:
    """Start the server :func:`local_executor` forks its workers from, in the background.

    It imports the analysis (about a second) while the caller goes on, e.g. reading the
    file; without ``forkserver`` nothing is started.
    """
    from multiprocessing import forkserver

    if _worker_context().get_start_method() == "forkserver":
        forkserver.ensure_running()


def local_executor(jobs: int) -> Executor:
    """Return a pool of ``jobs`` worker processes for :func:`analyse_in_parts`.

    Workers are forked from a server that has imported this module once (``forkserver``,
    where the system has it), so each starts in milliseconds, not a second of imports.
    """
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=jobs, mp_context=_worker_context())


@dataclass(frozen=True)
class OrganisationAnalysis:
    """Everything the analysis sections of one organisation's report need.

    Attributes
    ----------
    table : DataFrame
        :func:`analyse` rows of this organisation and wave.
    grouping : Grouping
        The anonymity grouping of its departments in this wave.
    departments : DataFrame
        Department rows of every level (dimension, interface, tension) for the groups shown.
    gaps : DataFrame
        Perception gaps between departments, largest first (alignment dimensions).
    tension : DataFrame
        Sources of tension per interface, weakest marked.
    cohort : DataFrame
        Every organisation's interface and discipline scores in this wave, without names
        (``is_self`` marks this organisation), for the benchmark chart.
    icc : DataFrame
        ICC(1)/ICC(2) per cell across the cohort of this wave.
    previous_wave : str or None
        The organisation's wave before this one, when the file holds one.
    min_group_size : int
    organisations : int
        Organisations in the cohort of this wave.
    withheld : DataFrame
        Cells (instrument, level, interface, dimension) and ``department`` of a group shown
        elsewhere but not in that cell (:func:`assessment.analysis.departments.withhold_cells`).
    """

    table: pd.DataFrame
    grouping: Grouping
    departments: pd.DataFrame
    gaps: pd.DataFrame
    tension: pd.DataFrame
    cohort: pd.DataFrame
    icc: pd.DataFrame
    previous_wave: str | None
    min_group_size: int
    organisations: int = 0
    withheld: pd.DataFrame | None = None

    def rows(self, instrument: str, level: str) -> pd.DataFrame:
        """Rows of ``table`` for one instrument and level."""
        t = self.table
        return t[(t["instrument"] == instrument) & (t["level"] == level)]


@dataclass(frozen=True)
class CohortContext:
    """What one organisation's analysis of one wave needs from the rest of the cohort.

    A batch analyses the whole file once (:func:`cohort_contexts`) and hands each report
    only this: no other organisation's responses or names travel with it.

    Attributes
    ----------
    table : DataFrame
        :func:`analyse` rows of this organisation and wave (the instruments it answered).
    cohort : DataFrame
        Every organisation's interface and discipline scores in this wave, without names
        (``is_self`` marks this organisation).
    icc : DataFrame
        ICC(1)/ICC(2) per cell across the cohort of this wave.
    organisations : int
        Organisations in the cohort of this wave.
    min_group_size : int
        The anonymity minimum ``table`` was computed with.
    scores : DataFrame, optional
        This organisation's own :func:`~assessment.core.scoring.score_responses` rows in this
        wave, a by-product of scoring the cohort (for instruments whose columns the file
        has; keep those it answered).
    """

    table: pd.DataFrame
    cohort: pd.DataFrame
    icc: pd.DataFrame
    organisations: int
    min_group_size: int
    scores: pd.DataFrame | None = None


def organisation_context(
    data: pd.DataFrame,
    instruments: list[Instrument],
    organisation: str,
    wave: str = "",
    *,
    table: pd.DataFrame | None = None,
    cache: dict | None = None,
    min_group_size: int = MIN_GROUP_SIZE,
    seed: int = SEED,
    n_boot: int = N_BOOT,
    min_cohort: int = MIN_COHORT,
) -> CohortContext:
    """Return the :class:`CohortContext` of one organisation and wave.

    Parameters
    ----------
    data : DataFrame
        Every accepted response in the file (the cohort).
    instruments : list of Instrument
        Instruments to consider; those the organisation did not answer in this wave are
        left out.
    organisation : str
        Its name as in ``data``.
    wave : str
        The wave ('' when the file has none).
    table : DataFrame, optional
        :func:`analyse` of the whole file with the same settings, when already computed
        (its rows of this organisation are used); computed otherwise.
    cache : dict, optional
        Shared between calls for the organisations of one file (and with :func:`analyse`),
        so that respondents are scored once and cohort scores and ICCs once per wave.
    min_group_size, seed, n_boot, min_cohort
        As :func:`analyse`.
    """
    cache = {} if cache is None else cache
    mine = data[(data["organisation"] == organisation) & (data["wave"] == wave)]
    answered = _answered(mine, instruments)
    ids = [i.id for i in answered]
    if table is None:
        table = analyse(data, answered, organisation=organisation, min_group_size=min_group_size,
                        seed=seed, n_boot=n_boot, min_cohort=min_cohort, cache=cache)
    table = table[(table["organisation"] == organisation) & (table["wave"] == wave)
                  & table["instrument"].isin(ids)]
    in_wave_mask = (data["wave"] == wave).to_numpy(dtype=bool)
    in_wave = data[in_wave_mask]
    scored = respondent_scores_of(data, answered, cache)
    if (wave, tuple(ids)) not in cache:
        cache[(wave, tuple(ids))] = score_responses(
            in_wave, answered, {i: s.where(in_wave_mask) for i, s in scored.items()})
    every = cache[(wave, tuple(ids))]
    scores = every[every["level"].isin(["interface", "discipline"])]
    cohort = scores.assign(is_self=scores["organisation"] == organisation).drop(
        columns=["organisation"])
    own = every[every["organisation"] == organisation].reset_index(drop=True)
    for inst in answered:
        if (wave, inst.id) not in cache:
            cache[(wave, inst.id)] = cohort_icc(scored[inst.id].where(in_wave_mask))
    icc = (pd.concat([cache[(wave, i)] for i in ids], ignore_index=True) if ids
           else pd.DataFrame())
    return CohortContext(table=table.reset_index(drop=True), cohort=cohort.reset_index(drop=True),
                         icc=icc, organisations=int(in_wave["organisation"].nunique()),
                         min_group_size=min_group_size, scores=own)


def cohort_contexts(
    data: pd.DataFrame,
    instruments: list[Instrument],
    table: pd.DataFrame | None = None,
    *,
    min_group_size: int = MIN_GROUP_SIZE,
    only: set[tuple[str, str]] | None = None,
) -> dict[tuple[str, str], CohortContext]:
    """Return the :class:`CohortContext` of every organisation × wave, sharing the work.

    ``table`` is :func:`analyse` of the whole file with the same ``min_group_size``
    (computed when not given); ``only`` limits the result to some organisation × wave
    pairs.
    """
    cache: dict = {}
    if table is None:
        table = analyse(data, instruments, min_group_size=min_group_size, cache=cache)
    pairs = data[["organisation", "wave"]].drop_duplicates().itertuples(index=False)
    return {
        (org, wave): organisation_context(data, instruments, org, wave, table=table,
                                          cache=cache, min_group_size=min_group_size)
        for org, wave in pairs
        if only is None or (org, wave) in only
    }


def analyse_organisation(
    data: pd.DataFrame,
    instruments: list[Instrument],
    organisation: str,
    wave: str = "",
    *,
    min_group_size: int = MIN_GROUP_SIZE,
    seed: int = SEED,
    n_boot: int = N_BOOT,
    min_cohort: int = MIN_COHORT,
    context: CohortContext | None = None,
) -> OrganisationAnalysis:
    """Analyse one organisation and wave against the cohort of the whole file.

    Parameters
    ----------
    data : DataFrame
        Every accepted response in the file (the cohort), or, with ``context``, at least
        this organisation's.
    instruments : list of Instrument
        The instruments this organisation answered.
    organisation : str
        Its name as in ``data``.
    wave : str
        The wave reported ('' when the file has none).
    min_group_size, seed, n_boot, min_cohort
        As :func:`analyse`.
    context : CohortContext, optional
        The cohort's part, computed beforehand (:func:`cohort_contexts`, with the same
        settings); computed from ``data`` when not given.

    Returns
    -------
    OrganisationAnalysis
    """
    if context is not None and context.min_group_size != min_group_size:
        raise ValueError(f"the context was computed with min_group_size "
                         f"{context.min_group_size}, not {min_group_size}")
    if context is None:
        context = organisation_context(data, instruments, organisation, wave,
                                       min_group_size=min_group_size, seed=seed,
                                       n_boot=n_boot, min_cohort=min_cohort)
    table = context.table
    mine = data[(data["organisation"] == organisation) & (data["wave"] == wave)]
    grouping = group_departments(mine["department"], min_group_size)
    cells = [department_cells(score_respondents(mine, inst), min_group_size)
             for inst in _answered(mine, instruments)]
    departments = (pd.concat([c[0] for c in cells], ignore_index=True) if cells
                   else pd.DataFrame())
    withheld = (pd.concat([c[1] for c in cells], ignore_index=True) if cells
                else pd.DataFrame(columns=["level", "department"]))
    withheld = withheld[withheld["department"].isin(grouping.shown)].reset_index(drop=True)
    gaps = (
        perception_gaps(departments[departments["instrument"].isin(
            [i.id for i in instruments if i.scale.type == "stages4"])])
        if not departments.empty
        else perception_gaps(pd.DataFrame(columns=["level", "score"]))
    )
    tension = tension_profile(table)
    cohort = context.cohort
    icc = context.icc if not mine.empty else pd.DataFrame()
    prev = table["previous_wave"].dropna()
    return OrganisationAnalysis(
        table=table,
        grouping=grouping,
        departments=departments,
        gaps=gaps,
        tension=tension,
        cohort=cohort.reset_index(drop=True),
        icc=icc,
        previous_wave=str(prev.iloc[0]) if len(prev) else None,
        min_group_size=min_group_size,
        organisations=context.organisations,
        withheld=withheld,
    )
