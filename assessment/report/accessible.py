"""Accessible HTML: what the exported report needs beyond its sections (WCAG 2.1 AA).

Pure functions on the HTML the report writes itself (nbconvert's lab layout around the
sections of :mod:`assessment.report.sections`), applied by
:func:`assessment.report.render.export_html` and by the batch index:

- :func:`strip_output_tabindex`: nbconvert gives every output area ``tabindex="0"``, so the
  Tab key stops on unnamed blocks thousands of pixels tall;
- :func:`scrollable_tables`: a wide table scrolls inside a named, focusable region instead
  of making the whole page scroll sideways at 320 CSS px (WCAG 1.4.10);
- :func:`add_contents`: numbered headings get ids and a contents list after the cover (its
  page numbers are filled in when the PDF is printed, :mod:`assessment.report.pdf`);
- :func:`mark_english`: English terms of art in a Dutch report carry ``lang="en"`` (WCAG
  3.1.2), and :func:`text_language` tells the language of a respondent's comment.
"""

from __future__ import annotations

import re
from html import escape

from assessment.core.i18n import t

__all__ = [
    "ENGLISH_TERMS",
    "add_contents",
    "lang_attribute",
    "mark_english",
    "scrollable_tables",
    "strip_output_tabindex",
    "text_language",
]

#: English terms of art that Dutch reports use as they are
ENGLISH_TERMS = ("stuck in the middle", "Service-Profit Chain", "Net Promoter Score",
                 "customer intimacy", "operational excellence", "product leadership",
                 "Customer Intimacy", "Operational Excellence", "Product Leadership")

_OUTPUT_TABINDEX = re.compile(r'(<div class="[^"]*jp-OutputArea-output[^"]*"[^>]*?) tabindex="0"')
_TABLE = re.compile(r"<table\b.*?</table>", re.S)
_H2 = re.compile(r"<h2>(\d+)\. (.*?)</h2>", re.S)
_TAG = re.compile(r"<[^>]+>")

_WORDS = {
    "en": {"the", "and", "is", "are", "we", "our", "with", "not", "they", "of", "to", "it",
           "that", "for", "have", "but", "this", "would", "more", "very"},
    "nl": {"de", "het", "en", "een", "is", "zijn", "wij", "we", "onze", "met", "niet", "ze",
           "van", "dat", "voor", "hebben", "maar", "dit", "meer", "heel", "erg", "wordt"},
}


def strip_output_tabindex(html: str) -> str:
    """Remove ``tabindex="0"`` from nbconvert's output areas (no Tab stop on them).

    Examples
    --------
    >>> strip_output_tabindex('<div class="jp-OutputArea-output" tabindex="0">x</div>')
    '<div class="jp-OutputArea-output">x</div>'
    """
    return _OUTPUT_TABINDEX.sub(r"\1", html)


def scrollable_tables(html: str, lang: str) -> str:
    """Wrap every table in a region that scrolls sideways by itself (reachable by keyboard).

    Examples
    --------
    >>> scrollable_tables("<table><tr><td>1</td></tr></table>", "en")  # doctest: +ELLIPSIS
    '<div class="table-scroll" role="region" tabindex="0" aria-label="Table, ...'
    """
    label = escape(t("table_region", lang))
    return _TABLE.sub(lambda m: f'<div class="table-scroll" role="region" tabindex="0" '
                                f'aria-label="{label}">{m.group(0)}</div>', html)


def add_contents(html: str, lang: str) -> str:
    """Give numbered ``<h2>`` headings ids and list them after the cover section.

    Each entry has an empty ``<span class="toc-page">`` for its page number in print. A
    report without numbered headings is returned unchanged.

    Examples
    --------
    >>> page = '<section class="cover"><h1>A</h1></section><h2>1. Summary</h2>'
    >>> out = add_contents(page, "en")
    >>> out.index("</section><nav") < out.index('<h2 id="section-1">1. Summary</h2>')
    True
    >>> '<li><a href="#section-1">Summary</a><span class="toc-page"' in out
    True
    """
    headings = _H2.findall(html)
    if not headings:
        return html
    html = _H2.sub(lambda m: f'<h2 id="section-{m.group(1)}">{m.group(1)}. {m.group(2)}</h2>',
                   html)
    items = "".join(
        f'<li><a href="#section-{n}">{text}</a>'
        f'<span class="toc-page" data-section="section-{n}"></span></li>'
        for n, text in headings)
    nav = (f'<nav class="contents" aria-labelledby="contents"><h2 id="contents">'
           f'{t("contents", lang)}</h2><ol>{items}</ol></nav>')
    cover = html.find('<section class="cover">')
    end = html.find("</section>", cover) if cover >= 0 else -1
    if end < 0:
        first = html.find("<h2 id=")
        return html[:first] + nav + html[first:]
    end += len("</section>")
    return html[:end] + nav + html[end:]


def mark_english(html: str, lang: str) -> str:
    """In a Dutch report, wrap the English terms of :data:`ENGLISH_TERMS` in ``lang="en"``.

    Only text between tags is changed, never a tag or an attribute.

    Examples
    --------
    >>> mark_english('<p title="stuck in the middle">Porter: stuck in the middle.</p>', "nl")
    '<p title="stuck in the middle">Porter: <span lang="en">stuck in the middle</span>.</p>'
    >>> mark_english("<p>stuck in the middle</p>", "en")
    '<p>stuck in the middle</p>'
    """
    if lang == "en":
        return html
    pattern = re.compile("|".join(re.escape(term) for term in ENGLISH_TERMS))
    tags = _TAG.findall(html)
    out = []
    for k, part in enumerate(_TAG.split(html)):
        if k:
            out.append(tags[k - 1])
        out.append(pattern.sub(lambda m: f'<span lang="en">{m.group(0)}</span>', part))
    return "".join(out)


def text_language(text: str) -> str | None:
    """Guess whether a short text is Dutch or English by its common words; None if unsure.

    A comment needs at least two common words of one language and more of that one than
    of the other.

    Examples
    --------
    >>> text_language("We never hear what the customer said to the sales team.")
    'en'
    >>> text_language("We horen nooit wat de klant tegen het salesteam zei.")
    'nl'
    >>> text_language("CRM!") is None
    True
    """
    words = re.findall(r"[a-zà-ÿ]+", text.casefold())
    counts = {lang: sum(w in common for w in words) for lang, common in _WORDS.items()}
    best = max(counts, key=counts.get)
    other = min(counts, key=counts.get)
    if counts[best] >= 2 and counts[best] > counts[other]:
        return best
    return None


def lang_attribute(text: str, report_lang: str) -> str:
    """Return `` lang="en"`` (etc.) for a text in another language than the report; else "".

    Examples
    --------
    >>> lang_attribute("The handover to service is where it goes wrong.", "nl")
    ' lang="en"'
    >>> lang_attribute("The handover to service is where it goes wrong.", "en")
    ''
    """
    found = text_language(text)
    return f' lang="{found}"' if found and found != report_lang else ""
