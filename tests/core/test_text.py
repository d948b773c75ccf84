"""Text normalisation (assessment.core.text): the Series version equals the scalar rule."""

from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from assessment.core.text import map_unique, normalise, normalise_series

TRICKY = ["  “Helemaal  mee eens”\n", "HELEMAAL MEE EENS", "ﬁnancieel", "Marketing’s plan",
          "a\xa0b", "Café", "Cafe\u0301", "–", "", " ", "3", "3,0", "ß", "İ"]


def test_normalise_series_equals_normalise_per_value():
    """Each distinct value once (map_unique): the same keys as the scalar normalise().

    Expected values: normalise() applied to every element, one by one (the reference rule).
    """
    values = pd.Series(TRICKY * 3 + [None, pd.NA], index=range(10, 10 + 3 * len(TRICKY) + 2))
    out = normalise_series(values)
    expected = [normalise(v) for v in TRICKY * 3]
    assert out.iloc[:-2].tolist() == expected
    assert out.iloc[-2:].isna().all()
    assert out.index.equals(values.index) and out.dtype == "string"


def test_map_unique_keeps_positions_dtype_and_missing():
    """Distinct values are mapped once and spread back to every row, in place; NA stays NA.

    Expected: the element-wise result written out by hand.
    """
    calls = []

    def double(u: pd.Series) -> pd.Series:
        calls.append(len(u))
        return u.astype("float64") * 2

    values = pd.Series(["1", "2", None, "1", "2", "1"], dtype="string", index=list("abcdef"))
    out = map_unique(values, double)
    assert calls == [2]
    assert out.tolist()[:2] == [2.0, 4.0] and pd.isna(out["c"])
    assert out[["d", "e", "f"]].tolist() == [2.0, 4.0, 2.0]
    assert out.dtype == "float64"


def test_format_characters_cover_unicode_category_cf():
    """Every character of Unicode category Cf (per this Python's unicodedata) is a format character.

    Expected: ``unicodedata.category(c) == "Cf"`` over all code points, the definition the
    issue names (right-to-left overrides, zero-width characters); nothing else is matched.
    """
    import sys
    import unicodedata

    from assessment.core.text import FORMAT_CHARACTERS, strip_format

    cf = "".join(chr(c) for c in range(sys.maxunicode + 1)
                 if unicodedata.category(chr(c)) == "Cf")
    assert strip_format(cf) == ""
    letters = "Acme BV Ωμέγα 株式会社 café 👍"
    assert strip_format(letters) == letters
    assert all(unicodedata.category(c) in ("Cf", "Cn")
               for c in map(chr, range(sys.maxunicode + 1)) if FORMAT_CHARACTERS.fullmatch(c))


def test_normalise_many_equals_normalise():
    """The shortcut for ASCII text gives what normalise() gives, for every ASCII character.

    Expected values: normalise() of each string, one by one (the reference rule); the strings
    are every pair of ASCII characters (whitespace, control characters, the backtick) with
    spaces and tabs around them, and the tricky non-ASCII spellings.
    """
    from assessment.core.text import normalise_many

    ascii_ = [chr(c) for c in range(128)]
    texts = [f" {a}x{b}\t" for a in ascii_ for b in ascii_] + TRICKY + ["it`s  OK ", "\x1c a \x1f"]
    assert normalise_many(texts) == [normalise(t) for t in texts]
    pairs = [f"{a}{b}" for a in ascii_ for b in ascii_]  # one at a time: the plain ASCII path too
    assert [normalise_many([t])[0] for t in pairs] == [normalise(t) for t in pairs]
    plain = ["VDI-001-0", "Acme B.V. Noord", "", "x y", "ABC"]
    assert normalise_many(plain) == [normalise(t) for t in plain] == ["vdi-001-0",
                                                                     "acme b.v. noord", "",
                                                                     "x y", "abc"]


def test_name_key_of_ascii_names_equals_the_full_rule():
    """ASCII names take a shortcut in name_key (letters and digits, lowered).

    Expected values: the full rule written out (mojibake undone, format characters removed,
    NFKC, casefolded, letters and digits kept) for every pair of ASCII characters.
    """
    import unicodedata

    from assessment.core.text import _unmojibake, name_key, strip_format

    def full(name):
        text = unicodedata.normalize("NFKC", strip_format(_unmojibake(name))).casefold()
        return "".join(c for c in text if c.isalnum())

    names = [f"{chr(a)} Acme-{chr(b)}" for a in range(128) for b in range(128)]
    assert [name_key(n) for n in names] == [full(n) for n in names]


def test_control_characters_are_named_removed_and_escaped():
    """A hostile name's terminal sequences: named, removed from names, escaped when printed.

    Expected by hand from the Unicode tables: ESC is U+001B and BEL U+0007; a CR LF inside a
    cell is one line break (one space); ``printable`` writes ESC as the four characters
    backslash, x, 1, b and keeps our own line breaks.
    """
    from assessment.core.text import control_characters, printable, strip_control

    name = "Delta\r\nMeettechniek\x1b]52;c;SGk=\x07\x1b[31m"
    assert control_characters(name) == ["U+000D CARRIAGE RETURN", "U+000A LINE FEED",
                                        "U+001B ESCAPE", "U+0007 BELL"]
    assert strip_control(name) == "Delta Meettechniek]52;c;SGk=[31m"
    assert printable(name) == "Delta\\x0d\nMeettechniek\\x1b]52;c;SGk=\\x07\\x1b[31m"
    assert printable("error: één\n  - twee\tdrie") == "error: één\n  - twee\tdrie"


@given(st.text())
def test_strip_control_and_printable_leave_no_control_character(text):
    """No control character survives ``strip_control``; only LF and tab survive ``printable``.

    For any text (hypothesis); what is a control character: Unicode category Cc, from
    Python's unicodedata, independent of the module's own pattern.
    """
    import unicodedata

    from assessment.core.text import printable, strip_control

    assert not any(unicodedata.category(c) == "Cc" for c in strip_control(text))
    assert all(unicodedata.category(c) != "Cc" or c in "\n\t" for c in printable(text))
