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

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from assessment.analysis.stats import describe_scores
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
    named = {d for ds in spec.values() if ds is not None for d in ds}
    members = {
        grp: tuple(d for d in [*DEPARTMENT_ORDER, *sorted(counts)]
                   if d in counts and (d in ds if ds is not None else d not in named))
        for grp, ds in spec.items()
    }
    members = {grp: tuple(dict.fromkeys(ds)) for grp, ds in members.items()}
    sizes = {grp: sum(counts[d] for d in ds) for grp, ds in members.items()}
    left_out = len(departments) - sum(sizes.values())
    if min(sizes.values()) < m or 0 < left_out < m:
        return None
    to_group = {d: grp for grp, ds in members.items() for d in ds}
    groups = departments.map(lambda d: to_group.get(d) if isinstance(d, str) else None)
    hidden = tuple(d for d in [*DEPARTMENT_ORDER, *sorted(counts)]
                   if d in counts and d not in to_group)
    return Grouping(
        groups=groups.astype("object"),
        min_group_size=m,
        hidden=tuple(dict.fromkeys(hidden)),
        sizes={grp: sizes[grp] for grp in GROUP_ORDER if grp in sizes},
        basis=name,
        members=members,
    )


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


def _reporting_rules(
    data: pd.DataFrame, m: int
) -> tuple[np.ndarray, dict[tuple[str, str], _Rule], dict]:
    """Apply the rule to every organisation × wave at once: each respondent's group, the rules.

    The departments are counted per organisation × wave in one pass; the rule then runs
    on each organisation's few counts, and every respondent's group is looked up.
    """
    keys = data[GROUP_KEYS]
    depts = data["department"].to_numpy(dtype=object)
    present = pd.notna(depts)
    text = np.where(present, depts, None)
    text[present] = text[present].astype(str)
    groups = data.groupby(GROUP_KEYS, sort=True).indices
    frame = pd.DataFrame({"o": keys["organisation"].to_numpy(dtype=object),
                          "w": keys["wave"].to_numpy(dtype=object), "d": text})
    counted = frame[present].groupby(["o", "w", "d"], sort=False).size()
    per_key: dict[tuple, dict[str, int]] = {}
    for (o, w, d), k in counted.items():
        per_key.setdefault((o, w), {})[d] = int(k)
    values = np.where(present, text, None)
    rules: dict[tuple[str, str], _Rule] = {}
    for key, idx in groups.items():
        rule = _rule(per_key.get(tuple(key), {}), m)
        rules[(str(key[0]), str(key[1]))] = rule
        if rule.moved:
            part = text[idx]
            for name, group in rule.moved.items():
                values[idx[part == name]] = group
    return values, rules, groups


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
    values, rules, positions = _reporting_rules(data, m)
    index = data.index
    groupings = {
        key: Grouping(
            groups=pd.Series(values[idx], index=index[idx], dtype="object"),
            min_group_size=m, pooled=rule.pooled, hidden=rule.hidden,
            withheld=rule.withheld, sizes=rule.sizes,
        )
        for (key, rule), idx in zip(rules.items(), positions.values(), strict=True)
    }
    for (key, grouping), idx in zip(list(groupings.items()), positions.values(), strict=True):
        if len(grouping.departments_shown) < 2:  # small clients: try the alternatives
            alternative = group_departments(data["department"].iloc[idx], m)
            if alternative.basis != "departments":
                groupings[key] = alternative
                values[idx] = alternative.groups.to_numpy(dtype=object)
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
    tot = tot.drop_duplicates(keys, keep="last")
    gid = frame.groupby(keys, sort=False, dropna=False).ngroup().to_numpy()
    n = frame["n"].to_numpy(dtype=np.int64)
    keep = n >= m
    n_cells = int(gid.max()) + 1
    shown_sum = np.bincount(gid, weights=np.where(keep, n, 0), minlength=n_cells)
    first = np.unique(gid, return_index=True)[1]
    total = frame.iloc[first][keys].merge(tot, on=keys, how="left")["n"].to_numpy(dtype=float)
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
    groups, groupings = reporting_groups(scored.keys, _check_min(min_group_size))
    shown = scored.with_keys(department=groups).where(groups.notna().to_numpy(dtype=bool))
    out = describe_scores(shown, [*GROUP_KEYS, "department"], bootstrap=False, alpha=False)
    totals = describe_scores(scored, GROUP_KEYS, bootstrap=False, alpha=False)
    out, withheld = withhold_cells(out, totals, min_group_size)
    columns = [out[c].to_numpy(dtype=object) for c in ("organisation", "wave", "department")]
    out["pooled"] = [
        ";".join(groupings[(o, w)].pooled) if d == OTHER
        else ";".join(m for m in groupings[(o, w)].members.get(d, ()) if m != d)
        for o, w, d in zip(*columns, strict=True)
    ]
    return out, withheld


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
