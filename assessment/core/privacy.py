"""Personal data in free text and ids: found once on ingest, redacted in every output.

Comments are typed by client staff and sometimes hold an e-mail address, a phone number
(06-…, +31 …), a BSN-like number (nine digits passing the eleven test), an IBAN (passing
its mod-97 check), the respondent's own name (from the form's Name/Naam column, which is
dropped) or a colleague's (another respondent's name in the same organisation).
:func:`find_personal` returns where (kind, start, end: never the value);
:func:`redact` replaces those spans with ``[e-mail]``, ``[telefoonnummer]``/``[phone
number]``, … in the report's language. Respondent ids become stable pseudonyms
(:func:`pseudonyms`) in everything a client sees.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from assessment.core.i18n import t

__all__ = [
    "COMMENT_MODES",
    "KINDS",
    "check_mode",
    "find_personal",
    "pseudonyms",
    "redact",
    "scan_comments",
]

#: what ``--comments`` accepts: redacted (the default), verbatim, none
COMMENT_MODES = ("redacted", "verbatim", "none")
#: kinds of personal data found; ``colleague`` is also flagged
KINDS = ("email", "iban", "phone", "bsn", "name", "colleague")

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}\b", re.IGNORECASE)
_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)\d{2}[\s.-]?(?:\(0\)[\s.-]?)?|0)[1-9](?:[\s.-]?\d){7,9}(?!\d)")
_BSN = re.compile(r"(?<![\d.,-])\d(?:[. ]?\d){7,8}(?![\d]|[.,-]\d)")
#: a text without any of these holds no e-mail address, IBAN, phone number or BSN
_NEEDED = re.compile(r"[\d@]")
_PARTICLES = {"de", "der", "den", "van", "het", "ter", "ten", "te", "la", "le", "von", "du", "da",
              "del", "dos", "op", "in", "t", "mevr", "dhr", "mr", "mrs", "ms"}


def check_mode(mode: str) -> str:
    """Return ``mode`` when it is one of :data:`COMMENT_MODES`; raise ValueError otherwise."""
    if mode not in COMMENT_MODES:
        raise ValueError(f"comments must be one of {', '.join(COMMENT_MODES)}, got {mode!r}")
    return mode


def _iban_ok(text: str) -> bool:
    s = re.sub(r"\s", "", text).upper()
    if not 15 <= len(s) <= 34:
        return False
    digits = "".join(str(int(c, 36)) for c in s[4:] + s[:4])
    return int(digits) % 97 == 1


def _bsn_ok(text: str) -> bool:
    d = re.sub(r"\D", "", text).zfill(9)
    if len(d) != 9 or d == "000000000":
        return False
    total = sum(int(c) * w for c, w in zip(d[:8], range(9, 1, -1), strict=True)) - int(d[8])
    return total % 11 == 0


def _name_parts(name: str) -> list[str]:
    """Return the full name and each part of it worth matching (3+ letters, not 'van', 'de', …)."""
    name = " ".join(str(name).split())
    if not name:
        return []
    parts = [p for p in re.split(r"[\s,]+", name)
             if len(p.strip(".")) >= 3 and p.casefold().strip(".") not in _PARTICLES]
    return [name, *parts] if len(parts) > 1 else [name]


def _name_pattern(names: Iterable[str]) -> re.Pattern | None:
    parts = sorted({p for n in names for p in _name_parts(n)}, key=len, reverse=True)
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in parts) + r")(?!\w)",
                      re.IGNORECASE)


def find_personal(text: str, own: Iterable[str] = (), colleagues: Iterable[str] = ()
                  ) -> list[tuple[str, int, int]]:
    """Return the personal data in ``text``: (kind, start, end), left to right, no overlaps.

    Parameters
    ----------
    text : str
    own : iterable of str
        The writer's own name(s); found as ``name``.
    colleagues : iterable of str
        Other people's names (the organisation's other respondents); found as ``colleague``.

    Examples
    --------
    >>> text = "Bel Jan de Vries op 06-12345678 of mail jan@acme.nl; BSN 111222333"
    >>> [k for k, *_ in find_personal(text, own=["Jan de Vries"])]
    ['name', 'phone', 'email', 'bsn']
    >>> find_personal("Vraag Piet, NL91 ABNA 0417 1643 00", colleagues=["Piet Jansen"])
    [('colleague', 6, 10), ('iban', 12, 34)]
    >>> find_personal("Score 7 van 10, 2024, 15%")
    []
    """
    if not isinstance(text, str) or not text:
        return []
    if not own and not colleagues and not _NEEDED.search(text):
        return []  # every pattern left needs a digit or an @
    found: list[tuple[str, int, int]] = []

    def add(kind: str, pattern: re.Pattern | None, check=None) -> None:
        if pattern is None:
            return
        for m in pattern.finditer(text):
            if check is not None and not check(m.group()):
                continue
            if any(m.start() < e and s < m.end() for _, s, e in found):
                continue
            found.append((kind, m.start(), m.end()))

    add("email", _EMAIL)
    add("iban", _IBAN, _iban_ok)
    add("phone", _PHONE)
    add("bsn", _BSN, _bsn_ok)
    own = [n for n in own if isinstance(n, str) and n.strip()]
    add("name", _name_pattern(own))
    others = {n for n in colleagues if isinstance(n, str) and n.strip()} - set(own)
    add("colleague", _name_pattern(others))
    return sorted(found, key=lambda f: f[1])


def redact(text: str, spans: Iterable[tuple[str, int, int]], lang: str) -> str:
    """Replace each (kind, start, end) span of ``text`` with its placeholder in ``lang``.

    Examples
    --------
    >>> redact("mail jan@acme.nl", [("email", 5, 16)], "nl")
    'mail [e-mail]'
    >>> redact("bel 06-12345678", [("phone", 4, 15)], "en")
    'bel [phone number]'
    """
    out, last = [], 0
    for kind, start, end in sorted(spans, key=lambda s: s[1]):
        if start < last:
            continue
        out += [text[last:start], t(f"privacy_{kind}", lang)]
        last = end
    out.append(text[last:])
    return "".join(out)


def scan_comments(data: pd.DataFrame, columns: dict[str, str], names: pd.Series | None = None
                  ) -> pd.DataFrame:
    """Find the personal data in every comment of ``data``: where and what kind, no values.

    Parameters
    ----------
    data : DataFrame
        Rows with ``row``, ``organisation`` and the text items (item id -> header in
        ``columns``).
    columns : dict
        The text items to scan: item id -> the header it was read from.
    names : Series, optional
        Each row's respondent name (same index as ``data``), from a Name/Naam column; a
        comment naming its own writer is ``name``, naming another respondent of the same
        organisation ``colleague``.

    Returns
    -------
    DataFrame
        ``row``, ``item``, ``column``, ``kind``, ``start``, ``end``.
    """
    cols = ["row", "item", "column", "kind", "start", "end"]
    rows = []
    named = names is not None
    if names is None:
        names = pd.Series(None, index=data.index, dtype="object")
    name_of = names.reindex(data.index).to_numpy(dtype=object)
    orgs = data["organisation"].to_numpy(dtype=object)
    by_org: dict[object, list[str]] = {}
    for org, n in zip(orgs, name_of, strict=True) if named else ():
        if isinstance(n, str) and n.strip():  # each organisation's names, in file order
            by_org.setdefault(org, []).append(n)
    numbers = data["row"].to_numpy(dtype=object)
    unnamed: dict[str, list[tuple[str, int, int]]] = {}
    for item, header in columns.items():
        if item not in data:
            continue
        texts = data[item].to_numpy(dtype=object)
        for k in np.flatnonzero(pd.notna(texts)):  # missing comments hold nothing
            text = texts[k]
            if not isinstance(text, str) or not text.strip():
                continue
            own = [name_of[k]] if isinstance(name_of[k], str) else []
            others = by_org.get(orgs[k], [])
            if own or others:
                spans = find_personal(text, own, others)
            else:  # without names the spans depend on the text only: found once per text
                spans = unnamed.get(text)
                if spans is None:
                    spans = unnamed[text] = find_personal(text)
            for kind, start, end in spans:
                rows.append([int(numbers[k]), item, header, kind, start, end])
    return pd.DataFrame(rows, columns=cols)


def pseudonyms(ids: Iterable[object]) -> dict[str, str]:
    """Give each distinct respondent id a stable pseudonym, in order of first appearance.

    Nothing of the id is kept (a hash of an e-mail address could be looked up), so the
    same file gives the same pseudonyms.

    Examples
    --------
    >>> pseudonyms(["ann@x.nl", "bob@x.nl", "ann@x.nl"])
    {'ann@x.nl': 'R1', 'bob@x.nl': 'R2'}
    """
    out: dict[str, str] = {}
    for i in ids:
        if i is None or (isinstance(i, float) and pd.isna(i)) or i is pd.NA:
            continue
        out.setdefault(str(i), f"R{len(out) + 1}")
    return out
