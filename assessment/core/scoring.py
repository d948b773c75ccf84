"""Scoring: pure functions from checked responses to tidy scores.

Rules (DESIGN 3.1, 3.2):

* A respondent's score on a dimension is the mean of their answered items on it,
  given only when at least half of its items are answered ("not rated" otherwise).
  Reverse-keyed items count as ``min + max - x`` (``6 - x`` on a 1–5 scale).
* An organisation's dimension score is the mean of its respondents' dimension
  scores; ``n`` is how many respondents rated it.
* Interface index = mean of the interface's rated dimension scores (not rated when
  fewer than half of its dimensions are rated); stage by the instrument's bands;
  the floor stage is the stage of the weakest rated dimension.
* Value disciplines: 0–100 = (mean − 1) / 4 × 100, then the profile rule with the
  instrument's T, E and M.

Per-respondent means are computed once, by :func:`score_respondents`, for every score
cell of an instrument (each (interface ×) dimension and each source of tension); the
organisation scores here and the trust figures in :mod:`assessment.analysis` all start
from its :class:`RespondentScores`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from assessment.core.i18n import t
from assessment.core.instruments import TENSION_SOURCES, Instrument

__all__ = [
    "GROUP_KEYS",
    "KEY_COLUMNS",
    "Cell",
    "ProfileResult",
    "RespondentScores",
    "classify_profile",
    "declared_by_group",
    "declared_choice",
    "item_groups",
    "keyed_items",
    "profile_label",
    "respondent_means",
    "respondent_scores",
    "score_alignment",
    "score_cells",
    "score_disciplines",
    "score_respondents",
    "score_responses",
    "stage_of",
    "to_percent",
]

GROUP_KEYS = ["organisation", "wave"]
#: the columns that say whose answers a row holds (those present are kept with the scores)
KEY_COLUMNS = ["organisation", "wave", "department", "respondent_id"]


def keyed_items(data: pd.DataFrame, instrument: Instrument) -> pd.DataFrame:
    """Return the instrument's scored item columns with reverse keying applied.

    Items missing from ``data`` appear as all-missing columns.

    Examples
    --------
    >>> from assessment.core.instruments import load_instrument
    >>> vd = load_instrument("value_disciplines")
    >>> rev = next(i.id for i in vd.items if i.reverse)
    >>> keyed_items(pd.DataFrame({rev: [1.0, 5.0, None]}), vd)[rev].tolist()
    [5.0, 1.0, nan]
    """
    lo, hi = instrument.scale.min, instrument.scale.max
    out = {}
    for item in instrument.scored_items:
        col = (
            data[item.id].astype("float64")
            if item.id in data
            else pd.Series(np.nan, index=data.index)
        )
        out[item.id] = (lo + hi - col) if item.reverse else col
    return pd.DataFrame(out, index=data.index)


def item_groups(instrument: Instrument) -> dict[tuple[str | None, str], list[str]]:
    """Return the item ids that make up each (interface, dimension) score, in file order.

    ``nps`` items are left out: a 0–10 recommendation is reported as an NPS, never
    averaged into a dimension. The interface is None for instruments without interfaces.

    Examples
    --------
    >>> from assessment.core.instruments import load_instrument
    >>> groups = item_groups(load_instrument("customer_loyalty"))
    >>> all(k[0] is None and len(ids) >= 2 for k, ids in groups.items())
    True
    """
    groups: dict[tuple[str | None, str], list[str]] = {}
    ifaces = [i.id for i in instrument.interfaces] or [None]
    for iface in ifaces:
        for dim in instrument.dimensions:
            ids = [
                i.id
                for i in instrument.scored_items
                if i.type != "nps"
                and i.dimension == dim.id
                and (iface is None or i.interface == iface)
            ]
            if ids:
                groups[(iface, dim.id)] = ids
    return groups


@dataclass(frozen=True)
class Cell:
    """A score cell: the items that make up one figure of an instrument.

    Attributes
    ----------
    level : str
        ``dimension`` (or ``discipline`` for a value-discipline instrument) or ``tension``.
    interface : str or None
        The interface, for instruments with interfaces.
    dimension : str
        The dimension id, or the tension source (economic, cultural, organisational).
    items : tuple of str
        The item ids, from the YAML.
    """

    level: str
    interface: str | None
    dimension: str
    items: tuple[str, ...]


def score_cells(instrument: Instrument) -> list[Cell]:
    """List the cells of an instrument: every (interface ×) dimension, then every tension source.

    Tension cells group the items of one interface tagged with one ``tension`` source in
    the YAML (seed 001: economic, cultural, organisational).

    Examples
    --------
    >>> from assessment.core.instruments import load_instrument
    >>> cells = score_cells(load_instrument("alignment"))
    >>> sum(c.level == "dimension" for c in cells), sum(c.level == "tension" for c in cells)
    (21, 3)
    """
    level = "discipline" if instrument.profile is not None else "dimension"
    cells = [
        Cell(level, iface, dim, tuple(ids)) for (iface, dim), ids in item_groups(instrument).items()
    ]
    ifaces = [i.id for i in instrument.interfaces] or [None]
    scale_items = [i for i in instrument.scored_items if i.type != "nps"]
    for iface in ifaces:
        for source in TENSION_SOURCES:
            ids = tuple(
                i.id
                for i in scale_items
                if i.tension == source and (iface is None or i.interface == iface)
            )
            if ids:
                cells.append(Cell("tension", iface, source, ids))
    return cells


def respondent_means(block: np.ndarray) -> np.ndarray:
    """Mean of each row's answered values; NaN when fewer than half are answered.

    The scoring rule, for a respondent's items on a cell and for an interface's
    dimension means alike.

    Examples
    --------
    >>> respondent_means(np.array([[1.0, 2.0, np.nan], [4.0, np.nan, np.nan]]))
    array([1.5, nan])
    """
    ok = ~np.isnan(block)
    answered = ok.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(ok, block, 0.0).sum(axis=1) / answered
    mean[answered * 2 < block.shape[1]] = np.nan
    return mean


@dataclass(frozen=True)
class RespondentScores:
    """Every respondent's score on every cell of one instrument, computed once.

    Attributes
    ----------
    instrument : Instrument
    cells : list of Cell
        :func:`score_cells` of the instrument; the columns of ``means``.
    keys : DataFrame
        The respondents' :data:`KEY_COLUMNS` present in the data, with the data's index.
    means : ndarray
        Respondents × cells, on the answer scale; NaN where fewer than half of the cell's
        items are answered.
    answers : ndarray
        Respondents × scored items (``items``), reverse keying applied; for the statistics
        over items (agreement, α).
    items : tuple of str
        The item ids of the columns of ``answers``.
    """

    instrument: Instrument
    cells: list[Cell]
    keys: pd.DataFrame
    means: np.ndarray
    answers: np.ndarray
    items: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.keys)

    def columns(self, item_ids) -> list[int]:
        """Return the positions of items in ``answers``."""
        position = {i: k for k, i in enumerate(self.items)}
        return [position[i] for i in item_ids]

    def where(self, mask: np.ndarray | pd.Series) -> RespondentScores:
        """Return the respondents where ``mask`` (one boolean per respondent) is true."""
        mask = np.asarray(mask, dtype=bool)
        return RespondentScores(self.instrument, self.cells, self.keys[mask], self.means[mask],
                                self.answers[mask], self.items)

    def with_keys(self, **columns) -> RespondentScores:
        """Return the same scores with some key columns replaced (one value per respondent)."""
        keys = self.keys.assign(**{k: np.asarray(v, dtype=object) for k, v in columns.items()})
        return RespondentScores(self.instrument, self.cells, keys, self.means, self.answers,
                                self.items)

    def wide(self) -> pd.DataFrame:
        """Return the keys and one column per (interface,) dimension (:func:`respondent_scores`)."""
        inst = self.instrument
        dims = [(k, c) for k, c in enumerate(self.cells) if c.level != "tension"]
        frame = pd.DataFrame(
            {(c.interface, c.dimension) if inst.interfaces else c.dimension: self.means[:, k]
             for k, c in dims},
            index=self.keys.index,
        )
        keys = self.keys
        if inst.interfaces:
            frame.columns = pd.MultiIndex.from_tuples(frame.columns,
                                                      names=["interface", "dimension"])
            keys = keys.copy()
            keys.columns = pd.MultiIndex.from_tuples([(c, "") for c in keys.columns])
        return pd.concat([keys, frame], axis=1)


def score_respondents(data: pd.DataFrame, instrument: Instrument) -> RespondentScores:
    """Score every respondent on every cell of ``instrument``: the one place this is done.

    Parameters
    ----------
    data : DataFrame
        Accepted responses (``Responses.data``): key columns plus item columns.
    instrument : Instrument

    Returns
    -------
    RespondentScores
        Each cell's score is the mean of the respondent's answered items on it (reverse
        keying applied), given when at least half are answered.

    Examples
    --------
    >>> from assessment.core.instruments import load_instrument
    >>> al = load_instrument("alignment")
    >>> ids = [i.id for i in al.items if i.interface == "marketing_sales"
    ...        and i.dimension == "roles"]
    >>> rs = score_respondents(pd.DataFrame({ids[0]: [2.0], ids[1]: [3.0]}), al)
    >>> float(rs.means[0, 0]), rs.cells[0].dimension
    (2.5, 'roles')
    """
    keyed = keyed_items(data, instrument)
    answers = keyed.to_numpy(dtype="float64")
    cells = score_cells(instrument)
    position = {c: k for k, c in enumerate(keyed.columns)}
    means = (
        np.column_stack(
            [respondent_means(answers[:, [position[i] for i in c.items]]) for c in cells])
        if cells else np.empty((len(data), 0))
    )
    keys = data[[c for c in KEY_COLUMNS if c in data]]
    return RespondentScores(instrument, cells, keys, means, answers, tuple(keyed.columns))


def respondent_scores(data: pd.DataFrame, instrument: Instrument) -> pd.DataFrame:
    """Score every respondent on every (interface,) dimension of ``instrument``.

    Parameters
    ----------
    data : DataFrame
        Accepted responses (``Responses.data``): key columns plus item columns.
    instrument : Instrument

    Returns
    -------
    DataFrame
        Wide: the key columns (organisation, wave, department, respondent_id) and one
        column per (interface, dimension) — a MultiIndex when the instrument has
        interfaces — holding the respondent's mean, or NaN when fewer than half of
        the items were answered (:func:`score_respondents`).
    """
    return score_respondents(data, instrument).wide()


def stage_of(scores: pd.Series | float, instrument: Instrument) -> pd.Series | str | None:
    """Map mean scores to the instrument's stages (lower bound inclusive; top band closed).

    Examples
    --------
    >>> from assessment.core.instruments import load_instrument
    >>> al = load_instrument("alignment")
    >>> [stage_of(x, al) for x in (1.0, 1.74, 1.75, 2.49)]
    ['undefined', 'undefined', 'defined', 'defined']
    >>> [stage_of(x, al) for x in (2.5, 3.24, 3.25, 4.0)]
    ['aligned', 'aligned', 'integrated', 'integrated']
    >>> stage_of(float("nan"), al) is None
    True
    """
    bands = sorted(instrument.bands, key=lambda b: b.lower)
    edges = [b.lower for b in bands] + [np.inf]
    labels = [b.level for b in bands]
    top = bands[-1].upper
    if np.isscalar(scores) or scores is None:
        value = float(scores) if scores is not None else np.nan
        if np.isnan(value) or value < edges[0] or value > top:
            return None
        return labels[int(np.searchsorted(edges, value, side="right")) - 1]
    s = pd.Series(scores, dtype="float64")
    cut = pd.cut(s, bins=edges, labels=labels, right=False).astype("string")
    return cut.where(s <= top)


def to_percent(mean: pd.Series | float, instrument: Instrument) -> pd.Series | float:
    """Rescale a mean on the instrument's scale to 0–100: (mean − min) / (max − min) × 100.

    Examples
    --------
    >>> from assessment.core.instruments import load_instrument
    >>> vd = load_instrument("value_disciplines")
    >>> [to_percent(x, vd) for x in (1.0, 3.0, 4.0, 5.0)]
    [0.0, 50.0, 75.0, 100.0]
    """
    lo, hi = instrument.scale.min, instrument.scale.max
    return (mean - lo) / (hi - lo) * 100


def score_alignment(data: pd.DataFrame, instrument: Instrument,
                    scored: RespondentScores | None = None) -> pd.DataFrame:
    """Score a staged instrument per organisation × wave × interface × dimension.

    ``scored`` is :func:`score_respondents` of ``data``, when already computed.

    Returns
    -------
    DataFrame
        Tidy rows with ``level`` = "dimension" (score, n, stage) and "interface"
        (index, n respondents, stage, floor_stage, floor_dimension).
    """
    resp = (score_respondents(data, instrument) if scored is None else scored).wide()
    keys = [(k, "") for k in GROUP_KEYS]
    value_cols = [c for c in resp.columns if c[1] != ""]
    grouped = resp.groupby(keys, sort=True)[value_cols]
    mean = grouped.mean().stack([0, 1], future_stack=True)
    count = grouped.count().stack([0, 1], future_stack=True)
    dims = pd.DataFrame({"score": mean, "n": count}).reset_index()
    dims.columns = [*GROUP_KEYS, "interface", "dimension", "score", "n"]
    dims["level"] = "dimension"
    dims["stage"] = stage_of(dims["score"], instrument)
    dim_order = {d.id: k for k, d in enumerate(instrument.dimensions)}
    iface_order = {i.id: k for k, i in enumerate(instrument.interfaces)}

    dims["_o"] = dims["dimension"].map(dim_order)
    by_iface = dims.groupby([*GROUP_KEYS, "interface"], sort=True)["score"]
    ifaces = pd.DataFrame(
        {"score": by_iface.mean(), "_rated": by_iface.count(), "_total": by_iface.size()}
    )
    ifaces.loc[ifaces["_rated"] * 2 < ifaces["_total"], "score"] = np.nan
    floors = (
        dims.dropna(subset=["score"])
        .sort_values([*GROUP_KEYS, "interface", "score", "_o"])
        .drop_duplicates([*GROUP_KEYS, "interface"])
        .set_index([*GROUP_KEYS, "interface"])[["dimension", "score"]]
        .rename(columns={"dimension": "floor_dimension", "score": "floor_score"})
    )
    ifaces = ifaces.join(floors).reset_index()
    ifaces.loc[ifaces["score"].isna(), ["floor_dimension", "floor_score"]] = np.nan
    dims = dims.drop(columns="_o")
    n_resp = resp.groupby(keys).size().rename("n").reset_index()
    n_resp.columns = [*GROUP_KEYS, "n"]
    ifaces = ifaces.merge(n_resp, on=GROUP_KEYS, how="left")
    ifaces["level"] = "interface"
    ifaces["stage"] = stage_of(ifaces["score"], instrument)
    ifaces["floor_stage"] = stage_of(ifaces["floor_score"].astype("float64"), instrument)
    ifaces["floor_dimension"] = (
        ifaces["floor_dimension"].astype("object").where(ifaces["floor_dimension"].notna(), None)
    )
    ifaces = ifaces.drop(columns=["_rated", "_total"])
    ifaces = ifaces.drop(columns="floor_score")
    out = pd.concat([ifaces, dims], ignore_index=True)
    out["instrument"] = instrument.id
    out["_i"] = out["interface"].map(iface_order)
    out["_l"] = (out["level"] == "dimension").astype(int)
    out["_d"] = out["dimension"].map(dim_order).fillna(-1)
    out = out.sort_values([*GROUP_KEYS, "_i", "_l", "_d"]).drop(columns=["_i", "_l", "_d"])
    return out.reset_index(drop=True)


@dataclass(frozen=True)
class ProfileResult:
    """Outcome of the value-discipline profile rule.

    Attributes
    ----------
    kind : str
        ``leader``, ``leader_weak_spot``, ``stuck_in_the_middle``, ``below_threshold``
        or ``not_rated``.
    leader : str or None
        The leading discipline, if any.
    weak : tuple of str
        Disciplines under the threshold (for ``leader_weak_spot`` and ``below_threshold``).
    """

    kind: str
    leader: str | None = None
    weak: tuple[str, ...] = ()


def classify_profile(
    scores: dict[str, float], threshold: float, excellence: float, lead_margin: float
) -> ProfileResult:
    """Apply the Treacy–Wiersema rule: excel in one discipline, meet the threshold in the others.

    Parameters
    ----------
    scores : dict
        Discipline id -> score on 0–100 (NaN when not rated).
    threshold, excellence, lead_margin : float
        T, E and M from the instrument.

    Returns
    -------
    ProfileResult
        Leader in X when X ≥ E and X leads the second by at least M; with a weak spot
        when another discipline is under T; stuck in the middle when all ≥ T without a
        leader; below threshold when some are under T without a leader.

    Examples
    --------
    >>> classify_profile({"ci": 80, "oe": 60, "pl": 55}, 50, 75, 10)
    ProfileResult(kind='leader', leader='ci', weak=())
    >>> classify_profile({"ci": 80, "oe": 60, "pl": 40}, 50, 75, 10)
    ProfileResult(kind='leader_weak_spot', leader='ci', weak=('pl',))
    >>> classify_profile({"ci": 70, "oe": 65, "pl": 60}, 50, 75, 10).kind
    'stuck_in_the_middle'
    >>> classify_profile({"ci": 70, "oe": 45, "pl": 60}, 50, 75, 10).kind
    'below_threshold'
    """
    if not scores or any(pd.isna(v) for v in scores.values()):
        return ProfileResult("not_rated")
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    (top, top_score), second = ranked[0], ranked[1][1] if len(ranked) > 1 else -np.inf
    weak = tuple(d for d, v in ranked if v < threshold)
    if top_score >= excellence and top_score - second >= lead_margin:
        return ProfileResult("leader_weak_spot" if weak else "leader", top, weak)
    if weak:
        return ProfileResult("below_threshold", None, weak)
    return ProfileResult("stuck_in_the_middle")


def declared_choice(data: pd.DataFrame, item_id: str) -> str | None:
    """Return the declared option: the most frequent answer, management's when they answered.

    When management answered, only management's answers count (it is management's
    declaration); otherwise everyone's. Ties, no answers, or a most frequent answer
    ``none`` give None ("no clear choice").

    Examples
    --------
    >>> d = pd.DataFrame({"department": ["sales", "management", "management"],
    ...                   "q": ["a", "b", "b"]})
    >>> declared_choice(d, "q")
    'b'
    """
    if item_id not in data:
        return None
    answers = data[[c for c in ("department",) if c in data] + [item_id]].dropna(subset=[item_id])
    if "department" in answers and (answers["department"] == "management").any():
        answers = answers[answers["department"] == "management"]
    counts = answers[item_id].value_counts()
    if counts.empty or (len(counts) > 1 and counts.iloc[0] == counts.iloc[1]):
        return None
    return None if counts.index[0] == "none" else str(counts.index[0])


def declared_by_group(data: pd.DataFrame, item_id: str) -> pd.Series:
    """Apply :func:`declared_choice` to every organisation × wave at once.

    Returns
    -------
    Series
        Indexed by (organisation, wave); only groups with a clear declaration appear.

    Examples
    --------
    >>> d = pd.DataFrame({"organisation": ["A", "A", "A", "B", "B"], "wave": "",
    ...                   "department": ["sales", "management", "management", "sales", "sales"],
    ...                   "q": ["x", "y", "y", "x", "z"]})
    >>> declared_by_group(d, "q").to_dict()
    {('A', ''): 'y'}
    """
    if item_id not in data:
        return pd.Series(dtype="object")
    d = data[[*GROUP_KEYS, "department", item_id]].dropna(subset=[item_id])
    is_mgmt = d["department"] == "management"
    has_mgmt = is_mgmt.groupby([d[k] for k in GROUP_KEYS]).transform("any")
    d = d[is_mgmt | ~has_mgmt]
    counts = d.groupby([*GROUP_KEYS, item_id]).size().rename("count").reset_index()
    counts = counts.sort_values([*GROUP_KEYS, "count"], ascending=[True, True, False])
    counts["_rank"] = counts.groupby(GROUP_KEYS).cumcount()
    first = counts[counts["_rank"] == 0].set_index(GROUP_KEYS)
    second = counts[counts["_rank"] == 1].set_index(GROUP_KEYS)["count"]
    tie = second.reindex(first.index).eq(first["count"])
    clear = first.loc[~tie, item_id].astype("object")
    return clear[clear != "none"]


def score_disciplines(data: pd.DataFrame, instrument: Instrument,
                      scored: RespondentScores | None = None) -> pd.DataFrame:
    """Score a likert instrument per organisation × wave × discipline on 0–100, with profile.

    ``scored`` is :func:`score_respondents` of ``data``, when already computed.

    Returns
    -------
    DataFrame
        Tidy rows with ``level`` = "discipline": score (0–100), mean (1–5), n,
        profile, leader, weak, declared, coherent. An instrument without a profile
        rule (e.g. the Service-Profit Chain links) gives ``level`` = "dimension" rows
        with score, mean and n only.
    """
    resp = (score_respondents(data, instrument) if scored is None else scored).wide()
    dims = [d.id for d in instrument.dimensions]
    grouped = resp.groupby(GROUP_KEYS, sort=True)[dims]
    mean = grouped.mean().stack(future_stack=True)
    count = grouped.count().stack(future_stack=True)
    out = pd.DataFrame({"mean": mean, "n": count}).reset_index()
    out.columns = [*GROUP_KEYS, "dimension", "mean", "n"]
    out["score"] = to_percent(out["mean"], instrument)
    out["level"] = "discipline" if instrument.profile is not None else "dimension"
    out["instrument"] = instrument.id
    prof = instrument.profile
    if prof is None:
        return out
    wide = out.pivot_table(
        index=GROUP_KEYS, columns="dimension", values="score", dropna=False, sort=False
    )
    declared = (
        declared_by_group(data, prof.declared_item)
        if prof and prof.declared_item
        else pd.Series(dtype="object")
    )
    rows = []
    declared_of = declared.to_dict()  # (organisation, wave) -> option: one lookup per key
    dimensions = wide.columns.tolist()
    for key, values in zip(wide.index, wide.to_numpy().tolist(), strict=True):
        result = (
            classify_profile(dict(zip(dimensions, values, strict=True)), prof.threshold,
                             prof.excellence, prof.lead_margin)
            if prof
            else ProfileResult("not_rated")
        )
        dec = declared_of.get(key)
        rows.append(
            {
                "organisation": key[0],
                "wave": key[1],
                "profile": result.kind,
                "leader": result.leader,
                "weak": ",".join(result.weak),
                "declared": dec,
                "coherent": (
                    None if dec is None or result.leader is None else dec == result.leader
                ),
            }
        )
    profiles = pd.DataFrame(
        rows, columns=[*GROUP_KEYS, "profile", "leader", "weak", "declared", "coherent"]
    )
    return out.merge(profiles, on=GROUP_KEYS, how="left")


COLUMNS = [
    "organisation",
    "wave",
    "instrument",
    "level",
    "interface",
    "dimension",
    "n",
    "score",
    "stage",
    "floor_stage",
    "floor_dimension",
    "mean",
    "profile",
    "leader",
    "weak",
    "declared",
    "coherent",
]


def score_responses(data: pd.DataFrame, instruments: list[Instrument],
                    scored: Mapping[str, RespondentScores] | None = None) -> pd.DataFrame:
    """Score every instrument present in ``data``; one tidy table.

    Parameters
    ----------
    data : DataFrame
        Accepted responses (``Responses.data``).
    instruments : list of Instrument
        Instruments to score (those without items in ``data`` are skipped).
    scored : mapping, optional
        Instrument id -> :func:`score_respondents` of ``data``, where already computed.

    Returns
    -------
    DataFrame
        One row per organisation × wave × instrument × (interface ×) dimension or
        discipline, plus one row per interface; columns ``COLUMNS``.
    """
    parts = []
    for inst in instruments:
        if not any(i.id in data for i in inst.scored_items) or data.empty:
            continue
        scorer = score_alignment if inst.scale.type == "stages4" else score_disciplines
        parts.append(scorer(data, inst, (scored or {}).get(inst.id)))
    if not parts:
        return pd.DataFrame(columns=COLUMNS)
    out = pd.concat(parts, ignore_index=True)
    for col in COLUMNS:
        if col not in out:
            out[col] = pd.NA
    out["n"] = out["n"].astype("int64")
    for col in ("interface", "dimension", "stage", "floor_stage", "floor_dimension", "profile",
                "leader", "weak", "declared", "coherent"):
        out[col] = out[col].astype("object").where(out[col].notna(), None)
    return out[COLUMNS]


def profile_label(kind: object, leader: object, inst: Instrument, lang: str) -> str:
    """Short profile label, e.g. 'leader: customer intimacy' or 'stuck in the middle'."""
    if not isinstance(kind, str):
        return t("not_rated", lang)
    text = t(f"cohort_profile_{kind}", lang)
    if isinstance(leader, str):
        text += f": {inst.dimension(leader).title.get(lang).lower()}"
    return text
