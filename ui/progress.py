"""Progress: this assessment against an earlier one (baseline), and the trend over all of them."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from scoring import ComparisonError, compare, score, term, trend, verdict_label
from services import assessment_chain, assessment_meta, room_assessment, start_reassessment
from storage import new_secret
from ui.common import Context, go_to, is_facilitator, open_page, repository, templates
from ui.i18n import tr
from ui.plan_views import show_planned_vs_actual
from ui.text import plain
from ui.views import assessment_summary, count_axis, metric_delta, verdict_delta

ctx, meta, tpl = open_page()
lang = ctx.lang
repo = repository()
st.title(tr("progress_title", lang))

with st.expander(tr("reassess", lang), expanded=False):
    st.caption(tr("reassess_hint", lang))
    copy = st.radio(tr("reassess_start", lang), ["copy", "blank"], horizontal=True, key="reassess_copy",
                    format_func=lambda v: tr(f"reassess_{v}", lang))
    facilitating = is_facilitator(ctx)
    if not facilitating:
        st.caption(tr("reassess_facilitator_only", lang))
    if st.button(tr("reassess", lang), key="reassess_button", disabled=not facilitating) and facilitating:
        key = new_secret()
        name = ctx.respondent or meta.facilitator
        new_id = start_reassessment(repo, meta.id, tpl, name, copy == "copy", facilitator_key=key)
        me = repo.join_as(new_id, name)
        go_to(Context(lang, new_id, me.name, me.token, key), page="home")

chain = assessment_chain(repo, meta.id)
metas = {i: assessment_meta(repo, i) for i in chain}
if len(chain) < 2:
    st.info(tr("no_baseline", lang))
    st.stop()


def scored(aid: str):
    t = templates().get(metas[aid].template_id, tpl)
    a = room_assessment(repo, aid, t)
    return t, a, score(t, a)


_scores = {aid: scored(aid) for aid in chain}


def label(aid: str) -> str:
    """When, which one it re-assesses, how complete, its verdict (★ the open one)."""
    m, (t, _a, r) = metas[aid], _scores[aid]
    base = metas.get(m.baseline_id) if m.baseline_id else None
    return assessment_summary(m.created_at, base.created_at if base else None, r.completion,
                              verdict_label(t, r.verdict, lang), lang) + (" ★" if aid == meta.id else "")


others = [i for i in chain if i != meta.id]
c1, c2 = st.columns(2)
old_id = c1.selectbox(tr("baseline", lang), others, format_func=label, key="baseline_pick")
new_id = c2.selectbox(tr("compared_with", lang), chain, index=chain.index(meta.id), format_func=label,
                      key="new_pick")
if metas[old_id].created_at > metas[new_id].created_at:
    old_id, new_id = new_id, old_id
old_t, old_a, _ = _scores[old_id]
new_t, new_a, _ = _scores[new_id]
try:
    cmp = compare(old_t, old_a, new_t, new_a, repo.load_action_plan(old_id), repo.load_action_plan(new_id))
except ComparisonError as e:
    st.error(e.text(lang))
    st.stop()


def num(x):
    return "—" if x is None else f"{x:g}"


m = st.columns(4)
m[0].metric(term("overall", lang), num(cmp.new.overall), **metric_delta(cmp.overall_delta))
m[1].metric(term("verdict", lang), verdict_label(new_t, cmp.new.verdict, lang),
            **verdict_delta(cmp.verdict_change, verdict_label(old_t, cmp.old.verdict, lang)))
# the known change only: a blocker the re-assessment has not answered yet is neither gone nor still there
m[2].metric(term("blockers", lang), cmp.new.blockers, **metric_delta(cmp.blocker_delta, better="lower"))
m[3].metric(term("completion", lang), f"{cmp.new.completion:g}%", **metric_delta(cmp.completion_delta))
if cmp.gaps_not_reassessed:
    st.info(tr("not_reassessed_hint", lang, gaps=len(cmp.gaps_not_reassessed),
               blockers=len(cmp.blockers_not_reassessed)))

st.subheader(tr("phase_deltas", lang))
st.dataframe(pd.DataFrame([{term("phase", lang): p.title.get(lang), tr("before", lang): num(p.old_score),
                            tr("after", lang): num(p.new_score),
                            "Δ": metric_delta(p.delta)["delta"] or "—"} for p in cmp.phases]),
             hide_index=True, key="phase_delta_table")


new_ids = {i.id for i in new_t.items()}


def gap_list(title_key: str, rows) -> None:
    if rows:
        st.markdown(f"**{tr(title_key, lang)} ({len(rows)})**")
        for g in rows:
            st.write(f"- {new_t.question_number(g.item_id) if g.item_id in new_ids else ''} {g.question.get(lang)}")


gap_list("blockers_resolved", cmp.blockers_resolved)
gap_list("blockers_new", cmp.blockers_new)
gap_list("gaps_closed", cmp.gaps_closed)
gap_list("gaps_opened", cmp.gaps_opened)
if cmp.gaps_not_reassessed:
    blockers = {g.item_id for g in cmp.blockers_not_reassessed}
    st.markdown(f"**{tr('not_reassessed', lang)} ({len(cmp.gaps_not_reassessed)})**")
    for g in cmp.gaps_not_reassessed:
        mark = f" :red-badge[{term('blocker', lang)}]" if g.item_id in blockers else ""
        st.write(f"- {new_t.question_number(g.item_id) if g.item_id in new_ids else ''} {g.question.get(lang)}{mark}")
if cmp.actions_done:
    st.markdown(f"**{tr('actions_done', lang)} ({len(cmp.actions_done)})**")
    for a in cmp.actions_done:
        st.write(f"- {new_t.item(a.item_id).question.get(lang) if a.item_id in new_ids else a.item_id}"
                 f" · {plain(a.owner)}")
show_planned_vs_actual(old_id, new_t, new_a, lang)
if cmp.added or cmp.removed:
    st.caption(tr("items_added_removed", lang, added=len(cmp.added), removed=len(cmp.removed)))
if cmp.changed:
    with st.expander(f"{tr('changed_items', lang)} ({len(cmp.changed)})"):
        st.dataframe(pd.DataFrame([{term("item", lang): c.question.get(lang), tr("before", lang): num(c.old_score),
                                    tr("after", lang): num(c.new_score)} for c in cmp.changed]),
                     hide_index=True, key="changed_table")

st.subheader(tr("trend", lang))
points = [(f"{metas[i].created_at:%Y-%m-%d %H:%M}", _scores[i][2]) for i in chain]
tr_data = trend(points)
fig = go.Figure()
fig.add_trace(go.Scatter(x=tr_data.labels, y=tr_data.overall, name=term("overall", lang), mode="lines+markers",
                         line={"width": 4}))
for ph in tpl.phases:
    fig.add_trace(go.Scatter(x=tr_data.labels, y=tr_data.phases.get(ph.id, []), name=ph.title.get(lang),
                             mode="lines+markers"))
fig.add_trace(go.Bar(x=tr_data.labels, y=tr_data.blockers, name=term("blockers", lang), yaxis="y2", opacity=0.3))
# counts on whole-number ticks; the legend below the plot, clear of both axes
fig.update_layout(yaxis={"range": [0, 100], "title": {"text": term("score", lang)}},
                  yaxis2={"overlaying": "y", "side": "right", "title": {"text": term("blockers", lang)},
                          "showgrid": False, **count_axis(tr_data.blockers)},
                  legend={"orientation": "h", "yanchor": "top", "y": -0.15, "xanchor": "left", "x": 0},
                  height=420, margin={"l": 40, "r": 40, "t": 20, "b": 20})
st.plotly_chart(fig, key="trend_chart")
