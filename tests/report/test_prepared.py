"""Prepared report data (batch): one organisation's rows plus the cohort's figures, no one else's.

Covers :mod:`assessment.report.prepared`, the cohort context of :mod:`assessment.analysis.whole_file`
(``CohortContext``, ``organisation_context``, ``cohort_contexts``,
``analyse_organisation(..., context=...)``), ``Responses.restricted_to`` and
``load_report_data(..., prepared=...)``. The reference throughout is the report as it was
computed before the batch prepared anything: from the whole responses file.
"""

from __future__ import annotations

import dataclasses
import pickle

import pandas as pd
import pytest

from assessment.analysis.whole_file import (
    CohortContext,
    analyse,
    analyse_organisation,
    cohort_contexts,
)
from assessment.core.config import EXAMPLE_RESPONSES, PROJECT_ROOT, REPORT_NOTEBOOK
from assessment.core.ingest import read_responses
from assessment.core.scoring import score_responses
from assessment.report.prepared import (
    VERSION,
    PreparedReport,
    prepare_reports,
    read_prepared,
    write_prepared,
)
from assessment.report.sections import data_quality, load_report_data
from tests.conftest import full_rows

WAVES = PROJECT_ROOT / "data" / "examples" / "waves.csv"
EXAMPLES = {"responses": EXAMPLE_RESPONSES, "waves": WAVES}
MIN_GROUP_SIZE = 3


def _answered(responses, org: str, wave: str) -> list:
    """The instruments ``org`` answered in ``wave``, as ``sections.load_report_data`` picks them."""
    rows = responses.for_organisation(org, wave or None)
    return [i for i in responses.instruments
            if any(it.id in rows and rows[it.id].notna().any() for it in i.scored_items)]


@pytest.fixture(scope="module")
def examples():
    """Both example files: checked responses, the whole-file analysis and every context."""
    out = {}
    for key, path in EXAMPLES.items():
        r = read_responses(path)
        table = analyse(r.data, r.instruments, min_group_size=MIN_GROUP_SIZE)
        contexts = cohort_contexts(r.data, r.instruments, table, min_group_size=MIN_GROUP_SIZE)
        out[key] = (r, table, contexts)
    return out


def _assert_same(a, b, where: str) -> None:
    """Field-by-field equality of two OrganisationAnalysis (frames, the Grouping, scalars)."""
    for f in dataclasses.fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        what = f"{where}: {f.name}"
        if isinstance(x, pd.DataFrame):
            pd.testing.assert_frame_equal(x, y, obj=what)
        elif dataclasses.is_dataclass(x):
            for g in dataclasses.fields(x):
                u, v = getattr(x, g.name), getattr(y, g.name)
                if isinstance(u, pd.Series):
                    pd.testing.assert_series_equal(u, v, obj=f"{what}.{g.name}")
                else:
                    assert u == v, f"{what}.{g.name}: {u!r} != {v!r}"
        else:
            assert x == y, f"{what}: {x!r} != {y!r}"


# --------------------------------------------------------------------- cohort context


@pytest.mark.parametrize("key", sorted(EXAMPLES))
def test_context_gives_the_same_analysis_as_the_whole_file(examples, key):
    """Every organisation × wave: its own rows + the batch's context = the whole file.

    The reference is analyse_organisation on every row of the file (how a report was
    computed before the batch prepared contexts); the prepared side sees only the
    organisation's own rows (all its waves, as Responses.restricted_to keeps them).
    """
    r, _, contexts = examples[key]
    pairs = r.data[["organisation", "wave"]].drop_duplicates().itertuples(index=False)
    pairs = list(pairs)
    assert set(contexts) == set(pairs)
    for org, wave in pairs:
        insts = _answered(r, org, wave)
        whole = analyse_organisation(r.data, insts, org, wave, min_group_size=MIN_GROUP_SIZE)
        own = r.data[r.data["organisation"] == org]
        assert set(own["organisation"]) == {org}
        prepared = analyse_organisation(own, insts, org, wave, min_group_size=MIN_GROUP_SIZE,
                                        context=contexts[(org, wave)])
        _assert_same(whole, prepared, f"{key}: {org} {wave!r}")


def test_context_holds_no_names(examples):
    """A context carries the cohort's scores anonymously: only its own organisation's name.

    CohortContext's docstring: "no other organisation's responses or names travel with it";
    the cohort frame has no organisation column and is_self marks this organisation's rows.
    """
    r, _, contexts = examples["responses"]
    org = "Delta Meettechniek"
    ctx = contexts[(org, "")]
    assert isinstance(ctx, CohortContext)
    assert set(ctx.table["organisation"]) == {org}
    assert "organisation" not in ctx.cohort.columns
    assert "organisation" not in ctx.icc.columns
    assert ctx.organisations == r.data["organisation"].nunique() == 10
    # is_self rows: the interface and discipline scores of the organisation's own rows
    mine = r.data[r.data["organisation"] == org]
    own = score_responses(mine, _answered(r, org, ""))
    own = own[own["level"].isin(["interface", "discipline"])]
    selfs = ctx.cohort[ctx.cohort["is_self"]]
    assert len(selfs) == len(own) and len(ctx.cohort) == 10 * len(own)
    assert list(selfs["score"]) == pytest.approx(list(own["score"]))
    assert list(selfs["dimension"].fillna("")) == list(own["dimension"].fillna(""))


def test_context_with_another_min_group_size_is_refused(examples):
    """A context is only valid for the anonymity minimum it was computed with (ValueError)."""
    r, _, contexts = examples["responses"]
    org = "Delta Meettechniek"
    with pytest.raises(ValueError, match="min_group_size"):
        analyse_organisation(r.data, _answered(r, org, ""), org, "",
                             min_group_size=MIN_GROUP_SIZE + 1, context=contexts[(org, "")])


# --------------------------------------------------------------------- restricted responses

ORGS = ("Alfa BV", "Bravo Groep", "Charlie & Co")


@pytest.fixture(scope="module")
def messy_csv(tmp_path_factory, alignment, disciplines):
    """Three organisations and every kind of rejected row, each written here on purpose.

    Alfa BV: 6 rows + a duplicate of its first respondent (rejected) + one row spelled
    'alfa bv' (accepted, same organisation) -> 7 accepted, 1 rejected.
    Bravo Groep: 5 rows + one without answers (rejected) -> 5 accepted, 1 rejected.
    Charlie & Co: 4 rows, one with an answer out of range (accepted, answer ignored).
    Two rows without an organisation (rejected), with respondent ids 'NOORG-1', 'NOORG-2'.
    """
    alfa = full_rows(alignment, disciplines, "Alfa BV", 6, seed=31)
    bravo = full_rows(alignment, disciplines, "Bravo Groep", 5, seed=32)
    charlie = full_rows(alignment, disciplines, "Charlie & Co", 4, seed=33)
    item = alignment.items[0].id
    charlie[1][item] = 7  # out of range: a problem on Charlie's row only
    duplicate = dict(alfa[0])
    spelled = {**full_rows(alignment, disciplines, "Alfa BV", 1, seed=34)[0],
               "respondent_id": "Alf-extra", "organisation": "alfa bv"}
    empty = {k: (v if k in ("respondent_id", "organisation", "department", "wave", "language")
                 else None) for k, v in bravo[0].items()}
    empty["respondent_id"] = "Bra-empty"
    no_org = [{**row, "organisation": None, "respondent_id": f"NOORG-{k + 1}"}
              for k, row in enumerate(full_rows(alignment, disciplines, "Nobody", 2, seed=35))]
    rows = [*alfa, no_org[0], *bravo, duplicate, *charlie, empty, spelled, no_org[1]]
    path = tmp_path_factory.mktemp("prepared") / "messy.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def messy(messy_csv):
    return read_responses(messy_csv)


@pytest.fixture(scope="module")
def messy_prepared(messy, messy_csv, tmp_path_factory):
    """The batch's prepared file of each organisation of messy_csv (as batch._prepare writes)."""
    table = analyse(messy.data, messy.instruments, min_group_size=MIN_GROUP_SIZE)
    folder = tmp_path_factory.mktemp("messy-prepared")
    return {org: write_prepared(p, folder / f"{k}.pkl")
            for k, ((org, _), p) in enumerate(prepare_reports(messy, table,
                                                               MIN_GROUP_SIZE).items())}


def test_fixture_file_is_as_intended(messy):
    """The fixture's counts (its docstring) as read_responses sees them."""
    assert messy.rows_in == 6 + 1 + 1 + 5 + 1 + 4 + 2
    assert messy.data["organisation"].value_counts().to_dict() == {
        "Alfa BV": 7, "Bravo Groep": 5, "Charlie & Co": 4}
    assert messy.rejected["organisation"].isna().sum() == 2
    assert len(messy.rejected) == 4


@pytest.mark.parametrize("org", ORGS)
def test_restricted_holds_only_its_own_rows(messy, org):
    """restricted_to(org): its accepted rows; its own rejected rows plus the anonymous ones.

    Expected: Responses.for_organisation and Responses.rejected_for of the whole file
    (the rows the report used before), and the rows without an organisation with their
    respondent id blanked (restricted_to's docstring: row number and reason only).
    """
    mine = messy.restricted_to(org)
    pd.testing.assert_frame_equal(mine.data, messy.for_organisation(org))
    assert set(mine.data["organisation"]) == {org}
    own = messy.rejected_for(org)
    anonymous = messy.rejected[messy.rejected["organisation"].isna()]
    assert set(mine.rejected["row"]) == set(own["row"]) | set(anonymous["row"])
    assert len(mine.rejected) == len(own) + len(anonymous)
    kept_own = mine.rejected[mine.rejected["organisation"].notna()]
    assert list(kept_own["respondent_id"]) == list(own["respondent_id"])
    blank = mine.rejected[mine.rejected["organisation"].isna()]
    assert len(blank) == 2 and blank["respondent_id"].isna().all()
    assert list(blank["reason"]) == ["no organisation given"] * 2
    # the file-level counts the data-quality table shows stay those of the whole file
    assert mine.rows_in == messy.rows_in
    assert mine.columns == messy.columns


@pytest.mark.parametrize("org", ORGS)
def test_restricted_names_no_other_organisation(messy, org):
    """No other organisation's name (nor an anonymous row's respondent id) in what it keeps."""
    mine = messy.restricted_to(org)
    text = "\n".join([mine.data.to_csv(), mine.rejected.to_csv(),
                      *(p.message for p in mine.problems)])
    for other in ORGS:
        if other != org:
            assert other not in text
            assert other.lower() not in text.lower()
    assert "NOORG" not in text


def test_restricted_problems(messy):
    """The problems kept are those about its own rows (and the anonymous rows)."""
    item_problem = [p for p in messy.problems if "is not an answer" in p.message]
    assert len(item_problem) == 1  # Charlie's out-of-range answer (fixture)
    assert item_problem[0] in messy.restricted_to("Charlie & Co").problems
    assert item_problem[0] not in messy.restricted_to("Alfa BV").problems
    duplicate = [p for p in messy.problems if "duplicate respondent" in p.message]
    assert len(duplicate) == 1
    assert duplicate[0] in messy.restricted_to("Alfa BV").problems
    assert duplicate[0] not in messy.restricted_to("Bravo Groep").problems


@pytest.mark.parametrize("org", ORGS)
def test_data_quality_is_the_same_from_the_prepared_file(messy_csv, messy_prepared, org):
    """The data-quality table (rows in, rejected, no organisation, ignored answers) is identical.

    Reference: sections.data_quality of the ReportData read from the whole file.
    """
    whole = load_report_data(messy_csv, org, lang="en")
    prepared = load_report_data(messy_csv, org, lang="en", prepared=messy_prepared[org])
    assert prepared.context is not None and whole.context is None
    assert len(prepared.responses.data) < len(whole.responses.data)
    assert data_quality(prepared) == data_quality(whole)


# --------------------------------------------------------------------- the file


@pytest.fixture(scope="module")
def prepared_examples(examples, tmp_path_factory):
    """Every prepared file of both example files, as the batch writes them."""
    out = {}
    folder = tmp_path_factory.mktemp("examples-prepared")
    for key, (r, table, _) in examples.items():
        for k, ((org, wave), p) in enumerate(prepare_reports(r, table, MIN_GROUP_SIZE).items()):
            out[(key, org, wave)] = (p, write_prepared(p, folder / f"{key}-{k}.pkl"))
    return out


def test_write_read_round_trip(prepared_examples):
    """read_prepared(write_prepared(p)) == p, field by field (frames compared with pandas)."""
    p, path = prepared_examples[("waves", "Greenfield Foods", "2026-Q3")]
    back = read_prepared(path)
    assert isinstance(back, PreparedReport)
    assert (back.organisation, back.wave) == ("Greenfield Foods", "2026-Q3")
    pd.testing.assert_frame_equal(back.responses.data, p.responses.data)
    pd.testing.assert_frame_equal(back.responses.rejected, p.responses.rejected)
    assert back.responses.problems == p.responses.problems
    assert back.responses.rows_in == p.responses.rows_in
    assert [i.id for i in back.responses.instruments] == [i.id for i in p.responses.instruments]
    for f in dataclasses.fields(CohortContext):
        x, y = getattr(back.context, f.name), getattr(p.context, f.name)
        if isinstance(x, pd.DataFrame):
            pd.testing.assert_frame_equal(x, y)
        else:
            assert x == y


def test_read_prepared_refuses_what_it_did_not_write(prepared_examples, tmp_path):
    """None for a missing file, garbage, a pickle of something else, and another VERSION."""
    p, _ = prepared_examples[("responses", "Delta Meettechniek", "")]
    assert read_prepared(tmp_path / "missing.pkl") is None
    garbage = tmp_path / "garbage.pkl"
    garbage.write_bytes(b"this is not a pickle\x00\x01")
    assert read_prepared(garbage) is None
    empty = tmp_path / "empty.pkl"
    empty.write_bytes(b"")
    assert read_prepared(empty) is None
    other = tmp_path / "other.pkl"
    other.write_bytes(pickle.dumps(42))
    assert read_prepared(other) is None
    not_a_report = tmp_path / "not-a-report.pkl"
    not_a_report.write_bytes(pickle.dumps((VERSION, {"organisation": "Delta Meettechniek"})))
    assert read_prepared(not_a_report) is None
    old = tmp_path / "old.pkl"
    old.write_bytes(pickle.dumps((VERSION + 1, p)))
    assert read_prepared(old) is None
    assert read_prepared(tmp_path) is None  # a folder


def test_prepared_file_names_no_other_organisation(examples, prepared_examples):
    """The bytes of each prepared file hold no other organisation's name or respondent id.

    Expected: the organisations (and respondent ids) in the example files; each prepared
    file may name only its own organisation.
    """
    for (key, org, _wave), (_, path) in prepared_examples.items():
        data = path.read_bytes()
        r = examples[key][0]
        assert org.encode("utf-8") in data
        others = r.data[r.data["organisation"] != org]
        for name in set(others["organisation"]):
            assert name.encode("utf-8") not in data, (key, org, name)
        for rid in set(others["respondent_id"]):
            assert rid.encode("utf-8") not in data, (key, org, rid)


# --------------------------------------------------------------------- load_report_data


def _assert_same_report(a, b) -> None:
    assert (a.organisation, a.wave, a.lang) == (b.organisation, b.wave, b.lang)
    assert list(a.instruments) == list(b.instruments)
    pd.testing.assert_frame_equal(a.data, b.data)
    pd.testing.assert_frame_equal(a.scores, b.scores)


def test_load_report_data_uses_the_prepared_file(prepared_examples):
    """With its prepared file: context set, only its rows loaded, the same scores as the file."""
    org = "Harbour & Hart Events"
    _, path = prepared_examples[("responses", org, "")]
    whole = load_report_data(EXAMPLE_RESPONSES, org, lang="en")
    fast = load_report_data(EXAMPLE_RESPONSES, org, lang="en", prepared=path)
    assert fast.context is not None and whole.context is None
    assert set(fast.responses.data["organisation"]) == {org}
    _assert_same_report(fast, whole)


def test_load_report_data_ignores_another_organisations_file(prepared_examples):
    """A prepared file for another organisation is ignored: the file is read (context None)."""
    org = "Harbour & Hart Events"
    _, path = prepared_examples[("responses", "Delta Meettechniek", "")]
    whole = load_report_data(EXAMPLE_RESPONSES, org, lang="en")
    other = load_report_data(EXAMPLE_RESPONSES, org, lang="en", prepared=path)
    assert other.context is None
    assert other.responses.data["organisation"].nunique() == 10  # the whole example file
    _assert_same_report(other, whole)


def test_load_report_data_ignores_another_waves_file(prepared_examples):
    """A prepared file for the same organisation's other wave is ignored (context None)."""
    org = "Greenfield Foods"
    _, path = prepared_examples[("waves", org, "2026-Q1")]
    whole = load_report_data(WAVES, org, wave="2026-Q3", lang="en")
    other = load_report_data(WAVES, org, wave="2026-Q3", lang="en", prepared=path)
    assert other.context is None
    assert other.responses.data["organisation"].nunique() == 3  # the whole waves file
    _assert_same_report(other, whole)


def test_load_report_data_with_a_missing_prepared_file(tmp_path):
    """A prepared path that does not exist: the responses file is read as usual."""
    org = "Harbour & Hart Events"
    whole = load_report_data(EXAMPLE_RESPONSES, org, lang="en")
    missing = load_report_data(EXAMPLE_RESPONSES, org, lang="en",
                               prepared=tmp_path / "gone.pkl")
    assert missing.context is None
    assert missing.responses.data["organisation"].nunique() == 10
    _assert_same_report(missing, whole)


def test_prepared_report_with_another_min_group_size(prepared_examples):
    """The analysis of a prepared report with another minimum equals the whole file's.

    Reference: analyse_report on the ReportData read from the whole file with the same
    minimum (4); the prepared file was written with the batch's minimum (3). Either the
    result matches or the mismatch is refused; a cohort of one organisation is neither.
    """
    from assessment.report.analysis_sections import analyse_report

    org = "Harbour & Hart Events"
    _, path = prepared_examples[("responses", org, "")]
    whole = analyse_report(load_report_data(EXAMPLE_RESPONSES, org, lang="en"), 4)
    try:
        fast = analyse_report(load_report_data(EXAMPLE_RESPONSES, org, lang="en",
                                               prepared=path), 4)
    except ValueError:
        return  # refusing the mismatch would be a fix too
    assert fast.organisations == whole.organisations == 10
    assert len(fast.cohort) == len(whole.cohort)


# --------------------------------------------------------------------- the rendered report


def test_rendered_report_is_byte_identical(prepared_examples, tmp_path):
    """The HTML of one report is byte-identical with and without its prepared file.

    Reference: the report rendered from the whole file (no ``prepared`` parameter), with
    the parameters assessment.batch.run.plan_items gives it; the date is today's in both.
    """
    from assessment.report.render import render_notebook

    org = "Lindeboom Accountants"  # the smallest organisation of the example file
    _, path = prepared_examples[("responses", org, "")]
    params = {"responses_path": str(EXAMPLE_RESPONSES), "organisation": org, "wave": "",
              "lang": "en", "min_group_size": MIN_GROUP_SIZE}
    title = f"{org} — report"
    plain = render_notebook(REPORT_NOTEBOOK, params, tmp_path / "plain", "lindeboom", title)
    fast = render_notebook(REPORT_NOTEBOOK, {**params, "prepared": str(path)},
                           tmp_path / "prepared", "lindeboom", title)
    html = plain.html.read_bytes()
    assert org.encode("utf-8") in html
    assert fast.html.read_bytes() == html
