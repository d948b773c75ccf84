"""Feedback objects and reading a student's typed answer."""

from __future__ import annotations

import math

from assessment.teaching.feedback import Card, Feedback, is_blank, money, read_number, term


def test_feedback_html_is_escaped():
    """Text shown in a notebook is escaped (a student's answer may contain '<')."""
    html = Feedback("incorrect", "a <b>", ("x < y",))._repr_html_()
    assert "a &lt;b&gt;" in html and "x &lt; y" in html and "<script" not in html


def test_feedback_text_and_status():
    """As text: the message, then one line per detail; only 'correct' is correct."""
    fb = Feedback("incorrect", "Not yet.", ("one", "two"))
    assert str(fb) == "Not yet.\n- one\n- two"
    assert not fb.correct and Feedback("correct", "ok").correct


def test_card_shows_rows_and_choices():
    """A card lists the situations with their keys and the choices with theirs."""
    card = Card("Question?", (("a", "first"),), (("x", "an option"),), "note")
    assert str(card) == "Question?\n  a: first\n\n  x = an option\nnote"
    assert "<code>a</code>" in card._repr_html_()


def test_reading_numbers_as_typed():
    """Numbers as students type them: '+5', Dutch '5,5', '79.2%'; words are not numbers."""
    assert read_number("+5") == 5.0 and read_number("5,5") == 5.5
    assert read_number("79.2%") == 79.2 and read_number("vijf") is None
    assert is_blank(None) and is_blank(" ? ") and is_blank(math.nan) and not is_blank(0)


def test_money_and_terms():
    """Euros with thousands separators per language; English labels carry the Dutch term."""
    assert money(90000, "en") == "€90,000" and money(90000, "nl") == "€ 90.000"
    assert term({"en": "farewell", "nl": "afscheid"}, "en") == "farewell (afscheid)"
    assert term({"en": "Sales 1.0", "nl": "Sales 1.0"}, "en") == "Sales 1.0"
