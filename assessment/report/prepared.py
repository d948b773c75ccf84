"""Prepared report data: what one report kernel needs, computed once for a whole batch.

Without it, every report of a batch reads and checks the whole responses file and
analyses the whole cohort again, so a class of *n* organisations costs *n²*. The batch
instead reads the file once, analyses it once, and writes one small file per report
(:func:`write_prepared`) holding only that organisation's rows
(:meth:`Responses.restricted_to <assessment.core.ingest.Responses.restricted_to>`) and its
:class:`~assessment.analysis.whole_file.CohortContext` (the cohort's figures without other
organisations' names). The report notebook reads it through its ``prepared`` parameter;
the report is the same as when it reads the file.

The files are pickles: read only files written by :func:`write_prepared` (the batch
writes them in its own output folder and removes them when it ends).
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from assessment.analysis.whole_file import CohortContext, organisation_context
from assessment.core.exceptions import AssessmentError
from assessment.core.files import write_atomic
from assessment.core.i18n import note
from assessment.core.ingest import Responses
from assessment.core.instruments import Instrument, staged_instrument
from assessment.report.recommend import parse_target_stages

__all__ = [
    "PreparedReport",
    "answered_instruments",
    "chosen_targets",
    "iter_prepared",
    "prepare_reports",
    "read_prepared",
    "report_rows",
    "write_prepared",
]

#: bumped when the layout changes, so an old file is never misread
VERSION = 1


@dataclass(frozen=True)
class PreparedReport:
    """One organisation × wave's report input: its own responses and its cohort context."""

    organisation: str
    wave: str
    responses: Responses
    context: CohortContext


def prepare_reports(responses: Responses, table, min_group_size: int,
                    only: set[tuple[str, str]] | None = None
                    ) -> dict[tuple[str, str], PreparedReport]:
    """Return the prepared input of every organisation × wave of ``responses``.

    Parameters
    ----------
    responses : Responses
        The whole checked file.
    table : DataFrame
        :func:`assessment.analysis.whole_file.analyse` of ``responses`` with ``min_group_size``.
    min_group_size : int
        Anonymity minimum of the run.
    only : set of (organisation, wave), optional
        Prepare just these.
    """
    return dict(iter_prepared(responses, table, min_group_size, only))


def iter_prepared(responses: Responses, table, min_group_size: int,
                  only: set[tuple[str, str]] | None = None, cache: dict | None = None
                  ) -> Iterator[tuple[tuple[str, str], PreparedReport]]:
    """Yield ``((organisation, wave), PreparedReport)`` one by one, as :func:`prepare_reports`.

    ``cache`` is the one :func:`~assessment.analysis.whole_file.analyse` computed ``table``
    with, when at hand (the respondents are then not scored again).

    A batch hands each report to a worker as soon as its input is ready.
    """
    cache = {} if cache is None else cache
    restricted: dict[str, Responses] = {}
    pairs = responses.data[["organisation", "wave"]].drop_duplicates().itertuples(index=False)
    for org, wave in pairs:
        if only is not None and (org, wave) not in only:
            continue
        context = organisation_context(responses.data, responses.instruments, org, wave,
                                       table=table, cache=cache, min_group_size=min_group_size)
        if org not in restricted:
            restricted[org] = responses.restricted_to(org)
        yield (org, wave), PreparedReport(org, wave, restricted[org], context)


def write_prepared(prepared: PreparedReport, path: str | Path) -> Path:
    """Write one prepared report input atomically; return its path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, pickle.dumps((VERSION, prepared), protocol=pickle.HIGHEST_PROTOCOL))
    return path


def read_prepared(path: str | Path) -> PreparedReport | None:
    """Read a file written by :func:`write_prepared`; None when it is missing or stale."""
    try:
        version, prepared = pickle.loads(Path(path).read_bytes())
    except (OSError, ValueError, pickle.UnpicklingError, EOFError, TypeError,
            AttributeError, ModuleNotFoundError):
        return None
    return prepared if version == VERSION and isinstance(prepared, PreparedReport) else None


def report_rows(responses: Responses, organisation: str, wave: str = ""
                ) -> tuple[pd.DataFrame, str]:
    """Return the accepted rows of one organisation and wave, and the wave.

    ``organisation`` is matched case-insensitively; without ``wave`` the organisation's only
    wave is taken.

    Raises
    ------
    AssessmentError
        When the organisation (or wave) has no accepted rows (the message lists the
        organisations in the file), or when it has several waves and none is chosen.
    """
    data = responses.for_organisation(organisation, wave or None)
    if data.empty:
        known = sorted(responses.data["organisation"].dropna().unique())
        said = note("error_no_rows", file=responses.file, organisation=organisation,
                    wave=note("error_in_wave", wave=wave) if wave else "",
                    known=", ".join(known) if known else note("error_none"))
        raise AssessmentError(said.text("en"), note=said)
    if not wave:
        waves = sorted(data["wave"].unique())
        if len(waves) > 1:
            said = note("error_several_waves", organisation=organisation, waves=", ".join(waves))
            raise AssessmentError(said.text("en"), note=said)
        wave = waves[0]
    return data, wave


def answered_instruments(responses: Responses, data: pd.DataFrame) -> dict[str, Instrument]:
    """Return instrument id -> Instrument of those ``data`` (a report's rows) answered."""
    return {
        i.id: i
        for i in responses.instruments
        if any(it.id in data and data[it.id].notna().any() for it in i.scored_items)
    }


def chosen_targets(instruments: dict[str, Instrument], target_stages: str) -> dict[str, str]:
    """Read a report's ``target_stages`` parameter against its staged instrument.

    Raises
    ------
    AssessmentError
        When it names an unknown interface or stage.
    """
    staged = staged_instrument(instruments.values())
    try:
        return parse_target_stages(target_stages, staged) if staged and target_stages else {}
    except ValueError as exc:
        raise AssessmentError(str(exc)) from None
