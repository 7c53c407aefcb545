"""Results: verdict first (blocked is loud), charts, gaps, unknowns, coverage, and the PDF report."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from scoring import term, verdict_label
from ui.common import PAGES, combined_assessment, combined_result, open_page, repository
from ui.i18n import colon, tr
from ui.plan_views import add_bar_targets, add_radar_targets, show_results_plan
from ui.report_download import report_download
from ui.room_figures import room_range, show_range
from ui.rounds_view import show_convergence
from ui.text import plain
from ui.views import colour_legend, gap_rows, group_by_severity, phase_bar_data, radar_data, unknown_rows

ctx, meta, tpl = open_page()
lang = ctx.lang

result = combined_result(meta, tpl)
st.title(tr("results", lang))
st.caption(f"{plain(meta.organisation)} · {tpl.title.get(lang)}")

if result.blocked:
    st.error(f"### {tr('verdict_blocked_title', lang)}\n" + "\n".join(
        f"- **{g.question.get(lang)}** — {g.recommendation.get(lang)}" for g in result.blockers), icon=":material/block:")
if result.excluded_musts:
    # a must left out as n/a is a blocker the verdict no longer sees: show it beside the verdict
    st.warning(f"**{term('excluded_musts', lang)} ({len(result.excluded_musts)})** — "
               f"{tr('excluded_musts_hint', lang)}\n" + "\n".join(
                   f"- {tpl.item(n.item_id).question.get(lang)} — "
                   f"{plain(n.reason) if n.reason else term('no_reason', lang)}" for n in result.excluded_musts),
               icon=":material/warning:")
c = st.columns(3)
c[0].metric(term("overall", lang), "—" if result.overall is None else f"{result.overall:g}")
c[1].metric(term("verdict", lang), verdict_label(tpl, result.verdict, lang))
c[2].metric(term("completion", lang), f"{result.completion:g}%")
c = st.columns(3)
for col, key, cov in ((c[0], "must_coverage", result.must_coverage), (c[1], "should_coverage", result.should_coverage),
                      (c[2], "nice_coverage", result.nice_coverage)):
    col.metric(term(key, lang), "—" if cov.share is None else f"{cov.share:g}%",
               help=f"{cov.met} / {cov.applicable}")
show_range(tpl, room_range(tpl, combined_assessment(meta, tpl)), lang, "results")  # and the next questions that matter
ev = result.evidence_coverage
st.caption(f"{term('evidence_coverage', lang)}{colon(lang)}{'—' if ev is None else f'{ev:g}%'} · "
           f"{tr('fingerprint', lang)} {result.fingerprint[:12]}")

show_results_plan(meta.id, tpl, lang)
left, right = st.columns(2)
with left:
    st.subheader(tr("radar", lang))
    r = radar_data(result, lang)
    fig = go.Figure(go.Scatterpolar(r=r["scores"] + r["scores"][:1], theta=r["labels"] + r["labels"][:1],
                                    fill="toself", name=term("score", lang)))
    add_radar_targets(fig, tpl, meta.id, lang)
    # room around the pentagon for the phase names: a label is never cut at the chart's edge
    fig.update_layout(polar={"radialaxis": {"range": [0, 100]}, "domain": {"x": [0.15, 0.85], "y": [0.08, 0.92]},
                             "angularaxis": {"tickfont": {"size": 12}}},
                      showlegend=False, height=380, margin={"l": 70, "r": 70, "t": 40, "b": 40})
    st.plotly_chart(fig, key="radar_chart")
with right:
    st.subheader(tr("phase_bars", lang))
    b = phase_bar_data(result, tpl, lang)
    fig = go.Figure(go.Bar(x=b["labels"], y=b["scores"], marker_color=b["colours"], text=b["texts"],
                           showlegend=False))
    for level in b["thresholds"]:
        # the line over the bars, its label beside the plot (right), where no bar can cover it
        fig.add_hline(y=level["min_score"], line_dash="dot", layer="above", annotation_text=level["label"],
                      annotation_position="right", annotation={"xanchor": "left"})
    add_bar_targets(fig, tpl, meta.id, lang)
    for colour, name in colour_legend(tpl, lang):  # what each colour means, the blocked colour too
        fig.add_trace(go.Bar(x=[None], y=[None], marker_color=colour, name=name, showlegend=True))
    fig.update_layout(yaxis={"range": [0, 100]}, height=420, barmode="overlay",
                      legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0},
                      margin={"l": 20, "r": 110, "t": 20, "b": 20})
    st.plotly_chart(fig, key="bar_chart")

st.subheader(tr("gap_table", lang))
rows = gap_rows(result, tpl, lang)
if not rows:
    st.success(tr("no_gaps", lang))
else:
    st.caption(tr("gaps_by_severity", lang))
    f1, f2 = st.columns(2)
    phase_names = [p.title.get(lang) for p in tpl.phases if any(r["phase"] == p.title.get(lang) for r in rows)]
    phases = f1.multiselect(tr("filter_phase", lang), phase_names, key="gap_phase", placeholder=tr("all", lang))
    crits = f2.multiselect(tr("filter_criticality", lang), ["must", "should", "nice"], key="gap_crit",
                           format_func=lambda c: term(c, lang), placeholder=tr("all", lang))
    rows = [r for r in rows if (not phases or r["phase"] in phases) and (not crits or r["criticality_id"] in crits)]
    for sev, name, group in group_by_severity(rows, lang):
        with st.expander(f"**{name}** ({len(group)})", expanded=sev in ("blocker", "high")):
            for r in group:
                # the whole recommendation, wrapped: never a cell cut at the table's edge
                meta_line = tr("gap_meta", lang, phase=r["phase"], criticality=r["criticality"], score=r["score"],
                               impact=f"{r['impact']:g}")
                st.markdown(f"**{r['number']}** {r['question']}  \n:gray[{meta_line}]  \n→ {r['recommendation']}")

unknown = unknown_rows(result, tpl, lang)
if unknown:
    st.subheader(f"{tr('unknown_items', lang)} ({len(unknown)})")
    st.dataframe(pd.DataFrame(unknown), hide_index=True, key="unknown_table")
    first_phase = tpl.item(result.unknowns[0]).phase_id
    st.page_link(PAGES[first_phase], label=f"→ {tr('go_answer', lang)}", query_params=ctx.params())
if result.not_applicable:
    with st.expander(f"{term('not_applicable', lang)} ({len(result.not_applicable)})"):
        for n in result.not_applicable:
            st.write(f"- {tpl.item(n.item_id).question.get(lang)}" + (f" — {plain(n.reason)}" if n.reason else ""))
for pid, reason in result.out_of_scope.items():
    st.info(f"{tpl.phase(pid).title.get(lang)}{colon(lang)}{term('out_of_scope', lang)} — {plain(reason)}")
show_convergence(repository(), meta, tpl, lang, "results")  # workshop rounds: R1 → R2

report_download(meta, tpl, result, ctx)
