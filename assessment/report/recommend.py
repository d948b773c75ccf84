"""Roadmap: the next step for the weakest dimensions, and where a next stage is worth it.

The advice comes from the instrument's recommendations, one per interface × dimension ×
step. Not every organisation needs the Integrated stage: Kotler, Rackham & Krishnaswamy
(2006) and the Dutch article on marketing–sales cooperation say a small firm, or one with
simple sales, does well with a looser relationship. So each interface can have a target
stage: chosen by the consultant (the report's ``target_stages`` parameter) or suggested
from the organisation's size and sale complexity where the responses file gives them
(columns ``employees`` and ``sale_complexity``, see ``docs/instrument-format.md``).
Dimensions at or above their interface's target get no step: the current stage is enough.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from assessment.core.instruments import Instrument
from assessment.core.text import normalise

__all__ = [
    "CONTINGENCY_SOURCE",
    "SMALL_ORGANISATION",
    "organisation_facts",
    "parse_target_stages",
    "resolve_targets",
    "roadmap",
    "suggest_target",
]

#: fewer staff than this is a small organisation (the EU definition of a small enterprise,
#: Commission Recommendation 2003/361/EC); this instrument's operational choice
SMALL_ORGANISATION = 50
#: the sources of the contingency rule, as reference keys
CONTINGENCY_SOURCE = "kotler2006; art001"


def suggest_target(employees: float | None, complexity: str | None,
                   levels: list[str]) -> str | None:
    """Suggest a target stage from an organisation's size and sale complexity.

    The top level, one level lower for a small organisation (fewer than
    :data:`SMALL_ORGANISATION` staff) and one lower again for simple sales: a small firm
    with simple sales needs clear roles (Defined) more than integration (Kotler, Rackham &
    Krishnaswamy 2006; the Dutch article on marketing–sales cooperation). The rule is this
    instrument's operational choice, not the source's.

    Parameters
    ----------
    employees : float or None
        Number of staff; None (or NaN) when not known.
    complexity : {'simple', 'complex'} or None
        The organisation's sale complexity; None when not known.
    levels : list of str
        The instrument's level ids, lowest first.

    Returns
    -------
    str or None
        A level id, or None when neither fact is known (then every next stage counts).

    Examples
    --------
    >>> levels = ["undefined", "defined", "aligned", "integrated"]
    >>> suggest_target(12, "simple", levels), suggest_target(12, None, levels)
    ('defined', 'aligned')
    >>> suggest_target(400, "complex", levels), suggest_target(None, None, levels)
    ('integrated', None)
    """
    known_size = employees is not None and not (isinstance(employees, float)
                                                 and math.isnan(employees))
    if not known_size and complexity is None:
        return None
    if complexity not in (None, "simple", "complex"):
        raise ValueError(f"complexity must be 'simple', 'complex' or None, got {complexity!r}")
    steps_down = int(known_size and employees < SMALL_ORGANISATION) + int(complexity == "simple")
    return levels[len(levels) - 1 - steps_down]


def organisation_facts(data: pd.DataFrame) -> tuple[float | None, str | None]:
    """Return the organisation's number of staff and sale complexity from its rows.

    Parameters
    ----------
    data : DataFrame
        One organisation's accepted rows; the optional columns ``employees`` and
        ``sale_complexity`` are read (:func:`assessment.core.ingest.read_responses`).

    Returns
    -------
    tuple
        ``(employees, complexity)``, each None when the column is missing, blank, or
        holds different values on different rows (the file then gave no single answer).
    """
    out: list[object] = []
    for column in ("employees", "sale_complexity"):
        values = data[column].dropna().unique() if column in data else []
        out.append(values[0] if len(values) == 1 else None)
    employees = None if out[0] is None else float(out[0])
    return employees, (None if out[1] is None else str(out[1]))


def parse_target_stages(text: str | Mapping[str, str], instrument: Instrument) -> dict[str, str]:
    """Read a target stage per interface from the report parameter.

    Parameters
    ----------
    text : str or mapping
        ``""`` (none chosen), one stage for every interface (``"aligned"``), or
        ``interface=stage`` pairs separated by commas (``"marketing_sales=aligned,
        SS=defined"``). Interfaces by id or code, stages by id or label in either language,
        case-insensitive. A mapping of interface to stage is read the same way.
    instrument : Instrument
        The staged instrument (its interfaces and levels).

    Returns
    -------
    dict
        Interface id -> level id, for the interfaces named.

    Raises
    ------
    ValueError
        Naming the part not understood and what is allowed.

    Examples
    --------
    >>> from assessment.core.instruments import load_instrument
    >>> parse_target_stages("MS=afgestemd, sales_service=Defined", load_instrument("alignment"))
    {'marketing_sales': 'aligned', 'sales_service': 'defined'}
    """
    levels = {}
    for lv in instrument.levels:
        for name in (lv.id, lv.label.nl, lv.label.en):
            levels[normalise(name)] = lv.id
    ifaces = {}
    for i in instrument.interfaces:
        for name in (i.id, i.code):
            ifaces[normalise(name)] = i.id
    allowed_levels = ", ".join(lv.id for lv in instrument.levels)
    allowed_ifaces = ", ".join(i.id for i in instrument.interfaces)

    def level_of(value: str) -> str:
        if normalise(value) not in levels:
            raise ValueError(f"target stage {value.strip()!r} is not a stage; "
                             f"allowed: {allowed_levels}")
        return levels[normalise(value)]

    if isinstance(text, Mapping):
        pairs = [(str(k), str(v)) for k, v in text.items()]
    else:
        parts = [p for p in str(text).split(",") if p.strip()]
        if len(parts) == 1 and "=" not in parts[0]:
            stage = level_of(parts[0])
            return {i.id: stage for i in instrument.interfaces}
        pairs = []
        for part in parts:
            if "=" not in part:
                raise ValueError(f"target stages: {part.strip()!r} is not interface=stage "
                                 f"(e.g. marketing_sales=aligned)")
            key, value = part.split("=", 1)
            pairs.append((key, value))
    out = {}
    for key, value in pairs:
        if normalise(key) not in ifaces:
            raise ValueError(f"target stages: {key.strip()!r} is not an interface; "
                             f"allowed: {allowed_ifaces}")
        out[ifaces[normalise(key)]] = level_of(value)
    return out


def resolve_targets(instrument: Instrument, chosen: Mapping[str, str],
                    suggested: str | None) -> dict[str, tuple[str | None, str]]:
    """Combine chosen and suggested targets: interface -> (level id or None, basis).

    ``basis`` is ``"chosen"`` (the report parameter), ``"suggested"`` (from the
    organisation's size and sale complexity) or ``"none"`` (neither: every next stage
    counts). A chosen target wins over a suggested one.
    """
    out = {}
    for i in instrument.interfaces:
        if i.id in chosen:
            out[i.id] = (chosen[i.id], "chosen")
        elif suggested is not None:
            out[i.id] = (suggested, "suggested")
        else:
            out[i.id] = (None, "none")
    return out


def roadmap(scores: pd.DataFrame, instrument: Instrument, n: int = 3,
            targets: Mapping[str, str | None] | None = None) -> pd.DataFrame:
    """Pick the ``n`` weakest rated cells below their target and the step to their next stage.

    Parameters
    ----------
    scores : DataFrame
        Tidy scores of one organisation (and wave) for ``instrument``, as returned by
        :func:`assessment.core.scoring.score_alignment`.
    instrument : Instrument
        A staged instrument with recommendations.
    n : int, default 3
        How many interface × dimension cells; the step is always to the next stage
        (current + 1). Cells at the top stage, or at or above their interface's target,
        have no step and are skipped.
    targets : mapping, optional
        Interface id -> target level id (None: no target, every next stage counts).

    Returns
    -------
    DataFrame
        Columns interface, dimension, score, stage, target (the next stage), goal (the
        interface's target stage or None), recommendation (the
        :class:`~assessment.core.instruments.Recommendation` of that interface, dimension
        and step), lowest score first.
    """
    if n < 0:
        raise ValueError(f"n must be 0 or more, got {n}")
    targets = dict(targets or {})
    levels = [lv.id for lv in instrument.levels]
    rank = {lv: k for k, lv in enumerate(levels)}
    dims = scores[
        (scores["level"] == "dimension")
        & scores["score"].notna()
        & (scores["instrument"] == instrument.id)
    ]
    goal = dims["interface"].map(lambda i: targets.get(i) or levels[-1])
    dims = dims[dims["stage"].map(rank) < goal.map(rank)]
    order = {d.id: k for k, d in enumerate(instrument.dimensions)}
    iorder = {i.id: k for k, i in enumerate(instrument.interfaces)}
    dims = (dims.assign(_o=dims["dimension"].map(order), _i=dims["interface"].map(iorder))
            .sort_values(["score", "_i", "_o"]).head(n))
    rows = []
    for row in dims.itertuples():
        rows.append(
            {
                "interface": row.interface,
                "dimension": row.dimension,
                "score": row.score,
                "stage": row.stage,
                "target": levels[levels.index(row.stage) + 1],
                "goal": targets.get(row.interface),
                "recommendation": instrument.recommendation(
                    row.interface if instrument.interfaces else None, row.dimension, row.stage
                ),
            }
        )
    return pd.DataFrame(
        rows,
        columns=["interface", "dimension", "score", "stage", "target", "goal", "recommendation"],
    )
