"""The teaching material that is data: the exercise bank, the map of models, the sales-role matrix.

Files in ``data/teaching/``: ``exercises.yaml`` (situations, choices, explanations),
``models.yaml`` (which notebook teaches which model, from which seed),
``sales_roles.yaml`` (customer size × product complexity) and ``incentives.yaml``
(read by :func:`assessment.teaching.simulations.incentive_case`). Choices that an instrument
already defines (its stages, its disciplines) are taken from the instrument.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd
import yaml
from pandas.io.formats.style import Styler

from assessment.core.config import PROJECT_ROOT
from assessment.core.i18n import fmt, t
from assessment.core.instruments import Item, load_instrument
from assessment.core.references import cite
from assessment.teaching.feedback import Card, money, term, text_in
from assessment.teaching.simulations import incentive_case

__all__ = [
    "PROFILE_KINDS",
    "TEACHING_DATA",
    "dimension_table",
    "exercise",
    "exercise_card",
    "exercise_items",
    "level_table",
    "model_map",
    "sales_role",
    "sales_role_data",
    "sales_role_matrix",
    "steps_table",
    "styled",
]

TEACHING_DATA = PROJECT_ROOT / "data" / "teaching"
#: the profile kinds of :func:`assessment.core.scoring.classify_profile` a student can choose from
PROFILE_KINDS = ("leader", "leader_weak_spot", "stuck_in_the_middle", "below_threshold")


@lru_cache(maxsize=4)
def _yaml(name: str) -> dict:
    with open(TEACHING_DATA / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _levels_as_choices(instrument_id: str) -> list[dict]:
    inst = load_instrument(instrument_id)
    return [
        {"id": lv.id, "label": lv.label.model_dump(), "definition": lv.meaning.model_dump()}
        for lv in inst.levels
    ]


def _dimensions_as_choices(instrument_id: str) -> list[dict]:
    inst = load_instrument(instrument_id)
    return [
        {"id": d.id, "label": d.title.model_dump(), "definition": d.description.model_dump()}
        for d in inst.dimensions
    ]


def exercise(exercise_id: str) -> dict:
    """Return one exercise's data, with its choices filled in from the instrument if needed.

    Besides the exercises in ``exercises.yaml`` there are two built from other data:
    ``model_map`` (from ``models.yaml``) and ``stage_order`` (the alignment stages).

    Examples
    --------
    >>> exercise("stages")["choices"][0]["id"]
    'undefined'
    >>> [s["id"] for s in exercise("stage_order")["steps"]]
    ['undefined', 'defined', 'aligned', 'integrated']
    """
    if exercise_id == "model_map":
        return _model_map_exercise()
    if exercise_id == "stage_order":
        return {
            "kind": "order",
            "prompt": {
                "en": ("Put the four stages of the relationship between marketing and sales "
                       "in order."),
                "nl": "Zet de vier fasen van de relatie tussen marketing en sales op volgorde.",
            },
            "steps": [
                {"id": c["id"], "label": c["label"], "meaning": c["definition"]}
                for c in _levels_as_choices("alignment")
            ],
        }
    bank = _yaml("exercises.yaml")
    if exercise_id not in bank:
        known = ", ".join(sorted([*bank, "model_map", "stage_order"]))
        raise KeyError(f"no exercise {exercise_id!r}; exercises: {known}")
    ex = dict(bank[exercise_id])
    source = ex.get("choices_from")
    if source:
        kind, instrument_id = source.split(":")
        ex["choices"] = (
            _levels_as_choices(instrument_id)
            if kind == "levels"
            else _dimensions_as_choices(instrument_id)
        )
    return ex


def _model_map_exercise() -> dict:
    data = _yaml("models.yaml")
    return {
        "kind": "match",
        "prompt": {
            "en": "Which notebook teaches each model? Answer with the notebook's number.",
            "nl": "Welk notebook behandelt elk model? Antwoord met het nummer van het notebook.",
        },
        "choices": [
            {"id": str(k), "label": {lang: v[lang] for lang in ("nl", "en")}}
            for k, v in data["notebooks"].items()
            if k > 1
        ],
        "items": [
            {
                "id": m["id"],
                "text": m["label"],
                "answer": str(m["notebook"]),
                "why": {
                    "en": f"from {cite(m['source'], 'en')}, taught in notebook {m['notebook']}",
                    "nl": f"uit {cite(m['source'], 'nl')}, behandeld in notebook {m['notebook']}",
                },
                "hint": {
                    "en": f"This model comes from {cite(m['source'], 'en')}; the map above shows "
                    "which notebook teaches it.",
                    "nl": f"Dit model komt uit {cite(m['source'], 'nl')}; de kaart hierboven laat "
                    "zien welk notebook het behandelt.",
                },
            }
            for m in data["models"]
            if m.get("quiz")
        ],
    }


def exercise_items(exercise_id: str) -> list[Item]:
    """Return the items a score exercise is about (its dimension, and interface if any)."""
    ex = exercise(exercise_id)
    inst = load_instrument(ex["instrument"])
    return [
        i
        for i in inst.scored_items
        if i.dimension == ex["dimension"] and ex.get("interface") in (None, i.interface)
    ]


def model_map(lang: str = "en") -> pd.DataFrame:
    """Return the map of models: model, source (short cites), notebook (number and title).

    Examples
    --------
    >>> model_map("en").iloc[0].tolist()[:2]
    ['customer relationship cycle (klantrelatiecyclus)', '(“De klant centraal”, n.d.)']
    """
    data = _yaml("models.yaml")
    return pd.DataFrame(
        [
            {
                t("teach_col_model", lang): term(m["label"], lang),
                t("teach_col_source", lang): cite(m["source"], lang),
                t("teach_col_notebook", lang): f"{m['notebook']} "
                + text_in(data["notebooks"][m["notebook"]], lang),
            }
            for m in data["models"]
        ]
    )


def sales_role_data() -> dict:
    """Return the sales-role matrix file: sizes, complexities, roles, matrix, traits."""
    return _yaml("sales_roles.yaml")


def sales_role(size: str, complexity: str) -> str:
    """Look up the sales role for a customer size and product complexity (seed 003).

    Examples
    --------
    >>> sales_role("small", "simple"), sales_role("large", "complex")
    ('inside_sales', 'key_account_manager')
    """
    data = sales_role_data()
    sizes = [s["id"] for s in data["sizes"]]
    if size not in sizes or complexity not in data["matrix"]:
        raise ValueError(
            f"size must be one of {sizes} and complexity one of {list(data['matrix'])}, "
            f"got {size!r} and {complexity!r}"
        )
    return data["matrix"][complexity][sizes.index(size)]


def sales_role_name(size: str, complexity: str, lang: str = "en") -> str:
    """Name the sales role for a customer size and product complexity, in the notebook's language.

    Examples
    --------
    >>> sales_role_name("small", "simple"), sales_role_name("large", "complex", "nl")
    ('inside sales', 'key accountmanager')
    """
    role = sales_role(size, complexity)
    return next(r["label"][lang] for r in sales_role_data()["roles"] if r["id"] == role)


def sales_role_matrix(lang: str = "en") -> pd.DataFrame:
    """Return the sales-role matrix as a table: complexity (rows, complex first) × size.

    Examples
    --------
    >>> sales_role_matrix("nl").iloc[0, -1]
    'key accountmanager'
    """
    data = sales_role_data()
    roles = {r["id"]: term(r["label"], lang) for r in data["roles"]}
    rows = {
        text_in(c["label"], lang): [roles[r] for r in data["matrix"][c["id"]]]
        for c in reversed(data["complexities"])
    }
    return pd.DataFrame.from_dict(
        rows, orient="index", columns=[text_in(s["label"], lang) for s in data["sizes"]]
    )


def exercise_card(exercise_id: str, lang: str = "en") -> Card:
    """Show an exercise: the question, the situations (with the keys to answer by), the choices.

    Examples
    --------
    >>> print(exercise_card("stages", "en"))  # doctest: +ELLIPSIS
    Which stage of the relationship between marketing and sales does each description show?
      a: Each department has its own tasks and agenda. ...
    """
    ex = exercise(exercise_id)
    kind = ex["kind"]
    title = text_in(ex["prompt"], lang)
    choices: list[tuple[str, str]] = []
    note = ""
    if kind == "match":
        rows = [(i["id"], text_in(i["text"], lang)) for i in ex["items"]]
        choices = [
            (c["id"], term(c["label"], lang)
             + (f": {text_in(c['definition'], lang)}" if "definition" in c else ""))
            for c in ex["choices"]
        ]
    elif kind == "order":
        # shown in a fixed order that is not the answer
        shown = sorted(ex["steps"], key=lambda s: s["id"][::-1])
        rows = [(s["id"], term(s["label"], lang)) for s in shown]
    elif kind == "experience":
        rows = [(s["id"], text_in(s["text"], lang)) for s in ex["scenarios"]]
        choices = [(v, t(f"teach_verdict_{v}", lang)) for v in ("positive", "neutral", "negative")]
    elif kind == "profiles":
        inst = load_instrument(ex["instrument"])
        rows = [
            (s["id"], ", ".join(f"{inst.dimension(d).title.get(lang)} {v}"
                                for d, v in s["scores"].items()))
            for s in ex["sets"]
        ]
        choices = [(k, t(f"teach_profile_{k}", lang)) for k in PROFILE_KINDS]
    elif kind == "sales_roles":
        rows = [(c["id"], text_in(c["text"], lang)) for c in ex["cases"]]
        choices = [(r["id"], term(r["label"], lang)) for r in sales_role_data()["roles"]]
    elif kind == "nps":
        rows = [(t("teach_answers", lang), ", ".join(str(a) for a in ex["answers"]))]
    elif kind == "clv":
        rows = [
            ("m", fmt(ex["margin"], lang, 0)),
            ("r", fmt(ex["retention"], lang, 2)),
            ("d", fmt(ex["discount_rate"], lang, 2)),
        ]
    elif kind == "margin_after":
        option = incentive_case()["options"].set_index("id").loc[ex["option"]]
        rows = [
            (ex["option"], option[f"label_{lang}"]),
            (t("teach_metric_revenue", lang), money(option["revenue"], lang)),
            (t("teach_margin_rate", lang), f"{fmt(option['margin_rate'] * 100, lang, 0)}%"),
            (t("teach_rework", lang), money(option["rework"], lang)),
        ]
    elif kind == "advice":
        case = incentive_case()
        rows = [(s["id"], s[f"label_{lang}"]) for s in case["schemes"].to_dict("records")]
        choices = [(o["id"], o[f"label_{lang}"]) for o in case["options"].to_dict("records")]
    elif kind in ("dimension_score", "discipline_score"):
        items = exercise_items(exercise_id)
        rows = [
            (f"{k}{' ↺' if item.reverse else ''}", f"{item.text.get(lang)} → {a}")
            for k, (item, a) in enumerate(zip(items, ex["answers"], strict=True), 1)
        ]
        if any(item.reverse for item in items):
            note = t("teach_reverse_note", lang)
    else:
        rows = []
    return Card(title, tuple(rows), tuple(choices), note)


def styled(table: pd.DataFrame, precision: int = 2) -> Styler:
    """Show a table for reading: no index column, text aligned left, numbers rounded.

    Examples
    --------
    >>> "Model" in styled(model_map("en")).to_html()
    True
    """
    cells = [("text-align", "left"), ("vertical-align", "top"), ("white-space", "pre-line")]
    return (
        table.style.hide(axis="index")
        .format(precision=precision)
        .set_table_styles([{"selector": "th, td", "props": cells}])
    )


def dimension_table(instrument_id: str, lang: str = "en", implications: bool = False
                    ) -> pd.DataFrame:
    """Return an instrument's dimensions with their descriptions, from the YAML.

    With ``implications``, what each asks of marketing, sales and service instead of
    the description.

    Examples
    --------
    >>> dimension_table("value_disciplines", "nl").iloc[0, 0]
    'Klantintimiteit'
    """
    inst = load_instrument(instrument_id)
    rows = []
    for d in inst.dimensions:
        row = {t("teach_col_dimension", lang): d.title.get(lang)}
        if implications:
            row |= {t(f"dept_{k}", lang): v.get(lang) for k, v in (d.implications or {}).items()}
        else:
            row[t("teach_col_description", lang)] = d.description.get(lang) if d.description else ""
        rows.append(row)
    return pd.DataFrame(rows)


def level_table(instrument_id: str, lang: str = "en") -> pd.DataFrame:
    """Return a staged instrument's levels with their meaning and score band, from the YAML.

    Examples
    --------
    >>> level_table("alignment", "en").iloc[0].tolist()[:2]
    ['Undefined', '1.00–1.75']
    """
    inst = load_instrument(instrument_id)
    bands = {b.level: b for b in inst.bands}
    return pd.DataFrame(
        [
            {
                t("teach_col_stage", lang): lv.label.get(lang),
                t("teach_col_band", lang): f"{fmt(bands[lv.id].lower, lang, 2)}–"
                f"{fmt(bands[lv.id].upper, lang, 2)}",
                t("teach_col_meaning", lang): lv.meaning.get(lang) if lv.meaning else "",
            }
            for lv in inst.levels
        ]
    )


def steps_table(instrument_id: str, from_level: str, lang: str = "en",
                interface: str | None = "marketing_sales") -> pd.DataFrame:
    """Return the YAML's step from ``from_level`` to the next stage, per dimension.

    The advice is written per interface; ``interface`` chooses whose (the marketing–sales
    steps by default, as in the source article). An instrument without interfaces takes
    None.

    Examples
    --------
    >>> len(steps_table("alignment", "defined", "en"))
    7
    """
    inst = load_instrument(instrument_id)
    if not inst.interfaces:
        interface = None
    elif interface not in [i.id for i in inst.interfaces]:
        raise ValueError(f"interface must be one of {[i.id for i in inst.interfaces]}, "
                         f"got {interface!r}")
    rows = []
    for d in inst.dimensions:
        rec = inst.recommendation(interface, d.id, from_level)
        if rec is None:
            continue
        rows.append({
            t("teach_col_dimension", lang): d.title.get(lang),
            t("teach_col_actions", lang): "\n".join(f"• {a.get(lang)}" for a in rec.actions),
            t("teach_col_why", lang): rec.why.get(lang)
            + (f" ({t('teach_caveat', lang)}: {rec.caveat.get(lang)})" if rec.caveat else ""),
            t("teach_col_source", lang): cite(rec.source, lang),
        })
    if not rows:
        levels = [lv.id for lv in inst.levels[:-1]]
        raise ValueError(f"from_level must be one of {levels}, got {from_level!r}")
    return pd.DataFrame(rows)
