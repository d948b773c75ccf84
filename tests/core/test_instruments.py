"""Instrument files: the bundled ones are complete; broken ones get messages naming file and item."""

from __future__ import annotations

import copy

import pytest
import yaml

from assessment.core.config import INSTRUMENT_DIR
from assessment.core.exceptions import InstrumentError
from assessment.core.instruments import (
    LANGUAGES,
    instrument_table,
    list_instruments,
    load_instrument,
    parse_instrument,
)


@pytest.fixture(scope="module")
def raw_alignment():
    return yaml.safe_load((INSTRUMENT_DIR / "alignment.yaml").read_text(encoding="utf-8"))


def test_alignment_shape(alignment):
    """Issue 2: three interfaces × seven dimensions × at least two stages4 items, four options each."""
    assert [i.id for i in alignment.interfaces] == [
        "marketing_sales",
        "sales_service",
        "marketing_service",
    ]
    assert len(alignment.dimensions) == 7
    for iface in alignment.interfaces:
        for dim in alignment.dimensions:
            items = [
                i for i in alignment.items if i.interface == iface.id and i.dimension == dim.id
            ]
            assert len(items) >= 2, (iface.id, dim.id)
            assert all(i.type == "stages4" and len(i.options) == 4 for i in items)


def test_alignment_recommendations_cover_every_step(alignment):
    """INSTRUMENT-GUIDE "Recommendations": every interface × dimension × step, 2–4 actions.

    3 interfaces × 7 dimensions × 3 steps (undefined→defined, defined→aligned,
    aligned→integrated) = 63, each once, with a why and a source in reference keys.
    """
    levels = [lv.id for lv in alignment.levels]
    for iface in alignment.interfaces:
        for dim in alignment.dimensions:
            for lo, hi in zip(levels, levels[1:], strict=False):
                rec = alignment.recommendation(iface.id, dim.id, lo)
                assert rec is not None and rec.to == hi, (iface.id, dim.id, lo)
                assert rec.interface == iface.id
                assert 2 <= len(rec.actions) <= 4
                assert rec.why.nl and rec.why.en
    assert len(alignment.recommendations) == 3 * 7 * 3


#: reference keys agreed for `source:` fields (issue 11, point 6)
REFERENCE_KEYS = {"kotler2006", "treacy1993", "treacy1995", "porter1980", "heskett1994",
                  "reichheld1990", "reichheld2003", "lemeunier",
                  "art000", "art001", "art002", "art003", "art004"}


def test_recommendation_sources_are_reference_keys(alignment):
    """Issue 11 point 6: sources are reference keys ("kotler2006; art001"), never "seed 001"."""
    for rec in alignment.recommendations:
        keys = [k.strip() for k in rec.source.split(";")]
        assert keys and set(keys) <= REFERENCE_KEYS, (rec.interface, rec.dimension, rec.source)


#: words that name a department, Dutch and English, as the advice writes them
DEPARTMENT_WORDS = {
    "marketing": r"marketing|marketeer|marketer",
    "sales": r"\bsales|verkoop|verkoper|accountmanager|account manager|salespe",
    "service": r"service|helpdesk|monteur|field engineer",
}
#: the departments of each interface (the instrument's interface ids)
INTERFACE_DEPARTMENTS = {
    "marketing_sales": {"marketing", "sales"},
    "sales_service": {"sales", "service"},
    "marketing_service": {"marketing", "service"},
}


def test_advice_names_only_its_interfaces_departments(alignment):
    """Issue 11 point 1: advice for an interface names only that interface's departments.

    The actions and the why, Dutch and English, are searched for the department words
    of the third department (e.g. no "service", "servicedesk" or "klantenservice" in
    marketing–sales advice; no "sales", "verkoop" or "accountmanager" in marketing–service
    advice), and must name at least one of the interface's own. A caveat may report
    research on marketing and sales (Le Meunier-FitzHugh & Massey) and is not searched.
    """
    import re

    assert {i.id for i in alignment.interfaces} == set(INTERFACE_DEPARTMENTS)
    for rec in alignment.recommendations:
        own = INTERFACE_DEPARTMENTS[rec.interface]
        for lang in LANGUAGES:
            texts = [a.get(lang) for a in rec.actions] + [rec.why.get(lang)]
            joined = " ".join(texts).lower()
            where = (rec.interface, rec.dimension, rec.from_, lang)
            for dept, pattern in DEPARTMENT_WORDS.items():
                if dept not in own:
                    found = re.findall(pattern, joined)
                    assert not found, (*where, found)
            assert any(re.search(DEPARTMENT_WORDS[d], joined) for d in own), where


def test_department_words_are_caught():
    """The check above can fail: the old shared advice named service in marketing–sales text."""
    import re

    old = "have service log complaints in the same crm system that sales uses"
    assert re.search(DEPARTMENT_WORDS["service"], old)
    assert re.search(DEPARTMENT_WORDS["sales"], "laat de accountmanager nagaan")
    assert re.search(DEPARTMENT_WORDS["sales"], "het verkoopproces")
    assert not re.search(DEPARTMENT_WORDS["sales"], "wholesale prices")


def test_defined_stage_advice_is_reflective(alignment):
    """Issue 11 point 2 (seed 001, INSTRUMENT-GUIDE): Defined means reflective meetings.

    The communication step undefined→defined asks "what do we expect of one another?" on
    every interface; the defined→aligned step ("Draai de agenda om") no longer treats the
    Defined meeting as a look back at last month's figures; a shared definition of a lead
    belongs to the step to Defined (marketing–sales processes and systems).
    """
    for iface in alignment.interfaces:
        first = alignment.recommendation(iface.id, "communication", "undefined")
        text = " ".join(a.en for a in first.actions)
        assert "what do we expect of one another?" in text
        assert "wat verwachten we van elkaar?" in " ".join(a.nl for a in first.actions)
        turn = alignment.recommendation(iface.id, "communication", "defined")
        assert turn.actions[0].nl.startswith("Draai de agenda om")
        assert "figures" not in turn.actions[0].en and "cijfers" not in turn.actions[0].nl
    for dim in ("processes", "systems"):
        rec = alignment.recommendation("marketing_sales", dim, "undefined")
        assert "definition of a lead" in " ".join(a.en for a in rec.actions)
    aligned = alignment.recommendation("marketing_sales", "systems", "defined")
    assert "definition" not in " ".join(a.en for a in aligned.actions)


def test_co_location_and_joint_training_carry_a_caveat(alignment):
    """DESIGN 6: co-location and joint training did not help (Le Meunier-FitzHugh & Massey 2019)."""
    flagged = 0
    for rec in alignment.recommendations:
        text = " ".join(a.en.lower() for a in rec.actions)
        words = ("co-locat", "same floor", "shared workspace", "joint training", "training")
        if any(word in text for word in words):
            assert rec.caveat is not None, (rec.dimension, rec.from_)
            assert "Le Meunier-FitzHugh" in rec.caveat.en
            flagged += 1
    assert flagged >= 1


def test_value_disciplines_shape(disciplines):
    """Issue 2: at least five likert5 items per discipline, some reverse-keyed, one choice item, T/E/M."""
    for dim in disciplines.dimensions:
        items = [i for i in disciplines.scored_items if i.dimension == dim.id]
        assert len(items) >= 5
        assert any(i.reverse for i in items)
        assert all(i.type == "likert5" for i in items)
    assert [i.type for i in disciplines.items].count("choice") == 1
    p = disciplines.profile
    assert (p.threshold, p.excellence, p.lead_margin) == (50, 75, 10)


def test_every_string_in_both_languages():
    """Every text of every bundled instrument has a non-empty nl and en (the schema enforces it)."""
    for inst in list_instruments():
        for item in inst.items:
            for lang in LANGUAGES:
                assert item.text.get(lang).strip()
                assert all(o.get(lang).strip() for o in item.options)


def test_instrument_table():
    """`assess instruments` lists id, version, item count and languages."""
    table = instrument_table(list_instruments())
    assert list(table["id"]) == ["alignment", "customer_loyalty", "value_disciplines"]
    assert set(table.columns) >= {"id", "version", "items", "languages"}


def _broken(raw, mutate):
    data = copy.deepcopy(raw)
    mutate(data)
    with pytest.raises(InstrumentError) as info:
        parse_instrument(data, "broken.yaml")
    return str(info.value)


def test_missing_language_is_named(raw_alignment):
    """A text without English names the item and the missing field."""

    def mutate(d):
        del d["items"][0]["text"]["en"]

    msg = _broken(raw_alignment, mutate)
    assert "broken.yaml" in msg and "items[0] (MS-roles-1).text.en" in msg


def test_three_options_on_a_stages4_item(raw_alignment):
    """A stages4 item needs exactly four options."""
    msg = _broken(raw_alignment, lambda d: d["items"][1]["options"].pop())
    assert "item MS-roles-2: a stages4 item needs exactly 4 options, found 3" in msg


def test_duplicate_item_id_and_unknown_dimension(raw_alignment):
    """Duplicate ids and dangling dimensions are both reported, at once."""

    def mutate(d):
        d["items"][1]["id"] = d["items"][0]["id"]
        d["items"][2]["dimension"] = "astrology"

    msg = _broken(raw_alignment, mutate)
    assert "item ids are not unique: MS-roles-1" in msg
    assert "dimension 'astrology' is not one of" in msg


def test_band_gap(raw_alignment):
    """Bands must cover the scale without gaps."""

    def mutate(d):
        d["bands"][1]["upper"] = 2.4

    assert "gap between defined and aligned" in _broken(raw_alignment, mutate)


def test_missing_recommendation(raw_alignment):
    """Every interface × dimension × step needs a recommendation."""

    def mutate(d):
        d["recommendations"] = [
            r
            for r in d["recommendations"]
            if not (r["interface"] == "sales_service" and r["dimension"] == "roles"
                    and r["from"] == "defined")
        ]

    msg = _broken(raw_alignment, mutate)
    assert "missing for interface sales_service x dimension roles, step defined -> aligned" in msg
    assert "marketing_sales x dimension roles" not in msg


def test_recommendation_interface_unknown_missing_or_twice(raw_alignment):
    """A recommendation with an unknown or no interface, or given twice, is named."""

    def mutate(d):
        d["recommendations"][0]["interface"] = "finance_sales"
        del d["recommendations"][1]["interface"]
        d["recommendations"].append(copy.deepcopy(d["recommendations"][2]))

    msg = _broken(raw_alignment, mutate)
    assert "interface 'finance_sales' is not one of" in msg
    assert "interface None is not one of" in msg
    assert "more than one for interface marketing_sales x dimension roles from aligned" in msg


def test_too_few_items_per_cell(raw_alignment):
    """Every interface × dimension needs at least two items."""

    def mutate(d):
        d["items"] = [i for i in d["items"] if i["id"] != "SS-goals-2"]

    assert "interface sales_service x dimension goals: needs at least 2 items, has 1" in _broken(
        raw_alignment, mutate
    )


def test_unknown_instrument_lists_bundled():
    """Asking for an instrument that does not exist lists the ones that do."""
    with pytest.raises(
        InstrumentError,
        match="bundled instruments: alignment, customer_loyalty, value_disciplines",
    ):
        load_instrument("astrology")


def test_invalid_yaml(tmp_path):
    """A file that is not YAML is named."""
    path = tmp_path / "bad.yaml"
    path.write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(InstrumentError, match="not valid YAML"):
        load_instrument(path)


@pytest.fixture(scope="module")
def raw_loyalty():
    return yaml.safe_load((INSTRUMENT_DIR / "customer_loyalty.yaml").read_text(encoding="utf-8"))


def test_customer_loyalty_shape():
    """Issue 4 (seeds 000, 003): likert5 links of the Service-Profit Chain, one nps item, one comment.

    Each link has at least two agreement items (so agreement and α can be computed); the nps
    item is answered 0–10 and is not averaged into its dimension.
    """
    inst = load_instrument("customer_loyalty")
    assert inst.scale.type == "likert5" and inst.profile is None
    assert [i.type for i in inst.items].count("nps") == 1
    assert [i.type for i in inst.items].count("text") == 1
    nps_item = next(i for i in inst.items if i.type == "nps")
    assert nps_item.range == (0, 10)
    for dim in inst.dimensions:
        likert = [i for i in inst.scored_items if i.dimension == dim.id and i.type == "likert5"]
        assert len(likert) >= 2, dim.id


def test_nps_item_takes_no_options_or_reverse(raw_loyalty):
    """An nps item is a 0–10 question: options and reverse keying are refused, by item id."""

    def mutate(d):
        item = next(i for i in d["items"] if i["type"] == "nps")
        item["reverse"] = True
        item["options"] = [{"nl": "ja", "en": "yes"}]

    msg = _broken(raw_loyalty, mutate)
    assert "item LOY-nps: an nps item is answered 0–10 and takes no options" in msg
    assert "item LOY-nps: an nps item cannot be reverse-keyed" in msg


def test_nps_item_needs_no_dimension_but_a_known_one(raw_loyalty):
    """The nps item's dimension is optional; when given it must exist."""

    def drop(d):
        del next(i for i in d["items"] if i["type"] == "nps")["dimension"]

    data = copy.deepcopy(raw_loyalty)
    drop(data)
    assert parse_instrument(data, "ok.yaml").item("LOY-nps").dimension is None

    def unknown(d):
        next(i for i in d["items"] if i["type"] == "nps")["dimension"] = "astrology"

    assert "item LOY-nps: dimension 'astrology' is not one of" in _broken(raw_loyalty, unknown)


def test_dimension_without_interfaces_needs_two_items(raw_loyalty):
    """Without interfaces, every dimension needs two scored items (the nps item does not count)."""

    def mutate(d):
        d["items"] = [i for i in d["items"] if i["id"] != "LOY-cl-2"]

    msg = _broken(raw_loyalty, mutate)
    assert "dimension customer_loyalty: needs at least 2 scored items" in msg


# --- issue 11: don't know, former wordings, item wording (INSTRUMENT-GUIDE) ------------------

#: words that make an option a negation when it opens with them (nl and en)
NEGATIONS = ("geen", "niet", "niets", "nooit", "no", "not", "none", "nothing", "never", "there is no")


def test_every_stages4_and_likert5_item_offers_dont_know():
    """Issue 11.7: each bundled instrument with such items has a don't-know text in both languages."""
    for inst in list_instruments():
        items = [i for i in inst.items if i.type in ("stages4", "likert5")]
        assert items and all(i.offers_dont_know for i in items)
        assert inst.scale.dont_know.nl == "Weet ik niet / niet van toepassing"
        assert inst.scale.dont_know.en == "Don't know / not applicable"
        assert not any(i.offers_dont_know for i in inst.items if i not in items)


def test_versions_bumped_for_the_rewritten_items():
    """Issue 11: items changed, so every bundled instrument is at 1.1.0 (was 1.0.0 at deaf509)."""
    assert {i.id: i.version for i in list_instruments()} == {
        "alignment": "1.1.0", "customer_loyalty": "1.1.0", "value_disciplines": "1.1.0"}


def test_no_top_option_opens_with_a_negation(alignment):
    """INSTRUMENT-GUIDE: no Integrated option that opens with a negation (an Undefined firm could pick it).

    "Opens" = its first clause (up to ';' or ':'), in either language.
    """
    for item in alignment.scored_items:
        top = item.options[-1]
        for lang in ("nl", "en"):
            first = top.get(lang).split(";")[0].split(":")[0].casefold()
            words = first.replace(",", " ").split()
            assert not any(w in NEGATIONS for w in words[:6]), (item.id, lang, first)


def test_listed_items_were_rewritten(alignment):
    """Issue 11.2 and 11.8: each listed option (or question) has new wording and keeps the old as former.

    The list is the issue's; "former" is the version-1.0.0 wording, which must still be read.
    """
    rewritten = {
        "MS-communication-1": [2, 4], "SS-communication-1": [2], "MS-processes-2": [2, 3, 4],
        "MS-knowledge-1": [4], "MS-goals-2": [1, 2, 3, 4], "SS-culture-2": [4],
        "MV-goals-1": [4], "MV-culture-2": [4], "SS-communication-2": [3, 4],
        "SS-knowledge-1": [1, 2, 3, 4], "MV-knowledge-1": [1, 4], "SS-goals-2": [1, 2, 3, 4],
        "MS-culture-2": [1, 2, 3, 4], "MV-communication-2": [2],
    }
    for item_id, options in rewritten.items():
        item = alignment.item(item_id)
        for k in options:
            assert item.options[k - 1].former, (item_id, k)
    new_questions = ("MS-goals-2", "SS-goals-2", "MS-culture-2", "SS-knowledge-1",
                     "MV-knowledge-1")
    assert all(alignment.item(i).former for i in new_questions)
    # the near-duplicates now ask different things
    assert alignment.item("SS-knowledge-1").text.nl != alignment.item("MV-knowledge-1").text.nl
    assert "budget" not in alignment.item("MS-culture-2").options[-1].nl.casefold()


def test_defined_is_reflective_not_a_review_of_figures(alignment):
    """Issue 11.2: the Defined option of the communication items is about mutual expectations.

    Seed 001 (Kotler, Rackham & Krishnaswamy): Defined meetings are reflective ("what do we
    expect of one another?"), not reviews of past figures; a shared lead definition is Defined.
    """
    for item_id in ("MS-communication-1", "SS-communication-1", "MV-communication-2"):
        defined = alignment.item(item_id).options[1]
        assert "verwacht" in defined.nl and "expect" in defined.en, item_id
        assert "cijfers" not in defined.nl and "figures" not in defined.en, item_id
    lead = alignment.item("MS-processes-2")
    assert "wat een lead is" in lead.options[1].nl and "counts as a lead" in lead.options[1].en
    assert "wat een goede lead is" not in lead.options[2].nl


def test_goals_items_fit_organisations_without_variable_pay(alignment):
    """Issue 11.8: items on rewards ask about how people are judged (appraisal or any bonus).

    In the Netherlands many firms pay no bonus; an item whose every option names a bonus has
    no answer for them.
    """
    for item in alignment.scored_items:
        if item.dimension != "goals":
            continue
        texts = [item.text.nl, *(o.nl for o in item.options)]
        assert not all("bonus" in t.casefold() for t in texts[1:]), item.id
        if any("bonus" in t.casefold() for t in texts):
            assert "eventuele bonus" in item.text.nl, item.id


def test_rewritten_likert_items(alignment):
    """Issue 11.4 and 11.8: LOY-nps asks about us as a supplier; LOY-es-1, VD-oe-5 and VD-oe-6 changed."""
    loyalty, vd = load_instrument("customer_loyalty"), load_instrument("value_disciplines")
    nps = loyalty.item("LOY-nps")
    assert "als leverancier" in nps.text.nl and "as a supplier" in nps.text.en
    assert " en " not in loyalty.item("LOY-es-1").text.nl
    assert "prijs" not in vd.item("VD-oe-5").text.nl and "price" not in vd.item("VD-oe-5").text.en
    assert "persoonlijk contact" not in vd.item("VD-oe-6").text.nl
    for item in (nps, loyalty.item("LOY-es-1"), vd.item("VD-oe-5"), vd.item("VD-oe-6")):
        assert item.former, item.id
    # the keying stays, so that answers to the former wording score the same
    assert vd.item("VD-oe-5").reverse and vd.item("VD-oe-6").reverse


def test_former_option_that_reads_like_another_option_is_refused(raw_alignment):
    """A former wording equal to another option of the item would be read two ways: refused."""

    def mutate(d):
        opts = d["items"][0]["options"]
        opts[3]["former"] = [{"nl": opts[0]["nl"], "en": "something else"}]

    msg = _broken(raw_alignment, mutate)
    assert "item MS-roles-1: option 4 (nl) reads like option 1" in msg


def test_former_question_of_another_item_is_refused(raw_alignment):
    """A former question text that is another item's question would match two columns: refused."""

    def mutate(d):
        d["items"][0]["former"] = [dict(d["items"][1]["text"])]

    msg = _broken(raw_alignment, mutate)
    assert "item MS-roles-1: former text (nl) is the question of MS-roles-2" in msg


def test_scale_without_dont_know_is_refused(raw_alignment):
    """Issue 11.7: a stages4 instrument must say its don't-know text."""
    msg = _broken(raw_alignment, lambda d: d["scale"].pop("dont_know"))
    assert "scale: needs dont_know" in msg
