"""Widgets for the teaching notebooks and the Voilà app: thin shells over pure functions.

Each widget collects values, calls the package (:mod:`assessment.teaching.forms`,
:mod:`assessment.core.scoring`, :mod:`assessment.analysis.nps`,
:mod:`assessment.teaching.simulations`,
:mod:`assessment.teaching.exercises`) and shows the result in an ``HTML`` widget (``.html``)
and, where there is a chart, an ``Image`` widget (``.chart``). The last result is
kept as ``.result``, so tests can set ``.value``, call ``.click()`` and check the
output without a browser. Forms are built from the instrument YAML.
"""

from __future__ import annotations

import base64
import io
import os
import secrets
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from html import escape
from pathlib import Path
from urllib.parse import parse_qs

import ipywidgets as w
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from assessment.analysis.nps import nps
from assessment.core.config import PROJECT_ROOT
from assessment.core.exceptions import AssessmentError
from assessment.core.files import write_atomic
from assessment.core.i18n import check_lang, fmt, t
from assessment.core.ingest import DEPARTMENT_ORDER
from assessment.core.instruments import DONT_KNOW, Instrument, load_instrument
from assessment.report import plots
from assessment.report.recommend import roadmap
from assessment.teaching import figures
from assessment.teaching.exercises import (
    check_dimension_score,
    check_discipline_score,
    days,
    experience_gap,
)
from assessment.teaching.feedback import Feedback, money
from assessment.teaching.forms import (
    answer_options,
    answers_frame,
    nps_counts,
    profile_text,
    read_nps_upload,
    scan_scores,
    scheme_for,
    subset_instrument,
)
from assessment.teaching.simulations import (
    METRICS,
    choose_option,
    clv_table,
    deal_metrics,
    experience,
    in_reichheld_sasser_range,
    incentive_case,
    nps_sampling,
    retention_effect,
    sampling_summary,
)

__all__ = [
    "SELF_ASSESSMENT_DIR",
    "AlignmentScan",
    "DisciplineScan",
    "ExerciseForm",
    "ExpectationExplorer",
    "IncentiveExplorer",
    "NPSCalculator",
    "RetentionExplorer",
    "SamplingExplorer",
    "SelfAssessmentForm",
    "download_link",
    "png",
    "query_lang",
    "slider_value",
]

#: where the self-assessment form saves answers and reports (git-ignored build folder)
SELF_ASSESSMENT_DIR = PROJECT_ROOT / "build" / "self-assessment"
#: seed 003's worked example as 100 answers: 20 detractors, 55 passives, 25 promoters
WORKED_EXAMPLE_COUNTS = (1, 1, 1, 2, 3, 5, 7, 25, 30, 15, 10)
_WIDE = w.Layout(width="100%")
#: long answer texts wrap instead of overlapping; tab titles are not cut off; the selected 1–5
#: (or 0–10) button is dark blue with white text, not the default grey barely darker than the
#: others (issue 12)
_CSS = """<style>
.widget-radio-box { height: auto !important; }
.widget-radio-box label { display: flex !important; flex-direction: row-reverse;
  justify-content: flex-end; align-items: flex-start; height: auto !important;
  line-height: 1.35 !important; white-space: normal !important; margin: 0.25em 0 !important; }
.widget-radio-box label input { margin: 0.2em 0.5em 0 0 !important; flex-shrink: 0; }
.widget-tab .lm-TabBar-tab { flex: 0 1 auto !important; min-width: 0 !important;
  max-width: none !important; }
.widget-toggle-buttons .widget-toggle-button.mod-active { background-color: #1f4e79 !important;
  color: #ffffff !important; font-weight: bold; }
</style>"""
_DESC = {"description_width": "initial"}
#: a link inside a widget inherits the plain text style; colour and underline make it look like one
_LINK_STYLE = "color:#1565c0;text-decoration:underline;font-weight:bold"


def png(fig: Figure, dpi: int = 110) -> bytes:
    """Render a figure as PNG bytes and close it."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight", facecolor="white")
    plt.close(fig)
    return buffer.getvalue()


def download_link(data: bytes, filename: str, label: str, mime: str = "text/csv") -> str:
    """Return an HTML link that downloads ``data`` as ``filename`` (JupyterLab and Voilà)."""
    encoded = base64.b64encode(data).decode("ascii")
    return (f'<a download="{escape(filename)}" href="data:{mime};base64,{encoded}" '
            f'style="{_LINK_STYLE}">{escape(label)}</a>')


def _button(description: str, **kwargs) -> w.Button:
    """Make a button as wide as its label (ipywidgets' fixed 148 px cuts longer labels off)."""
    return w.Button(description=description, layout=w.Layout(width="auto"), **kwargs)


def query_lang(default: str = "en") -> str:
    """Return the language asked for in the Voilà URL (``...?lang=nl``), else ``default``.

    Voilà passes the page's query string to the kernel as ``QUERY_STRING``; in
    JupyterLab there is none and ``default`` is returned.
    """
    asked = parse_qs(os.environ.get("QUERY_STRING", "")).get("lang", [default])[0]
    return asked if asked in ("nl", "en") else check_lang(default)


def slider_value(slider: w.FloatSlider) -> float:
    """Return the slider's value at its step's precision: what the student sees on screen.

    The browser sends a FloatSlider at 85% with step 0.01 as 0.8499999999999999; range
    checks on that value would disagree with the number on screen.
    """
    decimals = max(0, -Decimal(str(slider.step)).normalize().as_tuple().exponent)
    return round(float(slider.value), decimals)


def _chart() -> w.Image:
    return w.Image(format="png", layout=w.Layout(width="100%", max_width="760px", display="none"))


def _show(image: w.Image, data: bytes) -> None:
    """Show PNG ``data`` in ``image``; hide the image while there is nothing to show."""
    image.value = data
    image.layout.display = None if data else "none"


def _verdict(text: str, colour: str) -> str:
    return (f'<span style="background:{colour};color:white;padding:0.1em 0.5em;'
            f'border-radius:0.3em">{escape(text)}</span>')


_VERDICT_COLOURS = {"positive": plots.STAGE_COLOURS[3], "neutral": "#757575",
                    "negative": plots.STAGE_COLOURS[0]}


class ExpectationExplorer(w.VBox):
    """Expected against delivered (seed 003): days until a quote arrives → the experience.

    Tick "announce" to manage the expectation: the seller's announcement replaces
    what the customer expected by themselves.
    """

    def __init__(self, lang: str = "en", expected: int = 2, delivered: int = 4) -> None:
        self.lang = check_lang(lang)
        self.expected = w.IntSlider(expected, 1, 10, description=t("teach_w_expected", lang),
                                    style=_DESC, layout=_WIDE)
        self.announce = w.Checkbox(False, description=t("teach_w_announce", lang), indent=False,
                                   layout=_WIDE)
        self.announced = w.IntSlider(3, 1, 10, description=t("teach_w_announced", lang),
                                     style=_DESC, layout=_WIDE, disabled=True)
        self.delivered = w.IntSlider(delivered, 1, 10, description=t("teach_w_delivered", lang),
                                     style=_DESC, layout=_WIDE)
        self.html = w.HTML()
        for widget in (self.expected, self.announce, self.announced, self.delivered):
            widget.observe(self.update, "value")
        super().__init__([self.expected, self.announce, self.announced, self.delivered,
                          self.html])
        self.update()

    def update(self, *_: object) -> None:
        """Recompute the experience from the sliders."""
        self.announced.disabled = not self.announce.value
        r = experience(self.expected.value, self.delivered.value,
                       announced=self.announced.value if self.announce.value else None,
                       lower_is_better=True)
        self.result = r
        lang = self.lang
        self.html.value = "<p>" + t(
            "teach_w_experience", lang, expectation=days(r.expectation, lang),
            delivered=days(r.delivered, lang), gap=experience_gap(r.gap, lang),
            verdict=_verdict(t(f"teach_verdict_{r.verdict}", lang), _VERDICT_COLOURS[r.verdict]),
        ) + "</p>"


class NPSCalculator(w.VBox):
    """NPS of raw 0–10 answers: one slider per answer (how many customers gave it), or a file.

    The sliders start at seed 003's worked example (25% promoters, 55% passives, 20%
    detractors: NPS +5). Uploading a CSV or XLSX with a column of 0–10 answers sets
    the sliders to that file's counts.
    """

    def __init__(self, lang: str = "en", counts: Sequence[int] = WORKED_EXAMPLE_COUNTS) -> None:
        self.lang = check_lang(lang)
        self.sliders = [
            w.IntSlider(value=int(c), min=0, max=max(50, int(c)), orientation="vertical",
                        description=str(k), layout=w.Layout(width="52px", height="170px"))
            for k, c in enumerate(counts)
        ]
        self.upload = w.FileUpload(accept=".csv,.xlsx", multiple=False,
                                   description=t("teach_w_upload", lang),
                                   layout=w.Layout(width="auto"))
        self.status = w.HTML()
        self.html = w.HTML()
        self.chart = _chart()
        self._loading = False
        for s in self.sliders:
            s.observe(self.update, "value")
        self.upload.observe(self.load_upload, "value")
        super().__init__([
            w.HTML(f"<i>{escape(t('teach_w_sliders', lang))}</i>"),
            w.HBox(self.sliders),
            w.HBox([self.upload, self.status]),
            self.html,
            self.chart,
        ])
        self.update()

    @property
    def counts(self) -> list[int]:
        """How many customers gave each answer 0–10."""
        return [s.value for s in self.sliders]

    def set_counts(self, counts: Sequence[int]) -> None:
        """Set all eleven sliders at once (widening their range where needed), then update."""
        if len(counts) != 11:
            raise ValueError(f"counts must hold 11 numbers (answers 0–10), got {len(counts)}")
        self._loading = True
        try:
            for s, c in zip(self.sliders, counts, strict=True):
                s.max = max(s.max, int(c))
                s.value = int(c)
        finally:
            self._loading = False
        self.update()

    def load_upload(self, *_: object) -> None:
        """Read the uploaded file's answers into the sliders (or say what is wrong with it)."""
        if not self.upload.value:
            return
        file = self.upload.value[0]
        try:
            answers, column = read_nps_upload(file["content"], file["name"], self.lang)
        except ValueError as exc:
            self.status.value = f'<span style="color:#b35900">{escape(str(exc))}</span>'
            return
        self.status.value = escape(t("teach_w_uploaded", self.lang, n=int(answers.notna().sum()),
                                     name=file["name"], column=column,
                                     blank=int(answers.isna().sum())))
        self.set_counts(nps_counts(answers))

    def update(self, *_: object) -> None:
        """Recompute the NPS and its margin of error from the counts."""
        if self._loading:
            return
        answers = np.repeat(np.arange(11), self.counts)
        r = nps(answers)
        self.result = r
        lang = self.lang
        if r.n == 0:
            self.html.value = f"<p>{escape(t('teach_w_nps_empty', lang))}</p>"
            _show(self.chart, b"")
            return
        self.html.value = "<p>" + t(
            "teach_w_nps", lang, n=r.n, p=r.promoters, a=r.passives, d=r.detractors,
            p_pct=fmt(100 * r.promoters / r.n, lang, 0),
            a_pct=fmt(100 * r.passives / r.n, lang, 0),
            d_pct=fmt(100 * r.detractors / r.n, lang, 0),
            nps=f"<b>{r.score:+.0f}</b>", margin=fmt(r.margin, lang, 0),
            low=fmt(r.low, lang, 0), high=fmt(r.high, lang, 0),
        ) + "</p>"
        _show(self.chart, png(figures.nps_bars(self.counts, lang)))


class SamplingExplorer(w.VBox):
    """How far one survey's NPS can be from the truth: simulated surveys of n customers."""

    SIZES = (10, 20, 30, 50, 100, 200, 300, 500, 1000)

    def __init__(self, lang: str = "en", promoters: int = 25, detractors: int = 20,
                 n: int = 30, repeats: int = 2000, seed: int = 2024) -> None:
        self.lang = check_lang(lang)
        self.repeats, self.seed = repeats, seed
        self.n = w.SelectionSlider(options=self.SIZES, value=n, layout=_WIDE, style=_DESC,
                                   description=t("teach_w_sample_size", lang))
        self.promoters = w.IntSlider(promoters, 0, 100, description=t("teach_w_promoters", lang),
                                     layout=_WIDE, style=_DESC)
        self.detractors = w.IntSlider(detractors, 0, 100, layout=_WIDE, style=_DESC,
                                      description=t("teach_w_detractors", lang))
        self.html = w.HTML()
        self.chart = _chart()
        for widget in (self.n, self.promoters, self.detractors):
            widget.observe(self.update, "value")
        super().__init__([self.n, self.promoters, self.detractors, self.html, self.chart])
        self.update()

    def update(self, *_: object) -> None:
        """Simulate the surveys and show their spread."""
        p, d = self.promoters.value, self.detractors.value
        if p + d > 100:
            self.html.value = escape(t("teach_w_shares_too_big", self.lang))
            return
        shares = (p, 100 - p - d, d)
        samples = nps_sampling(shares, sizes=(self.n.value,), repeats=self.repeats,
                               seed=self.seed)
        summary = sampling_summary(samples, shares)
        row = summary.iloc[0]
        self.result = summary
        lang = self.lang
        self.html.value = "<p>" + escape(t(
            "teach_w_sampling", lang, n=self.n.value, true=f"{row['true_nps']:+.0f}",
            low=fmt(row["low"], lang, 0), high=fmt(row["high"], lang, 0),
            margin=fmt(row["margin"], lang, 0),
        )) + "</p>"
        _show(self.chart, png(figures.sampling_figure(samples, summary, lang)))


def _question(k: int, text: str, note: str = "") -> w.HTML:
    extra = f' <span style="color:#777">{escape(note)}</span>' if note else ""
    return w.HTML(f"<p style='margin:0.8em 0 0.2em 0'><b>{k}.</b> {escape(text)}{extra}</p>")


#: the button that stands for "don't know / not applicable" on a likert item
DONT_KNOW_BUTTON = "?"


def _scale_legend(instrument: Instrument, lang: str) -> str:
    """Return the likert legend shown above the buttons: "1 = …" per label, "? = don't know"."""
    parts = [f"{k} = {label.get(lang)}" for k, label in enumerate(instrument.scale.labels, 1)]
    if instrument.scale.dont_know is not None:
        parts.append(f"{DONT_KNOW_BUTTON} = {instrument.scale.dont_know.get(lang)}")
    return " · ".join(parts)


def _input_for(item, instrument: Instrument, lang: str) -> w.Widget:
    options = answer_options(item, instrument, lang)
    if item.type == "likert5":  # numbers on the buttons, "?" for don't know; labels as tooltips
        return w.ToggleButtons(options=[(DONT_KNOW_BUTTON if v == DONT_KNOW else str(v), v)
                                        for _, v in options], value=None,
                               tooltips=[label for label, _ in options],
                               style={"button_width": "46px"})
    if item.type == "stages4":
        return w.RadioButtons(options=options, value=None, layout=_WIDE)
    if item.type == "nps":
        return w.ToggleButtons(options=options, value=None, style={"button_width": "36px"})
    if item.type == "choice":
        return w.RadioButtons(options=options, value=None, layout=_WIDE)
    return w.Textarea(layout=_WIDE)


class _Questionnaire:
    """Inputs for every answerable item of some instruments, built from their YAML."""

    def __init__(self, instruments: Sequence[Instrument], lang: str,
                 on_change: Callable[..., None]) -> None:
        self.instruments = list(instruments)
        self.inputs: dict[str, w.Widget] = {}
        self.on_change = on_change
        self.holding = False
        for inst in self.instruments:
            for item in inst.items:
                if item.type == "text":
                    continue
                widget = _input_for(item, inst, lang)
                widget.observe(self._notify, "value")
                self.inputs[item.id] = widget

    def _notify(self, change: object) -> None:
        if not self.holding:
            self.on_change(change)

    def layout(self, instrument: Instrument, items: Sequence, lang: str, start: int = 1) -> list:
        """Question and input per item, numbered from ``start``."""
        out = []
        for k, item in enumerate(items, start):
            note = "" if instrument.interfaces == [] or item.dimension is None else (
                instrument.dimension(item.dimension).title.get(lang))
            out.append(w.VBox([_question(k, item.text.get(lang), note), self.inputs[item.id]]))
        return out

    @property
    def answers(self) -> dict[str, object]:
        """Item id -> answer, for the answered items."""
        return {i: v.value for i, v in self.inputs.items() if v.value not in (None, "")}

    def set_answers(self, answers: Mapping[str, object]) -> None:
        """Fill in answers by item id (unknown ids are an error)."""
        unknown = sorted(set(answers) - set(self.inputs))
        if unknown:
            raise ValueError(f"no such items in this form: {unknown}")
        self.holding = True
        try:
            for item_id, value in answers.items():
                self.inputs[item_id].value = value
        finally:
            self.holding = False
        self.on_change(None)


class _Form:
    """Access to a widget's questionnaire (``self.form``) by item id."""

    form: _Questionnaire

    @property
    def answers(self) -> dict[str, object]:
        """Item id -> answer, for the answered questions."""
        return self.form.answers

    def set_answers(self, answers: Mapping[str, object]) -> None:
        """Fill in answers by item id (the results update once, afterwards)."""
        self.form.set_answers(answers)


class DisciplineScan(_Form, w.VBox):
    """Value-discipline self-scan from the value_disciplines YAML; the profile updates live."""

    def __init__(self, lang: str = "en", instrument: Instrument | None = None) -> None:
        self.lang = check_lang(lang)
        self.instrument = instrument or load_instrument("value_disciplines")
        inst = self.instrument
        self.form = _Questionnaire([inst], lang, self.update)
        self.progress, self.html, self.chart = w.HTML(), w.HTML(), _chart()
        scale = _scale_legend(inst, lang)
        items = [i for i in inst.items if i.type != "text"]
        super().__init__([
            w.HTML(_CSS + f"<p><i>{escape(scale)}</i></p>"),
            *self.form.layout(inst, items, lang),
            self.progress, self.html, self.chart,
        ])
        self.update()

    def update(self, *_: object) -> None:
        """Score the answers so far and redraw the profile."""
        inst, lang = self.instrument, self.lang
        scores = scan_scores(self.answers, [inst])
        self.result = scores
        answered = sum(i.id in self.answers for i in inst.scored_items)
        self.progress.value = escape(t("teach_w_progress", lang, done=answered,
                                       total=len(inst.scored_items)))
        self.html.value = f"<p>{profile_text(scores, inst, lang)}</p>"
        _show(self.chart, png(plots.discipline_bars(scores, inst, lang)))


def _steps_html(scores, instrument: Instrument, lang: str, n: int = 3) -> str:
    steps = roadmap(scores, instrument, n=n)
    if steps.empty:
        return ""
    parts = [f"<h4>{escape(t('teach_w_next_steps', lang))}</h4><ol>"]
    for row in steps.itertuples():
        rec = row.recommendation
        parts.append(
            f"<li><b>{escape(instrument.dimension(row.dimension).title.get(lang))}</b>: "
            f"{escape(instrument.level(row.stage).label.get(lang))} → "
            f"{escape(instrument.level(row.target).label.get(lang))}<ul>"
            + "".join(f"<li>{escape(a.get(lang))}</li>" for a in rec.actions)
            + "</ul>"
            + (f"<p><i>{escape(rec.caveat.get(lang))}</i></p>" if rec.caveat else "")
            + "</li>"
        )
    return "".join(parts) + "</ol>"


class AlignmentScan(_Form, w.VBox):
    """Self-scan of one interface (default marketing–sales) from the alignment YAML.

    Shows the stage ladder as it is filled in, and the steps to the next stage for
    the weakest dimensions (from the YAML's recommendations).
    """

    def __init__(self, interface: str = "marketing_sales", lang: str = "en",
                 instrument: Instrument | None = None) -> None:
        self.lang = check_lang(lang)
        self.instrument = subset_instrument(instrument or load_instrument("alignment"),
                                            interface)
        inst = self.instrument
        self.form = _Questionnaire([inst], lang, self.update)
        self.progress, self.html, self.chart = w.HTML(), w.HTML(), _chart()
        items = [i for i in inst.items if i.type != "text"]
        super().__init__([w.HTML(_CSS), *self.form.layout(inst, items, lang), self.progress,
                          self.chart, self.html])
        self.update()

    def update(self, *_: object) -> None:
        """Score the answers so far, redraw the ladder, list the next steps."""
        inst, lang = self.instrument, self.lang
        scores = scan_scores(self.answers, [inst])
        self.result = scores
        self.progress.value = escape(t("teach_w_progress", lang, done=len(self.answers),
                                       total=len(inst.scored_items)))
        _show(self.chart, png(plots.stage_ladder(scores, inst, lang)))
        iface = scores[scores["level"] == "interface"].iloc[0]
        if isinstance(iface["stage"], str):
            head = t("teach_w_stage", lang, interface=inst.interfaces[0].title.get(lang),
                     stage=inst.level(iface["stage"]).label.get(lang),
                     score=fmt(iface["score"], lang),
                     meaning=inst.level(iface["stage"]).meaning.get(lang))
        else:
            head = t("teach_w_stage_not_rated", lang)
        self.html.value = f"<p><b>{escape(head)}</b></p>" + _steps_html(scores, inst, lang)


class RetentionExplorer(w.VBox):
    """A few points more retention, worked through to a customer's lifetime value (seed 000)."""

    def __init__(self, lang: str = "en") -> None:
        self.lang = check_lang(lang)

        def slider(value, lo, hi, step, key, fmt_="") -> w.FloatSlider:
            return w.FloatSlider(value=value, min=lo, max=hi, step=step, layout=_WIDE,
                                 style=_DESC, description=t(key, lang), readout_format=fmt_)

        self.retention = slider(0.80, 0.50, 0.94, 0.01, "teach_w_retention", ".0%")
        self.uplift = slider(0.05, 0.0, 0.10, 0.01, "teach_w_uplift", ".0%")
        self.margin = slider(100, 10, 1000, 10, "teach_w_margin", ".0f")
        self.discount = slider(0.10, 0.0, 0.20, 0.01, "teach_w_discount", ".0%")
        self.acquisition = slider(0, 0, 1000, 10, "teach_w_acquisition", ".0f")
        self.growth = slider(0.0, 0.0, 0.15, 0.01, "teach_w_growth", ".0%")
        self.html, self.chart = w.HTML(), _chart()
        controls = [self.retention, self.uplift, self.margin, self.discount, self.acquisition,
                    self.growth]
        for c in controls:
            c.observe(self.update, "value")
        super().__init__([*controls, self.html, self.chart])
        self.update()

    def update(self, *_: object) -> None:
        """Recompute the value before and after, and compare with Reichheld & Sasser."""
        lang = self.lang
        kw = {"margin": slider_value(self.margin), "discount_rate": slider_value(self.discount),
              "margin_growth": slider_value(self.growth)}
        after = slider_value(self.retention) + slider_value(self.uplift)
        if round(after, 6) > 1:  # the sliders allow 94% + 10%: say so in the lesson's language
            self.html.value = ('<p style="color:#b35900">'
                               + escape(t("teach_w_retention_over", lang,
                                          after=fmt(100 * after, lang, 0))) + "</p>")
            return
        try:
            eff = retention_effect(slider_value(self.retention), slider_value(self.uplift),
                                   acquisition_cost=slider_value(self.acquisition), **kw)
        except ValueError as exc:
            self.html.value = f'<p style="color:#b35900">{escape(str(exc))}</p>'
            return
        self.result = eff
        inside = in_reichheld_sasser_range(eff["change_pct"])  # as shown, in whole percents
        self.html.value = "<p>" + escape(t(
            "teach_w_retention_result", lang,
            before=fmt(eff["retention_before"] * 100, lang, 0),
            after=fmt(eff["retention_after"] * 100, lang, 0),
            clv_before=fmt(eff["clv_before"], lang, 0), clv_after=fmt(eff["clv_after"], lang, 0),
            change=fmt(eff["change_pct"], lang, 0),
        )) + " " + escape(t("teach_w_rs_inside" if inside else "teach_w_rs_outside", lang)) + "</p>"
        years = 25
        before = clv_table(years=years, retention=eff["retention_before"], **kw)
        after = clv_table(years=years, retention=eff["retention_after"], **kw)
        labels = [t("teach_w_retention_label", lang, r=fmt(r * 100, lang, 0))
                  for r in (eff["retention_before"], eff["retention_after"])]
        _show(self.chart, png(figures.clv_figure(before, after, labels, lang)))


class IncentiveExplorer(w.VBox):
    """Targets and bonuses (seed 004): which offer the account manager advises, and what is left.

    The case comes from ``data/teaching/incentives.yaml``.
    """

    def __init__(self, lang: str = "en", case: dict | None = None) -> None:
        self.lang = check_lang(lang)
        self.case = case or incentive_case()
        self.deals = deal_metrics(self.case["options"], self.case["follow_up"])
        self.target = w.ToggleButtons(
            options=[(t("teach_target_revenue", lang), "revenue"),
                     (t("teach_target_margin", lang), "margin")], value="revenue")
        self.bonus = w.ToggleButtons(
            options=[(t("teach_bonus_individual", lang), "individual"),
                     (t("teach_bonus_team", lang), "team")], value="individual")
        self.integrity = w.FloatSlider(0.0, min=0, max=1, step=0.05, layout=_WIDE, style=_DESC,
                                       description=t("teach_w_integrity", lang))
        self.html, self.chart = w.HTML(), _chart()
        for c in (self.target, self.bonus, self.integrity):
            c.observe(self.update, "value")
        super().__init__([self.target, self.bonus, self.integrity, self.html, self.chart])
        self.update()

    def update(self, *_: object) -> None:
        """Let the account manager choose under the selected scheme and show the outcome."""
        lang = self.lang
        scheme = scheme_for(self.case["schemes"], self.target.value, self.bonus.value)
        scored = choose_option(self.deals, {m: scheme[m] for m in METRICS},
                               slider_value(self.integrity))
        self.result = scored
        pick = scored[scored["advised"]].iloc[0]
        best = scored.loc[scored["fit"].idxmax()]
        rows = "".join(
            f"<tr style='{'font-weight:bold' if r.advised else ''}'><td>{escape(r.id)}</td>"
            f"<td style='text-align:left'>{escape(getattr(r, f'label_{lang}'))}</td>"
            f"<td>{money(r.margin_at_signature, lang)}</td>"
            f"<td>{money(r.margin_after_delivery, lang)}</td>"
            f"<td>{fmt(r.fit, lang, 2)}</td><td>{money(r.bonus, lang)}</td></tr>"
            for r in scored.itertuples()
        )
        head = "".join(f"<th>{escape(t(k, lang))}</th>" for k in (
            "teach_w_col_offer", "teach_w_col_what", "teach_metric_margin_at_signature",
            "teach_metric_margin_after_delivery", "teach_w_col_fit", "teach_w_col_bonus"))
        sentence = t("teach_w_advice", lang, scheme=scheme[f"label_{lang}"], option=pick["id"],
                     after=money(pick["margin_after_delivery"], lang),
                     signed=money(pick["margin_at_signature"], lang))
        sentence += " " + (t("teach_w_advice_best", lang) if pick["id"] == best["id"]
                           else t("teach_w_advice_not_best", lang, best=best["id"]))
        self.html.value = (f"<p>{escape(sentence)}</p><table><thead><tr>{head}</tr></thead>"
                           f"<tbody>{rows}</tbody></table>")
        _show(self.chart, png(figures.deal_figure(scored, lang)))


class ExerciseForm(w.VBox):
    """An exercise answered in widgets (for Voilà, where code cannot be edited).

    ``fields`` maps the check function's argument names to input widgets; the
    button calls ``check(**values, lang=lang)`` and shows the feedback.
    """

    def __init__(self, check: Callable[..., Feedback], fields: Mapping[str, w.Widget],
                 lang: str = "en") -> None:
        self.lang = check_lang(lang)
        self.check, self.fields = check, dict(fields)
        self.button = _button(t("teach_w_check", lang), button_style="primary")
        self.html = w.HTML()
        self.button.on_click(self.run)
        super().__init__([*self.fields.values(), self.button, self.html])

    def run(self, *_: object) -> None:
        """Check the answers and show the feedback."""
        fb = self.check(**{k: v.value for k, v in self.fields.items()}, lang=self.lang)
        self.result = fb
        self.html.value = fb._repr_html_()

    @classmethod
    def dimension_score(cls, lang: str = "en") -> ExerciseForm:
        """Build the exercise of :func:`assessment.teaching.exercises.check_dimension_score`."""
        inst = load_instrument("alignment")
        return cls(check_dimension_score, {
            "score": w.Text(description=t("teach_w_score", lang), style=_DESC),
            "stage": w.Dropdown(options=[("—", None)] + [(lv.label.get(lang), lv.id)
                                                         for lv in inst.levels],
                                description=t("teach_w_stage_label", lang), style=_DESC),
        }, lang)

    @classmethod
    def discipline_score(cls, lang: str = "en") -> ExerciseForm:
        """Build the exercise of :func:`assessment.teaching.exercises.check_discipline_score`."""
        return cls(check_discipline_score, {
            "answer": w.Text(description=t("teach_w_score_100", lang), style=_DESC)}, lang)


class SelfAssessmentForm(_Form, w.VBox):
    """The full self-assessment (every instrument's questions) as a form.

    "Save" writes the answers as one row in the project's input format to
    ``out_dir`` (default ``build/self-assessment/``) and offers it for download;
    "Show my scores" draws the stage ladder and the value-discipline profile at
    once; "Make my report" renders the full report with
    :func:`assessment.report.render.render_report` and shows it.

    In a class session (:mod:`assessment.teaching.classpage`) ``respondent_id`` is the
    student's id: the answers are saved as ``<respondent_id>.csv`` (a new save replaces
    the student's own earlier one), the report goes to ``reports/<respondent_id>/``, and
    ``show_paths=False`` keeps the server's paths out of the messages.
    """

    def __init__(self, lang: str = "en", out_dir: str | Path = SELF_ASSESSMENT_DIR,
                 instruments: Sequence[str] = ("alignment", "value_disciplines"),
                 respondent_id: str | None = None, show_paths: bool = True) -> None:
        self.lang = check_lang(lang)
        self.out_dir = Path(out_dir)
        self.instruments = [load_instrument(i) for i in instruments]
        self.student = respondent_id
        self.respondent_id = respondent_id or f"self-{secrets.token_hex(3)}"
        self.show_paths = show_paths
        self.saved: Path | None = None
        self.report_path: Path | None = None
        self.organisation = w.Text(description=t("teach_w_organisation", lang), style=_DESC,
                                   placeholder=t("teach_w_organisation_hint", lang),
                                   layout=w.Layout(width="60%"))
        self.department = w.Dropdown(options=[(t(f"dept_{d}", lang), d)
                                              for d in DEPARTMENT_ORDER],
                                     value="other", description=t("teach_w_department", lang),
                                     style=_DESC)
        self.form = _Questionnaire(self.instruments, lang, self._changed)
        pages, titles = [], []
        for inst in self.instruments:
            groups = ([(i.title.get(lang), [x for x in inst.items if x.interface == i.id])
                       for i in inst.interfaces] if inst.interfaces
                      else [(inst.title.get(lang), list(inst.items))])
            for title, items in groups:
                items = [i for i in items if i.type != "text"]
                intro = "" if inst.scale.type != "likert5" else _scale_legend(inst, lang)
                pages.append(w.VBox([w.HTML(f"<p><i>{escape(intro)}</i></p>"),
                                     *self.form.layout(inst, items, lang)]))
                titles.append(title)
        self.tabs = w.Tab(children=pages, titles=titles)
        self.progress = w.HTML()
        self.save_button = _button(t("teach_w_save", lang), icon="save")
        self.scores_button = _button(t("teach_w_scores", lang), icon="bar-chart")
        self.report_button = _button(t("teach_w_report", lang), icon="file",
                                     button_style="primary")
        self.save_button.on_click(self.save)
        self.scores_button.on_click(self.show_scores)
        self.report_button.on_click(self.make_report)
        # status: what the buttons did (warnings, saved, making the report), right under them;
        # html: the profile sentence of "Show my scores", which saving leaves alone
        self.status = w.HTML()
        self.html, self.chart, self.chart2, self.report = w.HTML(), _chart(), _chart(), w.HTML()
        self._warning: str | None = None
        self.organisation.observe(self._input_changed, "value")
        super().__init__([
            w.HTML(_CSS), self.organisation, self.department, self.tabs, self.progress,
            w.HBox([self.save_button, self.scores_button, self.report_button]),
            self.status, self.html, self.chart, self.chart2, self.report,
        ])
        self._changed()

    def _changed(self, *_: object) -> None:
        total = sum(len([i for i in inst.items if i.type != "text"])
                    for inst in self.instruments)
        self.progress.value = escape(t("teach_w_progress", self.lang, done=len(self.answers),
                                       total=total))
        self._input_changed()

    def _input_changed(self, *_: object) -> None:
        """Take a warning away once what it asked for is there (a name, an answer)."""
        solved = {"teach_w_need_organisation": bool(self.organisation.value.strip()),
                  "teach_w_need_answers": bool(self.answers)}
        if self._warning is not None and solved.get(self._warning):
            self._warning = None
            self.status.value = ""

    def _warn_about(self, key: str) -> None:
        self._warning = key
        self.status.value = self._warn(t(key, self.lang))

    def save(self, *_: object) -> Path | None:
        """Write the answers to ``out_dir`` in the project's input format; return the path."""
        lang, org = self.lang, self.organisation.value.strip()
        if not org:
            self._warn_about("teach_w_need_organisation")
            return None
        if not self.answers:
            self._warn_about("teach_w_need_answers")
            return None
        from assessment.core.files import csv_text, safe_name

        frame = answers_frame(self.answers, self.instruments, org, self.department.value,
                              self.respondent_id, lang)
        data = csv_text(frame).encode("utf-8")
        stem = self.student or f"{safe_name(org)}_{self.respondent_id}"
        path = self.out_dir / f"{stem}.csv"
        write_atomic(path, data)
        self.saved = path
        self._warning = None
        saved = (t("teach_w_saved", lang, path=str(path)) if self.show_paths
                 else t("teach_c_saved", lang, time=datetime.now().strftime("%H:%M")))
        self.status.value = "<p>" + escape(saved) + " " + (
            download_link(data, path.name, t("teach_w_download_answers", lang))) + "</p>"
        return path

    def show_scores(self, *_: object) -> None:
        """Score the answers at once: stage ladder and value-discipline profile."""
        lang = self.lang
        scores = scan_scores(self.answers, self.instruments)
        self.result = scores
        parts = []
        for inst in self.instruments:
            own = scores[scores["instrument"] == inst.id]
            if inst.scale.type == "stages4":
                _show(self.chart, png(plots.stage_ladder(own, inst, lang)))
            elif inst.profile is not None:
                _show(self.chart2, png(plots.discipline_bars(own, inst, lang)))
                parts.append(profile_text(own, inst, lang))
        self.html.value = "".join(f"<p>{p}</p>" for p in parts)

    def make_report(self, *_: object) -> Path | None:
        """Save, render the full report (about 10–20 s) and show it; return the HTML path.

        While the report is being made the button is disabled (a second click would
        queue a second report) and the status under the buttons says so.
        """
        if self.report_button.disabled:
            return None
        self.report_button.disabled = True
        try:
            return self._make_report()
        finally:
            self.report_button.disabled = False

    def _make_report(self) -> Path | None:
        lang = self.lang
        path = self.save()
        if path is None:
            return None
        saved = self.status.value
        self.status.value = saved + f"<p><i>{escape(t('teach_w_rendering', lang))}</i></p>"
        from assessment.report.render import render_report  # imports nbconvert: slow, so on click

        try:
            reports = self.out_dir / "reports"
            result = render_report(path, self.organisation.value.strip(),
                                   reports / self.student if self.student else reports,
                                   lang=lang)
        except AssessmentError as exc:
            self.status.value = saved + self._warn(str(exc))
            return None
        html = result.html.read_bytes()
        self.report_path = result.html
        ready_text = (t("teach_w_report_ready", lang, path=str(result.html)) if self.show_paths
                      else t("teach_c_report_ready", lang))
        ready = ("<p>" + escape(ready_text) + " "
                 + download_link(html, result.html.name, t("teach_w_download_report", lang),
                                 "text/html")
                 + "</p>")
        self.status.value = saved + ready
        self.report.value = (
            ready + f'<iframe srcdoc="{escape(html.decode("utf-8"), quote=True)}" '
            'style="width:100%;height:900px;border:1px solid #ccc"></iframe>'
        )
        return result.html

    @staticmethod
    def _warn(text: str) -> str:
        return f'<p style="color:#b35900">{escape(text)}</p>'
