"""The analysis table as anonymous aggregate records for the norm store.

A *record* is one organisation × wave × instrument: who (a salted hash of the organisation's
name, unless names are kept), when, which instrument and version, sector, size and label,
and its aggregate rows (:data:`SCORE_COLUMNS`): interface, dimension, discipline and NPS scores
with ``n``, the spread and the trust figures, the stage and the NPS counts. Nothing else of the
analysis table leaves this module: no respondent rows or ids, no free text, no departments.

:func:`to_records` turns the output of :func:`assessment.analysis.whole_file.analyse` (the
table ``assess score`` writes) into :class:`Records`; :func:`rows_digests` fingerprints each
organisation × wave's rows, so that storing the same file twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from assessment.core.instruments import Instrument
from assessment.core.text import normalise

__all__ = [
    "DECIMALS",
    "RECORD_COLUMNS",
    "SCORE_COLUMNS",
    "SIZES",
    "STORED_LEVELS",
    "Records",
    "organisation_key",
    "record_id",
    "rows_digests",
    "to_records",
    "typed",
]

#: score levels stored (departments and tension sources stay in the client's own report)
STORED_LEVELS = ("interface", "dimension", "discipline", "nps")
#: the size classes a record may carry
SIZES = ("small", "medium", "large")
RECORD_COLUMNS = [
    "record_id", "organisation", "named", "wave", "instrument", "instrument_version",
    "rows_hash", "stored_on", "sector", "size", "label", "respondents", "profile", "leader",
]
SCORE_COLUMNS = [
    "record_id", "level", "interface", "dimension", "n", "score", "stage", "floor_stage",
    "sd", "ci_low", "ci_high", "rwg", "alpha", "promoters", "passives", "detractors",
]
_FLOATS = ["score", "sd", "ci_low", "ci_high", "rwg", "alpha"]
#: decimals stored of each figure: a million times finer than a report shows, and a third of
#: the store's size saved (full-precision doubles hardly compress)
DECIMALS = 6
_COUNTS = ["n", "promoters", "passives", "detractors", "respondents"]


def typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with the norm columns' dtypes: floats, nullable counts, text as objects.

    Records made here and read back from either backend then compare equal.
    """
    frame = frame.copy()
    for col in frame.columns:
        if col in _FLOATS:
            frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("float64")
        elif col in _COUNTS:
            frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("Int64")
        elif col == "named":
            frame[col] = frame[col].astype(bool)
        else:
            frame[col] = frame[col].astype("object").where(frame[col].notna(), None)
    return frame


@dataclass(frozen=True)
class Records:
    """Aggregate records ready to store.

    Attributes
    ----------
    records : DataFrame
        One row per organisation × wave × instrument, columns :data:`RECORD_COLUMNS`.
    scores : DataFrame
        Their score rows, columns :data:`SCORE_COLUMNS` (``interface``/``dimension`` are
        ``""`` where the level has none).
    """

    records: pd.DataFrame
    scores: pd.DataFrame


def organisation_key(name: str, salt: str, keep_names: bool = False) -> str:
    """Return how an organisation is stored: a salted SHA-256 of its name, or the name.

    The name is normalised first (case, spaces, quotes), so that the same organisation
    written differently in two files gets the same key.

    Examples
    --------
    >>> organisation_key("Delta BV", "s") == organisation_key(" delta  bv", "s")
    True
    >>> organisation_key("Delta BV", "s", keep_names=True)
    'Delta BV'
    >>> len(organisation_key("Delta BV", "s"))
    64
    """
    if keep_names:
        return str(name)
    return hashlib.sha256(f"{salt}\x00{normalise(name)}".encode()).hexdigest()


def record_id(organisation: str, wave: str, instrument: str, version: str) -> str:
    """Return a record's identity: the hash of its organisation key, wave and instrument version.

    Examples
    --------
    >>> record_id("k", "2026", "alignment", "1.0") == record_id("k", "2026", "alignment", "1.0")
    True
    >>> record_id("k", "2026", "alignment", "1.0") == record_id("k", "2027", "alignment", "1.0")
    False
    """
    text = "\x00".join([organisation, wave, instrument, version])
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def rows_digests(data: pd.DataFrame) -> dict[tuple[str, str], str]:
    """Fingerprint each organisation × wave's accepted rows (order of rows and columns ignored).

    Parameters
    ----------
    data : DataFrame
        Accepted responses (``Responses.data``).

    Returns
    -------
    dict
        ``(organisation, wave) -> hex digest``; ``wave`` is ``""`` when the file has none.

    Examples
    --------
    >>> d = pd.DataFrame({"organisation": ["A", "A", "B"], "wave": "", "x": [1, 2, 1]})
    >>> rows_digests(d)[("A", "")] == rows_digests(d.iloc[[1, 0, 2]])[("A", "")]
    True
    """
    frame = data.copy()
    frame["wave"] = frame["wave"].fillna("").astype(str) if "wave" in frame else ""
    frame = frame[sorted(frame.columns)]
    hashes = pd.util.hash_pandas_object(frame.astype(str), index=False).to_numpy()
    out = {}
    keys = frame[["organisation", "wave"]].astype(str)
    for (org, wave), idx in keys.groupby(["organisation", "wave"], sort=False).indices.items():
        out[(org, wave)] = hashlib.sha256(np.sort(hashes[idx]).tobytes()).hexdigest()
    return out


def to_records(
    table: pd.DataFrame,
    instruments: list[Instrument],
    digests: dict[tuple[str, str], str],
    *,
    salt: str,
    keep_names: bool = False,
    sector: str = "",
    size: str = "",
    label: str = "",
    stored_on: str | None = None,
) -> Records:
    """Turn an analysis table into aggregate records, one per organisation × wave × instrument.

    Parameters
    ----------
    table : DataFrame
        :func:`assessment.analysis.whole_file.analyse` output.
    instruments : list of Instrument
        The instruments scored (for their versions).
    digests : dict
        :func:`rows_digests` of the scored rows.
    salt : str
        The store's salt for :func:`organisation_key`.
    keep_names : bool
        Store organisation names as they are instead of their salted hash.
    sector, size, label : str
        Stored with every record; ``size`` one of :data:`SIZES` or ``""``.
    stored_on : str, optional
        ISO date (default today).

    Returns
    -------
    Records
    """
    if size and size not in SIZES:
        raise ValueError(f"size must be one of {', '.join(SIZES)}, got {size!r}")
    versions = {i.id: i.version for i in instruments}
    rows = table[table["level"].isin(STORED_LEVELS)].copy()
    for col in ("wave", "interface", "dimension"):
        rows[col] = rows[col].astype("object").where(rows[col].notna(), "").astype(str)
    rows = rows[rows["instrument"].isin(list(versions))]
    date = stored_on or dt.date.today().isoformat()
    keys = {org: organisation_key(org, salt, keep_names) for org in rows["organisation"].unique()}
    rows["_key"] = rows["organisation"].map(keys)
    rows["record_id"] = [record_id(k, w, i, versions[i])
                         for k, w, i in zip(rows["_key"], rows["wave"], rows["instrument"],
                                            strict=True)]
    heads = []
    for (org, wave, inst), part in rows.groupby(["organisation", "wave", "instrument"],
                                                sort=False):
        disciplines = part[part["level"] == "discipline"]
        profile = disciplines["profile"].dropna()
        leader = disciplines["leader"].dropna()
        heads.append({
            "record_id": part["record_id"].iloc[0], "organisation": keys[org],
            "named": bool(keep_names), "wave": wave, "instrument": inst,
            "instrument_version": versions[inst], "rows_hash": digests.get((org, wave), ""),
            "stored_on": date, "sector": sector, "size": size, "label": label,
            "respondents": int(part["n"].max()),
            "profile": str(profile.iloc[0]) if len(profile) else None,
            "leader": str(leader.iloc[0]) if len(leader) else None,
        })
    records = typed(pd.DataFrame(heads, columns=RECORD_COLUMNS))
    scores = typed(rows[SCORE_COLUMNS] if len(rows) else pd.DataFrame(columns=SCORE_COLUMNS))
    scores[_FLOATS] = scores[_FLOATS].round(DECIMALS)
    return Records(records.reset_index(drop=True), scores.reset_index(drop=True))
