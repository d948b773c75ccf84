"""Departments: anonymity-safe groups, scores per department, and the perception gaps.

Anonymity rule (DESIGN 5), per organisation and wave:

1. A department with at least ``min_group_size`` respondents (default 3) is shown as it is.
2. Smaller departments are pooled into ``other`` (together with the ``other`` department,
   whatever its size). The report says which departments were pooled.
3. A pool still under ``min_group_size`` is not shown at all: its respondents count only in
   the organisation's totals.
4. Because the totals are shown, a hidden pool could be worked out as "total minus the
   departments shown". So that this cannot happen, the smallest department still shown is
   withheld as well (complementary suppression, as statistics offices do); the hidden
   respondents together are then at least ``min_group_size``.
5. The same holds per cell (every dimension, discipline, tension source and interface
   index): when respondents of a group skip a cell's questions, fewer of them rate it, and
   "the organisation's n in that cell minus the groups shown" could again be 1 to
   ``min_group_size`` − 1 respondents. Then the smallest group still shown in that cell is
   withheld in that cell too, and the next, until the respondents not shown in the cell
   are none or at least ``min_group_size`` (:func:`withhold_cells`). A group's interface
   index is withheld with any of its dimensions (it is their mean, so it would give the
   withheld one away).

6. Small clients: when fewer than two departments can be shown on their own (everything
   pooled, or one department beside a pooled ``other``), the rule tries groupings that
   survive small numbers, in this order (:data:`ALTERNATIVES`): marketing and sales
   together (``commercial``) against service, then management against everyone else
   (``staff``). The first whose groups all reach ``min_group_size``, and whose respondents
   left out are none or at least ``min_group_size``, is used; otherwise the department
   grouping stays (and the report says plainly that groups cannot be compared).

Department figures are never computed for a group that is not shown, so no table, chart,
comment or export can contain one.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from assessment.analysis.stats import describe_scores, interface_columns
from assessment.core.ingest import DEPARTMENT_ORDER
from assessment.core.scoring import GROUP_KEYS, RespondentScores

__all__ = [
    "ALTERNATIVES",
    "GROUP_ORDER",
    "MIN_GROUP_SIZE",
    "OTHER",
    "Grouping",
    "CELL_KEYS",
    "department_cells",
    "department_scores",
    "group_departments",
    "perception_gaps",
    "reporting_groups",
    "withhold_cells",
]

#: the smallest group whose figures may be shown
MIN_GROUP_SIZE = 3
#: the group small departments are pooled into
OTHER = "other"
#: groupings tried when fewer than two departments can be shown on their own: a name, and
#: per group the departments it holds (None: every department not in another group)
ALTERNATIVES: tuple[tuple[str, dict[str, tuple[str, ...] | None]], ...] = (
    ("commercial_service", {"commercial": ("marketing", "sales"), "service": ("service",)}),
    ("management_staff", {"management": ("management",), "staff": None}),
)
#: the order in which groups are listed (departments and the groups of ALTERNATIVES)
GROUP_ORDER = ("marketing", "sales", "commercial", "service", "management", "staff", "other")
#: what names one reported cell of one organisation and wave
CELL_KEYS = [*GROUP_KEYS, "instrument", "level", "interface", "dimension"]


@dataclass(frozen=True)
class Grouping:
    """How one organisation's (and wave's) respondents are grouped for reporting.

    Attributes
    ----------
    groups : Series
        Per respondent (same index as the input): the group shown, or missing when the
        respondent counts only in the organisation's totals.
    min_group_size : int
        The minimum applied.
    pooled : tuple of str
        Departments pooled into ``other`` (shown as one group).
    hidden : tuple of str
        Departments in a pool that stayed under the minimum (not shown at all).
    withheld : tuple of str
        Departments large enough, withheld so that ``hidden`` cannot be derived from the
        totals.
    sizes : dict
        Group shown -> respondents.
    basis : str
        ``"departments"``, or the name of the alternative of :data:`ALTERNATIVES` used
        because fewer than two departments could be shown on their own.
    members : dict
        Group shown -> the departments it holds (for a group of an alternative).
    """

    groups: pd.Series
    min_group_size: int
    pooled: tuple[str, ...] = ()
    hidden: tuple[str, ...] = ()
    withheld: tuple[str, ...] = ()
    sizes: dict[str, int] = field(default_factory=dict)
    basis: str = "departments"
    members: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def shown(self) -> tuple[str, ...]:
        """The groups shown, in the usual order (:data:`GROUP_ORDER`, then by name)."""
        return tuple(d for d in [*GROUP_ORDER, *sorted(set(self.sizes) - set(GROUP_ORDER))]
                     if d in self.sizes)

    @property
    def departments_shown(self) -> tuple[str, ...]:
        """The departments shown on their own (not a pooled ``other``, not an alternative)."""
        if self.basis != "departments":
            return ()
        return tuple(d for d in self.shown if not (d == OTHER and self.pooled))

    @property
    def comparable(self) -> bool:
        """True when at least two groups are shown (otherwise there is nothing to compare)."""
        return len(self.sizes) >= 2


def _check_min(min_group_size: int) -> int:
    if isinstance(min_group_size, bool) or not isinstance(min_group_size, int | np.integer):
        raise ValueError(f"min_group_size must be a whole number, got {min_group_size!r}")
    if min_group_size < 1:
        raise ValueError(f"min_group_size must be 1 or more, got {min_group_size}")
    return int(min_group_size)


def group_departments(
    departments: pd.Series, min_group_size: int = MIN_GROUP_SIZE
) -> Grouping:
    """Apply the anonymity rule to one organisation's (and wave's) departments.

    Parameters
    ----------
    departments : Series
        Each respondent's department (canonical names, as ``read_responses`` gives them).
    min_group_size : int, default 3
        The smallest group whose figures may be shown.

    Returns
    -------
    Grouping

    Examples
    --------
    >>> d = pd.Series(["sales"] * 4 + ["marketing"] * 3 + ["management"] * 2 + ["other"])
    >>> g = group_departments(d)
    >>> g.sizes, g.pooled
    ({'marketing': 3, 'sales': 4, 'other': 3}, ('management', 'other'))
    >>> g = group_departments(pd.Series(["sales"] * 4 + ["marketing"] * 3 + ["service"] * 3
    ...                                 + ["management"] * 2))
    >>> g.sizes, g.hidden, g.withheld
    ({'marketing': 3, 'sales': 4}, ('management',), ('service',))
    """
    m = _check_min(min_group_size)
    depts = departments.to_numpy(dtype=object)
    present = pd.notna(depts)
    depts = np.where(present, depts, None)
    names, n = np.unique(depts[present].astype(str), return_counts=True)
    rule = _rule(dict(zip(names.tolist(), n.tolist(), strict=True)), m)
    groups = depts.copy()
    for name, group in rule.moved.items():
        groups[depts == name] = group
    result = Grouping(
        groups=pd.Series(groups, index=departments.index, dtype="object"),
        min_group_size=m,
        pooled=rule.pooled,
        hidden=rule.hidden,
        withheld=rule.withheld,
        sizes=rule.sizes,
    )
    if len(result.departments_shown) >= 2:
        return result
    counts = dict(zip(names.tolist(), n.tolist(), strict=True))
    for name, spec in ALTERNATIVES:
        alternative = _alternative(departments, counts, m, name, spec)
        if alternative is not None:
            return alternative
    return result


def _alternative(departments: pd.Series, counts: dict[str, int], m: int, name: str,
                 spec: dict[str, tuple[str, ...] | None]) -> Grouping | None:
    """Return the grouping ``spec`` of :data:`ALTERNATIVES` when it keeps the rule, else None.

    Every group must hold at least ``m`` respondents, and the respondents in no group
    (including those without a department) none or at least ``m``.

    Examples
    --------
    >>> d = pd.Series(["marketing"] + ["sales"] * 2 + ["service"] * 3)
    >>> g = _alternative(d, {"marketing": 1, "sales": 2, "service": 3}, 3, *ALTERNATIVES[0])
    >>> g.sizes, g.members["commercial"]
    ({'commercial': 3, 'service': 3}, ('marketing', 'sales'))
    """
    plan = _alternative_plan(counts, len(departments), m, name, spec)
    if plan is None:
        return None
    to_group = {d: grp for grp, ds in plan.members.items() for d in ds}
    groups = departments.map(lambda d: to_group.get(d) if isinstance(d, str) else None)
    return plan.grouping(groups.astype("object"), m)


@dataclass(frozen=True)
class _Plan:
    """A :class:`Grouping` without the respondents' groups: what the rule decided."""

    pooled: tuple[str, ...] = ()
    hidden: tuple[str, ...] = ()
    withheld: tuple[str, ...] = ()
    sizes: dict[str, int] = field(default_factory=dict)
    basis: str = "departments"
    members: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def grouping(self, groups: pd.Series, m: int) -> Grouping:
        """Return the :class:`Grouping` of respondents in ``groups`` under this plan."""
        return Grouping(groups=groups, min_group_size=m, pooled=self.pooled,
                        hidden=self.hidden, withheld=self.withheld, sizes=self.sizes,
                        basis=self.basis, members=self.members)


def _alternative_plan(counts: dict[str, int], total: int, m: int, name: str,
                      spec: dict[str, tuple[str, ...] | None]) -> _Plan | None:
    """Return the plan of :func:`_alternative` from the department counts alone.

    ``total`` counts every respondent, those without a department as well.
    """
    named = {d for ds in spec.values() if ds is not None for d in ds}
    members = {
        grp: tuple(d for d in [*DEPARTMENT_ORDER, *sorted(counts)]
                   if d in counts and (d in ds if ds is not None else d not in named))
        for grp, ds in spec.items()
    }
    members = {grp: tuple(dict.fromkeys(ds)) for grp, ds in members.items()}
    sizes = {grp: sum(counts[d] for d in ds) for grp, ds in members.items()}
    left_out = total - sum(sizes.values())
    if min(sizes.values()) < m or 0 < left_out < m:
        return None
    grouped = {d for ds in members.values() for d in ds}
    hidden = tuple(d for d in [*DEPARTMENT_ORDER, *sorted(counts)]
                   if d in counts and d not in grouped)
    return _Plan(hidden=tuple(dict.fromkeys(hidden)),
                 sizes={grp: sizes[grp] for grp in GROUP_ORDER if grp in sizes},
                 basis=name, members=members)


@dataclass(frozen=True)
class _Rule:
    """The anonymity rule applied to one organisation's department counts."""

    moved: dict[str, str | None]
    pooled: tuple[str, ...]
    hidden: tuple[str, ...]
    withheld: tuple[str, ...]
    sizes: dict[str, int]


def _rule(counts: dict[str, int], m: int) -> _Rule:
    """Apply the anonymity rule to department counts: which departments move where."""
    order = [d for d in DEPARTMENT_ORDER if d in counts] + sorted(
        d for d in counts if d not in DEPARTMENT_ORDER
    )
    small = [d for d in order if counts[d] < m]
    moved: dict[str, str | None] = {}
    pooled: tuple[str, ...] = ()
    hidden: tuple[str, ...] = ()
    withheld: tuple[str, ...] = ()
    if small:
        pool = small + ([OTHER] if OTHER in counts and OTHER not in small else [])
        if sum(counts[d] for d in pool) >= m:
            moved.update(dict.fromkeys(pool, OTHER))
            pooled = tuple(pool)
        else:
            moved.update(dict.fromkeys(pool))
            hidden = tuple(pool)
            rest = [d for d in order if d not in pool]
            if rest:
                # the smallest remaining group; on a tie the one listed last (management,
                # other) goes first, so marketing, sales and service stay visible
                victim = min(reversed(rest), key=lambda d: counts[d])
                moved[victim] = None
                withheld = (victim,)
    shown = [d for d in order if d not in hidden and d not in withheld and d not in pooled]
    sizes = {d: counts[d] for d in shown}
    if pooled:
        sizes[OTHER] = sum(counts[d] for d in pooled)
    sizes = {d: sizes[d] for d in [*DEPARTMENT_ORDER, *sorted(sizes)] if d in sizes}
    return _Rule(moved, pooled, hidden, withheld, sizes)


def _reporting_plans(
    data: pd.DataFrame, m: int
) -> tuple[np.ndarray, dict[tuple[str, str], _Plan], dict]:
    """Apply the rule to every organisation × wave at once: each respondent's group, the plans.

    The departments are counted per organisation × wave in one pass; the rule (and, for a
    small client, :data:`ALTERNATIVES`) then runs on each organisation's few counts, which
    gives a table organisation × wave × department -> group, and every respondent's group
    is looked up in it at once. As :func:`group_departments` per organisation × wave.

    Returns
    -------
    values : ndarray
        Per respondent: the group shown, or None (respondents without an organisation or
        wave keep their department).
    plans : dict
        (organisation, wave) -> :class:`_Plan`, sorted as ``groupby`` sorts the keys.
    positions : dict
        (organisation, wave) as ``groupby`` gives it -> the respondents' positions.
    """
    depts = data["department"].to_numpy(dtype=object)
    present = pd.notna(depts)
    text = np.where(present, depts, None)
    text[present] = text[present].astype(str)
    positions = data.groupby(GROUP_KEYS, sort=True).indices
    key_code = np.full(len(data), -1, dtype=np.int64)
    for k, idx in enumerate(positions.values()):
        key_code[idx] = k
    dept_code, names = pd.factorize(text, use_na_sentinel=True)
    names = names.tolist()
    n_keys, n_depts = len(positions), len(names)
    counted = (key_code >= 0) & (dept_code >= 0)
    counts = np.bincount(key_code[counted] * n_depts + dept_code[counted],
                         minlength=n_keys * n_depts).reshape(n_keys, n_depts)
    totals = np.bincount(key_code[key_code >= 0], minlength=n_keys)
    target = np.empty((n_keys, n_depts), dtype=object)
    target[:] = names
    column = {d: j for j, d in enumerate(names)}
    plans: dict[tuple[str, str], _Plan] = {}
    for k, key in enumerate(positions):
        own = tuple((names[j], int(counts[k, j])) for j in np.flatnonzero(counts[k]))
        plan, moved = _plan(own, int(totals[k]), m)
        plans[(str(key[0]), str(key[1]))] = plan
        for name, group in moved.items():
            target[k, column[name]] = group
    values = text.copy()
    rows = np.flatnonzero(counted)
    values[rows] = target[key_code[rows], dept_code[rows]]
    for plan, idx in zip(plans.values(), positions.values(), strict=True):
        if plan.basis != "departments":  # as _alternative maps them (a missing one stays so)
            to_group = {d: grp for grp, ds in plan.members.items() for d in ds}
            values[idx] = data["department"].iloc[idx].map(
                lambda d, to_group=to_group: to_group.get(d) if isinstance(d, str) else None
            ).astype("object").to_numpy(dtype=object)
    return values, plans, positions


@functools.lru_cache(maxsize=4096)
def _plan(counted: tuple[tuple[str, int], ...], total: int,
          m: int) -> tuple[_Plan, dict[str, str | None]]:
    """Return one organisation's plan and which departments move to which group (or None).

    As :func:`group_departments`, from the department counts (department, respondents)
    and ``total`` respondents. Organisations with the same counts share the answer
    (remembered: the plans are not to be changed).
    """
    counts = dict(counted)
    rule = _rule(counts, m)
    shown = len(rule.sizes) - (OTHER in rule.sizes and bool(rule.pooled))
    if shown < 2:  # small clients: try the alternatives
        for name, spec in ALTERNATIVES:
            alternative = _alternative_plan(counts, total, m, name, spec)
            if alternative is not None:
                to_group = {d: grp for grp, ds in alternative.members.items() for d in ds}
                return alternative, {d: to_group.get(d) for d in counts}
    return _Plan(pooled=rule.pooled, hidden=rule.hidden, withheld=rule.withheld,
                 sizes=rule.sizes), rule.moved


def reporting_groups(
    data: pd.DataFrame, min_group_size: int = MIN_GROUP_SIZE
) -> tuple[pd.Series, dict[tuple[str, str], Grouping]]:
    """Apply :func:`group_departments` to every organisation × wave of ``data``.

    Returns
    -------
    groups : Series
        Per respondent (index of ``data``): the group shown, or None.
    groupings : dict
        (organisation, wave) -> :class:`Grouping`.
    """
    m = _check_min(min_group_size)
    values, plans, positions = _reporting_plans(data, m)
    index, name = data.index, data["department"].name
    groupings = {  # an alternative's groups are named as group_departments names them
        key: plan.grouping(pd.Series(values[idx], index=index[idx], dtype="object",
                                     name=None if plan.basis == "departments" else name), m)
        for (key, plan), idx in zip(plans.items(), positions.values(), strict=True)
    }
    return pd.Series(values, index=data.index, dtype="object"), groupings


def _victim(sizes: dict[str, int]) -> str:
    """Return the group to withhold next: the smallest; on a tie the one listed last."""
    rank = {d: k for k, d in enumerate(DEPARTMENT_ORDER)}
    return min(sizes, key=lambda d: (sizes[d], -rank.get(d, len(rank)), d))


def withhold_cells(
    rows: pd.DataFrame, totals: pd.DataFrame, min_group_size: int = MIN_GROUP_SIZE
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Apply the anonymity rule per cell: no subtraction may isolate fewer than the minimum.

    Parameters
    ----------
    rows : DataFrame
        Figures per group: :data:`CELL_KEYS`, ``department`` and ``n`` (respondents who
        rated the cell), e.g. from :func:`~assessment.analysis.stats.describe_scores`.
    totals : DataFrame
        The organisation's figure of each cell: :data:`CELL_KEYS` and ``n`` (every
        respondent, shown in a group or not).
    min_group_size : int, default 3

    Returns
    -------
    shown : DataFrame
        The rows that may be reported: in each cell every group has at least
        ``min_group_size`` raters, and the cell's total minus the groups shown is 0 or at
        least ``min_group_size``; a group's ``interface`` row only when all the dimension
        rows of that interface are shown for it.
    withheld : DataFrame
        :data:`CELL_KEYS` and ``department`` of the rows left out (no figures).

    Examples
    --------
    Nine respondents rated a cell, two groups of four are shown: the ninth would be
    "total minus the groups", so the smaller group (on a tie: sales after marketing) goes.

    >>> keys = dict(organisation="A", wave="", instrument="x", level="dimension",
    ...             interface="ms", dimension="goals")
    >>> rows = pd.DataFrame([{**keys, "department": d, "n": 4} for d in ("marketing", "sales")])
    >>> shown, withheld = withhold_cells(rows, pd.DataFrame([{**keys, "n": 9}]))
    >>> shown["department"].tolist(), withheld["department"].tolist()
    (['marketing'], ['sales'])
    """
    m = _check_min(min_group_size)
    keys = [k for k in CELL_KEYS if k in rows.columns]
    if rows.empty:
        return rows.copy(), pd.DataFrame(columns=[*keys, "department"])
    frame = rows.copy()
    for col in ("interface", "dimension"):
        if col in frame:
            frame[col] = frame[col].astype("object").where(frame[col].notna(), "")
    tot = totals[keys + ["n"]].copy()
    for col in ("interface", "dimension"):
        if col in tot:
            tot[col] = tot[col].astype("object").where(tot[col].notna(), "")
    cell, tot_cell = _cell_codes(frame, tot, keys)
    gid = pd.factorize(cell)[0]  # cells numbered as they come (groupby ngroup, sort=False)
    n = frame["n"].to_numpy(dtype=np.int64)
    keep = n >= m
    n_cells = int(gid.max()) + 1
    shown_sum = np.bincount(gid, weights=np.where(keep, n, 0), minlength=n_cells)
    first = np.unique(gid, return_index=True)[1]
    # each cell's total: the last totals row of the cell (drop_duplicates keep="last")
    last = len(tot_cell) - 1 - np.unique(tot_cell[::-1], return_index=True)[1]
    lookup = np.full(len(cell) + len(tot_cell), np.nan)
    lookup[tot_cell[last]] = tot["n"].to_numpy(dtype=float)[last]
    total = lookup[cell[first]]
    total = np.where(np.isnan(total), np.bincount(gid, weights=n, minlength=n_cells), total)
    rest = total - shown_sum
    # only cells where "total minus the groups shown" isolates 1 to m − 1 respondents need
    # the group-by-group rule; in every other cell a group is shown when it has m raters
    departments = frame["department"].to_numpy(dtype=object)
    for cell in np.flatnonzero((shown_sum > 0) & (rest > 0) & (rest < m)):
        idx = np.flatnonzero(gid == cell)
        sizes = {str(departments[i]): int(n[i]) for i in idx}
        shown = {d: k for d, k in sizes.items() if k >= m}
        while shown and 0 < total[cell] - sum(shown.values()) < m:
            del shown[_victim(shown)]
        keep[idx] = [str(departments[i]) in shown for i in idx]
    # an interface index is the mean of its dimensions: withheld with any of them
    if "level" in frame and keep.any():
        group = [*GROUP_KEYS, "instrument", "department", "interface"]
        level = frame["level"].to_numpy(dtype=object)
        values = [frame[c].to_numpy(dtype=object) for c in group]
        gone = {tuple(v[i] for v in values)
                for i in np.flatnonzero((level == "dimension") & ~keep)}
        if gone:
            for i in np.flatnonzero((level == "interface") & keep):
                if tuple(v[i] for v in values) in gone:
                    keep[i] = False
    withheld = frame.loc[~keep, [*keys, "department"]].reset_index(drop=True)
    for col in ("interface", "dimension"):
        if col in withheld:
            withheld[col] = withheld[col].where(withheld[col] != "", None)
    return rows[keep].reset_index(drop=True), withheld


def _cell_codes(rows: pd.DataFrame, totals: pd.DataFrame,
                keys: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Return one number per cell of ``rows`` and of ``totals``: equal keys, equal number.

    As matching the rows on ``keys`` (``merge``, ``groupby`` with ``dropna=False``):
    one factorisation of each key column over both frames, missing values equal.
    """
    code = np.zeros(len(rows) + len(totals), dtype=np.int64)
    for key in keys:
        values = np.concatenate([rows[key].to_numpy(dtype=object),
                                 totals[key].to_numpy(dtype=object)])
        column, uniques = pd.factorize(values, use_na_sentinel=False)
        code = pd.factorize(code * len(uniques) + column)[0]
    return code[:len(rows)], code[len(rows):]


def department_cells(
    scored: RespondentScores, min_group_size: int = MIN_GROUP_SIZE
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Score every shown department group per cell; also say which cells were withheld.

    Returns
    -------
    shown : DataFrame
        As :func:`department_scores`.
    withheld : DataFrame
        :data:`CELL_KEYS` and ``department`` of the cells a group is not shown in,
        because of the per-cell rule (:func:`withhold_cells`).
    """
    values, plans, _ = _reporting_plans(scored.keys, _check_min(min_group_size))
    groups = pd.Series(values, index=scored.keys.index, dtype="object")
    shown = scored.with_keys(department=groups).where(groups.notna().to_numpy(dtype=bool))
    out = describe_scores(shown, [*GROUP_KEYS, "department"], bootstrap=False, alpha=False)
    out, withheld = withhold_cells(out, _cell_totals(scored), min_group_size)
    out["pooled"] = _pooled_column(out, plans)
    return out, withheld


def _cell_totals(scored: RespondentScores) -> pd.DataFrame:
    """Return the organisation's ``n`` of every cell: :data:`CELL_KEYS` and ``n``.

    The ``n`` of :func:`~assessment.analysis.stats.describe_scores` by organisation × wave
    (respondents who rated the cell; every respondent for an interface index), counted
    with one ``bincount`` per cell: the totals :func:`withhold_cells` needs, without the
    other figures.
    """
    columns = [*CELL_KEYS, "n"]
    cells = scored.cells
    groups = scored.keys.groupby(GROUP_KEYS, sort=True, dropna=True).indices
    if not cells or not groups:
        return pd.DataFrame(columns=columns)
    ifaces = interface_columns(scored.instrument, cells)
    code = np.full(len(scored), -1, dtype=np.int64)
    for g, idx in enumerate(groups.values()):
        code[idx] = g
    grouped = code >= 0
    rated = ~np.isnan(scored.means[grouped])
    n_groups, width = len(groups), len(cells) + len(ifaces)
    n = np.empty((n_groups, width), dtype=np.int64)
    for k in range(len(cells)):
        n[:, k] = np.bincount(code[grouped][rated[:, k]], minlength=n_groups)
    n[:, len(cells):] = np.bincount(code[grouped], minlength=n_groups)[:, None]
    keys = list(groups)
    levels = [*(c.level for c in cells), *(["interface"] * len(ifaces))]
    interfaces = [*(c.interface for c in cells), *ifaces]
    dimensions = [*(c.dimension for c in cells), *([None] * len(ifaces))]
    return pd.DataFrame({
        "organisation": np.repeat(np.array([k[0] for k in keys], dtype=object), width),
        "wave": np.repeat(np.array([k[1] for k in keys], dtype=object), width),
        "instrument": scored.instrument.id,
        "level": np.tile(np.array(levels, dtype=object), n_groups),
        "interface": np.tile(np.array(interfaces, dtype=object), n_groups),
        "dimension": np.tile(np.array(dimensions, dtype=object), n_groups),
        "n": n.ravel(),
    }, columns=columns)


def _pooled_column(rows: pd.DataFrame, plans: dict[tuple[str, str], _Plan]) -> list[str]:
    """Per row, the departments its group holds besides itself, joined by ``;``.

    A pooled ``other`` names the departments pooled; a group of an alternative its members
    (but itself); a department on its own nothing. Worked out once per organisation ×
    wave × group, then spread over the rows.
    """
    if rows.empty:
        return []
    codes = [pd.factorize(rows[c].to_numpy(dtype=object))
             for c in ("organisation", "wave", "department")]
    combined = np.zeros(len(rows), dtype=np.int64)
    for code, uniques in codes:
        combined = combined * (len(uniques) + 1) + code + 1
    first, inverse = np.unique(combined, return_index=True, return_inverse=True)[1:]
    texts = []
    for i in first:
        o, w, d = (uniques[code[i]] if code[i] >= 0 else None for code, uniques in codes)
        plan = plans[(o, w)]
        texts.append(";".join(plan.pooled) if d == OTHER
                     else ";".join(m for m in plan.members.get(d, ()) if m != d))
    return np.asarray(texts, dtype=object)[inverse].tolist()


def department_scores(
    scored: RespondentScores, min_group_size: int = MIN_GROUP_SIZE
) -> pd.DataFrame:
    """Score every shown department group per organisation × wave × cell.

    ``scored`` holds the respondents' scores
    (:func:`assessment.core.scoring.score_respondents`) with their organisation, wave
    and department.

    Groups under the minimum are never scored (see the module docstring), so the result
    holds no figure of them; nor does it hold a cell that fewer than ``min_group_size``
    respondents of a group rated (when the others skipped its questions), nor a cell whose
    total minus the groups shown would leave 1 to ``min_group_size`` − 1 respondents
    (:func:`withhold_cells`).

    Returns
    -------
    DataFrame
        As :func:`assessment.analysis.stats.describe_scores` with ``by`` = organisation, wave,
        department (the group shown) and a ``pooled`` column naming the departments in a
        pooled ``other`` group; no intervals and no α (groups are small).
    """
    return department_cells(scored, min_group_size)[0]


def perception_gaps(department_rows: pd.DataFrame, levels=("dimension",)) -> pd.DataFrame:
    """Return, per organisation × wave × cell, the departments that differ most; largest first.

    Parameters
    ----------
    department_rows : DataFrame
        Output of :func:`department_scores`.
    levels : tuple of str
        Which rows to compare (default: alignment dimensions).

    Returns
    -------
    DataFrame
        ``organisation``, ``wave``, ``instrument``, ``interface``, ``dimension``,
        ``high`` / ``high_score`` (the department that rates it highest), ``low`` /
        ``low_score`` (lowest), ``gap`` = high_score − low_score, ``groups`` (departments
        compared). Only cells rated by at least two departments.

    Examples
    --------
    >>> rows = pd.DataFrame({"organisation": "A", "wave": "", "instrument": "x",
    ...     "level": "dimension", "interface": "ms", "dimension": "goals",
    ...     "department": ["marketing", "sales", "service"], "score": [2.0, 3.1, 2.5]})
    >>> perception_gaps(rows)[["high", "low", "gap"]].round(2).values.tolist()
    [['sales', 'marketing', 1.1]]
    """
    keys = ["organisation", "wave", "instrument", "interface", "dimension"]
    columns = [*keys, "high", "high_score", "low", "low_score", "gap", "groups"]
    rows = department_rows[
        department_rows["level"].isin(levels) & department_rows["score"].notna()
    ].copy()
    if rows.empty:
        return pd.DataFrame(columns=columns)
    rows["interface"] = rows["interface"].astype("object").fillna("")
    order = {d: k for k, d in enumerate(GROUP_ORDER)}
    rows["_o"] = rows["department"].map(order).fillna(len(order))
    rows = rows.sort_values([*keys, "_o"])
    grouped = rows.groupby(keys, sort=False)
    high = rows.loc[grouped["score"].idxmax()].set_index(keys)
    low = rows.loc[grouped["score"].idxmin()].set_index(keys)
    count = grouped.size()
    out = pd.DataFrame(
        {
            "high": high["department"],
            "high_score": high["score"],
            "low": low["department"],
            "low_score": low["score"],
            "groups": count,
        }
    )
    out["gap"] = out["high_score"] - out["low_score"]
    out = out[out["groups"] >= 2].reset_index()
    out["interface"] = out["interface"].where(out["interface"] != "", None)
    out = out.sort_values("gap", ascending=False, kind="stable").reset_index(drop=True)
    return out[columns]
