"""Results: verdict first (blocked is loud), charts, gaps, unknowns, coverage, and the PDF report."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from scoring import term, verdict_label
from ui.common import PAGES, combined_assessment, combined_result, open_page, repository
from ui.i18n import tr
from ui.plan_views import add_bar_targets, add_radar_targets, show_results_plan
from ui.report_download import report_download
from ui.room_figures import room_range, show_range
from ui.rounds_view import show_convergence
from ui.text import plain
from ui.views import gap_rows, phase_bar_data, radar_data, unknown_rows

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
c = st.columns(5)
c[0].metric(term("overall", lang), "—" if result.overall is None else f"{result.overall:g}")
c[1].metric(term("verdict", lang), verdict_label(tpl, result.verdict, lang))
c[2].metric(term("completion", lang), f"{result.completion:g}%")
c[3].metric(term("must_coverage", lang), "—" if result.must_coverage.share is None else f"{result.must_coverage.share:g}%")
c[4].metric(term("nice_coverage", lang), "—" if result.nice_coverage.share is None else f"{result.nice_coverage.share:g}%")
show_range(tpl, room_range(tpl, combined_assessment(meta, tpl)), lang, "results")  # and the next questions that matter
ev = result.evidence_coverage
st.caption(f"{term('evidence_coverage', lang)}: {'—' if ev is None else f'{ev:g}%'} · "
           f"{tr('fingerprint', lang)} {result.fingerprint[:12]}")

show_results_plan(meta.id, tpl, lang)
left, right = st.columns(2)
with left:
    st.subheader(tr("radar", lang))
    r = radar_data(result, lang)
    fig = go.Figure(go.Scatterpolar(r=r["scores"] + r["scores"][:1], theta=r["labels"] + r["labels"][:1],
                                    fill="toself", name=term("score", lang)))
    add_radar_targets(fig, tpl, meta.id, lang)
    fig.update_layout(polar={"radialaxis": {"range": [0, 100]}}, showlegend=False, height=360,
                      margin={"l": 40, "r": 40, "t": 20, "b": 20})
    st.plotly_chart(fig, key="radar_chart")
with right:
    st.subheader(tr("phase_bars", lang))
    b = phase_bar_data(result, tpl, lang)
    fig = go.Figure(go.Bar(x=b["labels"], y=b["scores"], marker_color=b["colours"], text=b["texts"]))
    for level in b["thresholds"]:
        fig.add_hline(y=level["min_score"], line_dash="dot", annotation_text=level["label"],
                      annotation_position="top left")
    add_bar_targets(fig, tpl, meta.id, lang)
    fig.update_layout(yaxis={"range": [0, 100]}, height=360, margin={"l": 20, "r": 20, "t": 20, "b": 20})
    st.plotly_chart(fig, key="bar_chart")

st.subheader(tr("gap_table", lang))
rows = gap_rows(result, tpl, lang)
if not rows:
    st.success(tr("no_gaps", lang))
else:
    df = pd.DataFrame(rows)
    f1, f2 = st.columns(2)
    phases = f1.multiselect(tr("filter_phase", lang), sorted(set(df[term("phase", lang)])), key="gap_phase")
    crits = f2.multiselect(tr("filter_criticality", lang), sorted(set(df[term("criticality", lang)])),
                           key="gap_crit")
    if phases:
        df = df[df[term("phase", lang)].isin(phases)]
    if crits:
        df = df[df[term("criticality", lang)].isin(crits)]
    st.dataframe(df, hide_index=True, key="gap_table")

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
    st.info(f"{tpl.phase(pid).title.get(lang)}: {term('out_of_scope', lang)} — {plain(reason)}")
show_convergence(repository(), meta, tpl, lang, "results")  # workshop rounds: R1 → R2

report_download(meta, tpl, result, ctx)
