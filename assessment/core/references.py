"""The reference registry: the works the project cites, as short cites and as a reference list.

Every cited work has one key in ``assessment/references.yaml`` (``kotler2006``, ``art001``).
An instrument's or a recommendation's ``source`` lists keys separated by ``"; "``; a text
in ``assessment/locales/*.yaml`` cites with a marker, ``[@kotler2006]`` or
``[@kotler2006; @art001]``, which :func:`resolve_cites` turns into
"(Kotler, Rackham & Krishnaswamy, 2006; Hogeschool Utrecht, z.d.)". A report ends with
:func:`reference_entry` for each key it cites, sorted by :func:`sort_keys`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from html import escape as _escape
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from assessment.core.config import REFERENCES_FILE

__all__ = [
    "CITE_MARKER",
    "Reference",
    "cite",
    "cited_in",
    "parse_keys",
    "reference_entry",
    "references",
    "resolve_cites",
    "short_cite",
    "sort_keys",
    "unknown_keys",
]

#: an in-text citation marker in a text: [@key] or [@key; @key2]; [-@key] gives the year only,
#: for a sentence that names the authors itself ("Porter [-@porter1980]" -> "Porter (1980)")
CITE_MARKER = re.compile(r"\[(-?)@([a-z0-9]+(?:;\s*@[a-z0-9]+)*)\]")

#: "no date" in each language (APA: n.d.; Dutch APA: z.d.)
_NO_DATE = {"nl": "z.d.", "en": "n.d."}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Text(_Model):
    nl: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Reference(_Model):
    """One cited work (fields described at the top of ``assessment/references.yaml``)."""

    kind: Literal["article", "book", "chapter", "web"]
    authors: list[str] = []
    group_author: str | None = None
    year: int | None
    date: _Text | None = None
    title: str | _Text
    publication: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    publisher: str | None = None
    short: _Text | None = None
    note: _Text | None = None

    @model_validator(mode="after")
    def _named(self) -> Reference:
        if not self.authors and self.short is None:
            raise ValueError("a work without authors needs `short`, its in-text label")
        if self.authors and self.group_author:
            raise ValueError("give authors or group_author, not both")
        if any("," not in a for a in self.authors):
            raise ValueError("write each author as 'Surname, I.'")
        return self

    def text(self, field: str, lang: str) -> str | None:
        """Return a field that may be one string or a Dutch/English pair, in ``lang``."""
        value = getattr(self, field)
        return getattr(value, lang) if isinstance(value, _Text) else value


@lru_cache(maxsize=1)
def references() -> dict[str, Reference]:
    """Return the registry, key -> :class:`Reference`, read once from ``references.yaml``.

    Raises
    ------
    ValueError
        Naming the key and the problem when an entry is not valid.
    """
    with open(REFERENCES_FILE, encoding="utf-8") as fh:
        raw = yaml.safe_load(fh) or {}
    out: dict[str, Reference] = {}
    for key, entry in raw.items():
        if not re.fullmatch(r"[a-z0-9]+", str(key)):
            raise ValueError(
                f"{REFERENCES_FILE}: key {key!r} must be lower-case letters and digits"
            )
        try:
            out[key] = Reference.model_validate(entry)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(map(str, e['loc'])) or 'entry'}: {e['msg']}" for e in exc.errors()
            )
            raise ValueError(f"{REFERENCES_FILE}: {key}: {problems}") from None
    return out


def parse_keys(source: str | None) -> list[str]:
    """Split a ``source`` field into its keys, in order, without repeats.

    Examples
    --------
    >>> parse_keys("kotler2006; art001;art001")
    ['kotler2006', 'art001']
    >>> parse_keys(None)
    []
    """
    keys: list[str] = []
    for part in (source or "").split(";"):
        key = part.strip().removeprefix("@")
        if key and key not in keys:
            keys.append(key)
    return keys


def unknown_keys(keys: Iterable[str]) -> list[str]:
    """Return the keys that are not in the registry, in order.

    Examples
    --------
    >>> unknown_keys(["kotler2006", "seed 001"])
    ['seed 001']
    """
    known = references()
    return [k for k in keys if k not in known]


def _surname(author: str) -> str:
    """'de Graag, C.' -> 'de Graag'."""
    return author.split(",", 1)[0].strip()


def _capital(text: str) -> str:
    """Open with a capital: a name particle that starts a cite or an entry ('De Graag')."""
    return text[:1].upper() + text[1:]


def short_cite(key: str, lang: str) -> str:
    """Return one work's short cite, without parentheses.

    Up to three authors are all named, four or more as the first "et al.";
    a work without a date gets "z.d." (Dutch) or "n.d." (English).

    Examples
    --------
    >>> short_cite("kotler2006", "nl")
    'Kotler, Rackham & Krishnaswamy, 2006'
    >>> short_cite("heskett1994", "en"), short_cite("art002", "nl"), short_cite("art004", "en")
    ('Heskett et al., 1994', 'Roseboom, z.d.', 'De Graag, 2017')
    """
    ref = _lookup(key)
    if ref.short is not None:
        who = ref.text("short", lang)
    else:
        names = [_surname(a) for a in ref.authors]
        names[0] = _capital(names[0])
        if len(names) >= 4:
            who = f"{names[0]} et al."
        elif len(names) == 1:
            who = names[0]
        else:
            who = ", ".join(names[:-1]) + " & " + names[-1]
    year = _NO_DATE[lang] if ref.year is None else str(ref.year)
    return f"{who}, {year}"


def cite(keys: str | Iterable[str], lang: str) -> str:
    """Return the in-text citation of one or more works: "(A, 2006; B, z.d.)".

    Parameters
    ----------
    keys : str or iterable of str
        Registry keys, or a ``source`` field ("kotler2006; art001").
    lang : str
        'nl' or 'en'.

    Returns
    -------
    str
        Plain text (escape it for HTML); empty when there are no keys.

    Raises
    ------
    KeyError
        Naming every key that is not in ``assessment/references.yaml``.

    Examples
    --------
    >>> cite("kotler2006; art001", "nl")
    '(Kotler, Rackham & Krishnaswamy, 2006; Hogeschool Utrecht, z.d.)'
    >>> cite("treacy1993; treacy1995", "en")
    '(Treacy & Wiersema, 1993, 1995)'
    >>> cite([], "en")
    ''
    """
    keys = parse_keys(keys) if isinstance(keys, str) else list(keys)
    missing = unknown_keys(keys)
    if missing:
        raise KeyError(f"not in assessment/references.yaml: {', '.join(missing)}")
    if not keys:
        return ""
    groups: dict[str, list[str]] = {}  # author label -> years ("A & B, 1993, 1995")
    for k in keys:
        who, year = short_cite(k, lang).rsplit(", ", 1)
        groups.setdefault(who, []).append(year)
    return "(" + "; ".join(f"{who}, {', '.join(years)}" for who, years in groups.items()) + ")"


def resolve_cites(text: str, lang: str) -> str:
    """Replace every ``[@key]`` / ``[@a; @b]`` marker in ``text`` by its short cite.

    ``[-@key]`` gives only the year, for a sentence that names the authors itself.

    Examples
    --------
    >>> resolve_cites("The four stages [@kotler2006].", "en")
    'The four stages (Kotler, Rackham & Krishnaswamy, 2006).'
    >>> resolve_cites("NPS [@reichheld2003; @art003]", "nl")
    'NPS (Reichheld, 2003; “De klant centraal”, z.d.)'
    >>> resolve_cites("Porter [-@porter1980], Treacy en Wiersema [-@treacy1993; @treacy1995]", "nl")
    'Porter (1980), Treacy en Wiersema (1993, 1995)'
    """
    if "@" not in text:
        return text
    return CITE_MARKER.sub(lambda m: _cite_marker(m, lang), text)


def _cite_marker(m: re.Match[str], lang: str) -> str:
    if not m.group(1):
        return cite(m.group(2), lang)
    keys = parse_keys(m.group(2))
    cite(keys, lang)  # raises on an unknown key
    return "(" + ", ".join(short_cite(k, lang).rsplit(", ", 1)[1] for k in keys) + ")"


def cited_in(text: str) -> list[str]:
    """Return the keys cited by markers in ``text``, in order of first appearance.

    Examples
    --------
    >>> cited_in("a [@kotler2006; @art001], b [-@kotler2006], c [@porter1980]")
    ['kotler2006', 'art001', 'porter1980']
    """
    keys: list[str] = []
    for m in CITE_MARKER.finditer(text):
        keys += [k for k in parse_keys(m.group(2)) if k not in keys]
    return keys


def _lookup(key: str) -> Reference:
    try:
        return references()[key]
    except KeyError:
        raise KeyError(f"not in assessment/references.yaml: {key}") from None


def _sort_name(key: str) -> tuple[tuple[str, ...], int, str]:
    """APA order: by the authors' surnames (one author before the same author with others), year."""
    ref = _lookup(key)
    names = ref.authors or [ref.group_author or ref.text("short", "en") or ""]
    return (tuple(_surname(a).strip("[“”‘’ ").casefold() for a in names), ref.year or 0, key)


def sort_keys(keys: Iterable[str]) -> list[str]:
    """Return the keys without repeats, in reference-list order (first author, then year).

    Examples
    --------
    >>> sort_keys(["treacy1995", "kotler2006", "treacy1993", "kotler2006"])
    ['kotler2006', 'treacy1993', 'treacy1995']
    >>> sort_keys(["reichheld1990", "reichheld2003"])
    ['reichheld2003', 'reichheld1990']
    """
    return sorted(dict.fromkeys(keys), key=_sort_name)


def _html(text: str) -> str:
    """Escape for HTML text (quotes stay as they are: they are text here)."""
    return _escape(text, quote=False)


def _authors(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + ", & " + names[-1]


def reference_entry(key: str, lang: str) -> str:
    """Return one work's full reference as HTML (APA style; titles of wholes in italics).

    Examples
    --------
    >>> reference_entry("reichheld2003", "en")
    'Reichheld, F. F. (2003). The one number you need to grow. <i>Harvard Business Review</i>, <i>81</i>(12), 46–54.'
    >>> reference_entry("porter1980", "nl")
    'Porter, M. E. (1980). <i>Competitive strategy: Techniques for analyzing industries and competitors</i>. Free Press.'
    >>> reference_entry("art004", "nl")
    'De Graag, C. (2017, 16 juli). <i>Customer give me your money: Klant of wandelende portemonnee?</i> Company Optimizer.'
    """  # noqa: E501
    ref = _lookup(key)
    title = _html(ref.text("title", lang))
    when = _NO_DATE[lang] if ref.year is None else str(ref.year)
    if ref.date is not None:
        when += ", " + ref.text("date", lang)
    if ref.authors:
        names = [_capital(ref.authors[0])] + list(ref.authors[1:])
        head = f"{_html(_authors(names))} ({when}). "
    elif ref.group_author:
        head = f"{_html(ref.group_author)} ({when}). "
    else:
        head = ""
    end = "" if title.endswith(("?", "!", ".", "]")) else "."
    if ref.kind == "article":
        body = f"{title}{end} <i>{_html(ref.publication or '')}</i>"
        if ref.volume:
            body += f", <i>{_html(ref.volume)}</i>"
            if ref.issue:
                body += f"({_html(ref.issue)})"
        if ref.pages:
            body += f", {_html(ref.pages)}"
        body += "."
    else:
        body = f"{title}{end}" if title.startswith("[") else f"<i>{title}</i>{end}"
        if ref.publication:
            body += f" {_html(ref.publication)}."
        if ref.publisher:
            body += f" {_html(ref.publisher)}."
    if not head:  # no author: the title takes the author's place, the date follows it
        first = f"{title}{end}" if title.startswith("[") else f"<i>{title}</i>{end}"
        body = body.replace(first, first.removesuffix(".") + f" ({when}).", 1)
    out = head + body
    if ref.note is not None:
        out += " " + _html(ref.text("note", lang))
    return out.strip()
