"""Widgets without a browser: set .value, call .click(), check .result and the output widgets."""

from __future__ import annotations

import datetime as dt
from html import unescape

import pandas as pd
import pytest

from assessment.core.ingest import read_responses
from assessment.core.instruments import load_instrument
from assessment.teaching import widgets as W

PNG = b"\x89PNG"


def test_expectation_explorer_seed_example():
    """Seed 003: quote expected within 2 days, arrives after 4 → negative; when the seller announces 4 days, the same delivery is as expected (neutral)."""
    e = W.ExpectationExplorer(lang="en", expected=2, delivered=4)
    assert e.result.verdict == "negative" and "2 days later than expected" in e.html.value
    assert e.announced.disabled
    e.announce.value = True
    e.announced.value = 4
    assert not e.announced.disabled
    assert e.result.verdict == "neutral" and "exactly as expected" in e.html.value
    e.delivered.value = 1
    assert e.result.verdict == "positive"


def test_nps_calculator_starts_at_the_worked_example():
    """Seed 003's worked example: 25% promoters, 55% passives, 20% detractors → NPS +5; the chart is drawn."""
    calc = W.NPSCalculator(lang="en")
    assert calc.result.score == 5.0 and calc.result.n == 100
    assert "NPS = 25 − 20 = <b>+5</b>" in calc.html.value
    assert calc.chart.value.tobytes().startswith(PNG)


def test_nps_calculator_sliders():
    """Hand calculation: 3 answers of 10 and 1 answer of 0 → 75% − 25% = +50."""
    calc = W.NPSCalculator(lang="nl", counts=[0] * 11)
    assert "Nog geen antwoorden" in calc.html.value
    calc.sliders[10].value = 3
    calc.sliders[0].value = 1
    assert calc.result.score == 50.0 and calc.result.n == 4
    assert "3 promotors (75%)" in calc.html.value


def _upload(widget, name, content):
    widget.upload.value = ({"name": name, "type": "text/csv", "size": len(content),
                            "content": memoryview(content), "last_modified": dt.datetime.now()},)


def test_nps_calculator_reads_an_uploaded_csv():
    """A semicolon CSV with a 'score' column (Dutch Excel style, one blank): hand count 2 promoters (9, 10), 1 passive (7), 1 detractor (3) of 4 answers → 50% − 25% = +25."""
    calc = W.NPSCalculator(lang="en")
    _upload(calc, "survey.csv", b"klant;score\n1;9\n2;10\n3;7\n4;3\n5;\n")
    assert calc.counts == [0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1]
    assert calc.result.score == 25.0
    assert "Read 4 answers from survey.csv (column 'score'); 1 blank." in unescape(
        calc.status.value)


def test_nps_calculator_explains_a_bad_file():
    """A file without a usable column leaves the sliders alone and says why."""
    calc = W.NPSCalculator(lang="en")
    _upload(calc, "bad.csv", b"name,comment\nAnn,great\n")
    assert "cannot tell which column holds the 0–10 answers" in calc.status.value
    assert calc.result.score == 5.0


def test_sampling_explorer_margin_at_30():
    """DESIGN 5: at n = 30 the margin is about ±25 points; at 25/55/20 the adjusted Wald gives ±23 (expected counts 7.5/16.5/6, hand calculation as in tests/test_simulations.py)."""
    s = W.SamplingExplorer(lang="en", repeats=500)
    assert "the formula's margin of error is ±23" in unescape(s.html.value)
    s.n.value = 1000
    assert s.result["half_width"].iloc[0] < 5
    s.promoters.value, s.detractors.value = 70, 40
    assert "cannot be more than 100%" in s.html.value


def test_discipline_scan_builds_from_the_yaml_and_updates():
    """One input per statement and one for the declared choice, as in the YAML; agreeing (4) with every customer-intimacy statement and disagreeing (2) with its reversed ones gives (4 − 1) / 4 × 100 = 75 there (hand calculation)."""
    vd = load_instrument("value_disciplines")
    scan = W.DisciplineScan(lang="en")
    assert set(scan.form.inputs) == {i.id for i in vd.items if i.type != "text"}
    assert "Not rated yet" in scan.html.value
    ci = {i.id: (2 if i.reverse else 4) for i in vd.scored_items
          if i.dimension == "customer_intimacy"}
    scan.set_answers(ci)
    scores = scan.result.set_index("dimension")["score"]
    assert scores["customer_intimacy"] == pytest.approx(75.0)
    assert "6 of 18 answered" in scan.progress.value
    rest = {i.id: (4 if i.reverse else 2) for i in vd.scored_items
            if i.dimension != "customer_intimacy"}
    scan.set_answers(rest)
    assert scan.result.set_index("dimension")["score"]["operational_excellence"] == 25.0
    assert "excels in <b>customer intimacy</b> (75 of 100), but" in scan.html.value
    assert scan.chart.value.tobytes().startswith(PNG)


def test_discipline_scan_answers_one_click_at_a_time():
    """Setting a single toggle's value (what a click does) updates the progress at once."""
    scan = W.DisciplineScan(lang="nl")
    first = next(iter(scan.form.inputs.values()))
    first.value = 5
    assert "1 van de 18 beantwoord" in scan.progress.value


def test_every_scale_item_offers_dont_know_in_the_forms():
    """Issue 11.7: each stages4 radio list and each likert5 toggle row ends with "don't know".

    On a likert row the button reads "?" (its tooltip and the legend above give the text);
    choosing it leaves the item unscored, as a blank would: customer intimacy answered 4 on
    its four statements and "?" on its two reversed ones scores (4 − 1) / 4 × 100 = 75 (hand
    calculation; four of six answered is at least half, the rule of README "How scores are
    computed").
    """
    scan = W.DisciplineScan(lang="nl")
    vd = scan.instrument
    for item in vd.scored_items:
        toggle = scan.form.inputs[item.id]
        assert toggle.options[-1] == ("?", "dont_know")
        assert toggle.tooltips[-1] == "Weet ik niet / niet van toepassing"
    assert "? = Weet ik niet / niet van toepassing" in scan.children[0].value
    ci = [i for i in vd.scored_items if i.dimension == "customer_intimacy"]
    scan.set_answers({i.id: ("dont_know" if i.reverse else 4) for i in ci})
    assert scan.result.set_index("dimension")["score"]["customer_intimacy"] == 75.0
    al = W.AlignmentScan("marketing_sales", lang="en")
    for widget in al.form.inputs.values():
        assert widget.options[-1] == ("Don't know / not applicable", "dont_know")


def test_alignment_scan_ladder_and_steps():
    """The marketing–sales part of the alignment YAML (14 questions); all answers 2 → index 2.0, Defined ([1.75, 2.5), DESIGN 3.1), and the steps to Aligned come from the YAML."""
    al = load_instrument("alignment")
    scan = W.AlignmentScan("marketing_sales", lang="en")
    ms = [i for i in al.scored_items if i.interface == "marketing_sales"]
    assert list(scan.form.inputs) == [i.id for i in ms]
    scan.set_answers({i.id: 2 for i in ms})
    iface = scan.result[scan.result["level"] == "interface"].iloc[0]
    assert iface["score"] == 2.0 and iface["stage"] == "defined"
    assert "Marketing and sales: Defined (2.0 of 4)" in scan.html.value
    first_step = al.recommendation("marketing_sales", "roles", "defined").actions[0].en
    assert "The next step for the weakest dimensions" in scan.html.value
    assert first_step in unescape(scan.html.value)
    assert scan.chart.value.tobytes().startswith(PNG)


def test_alignment_scan_other_interface():
    """Any interface of the YAML can be scanned; an unknown one is refused."""
    scan = W.AlignmentScan("sales_service", lang="nl")
    assert all(i.startswith("SS-") for i in scan.form.inputs)
    with pytest.raises(ValueError, match="interface must be one of"):
        W.AlignmentScan("finance_sales")
    with pytest.raises(ValueError, match="no such items in this form"):
        scan.set_answers({"MS-roles-1": 2})


def test_retention_explorer_against_reichheld_sasser():
    """Hand calculation: 80% → 85% retention, margin 100, d = 10%: 333 → 400, +20%, outside Reichheld & Sasser's 25–85%; with an acquisition cost of 150 it is +36%, inside."""
    r = W.RetentionExplorer(lang="en")
    assert round(r.result["change_pct"]) == 20 and "outside" in r.html.value
    r.acquisition.value = 150
    assert round(r.result["change_pct"]) == 36 and "inside" in r.html.value
    r.retention.value = 0.94
    r.uplift.value = 0.05
    r.growth.value = 0.15
    assert "infinite" in r.html.value


def test_retention_explorer_browser_float_at_the_edge():
    """Issue 17, item 1: at 85% the browser sends 0.8499999999999999. Hand calculation: 100 / (1.1 − 0.85) = 400 → 100 / (1.1 − 0.90) = 500, +25%: the lower edge of Reichheld & Sasser's +25% to +85% (HBR 1990, seed 000), which counts as inside, as the "25%" the widget shows does."""
    r = W.RetentionExplorer(lang="en")
    r.retention.value = 0.8499999999999999
    assert r.result["retention_before"] == 0.85 and r.result["change_pct"] == pytest.approx(25.0)
    text = unescape(r.html.value)
    assert "85% to 90%" in text and "25%" in text
    assert "inside" in text and "outside" not in text


def test_retention_explorer_browser_float_at_full_retention():
    """Issue 17, item 1: 90% + 10% is 100% retention, allowed (hand calculation: 100 / (1.1 − 1.0) = 1000); the browser's 0.9000000000000001 + 0.1 = 1.0000000000000002 must not be refused as "above 1"."""
    r = W.RetentionExplorer(lang="en")
    r.uplift.value = 0.1
    r.retention.value = 0.9000000000000001
    assert "must stay between 0 and 1" not in r.html.value
    assert r.result["retention_after"] == 1.0 and r.result["clv_after"] == pytest.approx(1000.0)


@pytest.mark.parametrize(("lang", "expected"), [
    ("nl", "Klantbehoud plus de extra procentpunten komt op 104%"),
    ("en", "Retention plus the extra points comes to 104%")])
def test_retention_explorer_over_100_percent_in_the_lessons_language(lang, expected):
    """The sliders allow 94% retention + 10 points: 104% (hand sum) is said in the lesson's language.

    Expected: the teaching catalogue's text (locales/teaching.yaml); no English error from
    the simulation in a Dutch lesson.
    """
    r = W.RetentionExplorer(lang=lang)
    r.retention.value = 0.94
    r.uplift.value = 0.10
    text = unescape(r.html.value)
    assert expected in text and "must stay between" not in text


def test_incentive_explorer_uses_the_slider_step():
    """Issue 17, item 1: the integrity slider's browser float (0.15000000000000002 for 0.15) is taken at its step, so the explorer decides on the value the student sees."""
    inc = W.IncentiveExplorer(lang="en")
    inc.integrity.value = 0.15000000000000002
    reference = W.IncentiveExplorer(lang="en")
    reference.integrity.value = 0.15
    assert inc.result.equals(reference.result)
    assert W.slider_value(inc.integrity) == 0.15


def test_incentive_explorer_by_hand():
    """As tests/test_simulations.py: revenue + individual advises A; margin + team advises C, the best-fitting offer; with integrity 0.4 even the revenue bonus gives C."""
    inc = W.IncentiveExplorer(lang="en")
    assert inc.result.query("advised")["id"].iloc[0] == "A"
    assert "The offer that fits the customer best is C." in inc.html.value
    inc.target.value, inc.bonus.value = "margin", "team"
    assert inc.result.query("advised")["id"].iloc[0] == "C"
    assert "also the offer that fits the customer best" in inc.html.value
    inc.target.value, inc.bonus.value, inc.integrity.value = "revenue", "individual", 0.4
    assert inc.result.query("advised")["id"].iloc[0] == "C"


def test_exercise_forms_check_on_click():
    """The Voilà exercises call the same check functions: (2 + 3) / 2 = 2.5 → Aligned."""
    form = W.ExerciseForm.dimension_score(lang="en")
    form.fields["score"].value = "2,5"
    form.fields["stage"].value = "defined"
    form.button.click()
    assert form.result.status == "incorrect" and "lower edge" in form.html.value
    form.fields["stage"].value = "aligned"
    form.button.click()
    assert form.result.correct and "Right" in form.html.value
    disc = W.ExerciseForm.discipline_score(lang="nl")
    disc.fields["answer"].value = "79,2"
    disc.button.click()
    assert disc.result.correct


def test_query_lang(monkeypatch):
    """Voilà passes the URL's query string to the kernel: ?lang=nl switches to Dutch."""
    monkeypatch.setenv("QUERY_STRING", "lang=nl&x=1")
    assert W.query_lang("en") == "nl"
    monkeypatch.setenv("QUERY_STRING", "lang=fr")
    assert W.query_lang("en") == "en"
    monkeypatch.delenv("QUERY_STRING")
    assert W.query_lang("nl") == "nl"


def _all_answers(seed=3):
    import numpy as np

    rng = np.random.default_rng(seed)
    al, vd = load_instrument("alignment"), load_instrument("value_disciplines")
    answers = {i.id: int(rng.integers(1, 5)) for i in al.scored_items}
    answers |= {i.id: int(rng.integers(1, 6)) for i in vd.scored_items}
    answers["VD-declared"] = "customer_intimacy"
    return answers


def test_self_assessment_form_saves_in_the_input_format(tmp_path):
    """Saved answers read back through the project's own ingest with no problem at all, one accepted row with every answer as given."""
    form = W.SelfAssessmentForm(lang="en", out_dir=tmp_path)
    form.save_button.click()
    assert "Fill in the organisation's name first" in unescape(form.status.value)
    form.organisation.value = "Stage & Co"
    form.save_button.click()
    assert "Answer at least some questions first" in form.status.value
    answers = _all_answers()
    form.set_answers(answers)
    form.department.value = "service"
    form.save_button.click()
    assert form.saved is not None and form.saved.parent == tmp_path
    assert 'download="stage-co_self-' in form.status.value
    responses = read_responses(form.saved)
    assert responses.ok, responses.problems
    row = responses.data.iloc[0]
    assert row["organisation"] == "Stage & Co" and row["department"] == "service"
    assert all(row[k] == v for k, v in answers.items())
    assert "61 of 61 answered" in form.progress.value


def test_self_assessment_scores_preview(tmp_path):
    """'Show my scores' draws the ladder and the discipline bars and writes the profile."""
    form = W.SelfAssessmentForm(lang="nl", out_dir=tmp_path)
    form.set_answers(_all_answers())
    form.scores_button.click()
    assert form.chart.value.tobytes().startswith(PNG) and form.chart2.value.tobytes().startswith(PNG)
    assert "Volgens jouw antwoord is er gekozen voor klantintimiteit" in form.html.value
    assert set(form.result["instrument"]) == {"alignment", "value_disciplines"}


def test_self_assessment_renders_the_report(tmp_path):
    """'Make my report' runs the report notebook through render_report and shows it inline."""
    form = W.SelfAssessmentForm(lang="en", out_dir=tmp_path)
    form.organisation.value = "Stage Company"
    form.set_answers(_all_answers())
    form.report_button.click()
    assert form.report_path == tmp_path / "reports" / "stage-company.html"
    html = form.report_path.read_text(encoding="utf-8")
    assert "Stage Company" in html and "Executive summary" in html
    assert "<iframe srcdoc=" in form.report.value and "Download the report" in form.report.value


def _buttons(widget):
    """Every Button inside a widget tree."""
    found = [widget] if isinstance(widget, W.w.Button) else []
    for child in getattr(widget, "children", ()):
        found += _buttons(child)
    return found


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_form_buttons_fit_their_labels(tmp_path, lang):
    """Issue 17, item 3: ipywidgets gives a Button a fixed width (148 px) that cuts off "Save my answers" / "Bewaar mijn antwoorden"; every button of the forms sizes to its label."""
    forms = [W.SelfAssessmentForm(lang=lang, out_dir=tmp_path), W.ExerciseForm.dimension_score(lang),
             W.ExerciseForm.discipline_score(lang)]
    buttons = [b for f in forms for b in _buttons(f)]
    assert len(buttons) == 5
    assert all(b.layout.width == "auto" for b in buttons), [b.description for b in buttons]


def test_download_links_look_like_links():
    """Issue 17, item 3: inside a widget, an <a> inherits the plain text style; the link is styled (colour, underline) so it is seen as one."""
    link = W.download_link(b"x", "a.csv", "Download")
    assert "text-decoration:underline" in link and "color:" in link


def test_self_assessment_warning_goes_when_the_name_is_filled_in(tmp_path):
    """Issue 17, item 3: the warning "Fill in the organisation's name first." disappears once the name is filled in; "Answer at least some questions first." once a question is answered."""
    form = W.SelfAssessmentForm(lang="en", out_dir=tmp_path)
    form.save_button.click()
    assert "Fill in the organisation's name first" in unescape(form.status.value)
    form.organisation.value = "Stage Company"
    assert "Fill in the organisation" not in unescape(form.status.value)
    form.save_button.click()
    assert "Answer at least some questions first" in form.status.value
    form.set_answers({"MS-roles-1": 2})
    assert "Answer at least some questions first" not in form.status.value


def test_self_assessment_saving_keeps_the_scores_text(tmp_path):
    """Issue 17, item 3: "Save my answers" after "Show my scores" adds its message beside the buttons and leaves the profile sentence in place."""
    form = W.SelfAssessmentForm(lang="en", out_dir=tmp_path)
    form.organisation.value = "Stage Company"
    form.set_answers(_all_answers())
    form.scores_button.click()
    profile = form.html.value
    assert "According to your answer, the chosen discipline is customer intimacy" in profile
    form.save_button.click()
    assert form.html.value == profile and "Saved as" in form.status.value


def test_self_assessment_report_busy_state(tmp_path, monkeypatch):
    """Issue 17, item 3: while the report is being made, "Making the report" shows right under the buttons (before the charts) and the report button is disabled; afterwards it is enabled again, also when making the report fails."""
    import assessment.report.render as render
    from assessment.core.exceptions import AssessmentError

    form = W.SelfAssessmentForm(lang="en", out_dir=tmp_path)
    form.organisation.value = "Stage Company"
    form.set_answers(_all_answers())
    children = list(form.children)
    buttons_row = next(k for k, c in enumerate(children) if form.report_button in getattr(c, "children", ()))
    assert children.index(form.status) == buttons_row + 1 < children.index(form.chart)
    seen = {}

    def fake_render(*args, **kwargs):
        seen.update(disabled=form.report_button.disabled, status=form.status.value)
        raise AssessmentError("no kernel")

    monkeypatch.setattr(render, "render_report", fake_render)
    form.report_button.click()
    assert seen["disabled"] and "Making the report" in seen["status"]
    assert not form.report_button.disabled and "no kernel" in form.status.value


def test_collect_answers_for_the_trainer(tmp_path):
    """Two students' saved files stack into one table that ingest accepts (two respondents)."""
    from assessment.teaching.forms import collect_answers

    for org in ("Alpha", "Alpha"):
        form = W.SelfAssessmentForm(lang="en", out_dir=tmp_path)
        form.organisation.value = org
        form.set_answers(_all_answers())
        form.save()
    table = collect_answers(tmp_path)
    assert len(table) == 2 and table["respondent_id"].nunique() == 2
    path = tmp_path / "class.csv"
    table.to_csv(path, index=False)
    responses = read_responses(path)
    assert len(responses.data) == 2 and responses.ok
    assert isinstance(responses.data, pd.DataFrame)


def test_the_floor_triangle_at_the_scale_end_is_not_clipped():
    """Issue 12, part 2: with every marketing–sales answer at stage 1 (Undefined) the weakest dimension scores 1.0, the left end of the ladder's axis (the alignment scale is 1–4, assessment/instruments/alignment.yaml); its triangle must be drawn whole, not cut in half by the axes (clip_on=False)."""
    import matplotlib.pyplot as plt

    from assessment.core.instruments import load_instrument
    from assessment.report import plots
    from assessment.teaching.forms import scan_scores

    inst = load_instrument("alignment")
    answers = {i.id: 1 for i in inst.scored_items if i.interface == "marketing_sales"}
    scores = scan_scores(answers, [inst])
    fig = plots.stage_ladder(scores, inst, "en")
    floors = [ln for ln in fig.axes[0].lines if ln.get_gid() == "floor"]
    assert floors and all(ln.get_xdata()[0] == 1.0 and not ln.get_clip_on() for ln in floors)
    plt.close(fig)


def test_the_selected_likert_button_stands_out():
    """Issue 12, part 2: ipywidgets marks the selected ToggleButtons button with the class mod-active and by default shades it a grey barely darker than the rest; the forms' stylesheet gives it a dark background and white text, and every form that shows 1–5 buttons includes that stylesheet."""
    from assessment.teaching import widgets as tw

    rule = tw._CSS[tw._CSS.index(".widget-toggle-button.mod-active"):]
    rule = rule[:rule.index("}")]
    assert "background-color: #1f4e79" in rule and "color: #ffffff" in rule
    scan = tw.DisciplineScan("en")
    assert any(isinstance(c, tw.w.HTML) and ".mod-active" in c.value for c in scan.children)
