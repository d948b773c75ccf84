"""What an exercise check returns, and how a student's typed answer is read.

:class:`Feedback` and :class:`Card` display as HTML in a notebook and as text
elsewhere; the helpers read answers the way students type them ("+5", "5,0",
"79.2%", a Dutch or English label) and build the usual messages.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

import numpy as np

from assessment.core.i18n import check_lang, t
from assessment.core.text import normalise

__all__ = [
    "Card",
    "Feedback",
    "choice_lookup",
    "diagnose",
    "expect_mapping",
    "incomplete",
    "is_blank",
    "money",
    "read_number",
    "summary",
    "term",
    "text_in",
]

_BLANK = {"", "?", "...", "…"}


@dataclass(frozen=True)
class Feedback:
    """The outcome of a check, shown as a coloured box in a notebook.

    Attributes
    ----------
    status : str
        ``correct``, ``incorrect``, ``incomplete`` (not everything answered) or
        ``solution``.
    message : str
        One sentence.
    details : tuple of str
        One explanation per point to look at again.

    Examples
    --------
    >>> print(Feedback("incorrect", "Not yet.", ("a: look again",)))
    Not yet.
    - a: look again
    """

    status: str
    message: str
    details: tuple[str, ...] = ()

    @property
    def correct(self) -> bool:
        """True when every answer is right."""
        return self.status == "correct"

    def __str__(self) -> str:
        return "\n".join([self.message, *(f"- {d}" for d in self.details)])

    def _repr_html_(self) -> str:
        colour = {"correct": "#1a7f37", "solution": "#4575b4", "incomplete": "#8a6d00"}.get(
            self.status, "#b35900"
        )
        items = "".join(f"<li>{escape(d)}</li>" for d in self.details)
        return (
            f'<div class="feedback feedback-{self.status}" style="border-left:4px solid '
            f'{colour};padding:0.4em 0.8em;margin:0.4em 0;background:#fafafa">'
            f'<b style="color:{colour}">{escape(self.message)}</b>'
            + (f'<ul style="margin:0.3em 0">{items}</ul>' if items else "")
            + "</div>"
        )


@dataclass(frozen=True)
class Card:
    """An exercise as shown to the student: the question, what to judge, the choices."""

    title: str
    rows: tuple[tuple[str, str], ...]
    choices: tuple[tuple[str, str], ...] = ()
    note: str = ""

    def __str__(self) -> str:
        lines = [self.title, *(f"  {k}: {v}" for k, v in self.rows)]
        if self.choices:
            lines += ["", *(f"  {k} = {v}" for k, v in self.choices)]
        return "\n".join(lines + ([self.note] if self.note else []))

    def _repr_html_(self) -> str:
        rows = "".join(
            f'<tr><td style="vertical-align:top;padding-right:0.8em;text-align:left">'
            f"<code>{escape(k)}</code></td>"
            f'<td style="text-align:left">{escape(v)}</td></tr>'
            for k, v in self.rows
        )
        choices = "".join(
            f"<li><code>{escape(k)}</code> {escape(v)}</li>" for k, v in self.choices
        )
        return (
            '<div class="exercise" style="border:1px solid #ccc;padding:0.5em 0.8em">'
            f"<p><b>{escape(self.title)}</b></p><table>{rows}</table>"
            + (f'<ul style="margin-top:0.5em">{choices}</ul>' if choices else "")
            + (f"<p><i>{escape(self.note)}</i></p>" if self.note else "")
            + "</div>"
        )


def text_in(value: Mapping[str, str], lang: str) -> str:
    """Return a bilingual ``{'nl': ..., 'en': ...}`` text in ``lang``."""
    return str(value[check_lang(lang)])


def term(label: Mapping[str, str], lang: str) -> str:
    """Return a label in ``lang``; in English with the Dutch term beside it when it differs.

    Examples
    --------
    >>> term({"en": "customer insight", "nl": "klantinzicht"}, "en")
    'customer insight (klantinzicht)'
    >>> term({"en": "customer insight", "nl": "klantinzicht"}, "nl")
    'klantinzicht'
    """
    text = text_in(label, lang)
    if lang == "en" and normalise(label["nl"]) != normalise(label["en"]):
        return f"{text} ({label['nl']})"
    return text


def is_blank(value: object) -> bool:
    """Tell whether an answer is still to be filled in: None, NaN, '', '?' or '...'."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip() in _BLANK


def read_number(value: object) -> float | None:
    """Read a number as a student may type it, or None.

    Examples
    --------
    >>> [read_number(x) for x in (5, "+5", "5,5", "79.2%", "five", None)]
    [5.0, 5.0, 5.5, 79.2, None, None]
    """
    if is_blank(value):
        return None
    if isinstance(value, int | float | np.number):
        return float(value)
    text = str(value).strip().replace("%", "").replace(" ", "").replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


def money(value: float, lang: str) -> str:
    """Format an amount in euros for people: €90,000 in English, € 90.000 in Dutch.

    Examples
    --------
    >>> money(14500, "en"), money(-14500.4, "nl")
    ('€14,500', '€ -14.500')
    """
    text = f"{value:,.0f}"
    return f"€ {text.replace(',', '.')}" if check_lang(lang) == "nl" else f"€{text}"


def choice_lookup(choices: Sequence[Mapping]) -> dict[str, str]:
    """Map each choice's id and its Dutch and English label (normalised) to its id."""
    lookup = {}
    for c in choices:
        for key in (c["id"], c["label"]["nl"], c["label"]["en"]):
            lookup[normalise(key)] = c["id"]
    return lookup


def expect_mapping(answers: object, keys: Sequence[str], lang: str) -> Feedback | None:
    """Feedback when ``answers`` is not a mapping of the expected keys, else None.

    Examples
    --------
    >>> print(expect_mapping(["x"], ["a", "b"], "en"))
    Give your answers as a dictionary with one entry per situation: {"a": ..., "b": ...}
    >>> expect_mapping({"a": 1}, ["a"], "en") is None
    True
    """
    if isinstance(answers, Mapping):
        return None
    shape = "{" + ", ".join(f'"{k}": ...' for k in keys) + "}"
    return Feedback("incorrect", t("teach_need_dict", lang, shape=shape))


def incomplete(missing: Sequence[str], lang: str) -> Feedback:
    """Feedback for answers still missing, naming them."""
    return Feedback("incomplete", t("teach_missing", lang, items=", ".join(map(str, missing))))


def summary(details: list[str], total: int, lang: str) -> Feedback:
    """Correct when there is nothing to explain, else "k of n right" with the explanations."""
    if not details:
        return Feedback("correct", t("teach_all_right", lang, total=total))
    return Feedback(
        "incorrect",
        t("teach_some_wrong", lang, right=total - len(details), total=total),
        tuple(details),
    )


def diagnose(
    value: float, mistakes: Sequence[tuple[float, str]], tol: float, lang: str
) -> tuple[str, ...]:
    """Name the usual mistake whose result equals the student's answer (or nothing).

    Parameters
    ----------
    value : float
        The student's answer.
    mistakes : sequence of (result, message key)
        What each usual mistake gives, and the message that explains it.
    tol : float
        How close counts as equal.
    lang : str
    """
    for result, key in mistakes:
        if np.isfinite(result) and abs(value - result) <= tol:
            return (t(key, lang),)
    return ()
