"""Requirements and vendor comparison for the open assessment: tag the requirements, weigh the criteria
(or derive the weights by AHP), list the vendors with their costs and ROI inputs, let each evaluator
score on their own, and show the result. Every edit is stored at once, like the questionnaire's
answers; the logic lives in ui/vendor_services.py."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from scoring import term
from storage import StorageUnavailable
from ui.common import PAGES, joined, open_page, repository
from ui.i18n import tr
from ui.text import chart_text, plain
from ui.vendor_services import (
    AHP_SCALE,
    EXPORT_FORMATS,
    SheetRefused,
    add_requirement,
    ahp_from_rows,
    ahp_rows,
    apply_cost_changes,
    apply_criterion_changes,
    apply_requirement_changes,
    apply_roi_changes,
    apply_vendor_table,
    comparison_rows,
    cost_rows,
    cost_score_data,
    criterion_matrix,
    criterion_rows,
    criterion_score_rows,
    edit_sheet,
    editor_delta,
    export_sheet,
    import_sheet,
    is_own_requirement,
    knockouts,
    leader_text,
    load_sheet,
    remove_requirement,
    requirement_matrix,
    requirement_names,
    requirement_rows,
    requirement_score_rows,
    risks,
    roi_rows,
    save_criterion_scores,
    save_requirement_scores,
    score_labels,
    score_stack_data,
    set_weights,
    sheet_result,
    start_sheet,
    tornado_data,
    update_sheet,
    vendor_rows,
)
from vendors import (
    COST_PARTS,
    STATUSES,
    TAGS,
    VendorSheet,
)

ctx, meta, tpl = open_page()
lang = ctx.lang
repo = repository()
ss = st.session_state
Change = Callable[[VendorSheet], VendorSheet]
Write = Callable[[], object]
# who made an edit, for the vendor audit trail (empty when nobody has joined in this session)
me = joined(ctx) if ctx.respondent else None  # a name proven by its token in the link, or nobody
editor = me.name if me else ""

GEN = f"vendor_gen::{meta.id}"
PENDING = f"vendor_pending::{meta.id}"
FLASH = f"vendor_flash::{meta.id}"  # a message for the next run of this assessment's page only


def k(name: str) -> str:
    """A widget key; a new generation (after an import or a fresh start) gives every editor a new one,
    so no edit state from before can be applied to the new sheet."""
    gen = ss.get(GEN, 0)
    return name if gen == 0 else f"{name}#{gen}"


def new_generation() -> None:
    ss[GEN] = ss.get(GEN, 0) + 1


def refused(problems: list[str]) -> None:
    st.error(tr("v_refused", lang) + "\n\n" + "\n".join(f"- {plain(p)}" for p in problems[:30]))


def store(write: Write) -> bool:
    """Run one write (an edit, stored in one transaction against the stored sheet as it is then).
    When the database is unavailable, the write is kept and run again on the next run, so it must
    hold its own values (bind them as default arguments, not as names the script rebinds)."""
    try:
        done = write()
    except SheetRefused as e:
        refused(e.problems)
        return False
    except StorageUnavailable:
        ss.setdefault(PENDING, []).append(write)
        st.error(tr("save_failed", lang))
        return False
    return done is not None


def commit(change: Change) -> bool:
    """Apply a change to the sheet as stored now (others may have saved since) and store it at once."""
    return store(lambda: edit_sheet(repo, meta.id, change, who=editor))


def flush_pending() -> None:
    pending: list[Write] = ss.get(PENDING) or []
    while pending:
        try:
            pending[0]()
        except SheetRefused as e:
            refused(e.problems)
        except StorageUnavailable:
            st.error(tr("save_failed", lang))
            return
        pending.pop(0)
        st.toast(tr("pending_saved", lang))


def fixed_editor(name: str, rows: list[dict[str, Any]], id_col: str, **kw: Any) -> dict[str, dict[str, Any]]:
    """A data editor with one row per id; returns the cells changed since the last run, by row id.

    The editor's state holds every edit since it was drawn; only what changed since the last run is
    returned, so an edit made long ago never overwrites what someone else has stored since."""
    key = k(name)
    fresh_widget = key not in ss
    ids = [r[id_col] for r in rows]
    st.data_editor(pd.DataFrame(rows), key=key, hide_index=True, num_rows="fixed", placeholder="—", **kw)
    state = copy.deepcopy(dict(ss.get(key) or {}))
    seen_key = f"{key}::seen"
    seen = ss.get(seen_key)
    if seen is None or fresh_widget:
        base = None
    elif seen["ids"] != ids:
        base = state  # the rows changed under the editor: its old edits no longer point at them
    else:
        base = seen["state"]
    ss[seen_key] = {"ids": ids, "state": state}
    return {ids[r]: cells for r, cells in editor_delta(state, base).items() if r < len(ids)}


def scalar(widget: Callable[..., Any], name: str, stored: Any, change: Callable[[VendorSheet, Any], VendorSheet],
           **kw: Any) -> None:
    """A single-value widget bound to the stored sheet: shows the stored value (also when someone else
    changed it) and stores the user's change in its callback."""
    key = k(name)
    mark = f"{key}::stored"
    if key not in ss or ss.get(mark) != stored:
        ss[key] = stored
        ss[mark] = stored
    def on_change() -> None:
        value = ss[key]  # bound now: a write kept for later must store this value, not a later one
        commit(lambda s: change(s, value))

    widget(key=key, on_change=on_change, **kw)


# ── start ─────────────────────────────────────────────────────────────────────────────────────

st.title(tr("v_title", lang))
st.caption(tr("v_intro", lang))
flush_pending()
sheet = load_sheet(repo, meta.id)


def start(source: str) -> None:
    try:
        start_sheet(repo, meta.id, source, organisation=meta.organisation, project=meta.project, who=editor)
    except StorageUnavailable:
        st.error(tr("save_failed", lang))
        return
    if sheet is not None:
        new_generation()
    ss[FLASH] = tr("v_started", lang)
    st.rerun()


def import_box() -> None:
    st.subheader(tr("v_import", lang))
    st.caption(tr("v_import_hint", lang))
    upload = st.file_uploader(tr("v_import", lang), type=["csv", "xlsx", "yaml", "yml"], key="vendor_upload",
                              label_visibility="collapsed")
    if st.button(tr("import_button", lang), key="vendor_import_button", disabled=upload is None):
        try:
            imported = import_sheet(repo, meta.id, upload.name, upload.getvalue(), who=editor)
        except SheetRefused as e:
            st.error(tr("import_failed", lang) + "\n\n" + "\n".join(f"- {plain(p)}" for p in e.problems[:30]))
        except StorageUnavailable:
            st.error(tr("save_failed", lang))
        else:
            if sheet is not None:
                new_generation()
            ss[FLASH] = tr("v_import_ok", lang, n=len(imported.vendors), e=len(imported.evaluators()))
            st.rerun()


if FLASH in ss:
    st.success(ss.pop(FLASH))

if sheet is None:
    st.info(tr("v_empty", lang))
    c1, c2 = st.columns(2)
    if c1.button(tr("v_start_catalogue", lang), key="vendor_start_catalogue", type="primary"):
        start("catalogue")
    if c2.button(tr("v_start_example", lang), key="vendor_start_example"):
        start("example")
    import_box()
    st.stop()

tabs = st.tabs([tr(f"v_tab_{t}", lang) for t in ("requirements", "criteria", "vendors", "evaluate", "result", "files")])
tag_label = {"must": term("must", lang), "nice": term("nice", lang), "not_needed": tr("v_tag_not_needed", lang)}
status_label = {s: tr(f"v_status_{s}", lang) for s in STATUSES}
vendor_name = {v.id: v.name.get(lang) for v in sheet.vendors}

# ── requirements ──────────────────────────────────────────────────────────────────────────────

with tabs[0]:
    st.caption(tr("v_req_hint", lang))
    changes = fixed_editor(
        "vendor_req_editor", requirement_rows(sheet, lang), "id",
        disabled=["id", "group", "name"], column_order=["group", "name", "tag", "note", "id"],
        column_config={
            "id": st.column_config.TextColumn(tr("v_col_id", lang)),
            "group": st.column_config.TextColumn(tr("v_col_group", lang)),
            "name": st.column_config.TextColumn(tr("v_col_name", lang), width="large"),
            "tag": st.column_config.SelectboxColumn(tr("v_col_tag", lang), options=list(TAGS), required=True,
                                                    format_func=lambda t: tag_label.get(t, t)),
            "note": st.column_config.TextColumn(tr("note", lang), max_chars=2000),
        })
    if changes and commit(lambda s, c=changes: apply_requirement_changes(s, c)):
        st.rerun()
    c1, c2 = st.columns(2)
    with c1.form("vendor_add_req_form", clear_on_submit=True):
        st.markdown(f"**{tr('v_add_req', lang)}**")
        zh = st.text_input(tr("v_name_zh", lang), key="vendor_new_req_zh", max_chars=200)
        en = st.text_input(tr("v_name_en", lang), key="vendor_new_req_en", max_chars=200)
        tag = st.radio(tr("v_col_tag", lang), list(TAGS), horizontal=True, key="vendor_new_req_tag",
                       format_func=lambda t: tag_label[t])
        if st.form_submit_button(tr("v_add_button", lang)) and commit(lambda s: add_requirement(s, zh, en, tag)):
            st.rerun()
    own = [r.id for r in sheet.requirements if is_own_requirement(r.id)]
    if own:
        req_names = requirement_names(sheet)
        pick = c2.selectbox(tr("v_remove_req", lang), own, key="vendor_remove_pick",
                            format_func=lambda i: req_names[i].get(lang) if i in req_names else i)
        if c2.button(tr("v_remove_button", lang), key="vendor_remove_button") and \
                commit(lambda s: remove_requirement(s, pick)):
            st.rerun()

# ── criteria and weights ──────────────────────────────────────────────────────────────────────

with tabs[1]:
    st.caption(tr("v_weights_hint", lang))
    changes = fixed_editor(
        "vendor_crit_editor", criterion_rows(sheet, lang), "id",
        disabled=["id", "name", "share"], column_order=["name", "weight", "share", "note", "id"],
        column_config={
            "id": st.column_config.TextColumn(tr("v_col_id", lang)),
            "name": st.column_config.TextColumn(tr("v_col_name", lang), width="large"),
            "weight": st.column_config.NumberColumn(tr("v_weight", lang), min_value=0.0, max_value=1000.0,
                                                    required=True),
            "share": st.column_config.NumberColumn(tr("v_share", lang), format="%.1f"),
            "note": st.column_config.TextColumn(tr("note", lang), max_chars=2000),
        })
    if changes and commit(lambda s, c=changes: apply_criterion_changes(s, c)):
        st.rerun()

    with st.expander(tr("v_ahp", lang)):
        st.caption(tr("v_ahp_hint", lang))

        def judgement(x: int) -> str:
            if x == 1:
                return tr("v_ahp_equal", lang)
            return tr("v_ahp_left_more" if x > 0 else "v_ahp_right_more", lang, k=abs(x))

        rows = ahp_rows(sheet, lang)
        edited = st.data_editor(
            pd.DataFrame(rows), key=k("vendor_ahp_editor"), hide_index=True, num_rows="fixed",
            disabled=["pair", "left", "right"], column_order=["left", "judgement", "right"],
            column_config={
                "left": st.column_config.TextColumn(tr("v_ahp_left", lang)),
                "right": st.column_config.TextColumn(tr("v_ahp_right", lang)),
                "judgement": st.column_config.SelectboxColumn(tr("v_ahp_judgement", lang), options=list(AHP_SCALE),
                                                              required=True, format_func=judgement),
            })
        try:
            ahp = ahp_from_rows(sheet, edited.to_dict("records"))
        except SheetRefused as e:
            refused(e.problems)
        else:
            crit_names = {r["id"]: r["name"] for r in criterion_rows(sheet, lang)}
            st.dataframe(pd.DataFrame([{tr("v_col_name", lang): crit_names[c], tr("v_share", lang): round(100 * w, 1)}
                                       for c, w in ahp.weights.items()]), hide_index=True, key=k("vendor_ahp_result"))
            cr = tr("v_ahp_cr", lang, cr=f"{ahp.cr:.3f}")
            if ahp.warning is not None:
                st.warning(f"{cr} — {ahp.warning.get(lang)}")
            else:
                st.success(f"{cr} — {tr('v_ahp_ok', lang)}")
            if st.button(tr("v_ahp_apply", lang), key="vendor_ahp_apply") and \
                    commit(lambda s: set_weights(s, ahp.weights)):
                ss[FLASH] = tr("v_ahp_applied", lang)
                st.rerun()

# ── vendors, costs, ROI, settings ─────────────────────────────────────────────────────────────

with tabs[2]:
    st.caption(tr("v_vendors_hint", lang))
    rows = vendor_rows(sheet)
    edited = st.data_editor(
        pd.DataFrame(rows), key=k("vendor_vendors_editor"), hide_index=True, num_rows="dynamic",
        disabled=["id"], column_order=["name_zh", "name_en", "note", "id"],
        column_config={
            "id": st.column_config.TextColumn(tr("v_col_id", lang)),
            "name_zh": st.column_config.TextColumn(tr("v_name_zh", lang), max_chars=200),
            "name_en": st.column_config.TextColumn(tr("v_name_en", lang), max_chars=200),
            "note": st.column_config.TextColumn(tr("note", lang), max_chars=2000),
        })
    new_rows = edited.to_dict("records")
    try:
        changed = apply_vendor_table(sheet, new_rows)
    except SheetRefused as e:
        st.warning(tr("v_vendor_incomplete", lang) + " " + "; ".join(plain(p) for p in e.problems))
    else:
        if changed != sheet and commit(lambda s: apply_vendor_table(s, new_rows)):
            st.rerun()

    st.subheader(tr("v_settings", lang))
    c1, c2, c3 = st.columns(3)
    scalar(c1.number_input, "vendor_years", sheet.settings.years,
           lambda s, v: update_sheet(s, years=int(v)),
           label=tr("v_years", lang), min_value=1, max_value=15, step=1)
    scalar(c2.number_input, "vendor_discount", round(100 * (sheet.settings.discount_rate or 0.0), 4),
           lambda s, v: update_sheet(s, discount_rate=(v / 100) or None),
           label=tr("v_discount", lang), min_value=0.0, max_value=100.0, step=0.5, format="%.2f")
    scalar(c3.text_input, "vendor_currency", sheet.currency,
           lambda s, v: update_sheet(s, currency=(v or "").strip() or "CNY"),
           label=tr("v_currency", lang), max_chars=12)
    c1, c2 = st.columns(2)
    scalar(c1.checkbox, "vendor_partly_ko", sheet.settings.partly_on_must_disqualifies,
           lambda s, v: update_sheet(s, partly_on_must_disqualifies=bool(v)),
           label=tr("v_partly_ko", lang))
    scalar(c2.radio, "vendor_consolidation", sheet.settings.requirement_consolidation,
           lambda s, v: update_sheet(s, requirement_consolidation=v),
           label=tr("v_consolidation", lang), options=["least", "majority"], horizontal=True,
           format_func=lambda m: tr(f"v_cons_{m}", lang))

    st.subheader(f"{tr('v_costs', lang)} ({plain(sheet.currency)})")
    st.caption(tr("v_costs_hint", lang))
    money = {p: st.column_config.NumberColumn(tr(f"v_part_{p}", lang), min_value=0.0, max_value=1e12,
                                              format="%,.2f") for p in COST_PARTS}
    changes = fixed_editor(
        "vendor_cost_editor", cost_rows(sheet, lang), "key",
        disabled=["key", "vendor", "year", "total"], column_order=["vendor", "year", *COST_PARTS, "total"],
        column_config={"vendor": st.column_config.TextColumn(tr("v_vendor", lang)),
                       "year": st.column_config.NumberColumn(tr("v_year", lang), format="%d"),
                       "total": st.column_config.NumberColumn(tr("v_total", lang), format="%,.2f"), **money})
    if changes and commit(lambda s, c=changes: apply_cost_changes(s, c)):
        st.rerun()

    st.subheader(f"{tr('v_roi', lang)} ({plain(sheet.currency)})")
    c1, c2 = st.columns(2)
    scalar(c1.number_input, "vendor_roi_gains", float(sheet.roi.gains_per_year),
           lambda s, v: update_sheet(s, gains_per_year=float(v or 0)),
           label=tr("v_gains", lang), min_value=0.0, max_value=1e12, step=10000.0, format="%.2f")
    scalar(c2.number_input, "vendor_roi_savings", float(sheet.roi.savings_per_year),
           lambda s, v: update_sheet(s, savings_per_year=float(v or 0)),
           label=tr("v_savings", lang), min_value=0.0, max_value=1e12, step=10000.0, format="%.2f")
    st.caption(tr("v_roi_vendor_hint", lang))
    changes = fixed_editor(
        "vendor_roi_editor", roi_rows(sheet, lang), "id", disabled=["id", "vendor"],
        column_order=["vendor", "gains_per_year", "savings_per_year"],
        column_config={"vendor": st.column_config.TextColumn(tr("v_vendor", lang)),
                       "gains_per_year": st.column_config.NumberColumn(tr("v_gains", lang), min_value=0.0,
                                                                       max_value=1e12, format="%,.2f"),
                       "savings_per_year": st.column_config.NumberColumn(tr("v_savings", lang), min_value=0.0,
                                                                         max_value=1e12, format="%,.2f")})
    if changes and commit(lambda s, c=changes: apply_roi_changes(s, c)):
        st.rerun()

# ── one evaluator's scores ────────────────────────────────────────────────────────────────────

with tabs[3]:
    who = me.name if me else None
    if not who:
        st.info(tr("v_need_join", lang))
        st.page_link(PAGES["home"], label=tr("join", lang), query_params=ctx.params())
    else:
        st.caption(tr("v_scoring_as", lang, who=plain(who)))
        ids = [v.id for v in sheet.vendors]
        if ss.get("vendor_eval_pick") not in ids:
            ss["vendor_eval_pick"] = ids[0]
        vid = st.selectbox(tr("v_vendor", lang), ids, key="vendor_eval_pick", format_func=lambda i: vendor_name.get(i, i))
        st.markdown(f"**{tr('v_req_scores', lang)}**")
        changes = fixed_editor(
            f"vendor_eval_req::{vid}", requirement_score_rows(sheet, who, vid, lang), "id",
            disabled=["id", "name", "tag"], column_order=["name", "tag", "status", "note", "id"],
            column_config={
                "id": st.column_config.TextColumn(tr("v_col_id", lang)),
                "name": st.column_config.TextColumn(tr("v_col_name", lang), width="large"),
                "tag": st.column_config.SelectboxColumn(tr("v_col_tag", lang), options=list(TAGS),
                                                        format_func=lambda t: tag_label.get(t, t)),
                "status": st.column_config.SelectboxColumn(tr("v_status", lang), options=list(STATUSES),
                                                           format_func=lambda s: status_label.get(s, s)),
                "note": st.column_config.TextColumn(tr("note", lang), max_chars=2000),
            })
        if changes and store(lambda c=changes, v=vid: save_requirement_scores(repo, meta.id, who, v, c)):
            st.rerun()
        st.markdown(f"**{tr('v_crit_scores', lang)}**")
        changes = fixed_editor(
            f"vendor_eval_crit::{vid}", criterion_score_rows(sheet, who, vid, lang), "id",
            disabled=["id", "name", "share"], column_order=["name", "share", "score", "note", "id"],
            column_config={
                "id": st.column_config.TextColumn(tr("v_col_id", lang)),
                "name": st.column_config.TextColumn(tr("v_col_name", lang), width="large"),
                "share": st.column_config.NumberColumn(tr("v_share", lang), format="%.1f"),
                "score": st.column_config.NumberColumn(tr("v_score", lang), min_value=1, max_value=5, step=1,
                                                       format="%d", help=" · ".join(score_labels(lang))),
                "note": st.column_config.TextColumn(tr("note", lang), max_chars=2000),
            })
        if changes and store(lambda c=changes, v=vid: save_criterion_scores(repo, meta.id, who, v, c)):
            st.rerun()

# ── the result ────────────────────────────────────────────────────────────────────────────────

result = sheet_result(sheet)
with tabs[4]:
    summary = leader_text(result, lang)
    # the summary quotes vendor names: shown as text
    (st.success if result.leader else st.error)(plain(summary[0]))
    for line in summary[1:]:
        st.info(plain(line))
    if not result.evaluators:
        st.warning(tr("v_no_scores", lang))

    st.subheader(tr("v_knockouts", lang))
    kos = knockouts(result, lang)
    for name, reasons in kos:
        st.error(f":red-badge[{tr('v_knocked_out', lang)}] **{plain(name)}** — " + "; ".join(plain(r) for r in reasons))
    if not kos:
        st.caption(tr("v_no_knockouts", lang))

    st.subheader(tr("v_table", lang))
    table = pd.DataFrame(comparison_rows(result, lang))
    table["qualified"] = [tr("v_qualified" if q else "v_knocked_out", lang) for q in table["qualified"]]
    st.dataframe(
        table, hide_index=True, key="vendor_result_table",
        column_order=["rank", "vendor", "qualified", "score", "musts", "nice", "tco", "per_10k", "roi", "payback",
                      "knockouts"],
        column_config={
            "rank": st.column_config.NumberColumn(tr("v_col_rank", lang)),
            "vendor": st.column_config.TextColumn(tr("v_vendor", lang)),
            "qualified": st.column_config.TextColumn(tr("v_status", lang)),
            "score": st.column_config.ProgressColumn(tr("v_score", lang), min_value=0, max_value=100, format="%.2f"),
            "musts": st.column_config.TextColumn(tr("v_col_musts", lang)),
            "nice": st.column_config.NumberColumn(tr("v_col_nice", lang), format="%.1f"),
            "tco": st.column_config.NumberColumn(f"{tr('v_col_tco', lang)} ({result.currency})", format="%,.0f"),
            "per_10k": st.column_config.NumberColumn(tr("v_col_per10k", lang), format="%.2f"),
            "roi": st.column_config.NumberColumn(tr("v_col_roi", lang), format="%.1f"),
            "payback": st.column_config.NumberColumn(tr("v_col_payback", lang), format="%.2f"),
            "knockouts": st.column_config.TextColumn(tr("v_knockouts", lang), width="large"),
        })

    left, right = st.columns(2)
    with left:
        st.subheader(tr("v_chart_stack", lang))
        sd = score_stack_data(result, lang)
        # a knocked-out vendor keeps its bar, named as such on the axis
        xs = [chart_text(n) if q else f"{chart_text(n)}<br>({tr('v_knocked_out', lang)})"
              for n, q in zip(sd["vendors"], sd["qualified"], strict=True)]
        fig = go.Figure([go.Bar(name=chart_text(c), x=xs, y=ys, hovertemplate="%{y:.2f}")
                         for c, ys in zip(sd["criteria"], sd["contributions"], strict=True)])
        fig.add_trace(go.Scatter(x=xs, y=sd["totals"], text=[f"{t:g}" for t in sd["totals"]], mode="text",
                                 textposition="top center", showlegend=False, hoverinfo="skip"))
        fig.update_layout(barmode="stack", yaxis={"range": [0, 105], "title": tr("v_score", lang)}, height=420,
                          legend={"orientation": "h", "y": -0.2}, margin={"l": 20, "r": 20, "t": 20, "b": 20})
        st.plotly_chart(fig, key="vendor_stack_chart")
    with right:
        st.subheader(tr("v_chart_cost", lang))
        cd = cost_score_data(result, lang)
        if cd:
            fig = go.Figure(go.Scatter(
                x=[p["tco"] for p in cd], y=[p["score"] for p in cd], text=[chart_text(p["vendor"]) for p in cd],
                mode="markers+text", textposition="top center",
                marker={"size": 14, "symbol": ["circle" if p["qualified"] else "x" for p in cd],
                        "color": ["#1F4E79" if p["qualified"] else "#B42318" for p in cd]}))
            top = max(p["tco"] for p in cd) or 1.0
            fig.update_layout(xaxis={"title": f"{tr('v_col_tco', lang)} ({result.currency})",
                                     "range": [0, top * 1.2]},
                              yaxis={"title": tr("v_score", lang), "range": [0, 105]}, height=420,
                              margin={"l": 20, "r": 20, "t": 20, "b": 20})
            st.plotly_chart(fig, key="vendor_cost_chart")

    tornado = tornado_data(result, lang)
    if result.leader and len([v for v in result.vendors if v.qualified]) > 1:
        st.subheader(tr("v_chart_tornado", lang))
        shown = list(reversed(tornado))  # plotly draws the first bar at the bottom: the most sensitive on top
        fig = go.Figure()
        fig.add_trace(go.Bar(
            y=[chart_text(r["criterion"]) for r in shown], x=[r["high"] - r["low"] for r in shown], base=[r["low"] for r in shown],
            orientation="h", marker_color="#2E86AB", showlegend=False,
            customdata=[[chart_text(r["below"] or "—"), chart_text(r["above"] or "—")] for r in shown],
            hovertemplate="%{base:.1f}% – %{x:.1f}<br>↓ %{customdata[0]} · ↑ %{customdata[1]}<extra></extra>"))
        fig.add_trace(go.Scatter(y=[chart_text(r["criterion"]) for r in shown], x=[r["now"] for r in shown], mode="markers",
                                 marker={"symbol": "line-ns-open", "size": 18, "color": "#1F2933"},
                                 name=tr("v_tornado_now", lang)))
        fig.update_layout(xaxis={"range": [0, 100], "ticksuffix": "%"}, height=60 + 34 * len(shown),
                          margin={"l": 20, "r": 20, "t": 20, "b": 20})
        st.plotly_chart(fig, key="vendor_tornado_chart")
        mc = result.monte_carlo
        st.caption(f"{tr('v_mc', lang)}: " + ", ".join(f"{plain(vendor_name.get(v, v))} {s * 100:.1f}%"
                                                       for v, s in mc.shares.items()))

    risk_list = risks(result, lang)
    if risk_list:
        with st.expander(f"{tr('v_risks', lang)} ({sum(len(r) for _, r in risk_list)})"):
            for name, reasons in risk_list:
                st.markdown(f"**{plain(name)}**\n" + "\n".join(f"- {plain(r)}" for r in reasons))

    if result.evaluators:
        st.subheader(tr("v_detail", lang))
        for v in result.vendors:
            with st.expander(f"#{v.rank} {plain(v.name.get(lang))}"):
                by = {f"by:{w}": w for w in result.evaluators}
                req = pd.DataFrame(requirement_matrix(result, v.id, lang)).rename(columns=by)
                req["tag"] = [tag_label.get(t, t) for t in req["tag"]]
                for col in ["status", *by.values()]:
                    req[col] = [status_label.get(x, "—") if x else "—" for x in req[col]]
                st.dataframe(req.rename(columns={"requirement": tr("v_col_name", lang), "tag": tr("v_col_tag", lang),
                                                 "status": tr("v_combined", lang), "agreed": tr("v_agreed", lang),
                                                 "notes": tr("note", lang)}),
                             hide_index=True, key=k(f"vendor_detail_req::{v.id}"))
                crit = pd.DataFrame(criterion_matrix(result, v.id, lang)).rename(columns=by)
                st.dataframe(crit.rename(columns={"criterion": tr("v_col_name", lang), "share": tr("v_share", lang),
                                                  "mean": tr("v_mean", lang), "spread": tr("spread", lang),
                                                  "notes": tr("note", lang)}),
                             hide_index=True, key=k(f"vendor_detail_crit::{v.id}"))
    with st.expander(tr("v_method", lang)):
        for text in (result.method, result.sensitivity.method, result.monte_carlo.method):
            st.caption(text.get(lang))

# ── files ─────────────────────────────────────────────────────────────────────────────────────

with tabs[5]:
    st.subheader(tr("v_export", lang))
    cols = st.columns(len(EXPORT_FORMATS))
    for col, fmt in zip(cols, EXPORT_FORMATS, strict=True):
        name, mime = EXPORT_FORMATS[fmt]
        # built only when clicked: an XLSX takes a moment, and most runs never download
        col.download_button(fmt.upper(), lambda f=fmt: export_sheet(load_sheet(repo, meta.id) or sheet, f)[0],
                            file_name=name, mime=mime, key=f"vendor_download_{fmt}")
    import_box()
    with st.expander(tr("v_start_again", lang)):
        st.caption(tr("v_start_again_hint", lang))
        source = st.radio(tr("v_start_source", lang), ["catalogue", "example"], horizontal=True,
                          key="vendor_restart_source",
                          format_func=lambda x: tr("v_start_catalogue" if x == "catalogue" else "v_start_example", lang))
        sure = st.checkbox(tr("v_confirm", lang), key=k("vendor_restart_confirm"))
        if st.button(tr("v_start_button", lang), key="vendor_restart_button", disabled=not sure):
            start(source)
