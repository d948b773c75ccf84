"""The organisation report's sections as HTML fragments, in the report's language.

Each function takes a :class:`ReportData` and returns an HTML string; the report
notebook displays them one per cell. Charts are embedded SVG images, so the HTML
needs no network and no code.
"""

from __future__ import annotations

from html import escape

import pandas as pd

from assessment.analysis.departments import MIN_GROUP_SIZE
from assessment.core.i18n import Note, fmt, t
from assessment.core.instruments import Instrument
from assessment.core.privacy import find_personal, pseudonyms, redact
from assessment.core.references import (
    cite,
    cited_in,
    parse_keys,
    reference_entry,
    resolve_cites,
    sort_keys,
)
from assessment.report import analysis_sections as extra
from assessment.report import chart_data, plots
from assessment.report.data import (
    ReportData,
    figure_html,
    index_basis,
    load_report_data,
    package_version,
    section_heading,
    stage_score,
)
from assessment.report.recommend import CONTINGENCY_SOURCE, organisation_facts, roadmap

__all__ = [
    "ReportData",
    "alignment_section",
    "cover",
    "disciplines_section",
    "executive_summary",
    "figure_html",
    "load_report_data",
    "cited_keys",
    "methodology_section",
    "references_section",
    "rejection_reasons",
    "roadmap_section",
]


def _table(header: list[str], rows: list[list[str]], cls: str = "") -> str:
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _stage_label(inst: Instrument, stage: object, lang: str) -> str:
    if stage is None or pd.isna(stage):
        return t("not_rated", lang)
    return inst.level(str(stage)).label.get(lang)


def _stage_chip(inst: Instrument, stage: object, lang: str) -> str:
    colour = plots.stage_colour(None if pd.isna(stage) else str(stage), inst)
    return (
        f'<span class="chip" style="background:{colour}"></span>'
        f"{escape(_stage_label(inst, stage, lang))}"
    )


def _departments(data: pd.DataFrame, lang: str, min_group_size: int) -> str:
    """Respondents in total and per group that may be shown (anonymity rule).

    The groups are those the report compares (:func:`group_departments`: departments, or
    for a small client marketing and sales against service, or management against the
    other staff). With fewer than two groups none is listed: "6 (Other 6)" says nothing.
    """
    from assessment.analysis.departments import group_departments

    g = group_departments(data["department"], min_group_size)
    parts = ([f"{escape(extra.group_label(d, g, lang))} {int(g.sizes[d])}" for d in g.shown]
             if g.comparable else [])
    if not g.comparable or sum(g.sizes.values()) < len(data):
        parts.append(t("cover_small_groups", lang, minimum=min_group_size))
    return f"{len(data)} ({', '.join(parts)})" if parts else str(len(data))


def cover(rd: ReportData, min_group_size: int = MIN_GROUP_SIZE) -> str:
    """Cover: organisation, wave, date, language, instruments, respondents by department."""
    lang = rd.lang
    rows = []
    if rd.wave:
        rows.append((t("cover_wave", lang), escape(rd.wave)))
    rows += [
        (t("cover_date", lang), rd.date),
        (t("cover_language", lang), t("cover_language_value", lang)),
        (
            t("cover_instruments", lang),
            "<br>".join(
                escape(i.title.get(lang)) for i in rd.instruments.values()
            ),
        ),
        (t("cover_respondents", lang), _departments(rd.data, lang, min_group_size)),
        (t("cover_for", lang), t("cover_for_value", lang, organisation=escape(rd.organisation))),
    ]
    meta = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
    return (
        f'<section class="cover"><p class="kicker">{t("report_title", lang)}</p>'
        f'<h1>{escape(rd.organisation)}</h1><p class="subtitle">{t("report_subtitle", lang)}</p>'
        f'<table class="meta">{meta}</table><p class="howto">{t("cover_how_to_read", lang)}</p>'
        "</section>"
    )


def _profile_sentence(rd: ReportData) -> str:
    inst, lang = rd.disciplines, rd.lang
    s = rd.scores_of(inst)
    first = s.iloc[0]
    prof = inst.profile

    def title(d: str) -> str:
        return escape(
            inst.dimension(d).title.get(lang).lower()
            if lang == "nl"
            else inst.dimension(d).title.get(lang).lower()
        )

    kind = first["profile"]
    weak = [w for w in str(first["weak"] or "").split(",") if w]
    values = {
        "threshold": fmt(prof.threshold, lang, 0),
        "excellence": fmt(prof.excellence, lang, 0),
        "margin": fmt(prof.lead_margin, lang, 0),
        "weak": (" en " if lang == "nl" else " and ").join(title(w) for w in weak),
        "stays": t("verb_stays_many" if len(weak) > 1 else "verb_stays_one", lang),
    }
    if isinstance(first["leader"], str):
        values["leader"] = title(first["leader"])
        values["score"] = fmt(
            float(s.loc[s["dimension"] == first["leader"], "score"].iloc[0]), lang, 0
        )
    sentence = t(f"profile_{kind}", lang, **values)
    declared = first["declared"]
    who = t(f"coherence_who_{_declared_by(rd)}", lang)
    if not isinstance(declared, str):
        remark = t("coherence_none", lang)
    elif not isinstance(first["leader"], str):
        remark = t("coherence_no_leader", lang, who=who, declared=title(declared))
    elif declared == first["leader"]:
        remark = t("coherence_match", lang, who=who, declared=title(declared))
    else:
        remark = t("coherence_mismatch", lang, who=who, declared=title(declared),
                   leader=values["leader"])
    return f"{sentence} {remark}"


def _declared_by(rd: ReportData) -> str:
    """Say whose answers the declared choice comes from: management, one respondent or many.

    :func:`assessment.core.scoring.declared_choice` takes management's answers when
    management answered, everyone's otherwise; the report must not say "management
    declares" when one salesperson filled in the questionnaire.
    """
    item = rd.disciplines.profile.declared_item
    if not item or item not in rd.data:
        return "respondents"
    answered = rd.data[rd.data[item].notna()]
    if (answered["department"] == "management").any():
        return "management"
    return "one" if len(answered) == 1 else "respondents"


def executive_summary(rd: ReportData, min_group_size: int = MIN_GROUP_SIZE) -> str:
    """Write the executive summary: a sentence per interface, extremes, profile, actions.

    With departments, NPS or waves it also says where the departments differ most, the NPS
    with its margin and what changed since the previous wave (see
    :mod:`assessment.report.analysis_sections`; ``min_group_size`` is the anonymity minimum).
    """
    lang = rd.lang
    heading = section_heading(rd, "summary", t("h_summary", lang))
    parts = [f'<section class="summary"><h2>{heading}</h2><ul>']
    inst = rd.alignment
    if inst is not None:
        s = rd.scores_of(inst)
        dims = s[s["level"] == "dimension"]
        basis = index_basis(s)
        for row in s[s["level"] == "interface"].itertuples():
            iface = escape(inst.interface(row.interface).title.get(lang))
            if pd.isna(row.score):
                parts.append(f"<li>{t('summary_interface_not_rated', lang, interface=iface)}</li>")
                continue
            level = inst.level(row.stage)
            text = t(
                "summary_interface",
                lang,
                interface=iface,
                stage=escape(level.label.get(lang)),
                score=stage_score(row.score, inst, lang),
                meaning=escape(level.meaning.get(lang)),
            )
            if isinstance(row.floor_stage, str) and row.floor_stage != row.stage:
                floor_score = dims.loc[
                    (dims["interface"] == row.interface)
                    & (dims["dimension"] == row.floor_dimension),
                    "score",
                ].iloc[0]
                text += " " + t(
                    "summary_floor",
                    lang,
                    dimension=escape(
                        extra.lower_title(inst.dimension(row.floor_dimension).title.get(lang))
                    ),
                    stage=escape(inst.level(row.floor_stage).label.get(lang).lower()),
                    score=stage_score(floor_score, inst, lang),
                )
            if row.interface in basis.index and basis.at[row.interface, "partial"]:
                b = basis.loc[row.interface]
                text += " " + t(
                    "summary_index_basis", lang, rated=b["rated"], total=b["total"],
                    missing=escape("; ".join(extra.lower_title(inst.dimension(d).title.get(lang))
                                             for d in b["missing"])),
                )
            parts.append(f"<li>{text}</li>")
        overall = dims.groupby("dimension")["score"].mean().dropna()
        rated_in = dims.groupby("dimension")["score"].count()
        n_ifaces = dims["interface"].nunique()

        def extreme_score(d: str) -> str:
            # a dimension not rated in every interface says so (it is not silently a mean of all)
            score = fmt(overall[d], lang)
            if rated_in[d] < n_ifaces:
                score += "; " + t("summary_rated_in", lang, rated=int(rated_in[d]), total=n_ifaces)
            return score

        if len(overall) >= 2:
            strong, weak = overall.idxmax(), overall.idxmin()
            parts.append(
                "<li>"
                + t(
                    "summary_extremes",
                    lang,
                    strong=escape(extra.lower_title(inst.dimension(strong).title.get(lang))),
                    strong_score=extreme_score(strong),
                    weak=escape(extra.lower_title(inst.dimension(weak).title.get(lang))),
                    weak_score=extreme_score(weak),
                )
                + "</li>"
            )
        parts.extend(extra.summary_gaps(rd, min_group_size))
    else:
        parts.append(f"<li>{t('summary_no_alignment', lang)}</li>")
    if rd.disciplines is not None:
        parts.append(f"<li>{_profile_sentence(rd)}</li>")
    else:
        parts.append(f"<li>{t('summary_no_disciplines', lang)}</li>")
    parts.extend(extra.summary_more(rd, min_group_size))
    parts.append("</ul>")
    if inst is not None:
        steps = roadmap(rd.scores_of(inst), inst, targets=_goals(rd))
        if not steps.empty:
            parts.append(f"<p><b>{t('summary_actions', lang)}</b></p><ol>")
            for row in steps.itertuples():
                rec = row.recommendation
                where = (
                    f"{inst.interface(row.interface).title.get(lang)} · "
                    f"{extra.lower_title(inst.dimension(row.dimension).title.get(lang))}"
                )
                parts.append(
                    f'<li>{escape(rec.actions[0].get(lang))} <span class="muted">'
                    f"({escape(where)})</span></li>"
                )
            parts.append("</ol>")
    parts.append("</section>")
    return "".join(parts)


def alignment_section(rd: ReportData) -> str:
    """Stage ladder, sorted bars beside a radar per interface, and the full table."""
    inst, lang = rd.alignment, rd.lang
    if inst is None:
        return ""
    s = rd.scores_of(inst)
    out = [
        f'<section class="alignment"><h2>{section_heading(rd, "alignment", t("h_alignment", lang))}'
        "</h2>",
        f"<h3>{t('h_ladder', lang)}</h3>",
        figure_html(plots.stage_ladder(s, inst, lang), t("h_ladder", lang),
                    chart_data.ladder(s, inst, lang), lang),
        f"<h3>{t('h_table', lang)}</h3>",
    ]
    dims = s[s["level"] == "dimension"]
    header = [t("col_dimension", lang)] + [escape(i.title.get(lang)) for i in inst.interfaces]
    rows = []
    for d in inst.dimensions:
        cells = [escape(d.title.get(lang))]
        for i in inst.interfaces:
            r = dims[(dims["interface"] == i.id) & (dims["dimension"] == d.id)]
            if r.empty or pd.isna(r["score"].iloc[0]):
                cells.append(f'<span class="muted">{t("not_rated", lang)}</span>')
            else:
                cells.append(
                    f"{stage_score(r['score'].iloc[0], inst, lang)} · "
                    f"{_stage_chip(inst, r['stage'].iloc[0], lang)} "
                    f'<span class="muted">n={int(r["n"].iloc[0])}</span>'
                )
        rows.append(cells)
    ifaces = s[s["level"] == "interface"].set_index("interface")
    basis = index_basis(s)

    def index_cell(iface: str) -> str:
        cell = (f"<b>{stage_score(ifaces.at[iface, 'score'], inst, lang)}</b> · "
                f"{_stage_chip(inst, ifaces.at[iface, 'stage'], lang)}")
        if iface in basis.index and basis.at[iface, "partial"]:  # say what the index rests on
            b = basis.loc[iface]
            cell += (f'<br><span class="muted">'
                     f'{t("index_basis_short", lang, rated=b["rated"], total=b["total"])}</span>')
        return cell

    rows.append([f"<b>{t('row_index', lang)}</b>"] + [index_cell(i.id) for i in inst.interfaces])
    out.append(_table(header, rows, "scores"))
    out += [
        f"<h3>{t('h_dimensions', lang)}</h3>",
        figure_html(plots.dimension_bars(s, inst, lang), t("h_dimensions", lang),
                    chart_data.dimensions(s, inst, lang), lang),
        figure_html(plots.radar(s, inst, lang), t("h_dimensions", lang),
                    chart_data.dimensions(s, inst, lang, "radar"), lang),
        "</section>",
    ]
    return "".join(out)


def disciplines_section(rd: ReportData) -> str:
    """Show discipline bars with T and E, the profile, what the leader asks of departments."""
    inst, lang = rd.disciplines, rd.lang
    if inst is None:
        return ""
    s = rd.scores_of(inst)
    out = [
        f'<section class="disciplines"><h2>'
        f'{section_heading(rd, "disciplines", t("h_disciplines", lang))}</h2>',
        f"<p>{t('disciplines_intro', lang)}</p>",
        figure_html(plots.discipline_bars(s, inst, lang), t("h_disciplines", lang),
                    chart_data.disciplines(s, inst, lang), lang),
        f'<p class="lead">{_profile_sentence(rd)}</p>',
    ]
    rows = [
        [escape(inst.dimension(r.dimension).title.get(lang)), fmt(r.score, lang, 0), str(int(r.n))]
        for r in s.itertuples()
    ]
    out.append(
        _table([t("discipline", lang), t("col_score", lang), t("col_n", lang)], rows, "compact")
    )
    leader = s["leader"].iloc[0]
    focus = (
        leader
        if isinstance(leader, str)
        else s.loc[s["score"].idxmax(), "dimension"]
        if s["score"].notna().any()
        else None
    )
    if focus is not None and inst.dimension(focus).implications:
        dim = inst.dimension(focus)
        out.append(
            "<h3>"
            + t("disciplines_implications", lang, leader=escape(dim.title.get(lang).lower()))
            + "</h3><ul>"
        )
        for dept, text in dim.implications.items():
            out.append(f"<li><b>{t('dept_' + dept, lang)}</b>: {escape(text.get(lang))}</li>")
        out.append("</ul>")
    out.append("</section>")
    return "".join(out)


def _goals(rd: ReportData) -> dict[str, str | None]:
    """Interface id -> its target stage (None: every next stage counts)."""
    return {iface: target for iface, (target, _) in rd.targets.items()}


def _target_basis(rd: ReportData, basis: str, lang: str) -> str:
    """Say where a target stage comes from: chosen, or suggested from size and complexity."""
    if basis == "chosen":
        return t("roadmap_basis_chosen", lang)
    employees, complexity = organisation_facts(rd.data)
    reasons = []
    if employees is not None:
        key = "roadmap_reason_employee" if int(employees) == 1 else "roadmap_reason_employees"
        reasons.append(t(key, lang, n=int(employees)))
    if complexity is not None:
        reasons.append(t(f"roadmap_reason_{complexity}", lang))
    return t("roadmap_basis_suggested", lang, reasons=t("roadmap_and", lang).join(reasons))


def _targets_html(rd: ReportData, inst: Instrument) -> str:
    """Per interface: its target stage, and whether the next stage is worth it (contingency).

    Not every organisation needs the Integrated stage (Kotler, Rackham & Krishnaswamy
    2006; the Dutch article on marketing–sales cooperation): where an interface has reached
    its target, the current stage is enough.
    """
    lang, targets = rd.lang, rd.targets
    if all(target is None for target, _ in targets.values()):
        return f"<p>{t('roadmap_no_target', lang)}</p>"
    rank = {lv.id: k for k, lv in enumerate(inst.levels)}
    s = rd.scores_of(inst)
    index = s[s["level"] == "interface"].set_index("interface")["stage"]
    dims = s[(s["level"] == "dimension") & s["stage"].notna()]
    lines = []
    bases = {basis for _, basis in targets.values()}
    shared = bases.pop() if len(bases) == 1 else None  # one basis for all: said once
    for iface in inst.interfaces:
        target, basis = targets[iface.id]
        title = escape(iface.title.get(lang))
        if target is None:
            lines.append(t("roadmap_target_unset", lang, interface=title))
            continue
        stage = index.get(iface.id)
        values = {"interface": title, "target": escape(_stage_label(inst, target, lang)),
                  "stage": escape(_stage_label(inst, stage, lang))}
        if stage is None or pd.isna(stage):
            line = t("roadmap_target_unrated", lang, **values)
        else:
            own = dims[dims["interface"] == iface.id]
            at_target = own["stage"].map(rank) >= rank[target]
            if rank[str(stage)] >= rank[target]:
                line, others, key = (t("roadmap_target_reached", lang, **values),
                                     own[~at_target], "roadmap_target_below_dims")
            else:
                line, others, key = (t("roadmap_target_open", lang, **values),
                                     own[at_target], "roadmap_target_done_dims")
            if len(others):
                names = ", ".join(
                    escape(extra.lower_title(inst.dimension(d).title.get(lang)))
                    for d in others["dimension"]
                )
                line += " " + t(key, lang, dimensions=names)
        if shared is None:
            line += f' <span class="muted">({escape(_target_basis(rd, basis, lang))})</span>'
        lines.append(line)
    intro = t("roadmap_targets_intro", lang)
    if shared is not None:
        intro += f' <span class="muted">({escape(_target_basis(rd, shared, lang))})</span>'
    return (f"<p>{intro}</p><ul>"
            + "".join(f"<li>{line}</li>" for line in lines) + "</ul>")


def roadmap_section(rd: ReportData, n: int = 3) -> str:
    """Roadmap: the target stage per interface, then a table of the weakest cells below it.

    Columns dimension, now, target (the next stage), what to start, why (with caveats).
    The advice is that of the cell's interface (:func:`assessment.report.recommend.roadmap`).
    """
    inst, lang = rd.alignment, rd.lang
    if inst is None:
        return ""
    goals = _goals(rd)
    steps = roadmap(rd.scores_of(inst), inst, n=n, targets=goals)
    out = [
        f'<section class="roadmap"><h2>{section_heading(rd, "roadmap", t("h_roadmap", lang))}</h2>',
        f"<p>{t('roadmap_intro', lang)}</p>",
        _targets_html(rd, inst),
    ]
    if steps.empty:
        none = "roadmap_none" if all(g is None for g in goals.values()) else "roadmap_all_reached"
        out.append(f"<p>{t(none, lang)}</p></section>")
        return "".join(out)
    rows = []
    for row in steps.itertuples():
        rec = row.recommendation
        actions = "<ul>" + "".join(f"<li>{escape(a.get(lang))}</li>" for a in rec.actions) + "</ul>"
        why = escape(resolve_cites(rec.why.get(lang), lang))
        if rec.source:
            why += f' <span class="muted">{escape(cite(rec.source, lang))}</span>'
        if rec.caveat is not None:
            why += (
                f'<p class="caveat"><b>{t("caveat", lang)}:</b> '
                f"{escape(resolve_cites(rec.caveat.get(lang), lang))}</p>"
            )
        rows.append(
            [
                f'{escape(inst.dimension(row.dimension).title.get(lang))}<br><span class="muted">'
                f"{escape(inst.interface(row.interface).title.get(lang))}</span>",
                f"{_stage_chip(inst, row.stage, lang)}<br>"
                f'<span class="muted">{stage_score(row.score, inst, lang)}</span>',
                _stage_chip(inst, row.target, lang),
                actions,
                why,
            ]
        )
    out.append(
        _table(
            [
                t("col_dimension", lang),
                t("col_now", lang),
                t("col_target", lang),
                t("col_actions", lang),
                t("col_why", lang),
            ],
            rows,
            "roadmap",
        )
    )
    out.append("</section>")
    return "".join(out)


def _missing_table(rd: ReportData, top: int = 10) -> str:
    lang = rd.lang
    rows = []
    shares = []
    for inst in rd.instruments.values():
        for item in inst.items:
            if item.type == "text" or item.id not in rd.data:
                continue
            share = rd.data[item.id].isna().mean()
            shares.append(share)
            if share > 0:
                rows.append((share, [escape(item.text.get(lang)), f"{fmt(share * 100, lang, 0)}%"]))
    if not rows:
        return f"<p>{t('dq_missing_none', lang)}</p>"
    rows.sort(key=lambda r: -r[0])
    note = t("dq_missing_summary", lang, shown=min(top, len(rows)), total=len(shares),
             mean=fmt(100 * sum(shares) / len(shares), lang))
    return f"<p>{note}</p>" + _table(
        [t("dq_question", lang), t("dq_missing_share", lang)], [r[1] for r in rows[:top]],
        "compact",
    )


def methodology_section(rd: ReportData, min_group_size: int = MIN_GROUP_SIZE) -> str:
    """How scores are computed, what the model rests on, how certain they are, data quality.

    The part on certainty (agreement, reliability, intervals, anonymity with
    ``min_group_size``, NPS, benchmark, waves) comes from
    :func:`assessment.report.analysis_sections.methodology_trust`.
    """
    lang = rd.lang
    out = [
        f'<section class="methodology" id="methodology">'
        f'<h2>{section_heading(rd, "methodology", t("h_methodology", lang))}</h2>',
        f"<h3>{t('method_scores', lang)}</h3>",
    ]
    if rd.alignment is not None:
        inst = rd.alignment
        bands = "; ".join(
            f"{inst.level(b.level).label.get(lang)} "
            f"[{fmt(b.lower, lang, 2)}–{fmt(b.upper, lang, 2)}"
            + ("]" if k == len(inst.bands) - 1 else ")")
            for k, b in enumerate(sorted(inst.bands, key=lambda b: b.lower))
        )
        out.append(f"<p>{t('method_alignment', lang, bands=bands)}</p>")
    if rd.disciplines is not None:
        p = rd.disciplines.profile
        out.append(
            "<p>"
            + t(
                "method_disciplines",
                lang,
                threshold=fmt(p.threshold, lang, 0),
                excellence=fmt(p.excellence, lang, 0),
                margin=fmt(p.lead_margin, lang, 0),
            )
            + "</p>"
        )
    out.append(f"<h3>{t('method_model', lang)}</h3><p>{t('method_honesty', lang)}</p><ul>")
    for inst in rd.instruments.values():
        if inst.basis is not None:
            out.append(f"<li>{escape(resolve_cites(inst.basis.get(lang), lang))}</li>")
    out.append("</ul>")
    out.append(extra.methodology_trust(rd, min_group_size))
    out.append(data_quality(rd))
    versions = "; ".join(
        t("method_versions", lang, title=i.title.get(lang), version=i.version)
        for i in rd.instruments.values()
    )
    out.append(
        f'<p class="muted">{escape(versions)}. '
        f"{t('method_software', lang, version=package_version(), date=rd.date)}</p>"
    )
    out.append("</section>")
    return "".join(out)


def cited_keys(rd: ReportData, n: int = 3) -> list[str]:
    """Return the keys of the works this report cites, in reference-list order.

    They are each instrument's ``source`` (its basis in the methodology section
    and the texts of its sections cite from it), the sources of the roadmap's
    ``n`` steps (as :func:`roadmap_section` shows them) and the statistics the
    methodology names (:func:`assessment.report.analysis_sections.methodology_keys`).
    """
    keys: list[str] = []
    for inst in rd.instruments.values():
        keys += parse_keys(inst.source)
    if rd.alignment is not None:
        steps = roadmap(rd.scores_of(rd.alignment), rd.alignment, n=n, targets=_goals(rd))
        keys += parse_keys(CONTINGENCY_SOURCE)  # the targets' basis, cited in roadmap_*_intro
        for rec in steps["recommendation"]:
            if rec is not None:
                keys += parse_keys(rec.source)
                for text in (rec.why, rec.caveat):
                    keys += cited_in(text.get(rd.lang)) if text is not None else []
    keys += extra.methodology_keys(rd)
    return sort_keys(keys)


def references_section(rd: ReportData, n: int = 3) -> str:
    """Return the reference list: every work the report cites, in full (authors, year, title).

    ``n`` is the number of roadmap steps shown (as in :func:`roadmap_section`).
    Unnumbered, after the methodology; empty when nothing is cited.
    """
    lang = rd.lang
    keys = cited_keys(rd, n)
    if not keys:
        return ""
    items = "".join(f"<li>{reference_entry(k, lang)}</li>" for k in keys)
    return (
        f'<section class="references" id="references"><h2>{t("h_references", lang)}</h2>'
        f'<ul class="references">{items}</ul></section>'
    )


def rejection_reasons(problems, lang: str) -> dict[int, str]:
    """Return each rejected row's reason in ``lang``: row -> "no organisation given".

    The rejected-rows table holds the English reason (a file keeps one language); the
    problem that rejected the row holds it as a note, to be written in the report's.
    """
    out = {}
    for p in problems:
        values = dict(p.note.values) if p.rejected and p.note is not None else {}
        if isinstance(values.get("reason"), Note) and p.row is not None:
            out[p.row] = values["reason"].text(lang)
    return out


def _public_reason(reason: str, ids: dict[str, str], lang: str) -> str:
    """Return a rejection reason without respondent ids (pseudonyms) or other personal data."""
    for raw, alias in sorted(ids.items(), key=lambda kv: len(kv[0]), reverse=True):
        reason = reason.replace(repr(raw), alias)
    return redact(reason, find_personal(reason), lang)


def _dont_know_share(rd: ReportData) -> tuple[int, float]:
    """Return the organisation's "don't know" answers and their share of its answers given.

    Over the items that offer "don't know" (``stages4``, ``likert5``): answers plus
    don't-knows of the organisation's scored rows.
    """
    found = rd.responses.dont_know
    count = int(found["row"].isin(set(rd.data["row"])).sum())
    items = [i.id for inst in rd.instruments.values() for i in inst.items
             if i.offers_dont_know and i.id in rd.data]
    given = int(rd.data[items].notna().to_numpy().sum()) + count if items else count
    return count, (count / given if given else 0.0)


def data_quality(rd: ReportData) -> str:
    """Rows in, scored, rejected with reasons; ignored answers; missing answers per question."""
    lang, r = rd.lang, rd.responses
    org_rej = r.rejected_for(rd.organisation)
    no_org = int(r.rejected["organisation"].isna().sum())
    org_rows = set(rd.data["row"]) | set(org_rej["row"])
    ignored = [p for p in r.problems if p.row in org_rows and "is ignored" in p.message]
    rows = [
        [t("dq_rows_file", lang), str(r.rows_in)],
        [
            t("dq_rows_org", lang, organisation=escape(rd.organisation)),
            f"{len(rd.data) + len(org_rej)} = {len(rd.data)} {t('dq_scored', lang)} + "
            f"{len(org_rej)} {t('dq_rejected', lang)}",
        ],
        [t("dq_no_org", lang), str(no_org)],
        [t("dq_ignored_answers", lang), str(len(ignored))],
    ]
    dont_know = _dont_know_share(rd)
    if dont_know[0]:
        rows.append([t("dq_dont_know", lang),
                     t("dq_dont_know_value", lang, n=dont_know[0],
                       share=fmt(100 * dont_know[1], lang, 1))])
    out = [f"<h3>{t('method_data', lang)}</h3>", _table(["", ""], rows, "compact meta")]
    if not org_rej.empty:
        # respondent ids (often e-mail addresses) as pseudonyms: R1, R2, … in file order
        ids = pseudonyms(pd.concat([rd.data, org_rej]).sort_values("row")["respondent_id"])
        reasons = rejection_reasons(r.problems, lang)
        out.append(f"<h4>{t('dq_reasons', lang)}</h4>")
        out.append(
            _table(
                [t("dq_row", lang), t("dq_reason", lang)],
                [[str(x.row), escape(_public_reason(reasons.get(x.row, str(x.reason)), ids,
                                                    lang))]
                 for x in org_rej.itertuples()],
                "compact",
            )
        )
    out.append(f"<h4>{t('dq_missing', lang)}</h4>")
    out.append(_missing_table(rd))
    return "".join(out)
