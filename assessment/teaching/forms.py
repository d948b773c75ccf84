"""Pure functions behind the teaching widgets: answers in, tidy tables and sentences out.

A widget only collects values and shows results; what the values mean is decided
here (and in :mod:`assessment.core.scoring`), where it is tested without a browser. The
forms are built from the instrument YAML: nothing here names an item.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from html import escape
from pathlib import Path

import numpy as np
import pandas as pd

from assessment.analysis.nps import classify
from assessment.core.exceptions import ResponsesError
from assessment.core.i18n import check_lang, fmt, t
from assessment.core.ingest import read_table
from assessment.core.instruments import DONT_KNOW, Instrument, Item
from assessment.core.scoring import score_responses
from assessment.core.template import META
from assessment.core.text import normalise, shorten

__all__ = [
    "NPS_COLUMN_NAMES",
    "answer_options",
    "answers_frame",
    "collect_answers",
    "nps_counts",
    "profile_text",
    "read_nps_upload",
    "scan_scores",
    "scheme_for",
    "subset_instrument",
]

#: column names (normalised) taken to hold the 0–10 answers of an uploaded file
NPS_COLUMN_NAMES = ("nps", "score", "answer", "antwoord", "aanbeveling", "recommend", "cijfer")


def answer_options(item: Item, instrument: Instrument, lang: str) -> list[tuple[str, object]]:
    """Return the answers a form offers for ``item``: (label, value) pairs from the YAML.

    ``stages4`` items offer their four descriptions (1–4), ``likert5`` items the
    scale's labels (1–5), both followed by the scale's "don't know / not applicable"
    (value :data:`~assessment.core.instruments.DONT_KNOW`, counted as not answered);
    ``choice`` items their options (by value), ``nps`` items 0–10; ``text`` items
    offer none.

    Examples
    --------
    >>> from assessment.core.instruments import load_instrument
    >>> vd = load_instrument("value_disciplines")
    >>> answer_options(vd.scored_items[0], vd, "en")[0]
    ('Strongly disagree', 1)
    >>> answer_options(vd.scored_items[0], vd, "en")[-1]
    ("Don't know / not applicable", 'dont_know')
    """
    check_lang(lang)
    dont = instrument.scale.dont_know
    dont_know = [(dont.get(lang), DONT_KNOW)] if dont is not None else []
    if item.type == "stages4":
        return [(o.get(lang), k) for k, o in enumerate(item.options, 1)] + dont_know
    if item.type == "likert5":
        return [(label.get(lang), k)
                for k, label in enumerate(instrument.scale.labels, 1)] + dont_know
    if item.type == "choice":
        return [(o.get(lang), o.value) for o in item.options]
    if item.type == "nps":
        return [(str(k), k) for k in range(11)]
    return []


def subset_instrument(instrument: Instrument, interface: str) -> Instrument:
    """Copy a staged instrument, keeping one interface and its items only.

    Scoring, stage ladders and roadmaps then work on that interface alone (a
    marketing–sales scan, say) without the other interfaces showing as "not rated".

    Examples
    --------
    >>> from assessment.core.instruments import load_instrument
    >>> ms = subset_instrument(load_instrument("alignment"), "marketing_sales")
    >>> [i.id for i in ms.interfaces], len(ms.scored_items)
    (['marketing_sales'], 14)
    """
    ids = [i.id for i in instrument.interfaces]
    if interface not in ids:
        raise ValueError(f"interface must be one of {ids}, got {interface!r}")
    return instrument.model_copy(
        update={
            "interfaces": [instrument.interface(interface)],
            "items": [i for i in instrument.items if i.interface in (None, interface)],
            "recommendations": [r for r in instrument.recommendations
                                if r.interface in (None, interface)],
        }
    )


def answers_frame(
    answers: Mapping[str, object],
    instruments: Sequence[Instrument],
    organisation: str,
    department: str = "other",
    respondent_id: str = "self",
    lang: str = "en",
    wave: str = "",
) -> pd.DataFrame:
    """One respondent's answers as a row in the project's input format.

    The columns are those of ``assess template`` (respondent_id, organisation,
    department, wave, language, then every item of every instrument); unanswered
    items stay empty. The result can be written to CSV and read back by
    :func:`assessment.core.ingest.read_responses`.

    Raises
    ------
    ValueError
        When ``answers`` names an item none of the instruments has.

    Examples
    --------
    >>> from assessment.core.instruments import load_instrument
    >>> vd = load_instrument("value_disciplines")
    >>> row = answers_frame({"VD-ci-1": 4}, [vd], "Case BV")
    >>> row[["organisation", "VD-ci-1", "VD-ci-2"]].iloc[0].tolist()
    ['Case BV', 4, None]
    """
    check_lang(lang)
    item_ids = [i.id for inst in instruments for i in inst.items]
    unknown = sorted(set(answers) - set(item_ids))
    if unknown:
        raise ValueError(f"answers name items that are not in the instruments: {unknown}")
    row: dict[str, object] = {
        "respondent_id": respondent_id,
        "organisation": organisation,
        "department": department,
        "wave": wave,
        "language": lang,
    }
    row.update({i: answers.get(i) for i in item_ids})
    return pd.DataFrame([row], columns=[*META, *item_ids], dtype=object)


def scan_scores(answers: Mapping[str, object], instruments: Sequence[Instrument]) -> pd.DataFrame:
    """Score one respondent's answers as the report would (tidy scores, one organisation).

    Examples
    --------
    >>> from assessment.core.instruments import load_instrument
    >>> vd = load_instrument("value_disciplines")
    >>> answers = {i.id: (2 if i.reverse else 4) for i in vd.scored_items}
    >>> scan_scores(answers, [vd])["score"].round(1).tolist()
    [75.0, 75.0, 75.0]
    """
    data = answers_frame(answers, instruments, organisation="scan")
    for inst in instruments:
        for item in inst.scored_items:
            data[item.id] = pd.to_numeric(data[item.id], errors="coerce").astype("float64")
    return score_responses(data, list(instruments))


def profile_text(scores: pd.DataFrame, instrument: Instrument, lang: str) -> str:
    """Say in one or two sentences (HTML) what the value-discipline profile is.

    Uses the report's own sentences (``profile_*`` and ``coherence_*`` in
    ``locales/report.yaml``), so a scan and the report word a profile alike; a scan
    that cannot be rated yet says what is missing.

    Examples
    --------
    >>> from assessment.core.instruments import load_instrument
    >>> vd = load_instrument("value_disciplines")
    >>> answers = {i.id: 5 if i.dimension == "customer_intimacy" else 3
    ...            for i in vd.scored_items if not i.reverse}
    >>> profile_text(scan_scores(answers, [vd]), vd, "en")  # doctest: +ELLIPSIS
    'The organisation excels in <b>customer intimacy</b> (100 of 100) and meets ...'
    """
    rows = scores[(scores["instrument"] == instrument.id) & (scores["level"] == "discipline")]
    if rows.empty or rows.iloc[0]["profile"] == "not_rated":
        return escape(t("teach_scan_profile_not_rated", lang))
    first = rows.iloc[0]
    prof = instrument.profile

    def title(d: str) -> str:
        return escape(instrument.dimension(d).title.get(lang).lower())

    weak = [w for w in str(first["weak"] or "").split(",") if w]
    values = {
        "threshold": fmt(prof.threshold, lang, 0),
        "excellence": fmt(prof.excellence, lang, 0),
        "margin": fmt(prof.lead_margin, lang, 0),
        "weak": t("teach_and", lang).join(title(w) for w in weak),
        "stays": t("verb_stays_many" if len(weak) > 1 else "verb_stays_one", lang),
    }
    leader = first["leader"]
    if isinstance(leader, str):
        values["leader"] = title(leader)
        values["score"] = fmt(float(rows.loc[rows["dimension"] == leader, "score"].iloc[0]),
                              lang, 0)
    text = t(f"profile_{first['profile']}", lang, **values)
    declared = first["declared"]
    if isinstance(declared, str):
        key = (
            "coherence_match"
            if declared == leader
            else "coherence_mismatch" if isinstance(leader, str)
            else "coherence_no_leader"
        )
        # one person fills in a scan: "management declares" would claim too much
        text += " " + t(key, lang, who=t("teach_coherence_who_self", lang),
                        declared=title(declared), leader=values.get("leader", ""))
    return text


def nps_counts(scores: Sequence[float] | pd.Series) -> list[int]:
    """Count the answers 0, 1, ..., 10 (missing answers are left out).

    Examples
    --------
    >>> nps_counts([10, 9, 9, 0, None])
    [1, 0, 0, 0, 0, 0, 0, 0, 0, 2, 1]
    """
    s = pd.Series(scores, dtype="float64")
    classify(s)  # refuses anything that is not a whole number 0–10
    counts = s.dropna().astype(int).value_counts()
    return [int(counts.get(k, 0)) for k in range(11)]


def read_nps_upload(content: bytes, name: str = "upload.csv",
                    lang: str = "en") -> tuple[pd.Series, str]:
    """Read 0–10 answers from an uploaded CSV or XLSX file (as :func:`read_table` reads).

    The column used is the one named like an NPS answer (``nps``, ``score``,
    ``antwoord``, ...), else the only column holding whole numbers 0–10.

    Returns
    -------
    (Series, str)
        The answers as floats (blank = missing) and the column's name.

    Raises
    ------
    ValueError
        When no such column is found (naming the columns) or an answer is not 0–10; the
        message in ``lang`` ('nl' or 'en': the lesson's language).
    """
    table = _upload_table(bytes(content), name, lang)
    named = [c for c in table.columns if normalise(c) in NPS_COLUMN_NAMES]
    if named:
        column = named[0]
    else:
        numeric = []
        for c in table.columns:
            values = pd.to_numeric(table[c], errors="coerce")
            given = table[c].notna()
            if given.any() and values[given].notna().all() and values[given].between(0, 10).all():
                numeric.append(c)
        if len(numeric) != 1:
            raise ValueError(t("teach_upload_which_column", lang, name=name,
                               columns=", ".join(map(str, table.columns))))
        column = numeric[0]
    values = pd.to_numeric(table[column].str.replace(",", ".", regex=False), errors="coerce")
    bad = table[column].notna() & values.isna()
    if bad.any():
        raise ValueError(t("teach_upload_not_a_number", lang, name=name, column=column,
                           values=", ".join(repr(shorten(str(v), 20))
                                            for v in table[column][bad].tolist()[:5])))
    given = values.dropna()
    if not (given.between(0, 10) & (given == given.round())).all():
        wrong = given[~(given.between(0, 10) & (given == given.round()))]
        raise ValueError(t("teach_upload_not_0_10", lang, name=name, column=column,
                           values=", ".join(fmt(v, lang, 0 if v == round(v) else 1)
                                            for v in wrong.tolist()[:5])))
    classify(values)
    return values.astype("float64").reset_index(drop=True), column


def _upload_table(content: bytes, name: str, lang: str = "en") -> pd.DataFrame:
    """Read an upload as :func:`read_table` does; a one-column CSV (no separator) too."""
    suffix = Path(name).suffix.lower() or ".csv"
    with tempfile.TemporaryDirectory(prefix="nps-") as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(content)
        try:
            return read_table(path)
        except ResponsesError as exc:
            lines = _decode(content).strip().splitlines() if suffix == ".csv" else []
            if len(lines) < 2 or any(sep in lines[0] for sep in ",;\t"):
                raise ValueError(f"{name}: {exc.problems[0].text(lang)}") from None
    values = [v.strip() or None for v in lines[1:]]
    return pd.DataFrame({lines[0].strip(): pd.Series(values, dtype="string")})


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252")


def scheme_for(schemes: pd.DataFrame, target: str, bonus: str) -> dict:
    """Return the incentive scheme with this target (revenue/margin) and bonus (individual/team).

    Examples
    --------
    >>> from assessment.teaching.simulations import incentive_case
    >>> scheme_for(incentive_case()["schemes"], "margin", "team")["id"]
    'margin_team'
    """
    hit = schemes[(schemes["target"] == target) & (schemes["bonus"] == bonus)]
    if hit.empty:
        pairs = sorted(zip(schemes["target"], schemes["bonus"], strict=True))
        raise ValueError(f"no scheme for target {target!r} and bonus {bonus!r}; have {pairs}")
    return hit.iloc[0].to_dict()


def collect_answers(folder: str | Path) -> pd.DataFrame:
    """Stack every saved self-assessment (``*.csv`` in ``folder``) into one responses table.

    For a trainer: the result is one file in the project's input format, ready for
    ``assess validate`` and ``assess report``. Files are only read.

    Examples
    --------
    >>> collect_answers("/nonexistent").empty
    True
    """
    files = sorted(Path(folder).glob("*.csv"))
    if not files:
        return pd.DataFrame(columns=list(META))
    frames = [pd.read_csv(f, dtype=str, keep_default_na=False) for f in files]
    out = pd.concat(frames, ignore_index=True).replace("", np.nan)
    return out[[*META, *[c for c in out.columns if c not in META]]]
