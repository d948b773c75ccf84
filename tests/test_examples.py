"""The bundled example data does what ``data/catalog.csv`` says it does.

The catalogue is the generator's declared intent (``data/examples/generate_examples.py``):
which stage each interface should reach, which value-discipline profile each organisation
should get, and which deliberate problems the messy Forms export holds. These tests read the
committed files with the package and compare.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from assessment.analysis.stats import cohort_icc, describe_scores, uninterpretable_reason
from assessment.analysis.waves import wave_changes
from assessment.core.config import PROJECT_ROOT
from assessment.core.ingest import read_responses
from assessment.core.instruments import load_instrument
from assessment.core.scoring import score_respondents, score_responses

DATA = PROJECT_ROOT / "data"
CATALOG = DATA / "catalog.csv"
GENERATOR = DATA / "examples" / "generate_examples.py"
RESPONSES = DATA / "examples" / "responses.csv"
MESSY = DATA / "examples" / "messy_forms_export.csv"
WAVES = DATA / "examples" / "waves.csv"
OUTPUTS = ("catalog.csv", "examples/responses.csv", "examples/messy_forms_export.csv",
           "examples/waves.csv")


@pytest.fixture(scope="module")
def instruments():
    return [load_instrument("alignment"), load_instrument("value_disciplines"),
            load_instrument("customer_loyalty")]


@pytest.fixture(scope="module")
def catalog() -> pd.DataFrame:
    table = pd.read_csv(CATALOG, dtype=str, keep_default_na=False)
    table["path"] = [CATALOG.parent / f for f in table["file"]]
    return table


@pytest.fixture(scope="module")
def responses(instruments):
    return {path: read_responses(path, instruments) for path in (RESPONSES, MESSY, WAVES)}


@pytest.fixture(scope="module")
def scores(responses, instruments):
    return {path: score_responses(r.data, instruments) for path, r in responses.items()}


def _org_scores(scores, entry) -> pd.DataFrame:
    table = scores[Path(entry["path"])]
    return table[(table["organisation"] == entry["organisation"])
                 & (table["wave"] == entry["wave"])]


def _missing_as_none(value):
    return None if value is None or (not isinstance(value, str | bool) and pd.isna(value)) else value


def test_catalog_covers_every_file(catalog):
    """data/catalog.csv, the generator's declared intent, lists the three example files."""
    assert set(catalog["path"]) == {RESPONSES, MESSY, WAVES}
    assert not catalog.duplicated(["file", "organisation", "wave"]).any()


def test_responses_file_is_clean(responses, catalog):
    """Expected: no problems, 10 organisations of 6–25 respondents, counts as in data/catalog.csv.

    Expected values come from data/catalog.csv, the generator's declared intent.
    """
    r = responses[RESPONSES]
    assert r.problems == []
    assert r.rejected.empty
    assert r.rows_in == len(r.data)
    sizes = r.data.groupby("organisation").size()
    assert len(sizes) == 10
    assert sizes.between(6, 25).all(), sizes.to_dict()
    intended = catalog[catalog["path"] == RESPONSES].set_index("organisation")["respondents"]
    assert sizes.to_dict() == intended.astype(int).to_dict()
    assert set(r.data["department"]) <= {"marketing", "sales", "service", "management", "other"}
    assert set(r.data["language"]) == {"nl", "en"}
    assert (r.data["wave"] == "").all()
    assert [i.id for i in r.instruments] == ["alignment", "value_disciplines",
                                             "customer_loyalty"]


def test_blank_answers_are_about_three_percent(responses, instruments):
    """The generator's declared intent (module docstring): about 3% blank answers overall.

    One organisation (Orion Print & Media) leaves about 12% blank on purpose.
    """
    data = responses[RESPONSES].data
    items = [i.id for inst in instruments for i in inst.scored_items if i.id in data]
    share = data[items].isna().to_numpy().mean()
    assert 0.015 < share < 0.045, share


def test_scored_stages_equal_intended_stages(catalog, scores, instruments):
    """Scored stage per interface equals ``intended_stage``.

    Expected values come from data/catalog.csv, the generator's declared intent.
    """
    codes = {i.code: i.id for i in instruments[0].interfaces}
    differ = []
    for _, entry in catalog.iterrows():
        mine = _org_scores(scores, entry)
        for part in entry["intended_stage"].split(";"):
            code, intended = part.split("=")
            row = mine[(mine["level"] == "interface") & (mine["interface"] == codes[code])]
            scored = row["stage"].iloc[0] if len(row) == 1 else None
            if scored != intended:
                differ.append((entry["organisation"], code, intended, scored))
    assert differ == []


def test_scored_profiles_equal_intended_profiles(catalog, scores):
    """Scored profile, leader and declared choice equal the catalogue's.

    Expected values come from data/catalog.csv, the generator's declared intent
    (``declared`` = ``none`` means no declared choice, scored as None).
    """
    differ = []
    for _, entry in catalog.iterrows():
        vd = _org_scores(scores, entry)
        vd = vd[vd["level"] == "discipline"]
        assert len(vd) == 3, entry["organisation"]
        got = (vd["profile"].iloc[0], _missing_as_none(vd["leader"].iloc[0]),
               _missing_as_none(vd["declared"].iloc[0]))
        want = (entry["intended_profile"], entry["intended_leader"] or None,
                None if entry["declared"] == "none" else entry["declared"])
        if got != want:
            differ.append((entry["organisation"], want, got))
    assert differ == []
    kinds = set(catalog["intended_profile"])
    assert kinds == {"leader", "leader_weak_spot", "stuck_in_the_middle", "below_threshold"}


def test_every_stage_and_leader_is_represented(catalog, instruments):
    """data/catalog.csv, the generator's declared intent: each stage and each leader occurs."""
    clean = catalog[catalog["path"] == RESPONSES]
    uniform = {e.split(";")[0].split("=")[1] for e in clean["intended_stage"]
               if len({p.split("=")[1] for p in e.split(";")}) == 1}
    assert uniform == {lv.id for lv in instruments[0].levels}
    leaders = set(clean.loc[clean["intended_profile"] == "leader", "intended_leader"])
    assert leaders == {d.id for d in instruments[1].dimensions}
    assert "weak_sales_service" in set(clean["alignment_pattern"])


def test_incoherent_organisation_is_incoherent(catalog, scores):
    """The organisation declaring one discipline and practising another scores as incoherent.

    Expected values come from data/catalog.csv, the generator's declared intent: the row
    whose ``declared`` differs from its ``intended_leader``.
    """
    incoherent = catalog[(catalog["intended_leader"] != "") & (catalog["declared"] != "none")
                         & (catalog["declared"] != catalog["intended_leader"])]
    assert len(incoherent) == 1
    entry = incoherent.iloc[0]
    vd = _org_scores(scores, entry)
    vd = vd[vd["level"] == "discipline"]
    assert vd["declared"].iloc[0] == entry["declared"]
    assert vd["leader"].iloc[0] == entry["intended_leader"]
    coherent = _missing_as_none(vd["coherent"].iloc[0])
    assert coherent is not None and not bool(coherent)
    coherent = catalog[(catalog["intended_leader"] != "")
                       & (catalog["declared"] == catalog["intended_leader"])]
    for _, other in coherent.iterrows():
        row = _org_scores(scores, other)
        assert bool(row.loc[row["level"] == "discipline", "coherent"].iloc[0]) is True


def test_messy_export_reads_as_a_dutch_forms_export(responses, instruments):
    """The messy file is cp1252 and semicolon-separated, with Dutch question texts as headers.

    Expected values come from data/catalog.csv, the generator's declared intent (and its
    module docstring, which describes the file's format).
    """
    raw = MESSY.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    header = raw.decode("cp1252").splitlines()[0]
    assert header.startswith("Id;Start time;Completion time;Email;Name;Organisatie;Afdeling;")
    r = responses[MESSY]
    items = [i for inst in instruments[:2] for i in inst.items]
    assert r.columns == {i.id: i.text.nl for i in items}
    assert "respondent_id" not in header
    assert set(r.data["department"]) == {"marketing", "sales", "service", "management"}
    assert r.rows_in == len(r.data) + len(r.rejected)


def test_messy_export_reports_exactly_the_deliberate_problems(responses, catalog):
    """The validator reports exactly the three deliberate problems, each with row and column.

    Expected values come from data/catalog.csv, the generator's declared intent: the notes of
    the messy file's rows name each problem as ``row N, column "HEADER": ...``.
    """
    notes = " ".join(catalog.loc[catalog["path"] == MESSY, "notes"])
    intended = sorted((int(row), column)
                      for row, column in re.findall(r'row (\d+), column "([^"]+)"', notes))
    assert len(intended) == 3
    problems = responses[MESSY].problems
    assert sorted((p.row, p.column) for p in problems) == intended
    by_column = {p.column: p for p in problems}
    assert "'7' is not an answer" in next(
        p.message for p in problems if p.column not in ("Id", "Organisatie"))
    assert "duplicate respondent" in by_column["Id"].message
    assert "no organisation given" in by_column["Organisatie"].message
    rejected = responses[MESSY].rejected
    assert sorted(rejected["row"]) == sorted(p.row for p in problems
                                             if p.column in ("Id", "Organisatie"))


def _generate(out_dir: Path) -> None:
    result = subprocess.run([sys.executable, str(GENERATOR), "--out-dir", str(out_dir)],
                            cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


@pytest.fixture(scope="module")
def generated_twice(tmp_path_factory) -> tuple[Path, Path]:
    first, second = tmp_path_factory.mktemp("first"), tmp_path_factory.mktemp("second")
    _generate(first)
    _generate(second)
    return first, second


def test_generator_is_reproducible(generated_twice):
    """Running the seeded generator twice gives byte-identical files.

    The generator's declared intent (data/catalog.csv and its module docstring): seeded
    with ``default_rng(20261123)``, so every run writes the same bytes.
    """
    first, second = generated_twice
    for name in OUTPUTS:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_committed_files_are_what_the_generator_makes(generated_twice):
    """The committed data/ files equal a fresh run (rerun the generator after changing it).

    Expected values are the committed data/catalog.csv and data/examples/*.csv, the
    generator's declared intent.
    """
    first, _ = generated_twice
    for name in OUTPUTS:
        assert (first / name).read_bytes() == (DATA / name).read_bytes(), (
            f"{name} is out of date: run python data/examples/generate_examples.py")


def test_nps_answers_in_the_clean_file(responses, instruments):
    """The clean file answers the customer-loyalty instrument: whole 0–10 recommendation scores.

    The generator's declared intent (module docstring): every organisation answers the nps
    item; about a third of the respondents write a comment in the text item.
    """
    data = responses[RESPONSES].data
    loyalty = instruments[2]
    nps_id = next(i.id for i in loyalty.items if i.type == "nps")
    text_id = next(i.id for i in loyalty.items if i.type == "text")
    answers = data[nps_id].dropna()
    assert answers.between(0, 10).all() and (answers == answers.round()).all()
    assert data.groupby("organisation")[nps_id].count().min() >= 5
    share = data[text_id].notna().mean()
    assert 0.2 < share < 0.5, share


def test_waves_file_has_two_waves_of_three_organisations(responses, catalog):
    """waves.csv: three organisations in 2026-Q1 and 2026-Q3, counts as in data/catalog.csv.

    Expected values come from data/catalog.csv, the generator's declared intent.
    """
    r = responses[WAVES]
    assert r.problems == [] and r.rejected.empty
    sizes = r.data.groupby(["organisation", "wave"]).size()
    intended = catalog[catalog["path"] == WAVES].set_index(["organisation", "wave"])
    assert sizes.to_dict() == intended["respondents"].astype(int).to_dict()
    assert sorted(set(r.data["wave"])) == ["2026-Q1", "2026-Q3"]
    assert r.data["organisation"].nunique() == 3


def test_intended_wave_changes_exceed_their_uncertainty(responses, catalog, instruments):
    """An interface whose intended stage changes between waves changes significantly, that way.

    Expected values come from data/catalog.csv, the generator's declared intent: the
    ``intended_stage`` of each organisation's 2026-Q1 and 2026-Q3 rows.
    """
    alignment = instruments[0]
    levels = [lv.id for lv in alignment.levels]
    codes = {i.code: i.id for i in alignment.interfaces}
    changes = wave_changes(score_respondents(responses[WAVES].data, alignment))
    changes = changes[changes["level"] == "interface"].set_index(["organisation", "interface"])
    rows = catalog[catalog["path"] == WAVES]
    moved = 0
    for org, entries in rows.groupby("organisation"):
        stages = [dict(p.split("=") for p in e.split(";")) for e in entries["intended_stage"]]
        for code, iface in codes.items():
            step = levels.index(stages[1][code]) - levels.index(stages[0][code])
            if step:
                moved += 1
                row = changes.loc[(org, iface)]
                assert bool(row["delta_significant"]) and (row["delta"] > 0) == (step > 0), (
                    org, code)
    assert moved == 3


@pytest.fixture(scope="module")
def dimension_figures(responses, instruments):
    """Per instrument: the dimension cells of responses.csv (describe_scores) and their ICCs."""
    data = responses[RESPONSES].data
    out = {}
    for inst in instruments:
        scored = score_respondents(data, inst)
        cells = describe_scores(scored, bootstrap=False)
        iccs = cohort_icc(scored)
        keep = ["dimension", "discipline"]
        out[inst.id] = (cells[cells["level"].isin(keep)], iccs[iccs["level"].isin(keep)])
    return out


def test_reliability_figures_are_in_published_ranges(dimension_figures):
    """The examples' trust figures look like those of real organisational surveys.

    Published ranges: ICC(1) of organisational survey scales typically 0.05–0.30 (Bliese
    2000, "Within-group agreement, non-independence, and reliability"; LeBreton & Senter
    2008, "Answers to 20 questions about interrater reliability and interrater agreement",
    who call 0.25 a large effect); r_wg(J) of 0.51–0.70 moderate and 0.71–0.90 strong
    agreement (LeBreton & Senter 2008, table 3); reliability of short scales 0.6–0.85
    (Nunnally & Bernstein 1994; for two items the Spearman–Brown coefficient, Eisinga, te
    Grotenhuis & Pelzer 2013). The catalogue spreads ten organisations over all four stages,
    more than one real file's organisations differ, so the alignment ICC(1) sits at the upper
    end: the median per instrument must be in 0.05–0.32 and no dimension above 0.50.
    """
    for inst, (cells, iccs) in dimension_figures.items():
        icc1 = iccs["icc1"].dropna()
        assert 0.05 <= icc1.median() <= 0.32, (inst, icc1.median())
        assert icc1.between(0.05, 0.50).all(), (inst, icc1.min(), icc1.max())
        rel = cells["alpha"].dropna()
        assert len(rel) >= 10, inst
        assert 0.6 <= rel.median() <= 0.85, (inst, rel.median())
        assert (rel >= 0.5).mean() >= 2 / 3, (inst, (rel >= 0.5).mean())
        rwg = cells["rwg"].dropna()
        assert 0.6 <= rwg.median() <= 0.9, (inst, rwg.median())
        assert rwg.between(0.6, 0.9).mean() >= 0.6, (inst, rwg.between(0.6, 0.9).mean())


def test_two_item_dimensions_report_spearman_brown(dimension_figures, instruments):
    """Two-item dimensions carry the Spearman–Brown coefficient, longer ones Cronbach's α."""
    for inst in instruments:
        cells, _ = dimension_figures[inst.id]
        given = cells[cells["alpha"].notna()]
        for _, row in given.iterrows():
            n_items = sum(1 for i in inst.scored_items if i.dimension == row["dimension"]
                          and i.interface == (row["interface"] or None) and i.type != "nps")
            want = "spearman_brown" if n_items == 2 else "cronbach_alpha"
            assert row["reliability_coefficient"] == want, (inst.id, row["dimension"], n_items)


def test_deliberate_exceptions_in_the_reliability_figures(dimension_figures, responses, catalog):
    """The catalogue's exceptions show: a divided organisation, a tiny one, one with many blanks.

    Bakkerij Verhoeven Groep is divided on Sales-Service (lowest agreement of any organisation
    and interface), Lindeboom Accountants (6 respondents) is too small for a reliability, and
    Orion Print & Media leaves so many answers blank that some dimensions get none.
    """
    notes = catalog.set_index("organisation")["notes"]
    assert "divided organisation" in notes["Bakkerij Verhoeven Groep"]
    assert "Many blank answers" in notes["Orion Print & Media"]
    cells, _ = dimension_figures["alignment"]
    by = cells.groupby(["organisation", "interface"])["rwg"].median()
    assert by.idxmin() == ("Bakkerij Verhoeven Groep", "sales_service")
    assert by.min() < 0.5
    assert cells.loc[cells["organisation"] == "Lindeboom Accountants", "alpha"].isna().all()
    orion = cells[cells["organisation"] == "Orion Print & Media"]
    assert orion["alpha"].isna().any() and orion["alpha"].notna().any()
    data = responses[RESPONSES].data
    items = [c for c in data.columns if c.startswith(("MS-", "SS-", "MV-", "VD-"))]
    blank = data[items].isna().groupby(data["organisation"]).mean().mean(axis=1)
    assert blank["Orion Print & Media"] > 0.08
    assert blank.drop("Orion Print & Media").max() < 0.06


def test_a_negative_reliability_comes_with_close_agreement(dimension_figures, catalog):
    """Kempen Kantoorinrichting's catalogue note: α is negative on product leadership.

    Its staff agree closely there, so the report shows 'not interpretable here: little
    variance'.
    """
    assert "alpha there is negative" in catalog.set_index("organisation")["notes"][
        "Kempen Kantoorinrichting"]
    cells, _ = dimension_figures["value_disciplines"]
    row = cells[(cells["organisation"] == "Kempen Kantoorinrichting")
                & (cells["dimension"] == "product_leadership")].iloc[0]
    assert row["alpha"] < 0
    assert uninterpretable_reason(row["alpha"], row["rwg"]) == "little_variance"
