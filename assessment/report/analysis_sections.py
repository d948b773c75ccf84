"""The report's analysis sections as HTML: departments, certainty, tension, NPS, comparison.

Each public function takes a :class:`~assessment.report.data.ReportData` (and the anonymity
minimum) and returns an HTML string in the report's language, as
:mod:`assessment.report.sections` does. The numbers come from
:func:`assessment.analysis.whole_file.analyse_organisation`, computed once per report.

Anonymity (DESIGN 5): department figures are computed only for the groups the rule shows
(:mod:`assessment.analysis.departments`), so no chart, table or sentence here can show a smaller
group; comments are listed without department, in alphabetical order.
"""

from __future__ import annotations

from html import escape

import numpy as np
import pandas as pd

from assessment.analysis.benchmark import MIN_COHORT
from assessment.analysis.departments import GROUP_ORDER, MIN_GROUP_SIZE, OTHER, Grouping
from assessment.analysis.stats import (
    LOW_AGREEMENT,
    LOW_N,
    MIN_ALPHA_N,
    MIN_INTERPRETABLE,
    N_BOOT,
    SEED,
    coefficient_for,
    uninterpretable_reason,
)
from assessment.analysis.whole_file import OrganisationAnalysis
from assessment.core.i18n import fmt, messages, t
from assessment.core.instruments import Instrument
from assessment.core.privacy import redact
from assessment.core.references import cited_in
from assessment.norms.compare import compare_organisation
from assessment.report import analysis_plots, chart_data
from assessment.report.accessible import lang_attribute
from assessment.report.data import (
    ReportData,
    analyse_report,
    below_as_shown,
    comparison_parts,
    figure_html,
    index_basis,
    section_heading,
)

__all__ = [
    "analyse_report",
    "comparison_parts",
    "comparison_section",
    "departments_section",
    "gap_in_words",
    "group_label",
    "lower_title",
    "loyalty_section",
    "methodology_keys",
    "methodology_trust",
    "signed",
    "summary_gaps",
    "summary_more",
]

#: how many perception gaps the department section lists
TOP_GAPS = 5
# --------------------------------------------------------------------------- words


def lower_title(text: str) -> str:
    """Write a title inside a sentence: first letter lower-case, unless it starts an acronym.

    Examples
    --------
    >>> lower_title("Shared goals, KPIs and rewards"), lower_title("NPS and loyalty")
    ('shared goals, KPIs and rewards', 'NPS and loyalty')
    """
    first = text.split(" ", 1)[0]
    if len(first) > 1 and any(c.isupper() for c in first[1:]):
        return text
    return text[:1].lower() + text[1:]


def signed(value: float, lang: str, decimals: int = 0) -> str:
    """Format a change or an NPS with its sign (+12, −35, 0), decimal comma in Dutch.

    Examples
    --------
    >>> signed(12.4, "en"), signed(-35.0, "nl"), signed(0.04, "en", 1), signed(-0.25, "nl", 1)
    ('+12', '−35', '0.0', '−0,2')
    """
    if value is None or pd.isna(value):
        return "–"
    text = fmt(abs(value), lang, decimals)
    if float(text.replace(",", ".")) == 0:
        return text
    return ("+" if value > 0 else "−") + text


def group_label(group: str, grouping: Grouping, lang: str) -> str:
    """Return a group's name in the report (a pooled ``other`` says so).

    Examples
    --------
    >>> from assessment.analysis.departments import group_departments
    >>> g = group_departments(pd.Series(["marketing"] + ["sales"] * 2 + ["service"] * 3))
    >>> [group_label(x, g, "nl") for x in g.shown]
    ['Marketing en sales', 'Service']
    """
    if group == OTHER and grouping.pooled:
        return t("dept_other_pooled", lang)
    return t(f"dept_{group}", lang) if group in GROUP_ORDER else group


def _dept_list(departments: tuple[str, ...], lang: str) -> str:
    names = [lower_title(t(f"dept_{d}", lang)) for d in departments]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + t("and", lang) + names[-1]


def gap_in_words(gap: float, instrument: Instrument, lang: str) -> str:
    """Say a gap on the stage scale in words, to the nearest quarter or half stage.

    One stage is the width of a band (0.75 on the 1–4 scale), so a gap of 1.0 is a third
    more than one stage: "more than a stage", not "one and a half stages".

    Examples
    --------
    >>> from assessment.core.instruments import load_instrument
    >>> al = load_instrument("alignment")
    >>> [gap_in_words(g, al, "en") for g in (0.2, 0.4, 0.5)]
    ['slightly', 'half a stage', 'three quarters of a stage']
    >>> [gap_in_words(g, al, "en") for g in (0.75, 1.0, 1.1, 1.5)]
    ['about one stage', 'more than one stage', 'one and a half stages', 'two stages']
    """
    width = (instrument.scale.max - instrument.scale.min) / max(len(instrument.levels), 1)
    f = round(gap / width, 6)
    for limit, key in ((2.3, "gap_more_than_two"), (1.85, "gap_two"), (1.4, "gap_one_half"),
                       (1.15, "gap_over_one"), (0.85, "gap_full"), (0.6, "gap_three_quarters"),
                       (0.35, "gap_half")):
        if f >= limit:
            return t(key, lang)
    return t("gap_little", lang)


def shown_gap(high: float, low: float, decimals: int = 1) -> float:
    """Return the difference of two scores as shown (each rounded first), so they agree.

    Examples
    --------
    >>> shown_gap(3.24, 2.16)  # shown as 3.2 and 2.2: the difference shown is 1.0, not 1.1
    1.0
    """
    return round(round(float(high), decimals) - round(float(low), decimals), decimals)


def _gap_sentence(row: pd.Series, rd: ReportData, grouping: Grouping) -> str:
    inst, lang = rd.alignment, rd.lang
    gap = shown_gap(row["high_score"], row["low_score"])
    return t(
        "gap_sentence", lang,
        high=escape(lower_title(group_label(row["high"], grouping, lang))),
        low=escape(lower_title(group_label(row["low"], grouping, lang))),
        dimension=escape(lower_title(inst.dimension(row["dimension"]).title.get(lang))),
        amount=gap_in_words(gap, inst, lang), gap=fmt(gap, lang),
        high_score=fmt(row["high_score"], lang), low_score=fmt(row["low_score"], lang),
        interface=escape(lower_title(inst.interface(row["interface"]).title.get(lang))),
    )


def _top_gaps(a: OrganisationAnalysis, n: int, pooled: bool = True) -> pd.DataFrame:
    """Return the largest gaps, one per dimension (where it is largest).

    With ``pooled=False`` a gap with a pooled ``other`` group is left out (a headline
    about "other departments together" is nothing a client can act on).
    """
    gaps = a.gaps
    if not pooled and a.grouping.pooled:
        gaps = gaps[(gaps["high"] != OTHER) & (gaps["low"] != OTHER)]
    return gaps.drop_duplicates("dimension").head(n)


def _anonymity_note(g: Grouping, lang: str, withheld: pd.DataFrame | None = None) -> str:
    """Say how the anonymity rule grouped, hid or withheld departments (and cells)."""
    parts = [t("anon_rule", lang, min=g.min_group_size)]
    if g.basis != "departments":
        sizes = {grp: g.sizes[grp] for grp in g.shown}
        parts.append(t(f"anon_basis_{g.basis}", lang, min=g.min_group_size, **sizes))
        if g.hidden:
            parts.append(t("anon_outside", lang, departments=_dept_list(g.hidden, lang)))
    elif not g.comparable:
        parts.append(t("anon_no_comparison", lang, n=int(g.groups.size),
                       min=g.min_group_size))
    elif g.pooled:
        parts.append(t("anon_pooled", lang, departments=_dept_list(g.pooled, lang),
                       label=t("dept_other_pooled", lang)))
    if g.hidden and g.basis == "departments":
        key = "anon_hidden_one" if len(g.hidden) == 1 else "anon_hidden"
        parts.append(t(key, lang, departments=_dept_list(g.hidden, lang),
                       min=g.min_group_size))
    if g.withheld and g.basis == "departments":
        parts.append(t("anon_withheld", lang, departments=_dept_list(g.withheld, lang)))
    if withheld is not None and not withheld.empty:
        cells = withheld.drop_duplicates(["instrument", "level", "interface", "dimension"])
        key = "anon_cells_one" if len(cells) == 1 else "anon_cells"
        parts.append(t(key, lang, n=len(cells), min=g.min_group_size))
    return " ".join(parts)


def _section(rd: ReportData, cls: str, title: str) -> str:
    # sections follow one another in print (short ones share a page, see report.css);
    # numbered by its place among the sections this report shows
    return (f'<section class="{cls}">'
            f"<h2>{section_heading(rd, cls, title)}</h2>")


def _table(header: list[str], rows: list[list[str]], cls: str = "compact") -> str:
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _flag(text: str) -> str:
    return f'<span style="color:#b2182b;font-weight:bold">{text}</span>'


def _loyalty(rd: ReportData) -> Instrument | None:
    """Return the instrument with an ``nps`` item (customer loyalty), if answered."""
    return rd.loyalty


# --------------------------------------------------------------------------- section 3


def departments_section(rd: ReportData, min_group_size: int = MIN_GROUP_SIZE) -> str:
    """Where departments differ: heatmap, perception gaps, agreement and intervals, tension."""
    lang, inst = rd.lang, rd.alignment
    out = [_section(rd, "departments", t("h_departments", lang))]
    if inst is None:
        out.append(f"<p>{t('summary_no_alignment', lang)}</p></section>")
        return "".join(out)
    a = analyse_report(rd, min_group_size)
    g = a.grouping
    out.append(f"<p>{t('departments_intro', lang)}</p>")
    out.append(f'<p class="muted">{_anonymity_note(g, lang, a.withheld)}</p>')
    if g.comparable:
        labels = {grp: group_label(grp, g, lang) for grp in g.shown}
        sizes = " · ".join(f"{escape(labels[grp])} {g.sizes[grp]}" for grp in g.shown)
        out.append(f'<p class="muted">{t("departments_sizes", lang, sizes=sizes)}</p>')
        rows = a.departments[(a.departments["instrument"] == inst.id)
                             & (a.departments["level"] == "dimension")]
        out.append(figure_html(analysis_plots.department_heatmap(rows, inst, lang, labels),
                               t("h_departments", lang),
                               chart_data.departments(rows, inst, lang, labels), lang))
        h_gaps = "h_gaps" if g.basis == "departments" else "h_gaps_groups"
        out.append(f"<h3>{t(h_gaps, lang)}</h3>")
        gaps = a.gaps.head(TOP_GAPS)
        if gaps.empty:
            out.append(f"<p>{t('gaps_none', lang)}</p>")
        else:
            top = _top_gaps(a, 3, pooled=False)
            top = top if not top.empty else _top_gaps(a, 3)
            out.append("<ul>" + "".join(
                f"<li>{_gap_sentence(r, rd, g)}</li>" for _, r in top.iterrows()
            ) + "</ul>")
            out.append(_table(
                [t("col_dimension", lang), t("col_interface", lang), t("col_highest", lang),
                 t("col_lowest", lang), t("col_gap", lang)],
                [[escape(inst.dimension(r["dimension"]).title.get(lang)),
                  escape(inst.interface(r["interface"]).title.get(lang)),
                  f"{escape(group_label(r['high'], g, lang))} {fmt(r['high_score'], lang)}",
                  f"{escape(group_label(r['low'], g, lang))} {fmt(r['low_score'], lang)}",
                  f"{fmt(shown_gap(r['high_score'], r['low_score']), lang)} "
                  f"({gap_in_words(shown_gap(r['high_score'], r['low_score']), inst, lang)})"]
                 for _, r in gaps.iterrows()],
            ))
            out.append(f'<p class="muted">{t("gaps_caveat", lang)}</p>')
    out.append(_certainty(rd, a))
    out.append(_tension(rd, a))
    out.append("</section>")
    return "".join(out)


def _certainty(rd: ReportData, a: OrganisationAnalysis) -> str:
    lang, inst = rd.lang, rd.alignment
    rows = a.rows(inst.id, "dimension")
    out = [f"<h3>{t('h_certainty', lang)}</h3>",
           f"<p>{t('certainty_intro', lang, n=LOW_N, value=fmt(LOW_AGREEMENT, lang, 2))}</p>",
           figure_html(analysis_plots.interval_chart(rows, inst, lang), t("h_certainty", lang),
                       chart_data.intervals(rows, inst, lang), lang)]
    header = [t("col_dimension", lang)] + [escape(i.title.get(lang)) for i in inst.interfaces]
    table = []
    for d in inst.dimensions:
        cells = [escape(d.title.get(lang))]
        for i in inst.interfaces:
            r = rows[(rows["interface"] == i.id) & (rows["dimension"] == d.id)]
            if r.empty or pd.isna(r["rwg"].iloc[0]):
                cells.append("–")
                continue
            value = fmt(r["rwg"].iloc[0], lang, 2)
            low = below_as_shown(r["rwg"].iloc[0], LOW_AGREEMENT)
            cells.append(_flag(value) if low else value)
        table.append(cells)
    out.append(f"<h4>{t('h_agreement', lang)}</h4>")
    out.append(_table(header, table, "scores"))
    low = sum(below_as_shown(v, LOW_AGREEMENT) for v in rows["rwg"])
    out.append(f'<p class="muted">{t("agreement_note", lang, value=fmt(LOW_AGREEMENT, lang, 2), low=low, total=int(rows["rwg"].notna().sum()))}</p>')  # noqa: E501
    return "".join(out)


def _tension(rd: ReportData, a: OrganisationAnalysis) -> str:
    lang, inst = rd.lang, rd.alignment
    tension = a.tension[a.tension["instrument"] == inst.id]
    if tension.empty:
        return ""
    out = [f"<h3>{t('h_tension', lang)}</h3>", f"<p>{t('tension_intro', lang)}</p>"]
    for iface, rows in tension.groupby("interface", sort=False):
        rows = rows.reset_index(drop=True)
        if rows["score"].isna().all():
            continue
        out.append(figure_html(analysis_plots.tension_bars(rows, inst, lang),
                               t("h_tension", lang), chart_data.tension(rows, inst, lang), lang))
        weakest = rows[rows["weakest"]].iloc[0]
        others = rows[~rows["weakest"]].dropna(subset=["score"])
        close = bool(len(others) and pd.notna(weakest["ci_high"])
                     and weakest["ci_high"] >= others["score"].min())
        text = t("tension_sentence", lang,
                 interface=escape(lower_title(inst.interface(iface).title.get(lang))),
                 source=t(f"tension_{weakest['source']}_adj", lang),
                 score=fmt(weakest["score"], lang),
                 meaning=t(f"tension_{weakest['source']}_means", lang))
        if close:
            text += " " + t("tension_close", lang)
        out.append(f"<p>{text}</p>")
    return "".join(out)


# --------------------------------------------------------------------------- section 5


def loyalty_section(rd: ReportData, min_group_size: int = MIN_GROUP_SIZE) -> str:
    """Show customer loyalty: the NPS with its margin, the chain's links, the comments."""
    lang, inst = rd.lang, _loyalty(rd)
    if inst is None:
        return ""
    a = analyse_report(rd, min_group_size)
    out = [_section(rd, "loyalty", t("h_loyalty", lang)), f"<p>{t('loyalty_intro', lang)}</p>"]
    for _, row in a.rows(inst.id, "nps").iterrows():
        out.append(f"<h3>{t('h_nps', lang)}</h3>")
        out.append(f'<p class="lead">{_nps_sentence(row, lang)}</p>')
        out.append(figure_html(analysis_plots.nps_bar(row, lang), t("h_nps", lang),
                               chart_data.nps(row, lang), lang))
        out.append(f'<p class="muted">{t("nps_caveat", lang)}</p>')
    links = a.rows(inst.id, "dimension")
    if links["score"].notna().any():
        out.append(f"<h3>{t('h_links', lang)}</h3>")
        out.append(figure_html(analysis_plots.link_bars(links, inst, lang), t("h_links", lang),
                               chart_data.links(links, inst, lang), lang))
        weakest = links.loc[links["score"].idxmin()]
        out.append("<p>" + t("weakest_link", lang,
                             link=escape(lower_title(inst.dimension(weakest["dimension"])
                                                     .title.get(lang))),
                             score=fmt(weakest["score"], lang, 0)) + "</p>")
        out.append(f'<p class="muted">{t("links_note", lang, n=LOW_N, value=fmt(LOW_AGREEMENT, lang, 2))}</p>')  # noqa: E501
    out.append(_comments(rd, inst, min_group_size))
    out.append("</section>")
    return "".join(out)


def _nps_sentence(row: pd.Series, lang: str) -> str:
    n = int(row["n"])
    return t("nps_sentence", lang, score=signed(row["score"], lang),
             margin=fmt(row["margin"], lang, 0), n=n,
             promoters=fmt(row["promoters"] / n * 100, lang, 0),
             passives=fmt(row["passives"] / n * 100, lang, 0),
             detractors=fmt(row["detractors"] / n * 100, lang, 0))


def shown_comments(rd: ReportData, item: str) -> pd.Series:
    """Return the organisation's answers on text item ``item`` as the report shows them.

    Redacted (the default) with the personal data found on ingest replaced by labels in
    the report's language (:func:`assessment.core.privacy.redact`), verbatim, or none.
    """
    if rd.comments == "none" or item not in rd.data:
        return pd.Series(dtype="object")
    texts = rd.data[item]
    if rd.comments == "redacted":
        found = rd.responses.personal
        found = found[found["item"] == item]
        spans = {r: list(zip(g["kind"], g["start"], g["end"], strict=True))
                 for r, g in found.groupby("row")}
        texts = pd.Series([redact(x, spans.get(r, []), rd.lang) if isinstance(x, str) else x
                           for x, r in zip(texts, rd.data["row"], strict=True)],
                          index=texts.index, dtype="object")
    answers = texts.dropna().astype(str).str.strip()
    return answers[answers != ""]


def privacy_note(rd: ReportData) -> str:
    """Say what was done with comments and respondent ids (the report's privacy note)."""
    if rd.comments != "redacted":
        return t(f"privacy_{rd.comments}", rd.lang)
    found = rd.responses.personal
    n = int(found["row"].isin(set(rd.data["row"])).sum())
    return t("privacy_redacted", rd.lang, n=n)


def _comments(rd: ReportData, inst: Instrument, min_group_size: int) -> str:
    lang = rd.lang
    out = []
    for item in (i for i in inst.items if i.type == "text" and i.id in rd.data):
        answers = shown_comments(rd, item.id)
        out.append(f"<h3>{t('h_comments', lang)}</h3>")
        out.append(f"<p><i>{escape(item.text.get(lang))}</i></p>")
        if rd.comments == "none":
            out.append(f"<p>{t('comments_left_out', lang)}</p>")
        elif answers.empty:
            out.append(f"<p>{t('comments_none', lang)}</p>")
        elif len(rd.data) < min_group_size:
            out.append(f"<p>{t('comments_hidden', lang, min=min_group_size)}</p>")
        else:
            ordered = sorted(answers, key=str.casefold)
            out.append("<ul>" + "".join(f"<li{lang_attribute(c, lang)}>{escape(c)}</li>"
                                        for c in ordered) + "</ul>")
            key = "comments_note_one" if len(ordered) == 1 else "comments_note"
            out.append(f'<p class="muted">{t(key, lang, n=len(ordered))}</p>')
    return "".join(out)


# --------------------------------------------------------------------------- section 6


def comparison_section(rd: ReportData, min_group_size: int = MIN_GROUP_SIZE, norms: str = "",
                       norms_sector: str = "") -> str:
    """Compare with the cohort (rank, percentile), the norm group and the previous wave.

    ``norms`` names a norm store (:mod:`assessment.norms`); without it the section has no
    norm group paragraph. ``norms_sector`` limits the norm group to one sector.
    """
    norms = norms or rd.norms
    own, rd.norms = rd.norms, norms  # this section's number counts it when it has norms
    try:
        return _comparison(rd, min_group_size, norms, norms_sector)
    finally:
        rd.norms = own


def _comparison(rd: ReportData, min_group_size: int, norms: str, norms_sector: str) -> str:
    lang = rd.lang
    a = analyse_report(rd, min_group_size)
    bench, waves = comparison_parts(rd, min_group_size)
    parts = [p for p, shown in (("benchmark", bench), ("norms", bool(norms)),
                                ("waves", waves)) if shown]
    if not parts:  # nothing to compare with: left out, the methodology says so in one line
        return ""
    title = {"benchmark": "h_benchmark", "waves": "h_waves", "norms": "h_norms"}
    heading = t("h_comparison", lang) if len(parts) > 1 else t(title[parts[0]], lang)
    out = [_section(rd, "comparison", heading)]
    for part in parts:
        if len(parts) > 1:
            out.append(f"<h3>{t(title[part], lang)}</h3>")
        if part == "benchmark":
            out.append(_benchmark(rd, a))
        elif part == "norms":
            out.append(_norms(rd, a, norms, norms_sector))
        else:
            out.append(_waves(rd, a))
    out.append("</section>")
    return "".join(out)


def _benchmark(rd: ReportData, a: OrganisationAnalysis) -> str:
    lang = rd.lang
    n_orgs = a.organisations
    ranked = a.table[a.table["rank"].notna()]
    if ranked.empty:
        others = (t("method_no_benchmark_alone", lang) if n_orgs <= 1
                  else t("method_no_benchmark_few", lang, n=n_orgs))
        return f"<p>{t('bench_too_few', lang, others=others, min=MIN_COHORT)}</p>"
    panels = []
    rows = []
    for inst in rd.instruments.values():
        part = ranked[ranked["instrument"] == inst.id]
        if part.empty:
            continue
        level = part["level"].iloc[0]
        panels.append((inst, level))
        basis = index_basis(rd.scores_of(inst)) if level == "interface" else None
        for _, r in part.iterrows():
            title = (inst.interface(r["interface"]).title.get(lang) if level == "interface"
                     else inst.dimension(r["dimension"]).title.get(lang))
            if basis is not None and r["interface"] in basis.index and basis.at[r["interface"],
                                                                                 "partial"]:
                b = basis.loc[r["interface"]]  # an index on fewer dimensions says so
                title += " (" + t("index_basis_short", lang, rated=b["rated"],
                                  total=b["total"]) + ")"
            decimals = 1 if level == "interface" else 0
            interval = (f'<span class="muted">[{fmt(r["ci_low"], lang, decimals)}; '
                        f'{fmt(r["ci_high"], lang, decimals)}]</span>')
            rows.append([escape(title), f"{fmt(r['score'], lang, decimals)} {interval}",
                         t("rank_of", lang, rank=int(r["rank"]), n=int(r["cohort_size"])),
                         fmt(r["percentile"], lang, 0)])
    out = [f"<p>{t('bench_intro', lang, n=n_orgs)}</p>",
           figure_html(analysis_plots.benchmark_strip(a.cohort, panels, lang),
                       t("h_benchmark", lang), chart_data.benchmark(a.cohort, panels, lang),
                       lang),
           _table([t("col_score_of", lang), t("col_score_interval", lang), t("col_rank", lang),
                   t("col_percentile", lang)], rows),
           f'<p class="muted">{t("bench_caveat", lang)}</p>']
    return "".join(out)


def _norms(rd: ReportData, a: OrganisationAnalysis, target: str, sector: str) -> str:
    """Return the organisation's percentile rank in its norm group, or one line saying why not."""
    lang = rd.lang
    placed = compare_organisation(a.table, rd.organisation, target, sector=sector)
    where = t("norms_where", lang, sector=escape(sector)) if sector else ""
    if not placed.enough:
        why = t("norms_too_few", lang, n=placed.group_size, where=where, min=placed.min_group)
        return f"<p>{why}</p>"
    group = t("norms_group", lang, n=placed.group_size, where=where)
    rows = []
    shown = placed.table[placed.table["level"].isin(["interface", "discipline"])
                         & placed.table["percentile"].notna()]
    for inst in rd.instruments.values():
        for _, r in shown[shown["instrument"] == inst.id].iterrows():
            level = r["level"]
            title = (inst.interface(r["interface"]).title.get(lang) if level == "interface"
                     else inst.dimension(r["dimension"]).title.get(lang))
            decimals = 1 if level == "interface" else 0
            interval = (f'<span class="muted">[{fmt(r["percentile_low"], lang, 0)}; '
                        f'{fmt(r["percentile_high"], lang, 0)}]</span>')
            rows.append([escape(title), fmt(r["score"], lang, decimals),
                         f"{fmt(r['percentile'], lang, 0)} {interval}",
                         fmt(r["group_median"], lang, decimals)])
    return "".join([f"<p>{t('norms_intro', lang, group=group)}</p>",
                    _table([t("col_score_of", lang), t("col_score", lang),
                            t("col_norm_percentile", lang), t("col_norm_median", lang)], rows),
                    f'<p class="muted">{t("norms_caveat", lang)}</p>'])


def _changes(a: OrganisationAnalysis) -> pd.DataFrame:
    rows = a.table[a.table["previous_wave"].notna() & a.table["delta"].notna()
                   & a.table["level"].isin(["interface", "dimension", "discipline"])].copy()
    rows["previous_score"] = rows["score"] - rows["delta"]
    return rows


def _waves(rd: ReportData, a: OrganisationAnalysis) -> str:
    lang = rd.lang
    if a.previous_wave is None:
        key = "waves_none" if rd.wave else "waves_no_column"
        return f"<p>{t(key, lang, organisation=escape(rd.organisation))}</p>"
    changes = _changes(a)
    real = changes[changes["delta_significant"].fillna(False).astype(bool)]
    out = [f"<p>{t('waves_intro', lang, previous=escape(a.previous_wave), current=escape(rd.wave))}</p>",  # noqa: E501
           f"<p><b>{t('waves_count', lang, k=len(real), m=len(changes))}</b></p>"]
    inst = rd.alignment
    if inst is not None:
        al = changes[changes["instrument"] == inst.id]
        if not al.empty:
            out.append(figure_html(
                analysis_plots.wave_dumbbells(al, inst, lang, a.previous_wave, rd.wave),
                t("h_waves", lang),
                chart_data.waves(al, inst, lang, a.previous_wave, rd.wave), lang))
    if not real.empty:
        order = {inst_id: k for k, inst_id in enumerate(rd.instruments)}
        real = real.assign(_i=real["instrument"].map(order), _l=real["level"] != "interface",
                           _d=-real["delta"].abs())
        real = real.sort_values(["_i", "_l", "_d"])
        rows = []
        for _, r in real.iterrows():
            decimals = 1 if rd.instruments[r["instrument"]].scale.type == "stages4" else 0
            # the change stated is that of the two figures shown beside it
            change = shown_gap(r["score"], r["previous_score"], decimals)
            rows.append([escape(_cell_title(rd, r)), fmt(r["previous_score"], lang, decimals),
                         fmt(r["score"], lang, decimals),
                         f"{signed(change, lang, decimals)} "
                         f'<span class="muted">[{signed(r["delta_low"], lang, decimals)}; '
                         f"{signed(r['delta_high'], lang, decimals)}]</span>"])
        out.append(_table([t("col_score_of", lang), escape(a.previous_wave), escape(rd.wave),
                           t("col_change", lang)], rows))
    chance = len(changes) * 0.05
    out.append(f'<p class="muted">{t("waves_note", lang)} '
               f'{t("waves_chance", lang, m=len(changes), expected=fmt(chance, lang, 0))}</p>')
    return "".join(out)


def _cell_title(rd: ReportData, r: pd.Series) -> str:
    lang = rd.lang
    inst = rd.instruments[r["instrument"]]
    if r["level"] == "interface":
        return f"{inst.interface(r['interface']).title.get(lang)} · {t('row_index', lang)}"
    title = inst.dimension(r["dimension"]).title.get(lang)
    if r["interface"] is not None and not pd.isna(r["interface"]):
        return f"{inst.interface(r['interface']).title.get(lang)} · {title}"
    return title


# --------------------------------------------------------------------------- summary


def summary_gaps(rd: ReportData, min_group_size: int = MIN_GROUP_SIZE) -> list[str]:
    """Executive-summary bullet: where the departments see things most differently."""
    lang, inst = rd.lang, rd.alignment
    if inst is None:
        return []
    a = analyse_report(rd, min_group_size)
    g = a.grouping
    if not g.comparable:
        return [f"<li>{t('summary_no_departments', lang, n=len(rd.data), min=min_group_size)}"
                "</li>"]
    top = _top_gaps(a, 2, pooled=False)
    if top.empty:
        return []
    sentences = " ".join(_gap_sentence(r, rd, g) for _, r in top.iterrows())
    key = "summary_gaps" if g.basis == "departments" else "summary_gaps_groups"
    return [f"<li>{t(key, lang, sentences=sentences, min=min_group_size)}</li>"]


def summary_more(rd: ReportData, min_group_size: int = MIN_GROUP_SIZE) -> list[str]:
    """Executive-summary bullets: the NPS and the change since the previous wave."""
    lang = rd.lang
    a = analyse_report(rd, min_group_size)
    out = []
    inst = _loyalty(rd)
    if inst is not None:
        for _, row in a.rows(inst.id, "nps").iterrows():
            links = a.rows(inst.id, "dimension").dropna(subset=["score"])
            weakest = (lower_title(inst.dimension(links.loc[links["score"].idxmin(),
                                                          "dimension"]).title.get(lang))
                       if not links.empty else "–")
            out.append("<li>" + t("summary_nps", lang, score=signed(row["score"], lang),
                                  margin=fmt(row["margin"], lang, 0), n=int(row["n"]),
                                  link=escape(weakest)) + "</li>")
    if a.previous_wave is not None:
        changes = _changes(a)
        real = changes[changes["delta_significant"].fillna(False).astype(bool)]
        ifaces = real[real["level"] == "interface"]
        details = "; ".join(
            t("summary_wave_change", lang,
              what=escape(title if k == 0 else lower_title(title)),
              before=fmt(r["previous_score"], lang), after=fmt(r["score"], lang))
            for k, (title, (_, r)) in enumerate(zip(
                [rd.alignment.interface(i).title.get(lang) for i in ifaces["interface"]],
                ifaces.iterrows(), strict=True))
        ) if rd.alignment is not None else ""
        out.append("<li>" + t("summary_waves", lang, previous=escape(a.previous_wave),
                              k=len(real), m=len(changes))
                   + (f" {details}." if details else "") + "</li>")
    return out


# --------------------------------------------------------------------------- methodology


def methodology_keys(rd: ReportData) -> list[str]:
    """Return the reference keys the texts of :func:`methodology_trust` cite, as it shows them.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> methodology_keys(SimpleNamespace(lang="en", loyalty=None, alignment=None))
    ['james1984', 'eisinga2013']
    """
    shown = ["method_trust_text", "method_anonymity", "method_benchmark", "method_waves"]
    if _loyalty(rd) is not None:
        shown.append("method_nps")
    if rd.alignment is not None:
        shown.append("method_tension")
    keys: list[str] = []
    for key in shown:
        keys += [k for k in cited_in(messages()[key][rd.lang]) if k not in keys]
    return keys


def methodology_trust(rd: ReportData, min_group_size: int = MIN_GROUP_SIZE) -> str:
    """Methodology: how sure the numbers are, anonymity, NPS, benchmark, waves; the figures."""
    lang = rd.lang
    a = analyse_report(rd, min_group_size)
    out = [f"<h3>{t('method_trust', lang)}</h3>",
           "<p>" + t("method_trust_text", lang, n_boot=N_BOOT, seed=SEED, low_n=LOW_N,
                     low_rwg=fmt(LOW_AGREEMENT, lang, 2), min_alpha=MIN_ALPHA_N,
                     min_rel=fmt(MIN_INTERPRETABLE, lang, 2)) + "</p>",
           f"<p>{t('method_anonymity', lang, min=min_group_size)}</p>",
           f"<p>{privacy_note(rd)}</p>"]
    if _loyalty(rd) is not None:
        out.append(f"<p>{t('method_nps', lang)}</p>")
    bench, waves = comparison_parts(rd, min_group_size)
    if bench:
        out.append(f"<p>{t('method_benchmark', lang, min=MIN_COHORT)}</p>")
    else:
        n = a.organisations
        others = (t("method_no_benchmark_alone", lang) if n <= 1
                  else t("method_no_benchmark_few", lang, n=n))
        out.append(f"<p>{t('method_no_benchmark', lang, others=others, min=MIN_COHORT)}</p>")
    if waves:
        out.append(f"<p>{t('method_waves', lang)}</p>")
    else:
        out.append(f"<p>{t('method_no_waves', lang)}</p>")
    if rd.alignment is not None and not a.tension.empty:
        out.append(f"<p>{t('method_tension', lang)}</p>")
    out.append(f"<h4>{t('h_reliability', lang)}</h4>")
    out.append(_reliability_tables(rd, a))
    return "".join(out)


#: the footnote mark of each reason why a reliability is not interpretable here
_REASON_MARK = {"little_variance": "¹", "no_coherence": "²"}
_COEFFICIENT_LABEL = {"spearman_brown": "col_sb", "cronbach_alpha": "col_alpha"}


def _reliability_text(value: float, rwg_j: float, lang: str,
                      label: str = "") -> tuple[str, str | None]:
    """Return a reliability as a table cell, and why it is not interpretable (or None).

    NaN gives "–" (not enough respondents); a value under ``MIN_INTERPRETABLE`` (negative
    or near zero) gives "n.i." with the mark of its reason instead of the number; otherwise
    the value with two decimals. ``label`` (the coefficient's symbol) follows the value in
    tables that mix coefficients.

    Examples
    --------
    >>> _reliability_text(0.734, 0.8, "en")
    ('0.73', None)
    >>> _reliability_text(-0.37, 0.85, "en")[1]
    'little_variance'
    >>> _reliability_text(float("nan"), 0.85, "nl")
    ('–', None)
    """
    if pd.isna(value):
        return "–", None
    reason = uninterpretable_reason(value, rwg_j)
    suffix = f" <small>{label}</small>" if label else ""
    if reason is None:
        return fmt(value, lang, 2) + suffix, None
    return _flag(t("rel_not_interpretable", lang)) + _REASON_MARK[reason] + suffix, reason


def _n_items(inst: Instrument, iface: str | None, dim: str) -> int:
    return sum(1 for i in inst.scored_items
               if i.dimension == dim and i.interface == iface and i.type == inst.scale.type)


def _reliability_tables(rd: ReportData, a: OrganisationAnalysis) -> str:
    lang = rd.lang
    out = []
    icc = a.icc
    with_icc = a.organisations >= 2  # ICC(1) needs other organisations: no column without them
    per = 3 if with_icc else 2
    missing_alpha = False
    reasons: set[str] = set()
    used: set[str] = set()
    for inst in rd.instruments.values():
        level = "discipline" if inst.profile is not None else "dimension"
        rows = a.rows(inst.id, level)
        if rows.empty:
            continue
        ifaces = [i.id for i in inst.interfaces] or [None]
        kinds = {coefficient_for(_n_items(inst, iface, d.id))
                 for iface in ifaces for d in inst.dimensions} - {None}
        used |= kinds
        mixed = len(kinds) > 1
        rel_head = " / ".join(t(_COEFFICIENT_LABEL[k], lang) for k in sorted(kinds, reverse=True))
        stats = [rel_head or t("col_alpha", lang), t("col_rwg", lang),
                 t("col_icc1", lang)][:per]
        if inst.interfaces:
            head = (f'<tr><th rowspan="2">{escape(inst.title.get(lang))}</th>'
                    + "".join(f'<th colspan="{per}">{escape(i.title.get(lang))}</th>'
                              for i in inst.interfaces)
                    + "</tr><tr>" + "".join(f"<th>{h}</th>" for h in stats * len(ifaces))
                    + "</tr>")
        else:
            head = (f"<tr><th>{escape(inst.title.get(lang))}</th>"
                    + "".join(f"<th>{h}</th>" for h in stats) + "</tr>")
        body = []
        for d in inst.dimensions:
            cells = [escape(d.title.get(lang))]
            for iface in ifaces:
                r = rows[(rows["dimension"] == d.id)
                         & ((rows["interface"] == iface) if iface else rows["interface"].isna())]
                if r.empty:
                    cells += ["–"] * per
                    continue
                r = r.iloc[0]
                missing_alpha |= bool(pd.isna(r["alpha"]))
                kind = coefficient_for(_n_items(inst, iface, d.id))
                label = t(_COEFFICIENT_LABEL[kind], lang) if mixed and kind else ""
                rel, reason = _reliability_text(r["alpha"], r["rwg"], lang, label)
                if reason:
                    reasons.add(reason)
                rwg = fmt(r["rwg"], lang, 2)
                rwg = _flag(rwg) if below_as_shown(r["rwg"], LOW_AGREEMENT) else rwg
                cells += [rel, rwg, fmt(_icc_of(icc, inst.id, level, iface, d.id), lang, 2)][:per]
            body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        out.append(f'<table class="scores"><thead>{head}</thead><tbody>{"".join(body)}'
                   "</tbody></table>")
    notes = [t("sb_note", lang)] if "spearman_brown" in used else []
    notes.append(t("alpha_note", lang))
    if with_icc:
        notes.append(t("icc_note", lang))
    if missing_alpha:
        notes.append(t("alpha_missing", lang, min=MIN_ALPHA_N))
    if reasons:
        notes.append(t("rel_not_interpretable_note", lang,
                       min=fmt(MIN_INTERPRETABLE, lang, 2)))
        notes += [_REASON_MARK[k] + " " + t(f"reason_{k}", lang,
                                             rwg=fmt(LOW_AGREEMENT, lang, 2))
                  for k in sorted(reasons, key=list(_REASON_MARK).index)]
    out.append(f'<p class="muted">{" ".join(notes)}</p>')
    inst = rd.alignment
    if inst is not None and not icc.empty:
        part = icc[(icc["instrument"] == inst.id) & (icc["level"] == "dimension")]
        if part["icc1"].notna().any():
            out.append("<p>" + t("icc_summary", lang, groups=int(part["groups"].max()),
                                 icc1_low=fmt(part["icc1"].min(), lang, 2),
                                 icc1_high=fmt(part["icc1"].max(), lang, 2),
                                 icc2_low=fmt(part["icc2"].min(), lang, 2),
                                 icc2_high=fmt(part["icc2"].max(), lang, 2)) + "</p>")
        elif with_icc:
            out.append(f"<p>{t('icc_none', lang)}</p>")
    return "".join(out)


def _icc_of(icc: pd.DataFrame, inst: str, level: str, iface: str | None, dim: str) -> float:
    if icc.empty:
        return np.nan
    r = icc[(icc["instrument"] == inst) & (icc["level"] == level) & (icc["dimension"] == dim)
            & ((icc["interface"] == iface) if iface else icc["interface"].isna())]
    return float(r["icc1"].iloc[0]) if len(r) else np.nan

