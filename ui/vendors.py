"""Requirements and vendor comparison for the open assessment: tag the requirements, weigh the criteria
(or derive the weights by AHP), list the vendors with their costs and ROI inputs, let each evaluator
score on their own, and show the result.

Each part is a short function: read through the vendor service, show, write back through it as one
typed command (stored at once, like the questionnaire's answers). Limits and words come from the
vendors package."""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any, cast

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from services import vendor_sheet as vs
from storage import Repository, StorageUnavailable
from ui.common import PAGES, joined, open_page, repository
from ui.i18n import colon, list_sep, tr
from ui.text import chart_text, plain
from vendors import (
    COST_PARTS,
    EMPTY,
    MAX_AMOUNT,
    MAX_CURRENCY,
    MAX_DISCOUNT_RATE,
    MAX_NAME,
    MAX_NOTE,
    MAX_WEIGHT,
    MAX_YEARS,
    PRICING_MODELS,
    PROFILE_FIELDS,
    SCORE_MAX,
    SCORE_MIN,
    STATUSES,
    TAGS,
    VendorResult,
    VendorSheet,
    has_scores,
    percent_shares,
    shown_leader,
    vendor_term,
)

ss = st.session_state
Change = Callable[[VendorSheet], VendorSheet]
Write = Callable[[], object]
Col = st.column_config


@dataclass(frozen=True)
class Page:
    lang: str
    assessment_id: str
    organisation: str | None
    project: str | None
    repo: Repository
    me: str | None   # the name proven by the link's token, or nobody (then nobody can score)
    params: dict[str, str]

    @property
    def editor(self) -> str:
        """Who made an edit, for the vendor audit trail (empty when nobody has joined)."""
        return self.me or ""

    def key(self, name: str) -> str:
        """A widget key; a new generation (after an import or a fresh start) gives every editor a new
        one, so no edit state from before can be applied to the new sheet."""
        gen = ss.get(self.gen_key, 0)
        return name if gen == 0 else f"{name}#{gen}"

    @property
    def gen_key(self) -> str:
        return f"vendor_gen::{self.assessment_id}"

    @property
    def pending_key(self) -> str:
        return f"vendor_pending::{self.assessment_id}"

    @property
    def flash_key(self) -> str:  # a message for the next run of this assessment's page only
        return f"vendor_flash::{self.assessment_id}"

    def new_generation(self) -> None:
        ss[self.gen_key] = ss.get(self.gen_key, 0) + 1


def open_vendor_page() -> Page:
    ctx, meta, _tpl = open_page()
    me = joined(ctx) if ctx.respondent else None
    return Page(ctx.lang, meta.id, meta.organisation, meta.project, repository(), me.name if me else None,
                ctx.params())


# ── writing through the service ──────────────────────────────────────────────────────────────


def refused(p: Page, problems: list[str]) -> None:
    st.error(tr("v_refused", p.lang) + "\n\n" + "\n".join(f"- {plain(x)}" for x in problems[:30]))


def store(p: Page, write: Write) -> bool:
    """Run one write (one command, stored in one transaction against the sheet as stored then). When
    the database is unavailable, the write is kept and run again on the next run, so it must hold its
    own values (bound as default arguments, not names the script rebinds)."""
    try:
        done = write()
    except vs.SheetRefused as e:
        refused(p, e.texts(p.lang))
        return False
    except StorageUnavailable:
        ss.setdefault(p.pending_key, []).append(write)
        st.error(tr("save_failed", p.lang))
        return False
    return done is not None


def commit(p: Page, change: Change) -> bool:
    """Apply a change to the sheet as stored now (others may have saved since) and store it at once."""
    return store(p, lambda: vs.edit_sheet(p.repo, p.assessment_id, change, who=p.editor))


def flush_pending(p: Page) -> None:
    pending: list[Write] = ss.get(p.pending_key) or []
    while pending:
        try:
            pending[0]()
        except vs.SheetRefused as e:
            refused(p, e.texts(p.lang))
        except StorageUnavailable:
            st.error(tr("save_failed", p.lang))
            return
        pending.pop(0)
        st.toast(tr("pending_saved", p.lang))


def fixed_editor(p: Page, name: str, rows: list[dict[str, Any]], id_col: str, **kw: Any) -> dict[str, dict[str, Any]]:
    """A data editor with one row per id; returns the cells changed since the last run, by row id, so
    an edit made long ago never overwrites what someone else has stored since."""
    key = p.key(name)
    fresh_widget = key not in ss
    ids = [r[id_col] for r in rows]
    st.data_editor(pd.DataFrame(rows), key=key, hide_index=True, num_rows="fixed", placeholder=EMPTY, **kw)
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
    return {ids[r]: cells for r, cells in vs.editor_delta(state, base).items() if r < len(ids)}


def scalar(p: Page, widget: Callable[..., Any], name: str, stored: Any,
           change: Callable[[VendorSheet, Any], VendorSheet], **kw: Any) -> None:
    """A single-value widget bound to the stored sheet: shows the stored value (also when someone else
    changed it) and stores the user's change in its callback."""
    key = p.key(name)
    mark = f"{key}::stored"
    if key not in ss or ss.get(mark) != stored:
        ss[key] = stored
        ss[mark] = stored

    def on_change() -> None:
        value = ss[key]  # bound now: a write kept for later must store this value, not a later one
        commit(p, lambda s: change(s, value))

    widget(key=key, on_change=on_change, **kw)


def note_column(p: Page) -> Any:
    return Col.TextColumn(tr("note", p.lang), max_chars=MAX_NOTE)


def tag_label(p: Page, tag: str) -> str:
    return vendor_term(tag, p.lang)


def shown(x: Any, spec: str = "{:,.2f}") -> str:
    """A figure as text; a figure that does not exist is a dash, never "None"."""
    return EMPTY if x is None else spec.format(x)


# ── start ─────────────────────────────────────────────────────────────────────────────────────


def start(p: Page, sheet: VendorSheet | None, source: vs.Source) -> None:
    try:
        vs.start_sheet(p.repo, p.assessment_id, source, organisation=p.organisation, project=p.project, who=p.editor)
    except StorageUnavailable:
        st.error(tr("save_failed", p.lang))
        return
    if sheet is not None:
        p.new_generation()
    ss[p.flash_key] = tr("v_started", p.lang)
    st.rerun()


def import_box(p: Page, sheet: VendorSheet | None) -> None:
    st.subheader(tr("v_import", p.lang))
    st.caption(tr("v_import_hint", p.lang))
    upload = st.file_uploader(tr("v_import", p.lang), type=["csv", "xlsx", "yaml", "yml"], key="vendor_upload",
                              label_visibility="collapsed")
    if not st.button(tr("import_button", p.lang), key="vendor_import_button", disabled=upload is None) or upload is None:
        return
    try:
        imported = vs.import_sheet(p.repo, p.assessment_id, upload.name, upload.getvalue(), who=p.editor)
    except vs.SheetRefused as e:
        st.error(tr("import_failed", p.lang) + "\n\n" + "\n".join(f"- {plain(x)}" for x in e.texts(p.lang)[:30]))
    except StorageUnavailable:
        st.error(tr("save_failed", p.lang))
    else:
        if sheet is not None:
            p.new_generation()
        ss[p.flash_key] = tr("v_import_ok", p.lang, n=len(imported.vendors), e=len(imported.evaluators()))
        st.rerun()


def no_sheet_yet(p: Page) -> None:
    st.info(tr("v_empty", p.lang))
    c1, c2 = st.columns(2)
    if c1.button(tr("v_start_catalogue", p.lang), key="vendor_start_catalogue", type="primary"):
        start(p, None, "catalogue")
    if c2.button(tr("v_start_example", p.lang), key="vendor_start_example"):
        start(p, None, "example")
    import_box(p, None)


# ── requirements ──────────────────────────────────────────────────────────────────────────────


def requirements_tab(p: Page, sheet: VendorSheet) -> None:
    lang = p.lang
    st.caption(tr("v_req_hint", lang))
    changes = fixed_editor(
        p, "vendor_req_editor", vs.requirement_rows(sheet, lang), "id",
        disabled=["id", "group", "name"], column_order=["group", "name", "tag", "note", "id"],
        column_config={
            "id": Col.TextColumn(tr("v_col_id", lang)),
            "group": Col.TextColumn(tr("v_col_group", lang)),
            "name": Col.TextColumn(tr("v_col_name", lang), width="large"),
            "tag": Col.SelectboxColumn(tr("v_col_tag", lang), options=list(TAGS), required=True,
                                       format_func=lambda t: tag_label(p, str(t))),
            "note": note_column(p),
        })
    if changes and commit(p, partial(vs.apply_requirement_changes, changes=changes)):
        st.rerun()
    c1, c2 = st.columns(2)
    with c1.form("vendor_add_req_form", clear_on_submit=True):
        st.markdown(f"**{tr('v_add_req', lang)}**")
        zh = st.text_input(tr("v_name_zh", lang), key="vendor_new_req_zh", max_chars=MAX_NAME)
        en = st.text_input(tr("v_name_en", lang), key="vendor_new_req_en", max_chars=MAX_NAME)
        tag = st.radio(tr("v_col_tag", lang), list(TAGS), horizontal=True, key="vendor_new_req_tag",
                       format_func=lambda t: tag_label(p, str(t)))
        if st.form_submit_button(tr("v_add_button", lang)) and commit(p, lambda s: vs.add_requirement(s, zh, en, tag)):
            st.rerun()
    own = [r.id for r in sheet.requirements if vs.is_own_requirement(r.id)]
    if own:
        names = vs.requirement_names(sheet)
        pick = c2.selectbox(tr("v_remove_req", lang), own, key="vendor_remove_pick",
                            format_func=lambda i: names[i].get(lang) if i in names else i)
        if c2.button(tr("v_remove_button", lang), key="vendor_remove_button") and \
                commit(p, lambda s: vs.remove_requirement(s, pick)):
            st.rerun()


# ── criteria and weights ──────────────────────────────────────────────────────────────────────


def criteria_tab(p: Page, sheet: VendorSheet) -> None:
    lang = p.lang
    st.caption(tr("v_weights_hint", lang))
    changes = fixed_editor(
        p, "vendor_crit_editor", vs.criterion_rows(sheet, lang), "id",
        disabled=["id", "name", "share"], column_order=["name", "weight", "share", "note", "id"],
        column_config={
            "id": Col.TextColumn(tr("v_col_id", lang)),
            "name": Col.TextColumn(tr("v_col_name", lang), width="large"),
            "weight": Col.NumberColumn(tr("v_weight", lang), min_value=0.0, max_value=float(MAX_WEIGHT),
                                       required=True),
            "share": Col.NumberColumn(tr("v_share", lang), format="%.1f"),
            "note": note_column(p),
        })
    if changes and commit(p, partial(vs.apply_criterion_changes, changes=changes)):
        st.rerun()
    with st.expander(tr("v_ahp", lang)):
        ahp_box(p, sheet)


def ahp_box(p: Page, sheet: VendorSheet) -> None:
    lang = p.lang
    st.caption(tr("v_ahp_hint", lang))

    def judgement(x: int) -> str:
        if x == 1:
            return tr("v_ahp_equal", lang)
        return tr("v_ahp_left_more" if x > 0 else "v_ahp_right_more", lang, k=abs(x))

    edited = st.data_editor(
        pd.DataFrame(vs.ahp_rows(sheet, lang)), key=p.key("vendor_ahp_editor"), hide_index=True, num_rows="fixed",
        disabled=["pair", "left", "right"], column_order=["left", "judgement", "right"],
        column_config={
            "left": Col.TextColumn(tr("v_ahp_left", lang)),
            "right": Col.TextColumn(tr("v_ahp_right", lang)),
            "judgement": Col.SelectboxColumn(tr("v_ahp_judgement", lang), options=list(vs.AHP_SCALE), required=True,
                                             format_func=lambda x: judgement(int(x))),
        })
    try:
        ahp = vs.ahp_from_rows(sheet, cast(list[dict[str, Any]], edited.to_dict("records")))  # str columns
    except vs.SheetRefused as e:
        refused(p, e.texts(p.lang))
        return
    names = {r["id"]: r["name"] for r in vs.criterion_rows(sheet, lang)}
    st.dataframe(pd.DataFrame([{tr("v_col_name", lang): names[c], tr("v_share", lang): round(100 * w, 1)}
                               for c, w in ahp.weights.items()]), hide_index=True, key=p.key("vendor_ahp_result"))
    cr = tr("v_ahp_cr", lang, cr=f"{ahp.cr:.3f}")
    if ahp.warning is not None:
        st.warning(f"{cr} — {ahp.warning.get(lang)}")
    else:
        st.success(f"{cr} — {tr('v_ahp_ok', lang)}")
    if st.button(tr("v_ahp_apply", lang), key="vendor_ahp_apply") and commit(p, lambda s: vs.set_weights(s, ahp.weights)):
        ss[p.flash_key] = tr("v_ahp_applied", lang)
        st.rerun()


# ── vendors, costs, ROI, settings ─────────────────────────────────────────────────────────────


def vendors_tab(p: Page, sheet: VendorSheet) -> None:
    vendor_table(p, sheet)
    settings_box(p, sheet)
    costs_box(p, sheet)
    roi_box(p, sheet)


def vendor_table(p: Page, sheet: VendorSheet) -> None:
    lang = p.lang
    st.caption(tr("v_vendors_hint", lang))
    edited = st.data_editor(
        pd.DataFrame(vs.vendor_rows(sheet)), key=p.key("vendor_vendors_editor"), hide_index=True, num_rows="dynamic",
        placeholder=EMPTY,
        disabled=["id"], column_order=["name_zh", "name_en", *PROFILE_FIELDS, "note", "id"],
        column_config={
            "id": Col.TextColumn(tr("v_col_id", lang)),
            "name_zh": Col.TextColumn(tr("v_name_zh", lang), max_chars=MAX_NAME),
            "name_en": Col.TextColumn(tr("v_name_en", lang), max_chars=MAX_NAME),
            "target_size": Col.TextColumn(vendor_term("target_size", lang), max_chars=MAX_NAME),
            "strengths": Col.TextColumn(vendor_term("strengths", lang), max_chars=MAX_NOTE),
            "typical_features": Col.TextColumn(vendor_term("typical_features", lang), max_chars=MAX_NOTE),
            "pricing_model": Col.SelectboxColumn(vendor_term("pricing_model", lang), options=list(PRICING_MODELS),
                                                 format_func=lambda m: vendor_term(str(m), lang)),
            "note": note_column(p),
        })
    new_rows = cast(list[Mapping[str, Any]], edited.to_dict("records"))  # the editor's columns are str
    try:
        changed = vs.apply_vendor_table(sheet, new_rows)
    except vs.SheetRefused as e:
        st.warning(tr("v_vendor_incomplete", lang) + " " + ("；" if lang == "zh" else "; ").join(plain(x) for x in e.texts(lang)))
        return
    if changed != sheet and commit(p, lambda s: vs.apply_vendor_table(s, new_rows)):
        st.rerun()


def settings_box(p: Page, sheet: VendorSheet) -> None:
    lang = p.lang
    st.subheader(tr("v_settings", lang))
    c1, c2, c3 = st.columns(3)
    scalar(p, c1.number_input, "vendor_years", sheet.settings.years, lambda s, v: vs.update_sheet(s, years=int(v)),
           label=tr("v_years", lang), min_value=1, max_value=MAX_YEARS, step=1)
    scalar(p, c2.number_input, "vendor_discount", round(100 * (sheet.settings.discount_rate or 0.0), 4),
           lambda s, v: vs.update_sheet(s, discount_rate=(v / 100) or None),
           label=tr("v_discount", lang), min_value=0.0, max_value=100 * MAX_DISCOUNT_RATE, step=0.5, format="%.2f")
    scalar(p, c3.text_input, "vendor_currency", sheet.currency,
           lambda s, v: vs.update_sheet(s, currency=(v or "").strip() or "CNY"),
           label=tr("v_currency", lang), max_chars=MAX_CURRENCY)
    c1, c2 = st.columns(2)
    scalar(p, c1.checkbox, "vendor_partly_ko", sheet.settings.partly_on_must_disqualifies,
           lambda s, v: vs.update_sheet(s, partly_on_must_disqualifies=bool(v)), label=tr("v_partly_ko", lang))
    scalar(p, c2.radio, "vendor_consolidation", sheet.settings.requirement_consolidation,
           lambda s, v: vs.update_sheet(s, requirement_consolidation=v),
           label=tr("v_consolidation", lang), options=["least", "majority"], horizontal=True,
           format_func=lambda m: tr(f"v_cons_{m}", lang))


def money_column(label: str) -> Any:
    return Col.NumberColumn(label, min_value=0.0, max_value=MAX_AMOUNT, format="%,.2f")


def costs_box(p: Page, sheet: VendorSheet) -> None:
    lang = p.lang
    st.subheader(f"{tr('v_costs', lang)} ({plain(sheet.currency)})")
    st.caption(tr("v_costs_hint", lang))
    money = {part: money_column(tr(f"v_part_{part}", lang)) for part in COST_PARTS}
    changes = fixed_editor(
        p, "vendor_cost_editor", vs.cost_rows(sheet, lang), "key",
        disabled=["key", "vendor", "year", "total"], column_order=["vendor", "year", *COST_PARTS, "total"],
        column_config={"vendor": Col.TextColumn(vendor_term("vendor", lang)),
                       "year": Col.NumberColumn(tr("v_year", lang), format="%d"),
                       "total": Col.NumberColumn(tr("v_total", lang), format="%,.2f"), **money})
    if changes and commit(p, partial(vs.apply_cost_changes, changes=changes)):
        st.rerun()


def roi_box(p: Page, sheet: VendorSheet) -> None:
    lang = p.lang
    st.subheader(f"{tr('v_roi', lang)} ({plain(sheet.currency)})")
    c1, c2 = st.columns(2)
    scalar(p, c1.number_input, "vendor_roi_gains", float(sheet.roi.gains_per_year),
           lambda s, v: vs.update_sheet(s, gains_per_year=float(v or 0)),
           label=tr("v_gains", lang), min_value=0.0, max_value=MAX_AMOUNT, step=10000.0, format="%.2f")
    scalar(p, c2.number_input, "vendor_roi_savings", float(sheet.roi.savings_per_year),
           lambda s, v: vs.update_sheet(s, savings_per_year=float(v or 0)),
           label=tr("v_savings", lang), min_value=0.0, max_value=MAX_AMOUNT, step=10000.0, format="%.2f")
    st.caption(tr("v_roi_vendor_hint", lang))
    changes = fixed_editor(
        p, "vendor_roi_editor", vs.roi_rows(sheet, lang), "id", disabled=["id", "vendor"],
        column_order=["vendor", "gains_per_year", "savings_per_year"],
        column_config={"vendor": Col.TextColumn(vendor_term("vendor", lang)),
                       "gains_per_year": money_column(tr("v_gains", lang)),
                       "savings_per_year": money_column(tr("v_savings", lang))})
    if changes and commit(p, partial(vs.apply_roi_changes, changes=changes)):
        st.rerun()


# ── one evaluator's scores ────────────────────────────────────────────────────────────────────


def scoring_tab(p: Page, sheet: VendorSheet) -> None:
    lang, who = p.lang, p.me
    if not who:
        st.info(tr("v_need_join", lang))
        st.page_link(PAGES["home"], label=tr("join", lang), query_params=p.params)
        return
    st.caption(tr("v_scoring_as", lang, who=plain(who)))
    names = {v.id: v.name.get(lang) for v in sheet.vendors}
    ids = list(names)
    if ss.get("vendor_eval_pick") not in ids:
        ss["vendor_eval_pick"] = ids[0]
    vid = st.selectbox(vendor_term("vendor", lang), ids, key="vendor_eval_pick", format_func=lambda i: names.get(i, i))
    st.markdown(f"**{tr('v_req_scores', lang)}**")
    changes = fixed_editor(
        p, f"vendor_eval_req::{vid}", vs.requirement_score_rows(sheet, who, vid, lang), "id",
        disabled=["id", "name", "tag"], column_order=["name", "tag", "status", "note", "id"],
        column_config={
            "id": Col.TextColumn(tr("v_col_id", lang)),
            "name": Col.TextColumn(tr("v_col_name", lang), width="large"),
            "tag": Col.SelectboxColumn(tr("v_col_tag", lang), options=list(TAGS), format_func=lambda t: tag_label(p, str(t))),
            # required: the dropdown offers the four statuses and no empty first option
            "status": Col.SelectboxColumn(tr("v_status", lang), options=list(STATUSES), required=True,
                                          format_func=lambda s: vendor_term(str(s), lang)),
            "note": note_column(p),
        })
    if changes and store(p, partial(vs.save_requirement_scores, p.repo, p.assessment_id, who, vid, changes)):
        st.rerun()
    st.markdown(f"**{tr('v_crit_scores', lang)}**")
    changes = fixed_editor(
        p, f"vendor_eval_crit::{vid}", vs.criterion_score_rows(sheet, who, vid, lang), "id",
        disabled=["id", "name", "share"], column_order=["name", "share", "score", "note", "id"],
        column_config={
            "id": Col.TextColumn(tr("v_col_id", lang)),
            "name": Col.TextColumn(tr("v_col_name", lang), width="large"),
            "share": Col.NumberColumn(tr("v_share", lang), format="%.1f"),
            "score": Col.NumberColumn(vendor_term("score", lang), min_value=SCORE_MIN, max_value=SCORE_MAX, step=1,
                                      format="%d", help=" · ".join(vs.score_labels(lang))),
            "note": note_column(p),
        })
    if changes and store(p, partial(vs.save_criterion_scores, p.repo, p.assessment_id, who, vid, changes)):
        st.rerun()


# ── the result ────────────────────────────────────────────────────────────────────────────────


def result_tab(p: Page, sheet: VendorSheet, result: VendorResult) -> None:
    lang = p.lang
    headline(p, result)
    st.subheader(vendor_term("knockouts", lang))
    kos = vs.knockouts(result, lang)
    for name, reasons in kos:
        st.error(f":red-badge[{vendor_term('knocked_out', lang)}] **{plain(name)}** — "
                 + "; ".join(plain(r) for r in reasons))
    if not kos:
        st.caption(tr("v_no_knockouts", lang))
    st.subheader(tr("v_table", lang))
    comparison_table(p, result)
    profile_table(p, result)
    left, right = st.columns(2)
    with left:
        stack_chart(p, result)
    with right:
        cost_chart(p, result)
    if shown_leader(result) and len([v for v in result.vendors if v.qualified]) > 1:
        sensitivity_box(p, sheet, result)
    risk_list = vs.risks(result, lang)
    if risk_list:
        with st.expander(f"{tr('v_risks', lang)} ({sum(len(r) for _, r in risk_list)})"):
            for name, reasons in risk_list:
                st.markdown(f"**{plain(name)}**\n" + "\n".join(f"- {plain(r)}" for r in reasons))
    if has_scores(result):
        details(p, result)
    with st.expander(tr("v_method", lang)):
        for text in (result.method, result.sensitivity.method, result.monte_carlo.method):
            st.caption(text.get(lang))


def headline(p: Page, result: VendorResult) -> None:
    """Who leads, and how firmly; nobody leads until someone has scored."""
    if not has_scores(result):
        st.info(tr("v_no_scores", p.lang))
        return
    summary = vs.leader_text(result, p.lang)
    # the summary quotes vendor names: shown as text
    (st.success if shown_leader(result) else st.error)(plain(summary[0]))
    for line in summary[1:]:
        st.info(plain(line))


def comparison_table(p: Page, result: VendorResult) -> None:
    lang = p.lang
    rows = vs.comparison_rows(result, lang)
    for r in rows:
        r["qualified"] = vendor_term("qualified" if r["qualified"] else "knocked_out", lang)
        r["nice"] = shown(r["nice"], "{:.1f}")
        r["tco"] = shown(r["tco"], "{:,.0f}")
        r["per_10k"] = shown(r["per_10k"], "{:.2f}")
        r["roi"] = shown(r["roi"], "{:.1f}")
        r["payback"] = shown(r["payback"], "{:.2f}")
        r["knockouts"] = r["knockouts"] or EMPTY
    st.dataframe(
        pd.DataFrame(rows), hide_index=True, key="vendor_result_table",
        column_order=["rank", "vendor", "qualified", "score", "musts", "nice", "tco", "per_10k", "roi", "payback",
                      "knockouts"],
        column_config={
            "rank": Col.NumberColumn(vendor_term("rank", lang)),
            "vendor": Col.TextColumn(vendor_term("vendor", lang)),
            "qualified": Col.TextColumn(tr("v_status", lang)),
            "score": Col.ProgressColumn(vendor_term("score", lang), min_value=0, max_value=100, format="%.2f"),
            "musts": Col.TextColumn(vendor_term("musts_met", lang)),
            "nice": Col.TextColumn(f"{vendor_term('nice_coverage', lang)} %"),
            "tco": Col.TextColumn(f"{vendor_term('tco', lang)} ({result.currency})"),
            "per_10k": Col.TextColumn(vendor_term("per_10k", lang)),
            "roi": Col.TextColumn(f"{vendor_term('roi', lang)} %"),
            "payback": Col.TextColumn(vendor_term("payback", lang)),
            "knockouts": Col.TextColumn(vendor_term("knockouts", lang), width="large"),
        })


def profile_table(p: Page, result: VendorResult) -> None:
    """Who each vendor is for, what it is good at, what it typically does and how it charges (rank order)."""
    lang = p.lang
    rows = vs.profile_rows(result, lang)
    if not rows:
        return
    st.markdown(f"**{vendor_term('profiles', lang)}**")
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="vendor_profile_table",
                 column_config={k: Col.TextColumn(vendor_term(k, lang)) for k in ("vendor", *PROFILE_FIELDS)})


def stack_chart(p: Page, result: VendorResult) -> None:
    lang = p.lang
    st.subheader(tr("v_chart_stack", lang))
    sd = vs.score_stack_data(result, lang)
    # a knocked-out vendor keeps its bar, named as such on the axis
    xs = [chart_text(n) if q else f"{chart_text(n)}<br>({vendor_term('knocked_out', lang)})"
          for n, q in zip(sd["vendors"], sd["qualified"], strict=True)]
    fig = go.Figure([go.Bar(name=chart_text(c), x=xs, y=ys, hovertemplate="%{y:.2f}")
                     for c, ys in zip(sd["criteria"], sd["contributions"], strict=True)])
    fig.add_trace(go.Scatter(x=xs, y=sd["totals"], text=[f"{t:g}" for t in sd["totals"]], mode="text",
                             textposition="top center", showlegend=False, hoverinfo="skip"))
    fig.update_layout(barmode="stack", yaxis={"range": [0, 105], "title": vendor_term("score", lang)}, height=420,
                      legend={"orientation": "h", "y": -0.2}, margin={"l": 20, "r": 20, "t": 20, "b": 20})
    st.plotly_chart(fig, key="vendor_stack_chart")


def cost_chart(p: Page, result: VendorResult) -> None:
    lang = p.lang
    st.subheader(tr("v_chart_cost", lang))
    cd = vs.cost_score_data(result, lang)
    if not cd:
        return
    fig = go.Figure(go.Scatter(
        x=[c["tco"] for c in cd], y=[c["score"] for c in cd], text=[chart_text(c["vendor"]) for c in cd],
        mode="markers+text", textposition="top center",
        marker={"size": 14, "symbol": ["circle" if c["qualified"] else "x" for c in cd],
                "color": ["#1F4E79" if c["qualified"] else "#B42318" for c in cd]}))
    top = max(c["tco"] for c in cd) or 1.0
    fig.update_layout(xaxis={"title": f"{vendor_term('tco', lang)} ({result.currency})", "range": [0, top * 1.2]},
                      yaxis={"title": vendor_term("score", lang), "range": [0, 105]}, height=420,
                      margin={"l": 20, "r": 20, "t": 20, "b": 20})
    st.plotly_chart(fig, key="vendor_cost_chart")


def sensitivity_box(p: Page, sheet: VendorSheet, result: VendorResult) -> None:
    lang = p.lang
    st.subheader(tr("v_chart_tornado", lang))
    shown_rows = list(reversed(vs.tornado_data(result, lang)))  # plotly draws the first bar at the bottom
    labels = [chart_text(r["criterion"]) for r in shown_rows]
    fig = go.Figure()
    fig.add_trace(go.Bar(
        y=labels, x=[r["high"] - r["low"] for r in shown_rows], base=[r["low"] for r in shown_rows],
        orientation="h", marker_color="#2E86AB", showlegend=False,
        customdata=[[chart_text(r["below"] or EMPTY), chart_text(r["above"] or EMPTY)] for r in shown_rows],
        hovertemplate="%{base:.1f}% – %{x:.1f}<br>↓ %{customdata[0]} · ↑ %{customdata[1]}<extra></extra>"))
    fig.add_trace(go.Scatter(y=labels, x=[r["now"] for r in shown_rows], mode="markers",
                             marker={"symbol": "line-ns-open", "size": 18, "color": "#1F2933"},
                             name=tr("v_tornado_now", lang)))
    fig.update_layout(xaxis={"range": [0, 100], "ticksuffix": "%"}, height=60 + 34 * len(shown_rows),
                      margin={"l": 20, "r": 20, "t": 20, "b": 20})
    st.plotly_chart(fig, key="vendor_tornado_chart")
    names = {v.id: v.name.get(lang) for v in sheet.vendors}
    # shares rounded so that they add up to exactly 100 %
    shares = percent_shares(result.monte_carlo.shares)
    st.caption(f"{tr('v_mc', lang)}{colon(lang)}" + list_sep(lang).join(f"{plain(names.get(v, v))} {s:.1f}%" for v, s in shares.items()))


def details(p: Page, result: VendorResult) -> None:
    lang = p.lang
    st.subheader(tr("v_detail", lang))
    by = {f"by:{w}": w for w in result.evaluators}
    for v in result.vendors:
        with st.expander(f"#{v.rank} {plain(v.name.get(lang))}"):
            req = pd.DataFrame(vs.requirement_matrix(result, v.id, lang)).rename(columns=by)
            req["tag"] = [tag_label(p, t) for t in req["tag"]]
            for col in ["status", *by.values()]:
                req[col] = [vendor_term(x, lang) if x else EMPTY for x in req[col]]
            st.dataframe(req.rename(columns={"requirement": tr("v_col_name", lang), "tag": tr("v_col_tag", lang),
                                             "status": tr("v_combined", lang), "agreed": tr("v_agreed", lang),
                                             "notes": tr("note", lang)}),
                         hide_index=True, key=p.key(f"vendor_detail_req::{v.id}"))
            crit = pd.DataFrame(vs.criterion_matrix(result, v.id, lang)).rename(columns=by)
            for col in ["mean", "spread", *by.values()]:
                crit[col] = [shown(x, "{:g}") for x in crit[col]]
            st.dataframe(crit.rename(columns={"criterion": tr("v_col_name", lang), "share": tr("v_share", lang),
                                              "mean": tr("v_mean", lang), "spread": tr("spread", lang),
                                              "notes": tr("note", lang)}),
                         hide_index=True, key=p.key(f"vendor_detail_crit::{v.id}"))


# ── files ─────────────────────────────────────────────────────────────────────────────────────


def files_tab(p: Page, sheet: VendorSheet) -> None:
    lang = p.lang
    st.subheader(tr("v_export", lang))
    for col, fmt in zip(st.columns(len(vs.EXPORT_FORMATS)), vs.EXPORT_FORMATS, strict=True):
        name, mime = vs.EXPORT_FORMATS[fmt]
        # built only when clicked: an XLSX takes a moment, and most runs never download
        def built(f: str = fmt) -> bytes:
            return vs.export_sheet(vs.load_sheet(p.repo, p.assessment_id) or sheet, f)[0]

        col.download_button(fmt.upper(), built, file_name=name, mime=mime, key=f"vendor_download_{fmt}")
    import_box(p, sheet)
    with st.expander(tr("v_start_again", lang)):
        st.caption(tr("v_start_again_hint", lang))
        sources: list[vs.Source] = ["catalogue", "example"]
        source = st.radio(tr("v_start_source", lang), sources, horizontal=True,
                          key="vendor_restart_source",
                          format_func=lambda x: tr("v_start_catalogue" if x == "catalogue" else "v_start_example", lang))
        sure = st.checkbox(tr("v_confirm", lang), key=p.key("vendor_restart_confirm"))
        if st.button(tr("v_start_button", lang), key="vendor_restart_button", disabled=not sure):
            start(p, sheet, source)


TABS = ("requirements", "criteria", "vendors", "evaluate", "result", "files")


def main() -> None:
    p = open_vendor_page()
    st.title(tr("v_title", p.lang))
    st.caption(tr("v_intro", p.lang))
    flush_pending(p)
    sheet = vs.load_sheet(p.repo, p.assessment_id)
    if p.flash_key in ss:
        st.success(ss.pop(p.flash_key))
    if sheet is None:
        no_sheet_yet(p)
        return
    tabs = st.tabs([tr(f"v_tab_{t}", p.lang) for t in TABS])
    for tab, show in zip(tabs[:4], (requirements_tab, criteria_tab, vendors_tab, scoring_tab), strict=True):
        with tab:
            show(p, sheet)
    with tabs[4]:
        result_tab(p, sheet, vs.sheet_result(sheet))
    with tabs[5]:
        files_tab(p, sheet)


main()
