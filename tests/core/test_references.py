"""The reference registry: every key used anywhere exists; short cites and entries follow APA.

Issue 11, point 6. Expected strings are written by hand from APA 7 (author–date cites, "et al." from
four authors here as in the issue's "(Kotler, Rackham & Krishnaswamy, 2006)", "z.d." / "n.d." for
no date) and from the works themselves (Reichheld 2003: HBR 81(12), 46–54).
"""

from __future__ import annotations

import re

import pytest
import yaml

from assessment.core import references as refs
from assessment.core.config import INSTRUMENT_DIR, LOCALE_DIR
from assessment.core.exceptions import InstrumentError
from assessment.core.i18n import messages
from assessment.core.instruments import load_instrument

#: internal labels that must never reach a reader: seed file numbers and "bron 001"
INTERNAL = re.compile(r"\bseed\s*0\d\d|\bbron\s*0\d\d|\bsource\s*0\d\d", re.IGNORECASE)


def _strings_and_sources(node, path=""):
    """Yield (path, kind, text) for every string in a YAML tree; kind 'source' for source fields."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "source" and isinstance(v, str):
                yield f"{path}.{k}", "source", v
            else:
                yield from _strings_and_sources(v, f"{path}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _strings_and_sources(v, f"{path}[{i}]")
    elif isinstance(node, str):
        yield path, "text", node


def _yaml_files():
    return sorted(INSTRUMENT_DIR.glob("*.yaml")) + sorted(LOCALE_DIR.glob("*.yaml"))


def test_every_key_used_in_the_yamls_is_registered():
    """Every `source:` key and every [@key] marker in the instruments and locales is in references.yaml."""
    used: dict[str, str] = {}
    for path in _yaml_files():
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for where, kind, text in _strings_and_sources(data):
            keys = refs.parse_keys(text) if kind == "source" else refs.cited_in(text)
            used |= {k: f"{path.name}{where}" for k in keys}
    assert used, "no citations found at all"
    missing = {k: w for k, w in used.items() if k not in refs.references()}
    assert not missing, f"keys not in assessment/references.yaml: {missing}"


def test_no_internal_source_label_in_any_yaml_text():
    """No instrument or locale text says 'seed 003', 'bron 001' or 'source 000' (DESIGN 2)."""
    found = []
    for path in _yaml_files():
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for where, _kind, text in _strings_and_sources(data):
            if INTERNAL.search(text):
                found.append(f"{path.name}{where}: {text[:60]}")
    assert not found, found


def test_every_instrument_source_is_cited_in_its_basis():
    """An instrument's basis text (shown in the methodology) cites exactly the keys of its source."""
    for path in sorted(INSTRUMENT_DIR.glob("*.yaml")):
        inst = load_instrument(path)
        for lang in ("nl", "en"):
            assert set(refs.cited_in(inst.basis.get(lang))) == set(refs.parse_keys(inst.source)), (
                inst.id, lang)


@pytest.mark.parametrize(
    ("key", "lang", "expected"),
    [
        ("kotler2006", "nl", "Kotler, Rackham & Krishnaswamy, 2006"),  # three authors: all named
        ("heskett1994", "en", "Heskett et al., 1994"),  # five authors: first et al.
        ("reichheld2003", "en", "Reichheld, 2003"),
        ("art002", "nl", "Roseboom, z.d."),  # the blog gives no date
        ("art002", "en", "Roseboom, n.d."),
        ("art004", "nl", "De Graag, 2017"),  # a particle opening a cite takes a capital
        ("eisinga2013", "en", "Eisinga, te Grotenhuis & Pelzer, 2013"),  # ... but not inside it
    ],
)
def test_short_cite(key, lang, expected):
    """APA 7 author–date cites, written by hand."""
    assert refs.short_cite(key, lang) == expected


def test_cite_groups_one_author_pair_and_rejects_unknown_keys():
    """Two works of the same authors share the names: "(Treacy & Wiersema, 1993, 1995)" (APA 7, 8.19)."""
    assert refs.cite("treacy1993; treacy1995; porter1980", "en") == (
        "(Treacy & Wiersema, 1993, 1995; Porter, 1980)")
    with pytest.raises(KeyError, match="seed 001"):
        refs.cite("kotler2006; seed 001", "nl")


def test_markers_in_texts():
    """[@key] becomes a parenthetical cite, [-@key] the year only (the sentence names the author)."""
    assert refs.resolve_cites("zie [@kotler2006; @art001].", "nl") == (
        "zie (Kotler, Rackham & Krishnaswamy, 2006; Hogeschool Utrecht, z.d.).")
    assert refs.resolve_cites("Porter [-@porter1980]", "en") == "Porter (1980)"
    assert refs.resolve_cites("mail me@example.org", "en") == "mail me@example.org"


def test_reference_entries():
    """Full entries in APA 7 form, from the works themselves."""
    assert refs.reference_entry("kotler2006", "en") == (
        "Kotler, P., Rackham, N., &amp; Krishnaswamy, S. (2006). Ending the war between sales and "
        "marketing. <i>Harvard Business Review</i>, <i>84</i>(7/8), 68–78.")
    assert refs.reference_entry("treacy1995", "nl") == (
        "Treacy, M., &amp; Wiersema, F. (1995). <i>The discipline of market leaders: Choose your "
        "customers, narrow your focus, dominate your market</i>. Addison-Wesley.")
    # a work without author or date: the title takes the author's place, and the entry says so
    assert refs.reference_entry("art003", "nl").startswith("<i>De klant centraal</i> (z.d.). Hoofdstuk 1")


def test_the_five_dutch_articles_are_described_by_their_own_titles():
    """Titles and authors as the article texts give them (the seed files' own headings and signatures)."""
    r = refs.references()
    assert r["art001"].title == "Sales en Marketing werken samen voor de klant – mooi in theorie, maar hoe dan?"
    assert (r["art002"].title, r["art002"].authors) == ("Commercie is voor iedereen", ["Roseboom, H."])
    assert (r["art003"].title, r["art004"].authors, r["art004"].year) == (
        "De klant centraal", ["de Graag, C."], 2017)
    assert r["art000"].title.en.startswith("[")  # untitled: a description in brackets, not an invented title
    for key in ("art000", "art001", "art002", "art003", "art004"):
        for lang in ("nl", "en"):
            assert not INTERNAL.search(refs.reference_entry(key, lang))


def test_reference_list_order():
    """APA 7 order: by first author; one author before the same author with others."""
    assert refs.sort_keys(["treacy1993", "reichheld1990", "reichheld2003", "kotler2006"]) == [
        "kotler2006", "reichheld2003", "reichheld1990", "treacy1993"]


def test_a_broken_registry_names_the_entry(tmp_path, monkeypatch):
    """An entry without authors and without `short` cannot be cited; the error names its key."""
    bad = tmp_path / "references.yaml"
    bad.write_text("nobody2020:\n  kind: book\n  year: 2020\n  title: X\n", encoding="utf-8")
    monkeypatch.setattr(refs, "REFERENCES_FILE", bad)
    refs.references.cache_clear()
    try:
        with pytest.raises(ValueError, match="nobody2020.*short"):
            refs.references()
    finally:
        monkeypatch.undo()
        refs.references.cache_clear()


def test_an_instrument_with_an_unknown_source_key_is_refused(tmp_path):
    """A trainer's instrument citing 'seed 003' gets a message naming the field and the key."""
    text = (INSTRUMENT_DIR / "value_disciplines.yaml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^source: .*$", "source: treacy1993; seed 003", text)
    path = tmp_path / "value_disciplines.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InstrumentError, match="source: seed 003 not in assessment/references.yaml"):
        load_instrument(path)


def test_locale_messages_resolve():
    """Every locale message with a marker resolves in both languages (no KeyError at report time)."""
    for texts in messages().values():
        for lang in ("nl", "en"):
            refs.resolve_cites(texts[lang], lang)
