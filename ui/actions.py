"""Action plan: per gap an owner, a due date, a status, the answer expected when done and an effort;
the ready-on date it projects, what it waits for, the blockers nobody owns, and the phase targets."""

from __future__ import annotations

import copy
import datetime as dt
import logging

import pandas as pd
import streamlit as st

from scoring import ActionStatus, project, roadmap, score, term
from ui.common import combined_assessment, open_page, repository
from ui.faults import show_fault
from ui.i18n import tr
from ui.plan_views import (
    NONE,
    WIDTHS,
    expect_choices,
    expect_label,
    plan_columns,
    plan_rows,
    plan_snapshot,
    show_details,
    show_summary,
    store_edits,
)
from ui.text import plain

ctx, meta, tpl = open_page()
lang = ctx.lang
repo = repository()
st.title(tr("actions", lang))


def _store_edits(aid: str, lang: str, editor_key: str, retry: dict | None = None) -> None:
    """The editor's change callback: it runs before the page does, so nothing can interrupt the save,
    the page then reads the plan as stored, and a person's own edit never starts the editor again.
    A save the database refuses is kept with its rows (`retry`) and tried again on every run, also
    after the person has left the page (the editor's own state is gone then)."""
    if retry is None:
        retry = {"edits": copy.deepcopy((st.session_state.get(editor_key) or {}).get("edited_rows", {})),
                 "rows": list(st.session_state["plan_base"].index)}
    done = store_edits(repo, tpl, aid, lang, retry["rows"], retry["edits"],
                       st.session_state.get("plan_applied", {}).get(editor_key, {}),
                       st.session_state.get("plan_known"))
    if done.fault is not None:  # shown by the page
        st.session_state["plan_fault"] = done.fault
        st.session_state["plan_retry"] = {"aid": aid, "key": editor_key, **retry}
        return
    # this editor's kept edits are stored now; those kept for an earlier editor still wait their turn
    if (st.session_state.get("plan_retry") or {}).get("key") == editor_key:
        st.session_state.pop("plan_retry")
    st.session_state["plan_applied"] = {editor_key: done.applied}
    if done.known is not None:
        st.session_state["plan_known"] = done.known
    st.session_state["plan_problems"] = done.problems
    st.session_state["plan_saved"] = done.saved


pending = st.session_state.get("plan_retry")
if pending and pending["aid"] == meta.id:  # before the plan is read, as a callback is
    _store_edits(meta.id, lang, pending["key"], pending)

assessment = combined_assessment(meta, tpl)
result = score(tpl, assessment)
plan = {a.item_id: a for a in repo.load_action_plan(meta.id)}
today = dt.date.today()
projection = project(tpl, assessment, list(plan.values()), today=today)
show_summary(projection, lang)

if not result.gaps:
    st.success(tr("no_gaps", lang))
else:
    col = plan_columns(lang)
    # The editor's input stays the same object while the gaps, the language and the stored plan do, so
    # Streamlit keeps the editor (its scroll position and column) across the reruns that saving causes.
    # When the plan changed elsewhere, the editor starts again (a new key) from what is stored.
    sig = (meta.id, lang, tuple(g.item_id for g in result.gaps))
    known = plan_snapshot(plan.values())
    if st.session_state.get("plan_base_sig") != sig or st.session_state.get("plan_known") != known:
        df = pd.DataFrame(plan_rows(tpl, result, plan, lang)).set_index("_id")
        st.session_state["plan_base"] = df
        st.session_state["plan_base_sig"] = sig
        st.session_state["plan_known"] = known
        st.session_state["plan_gen"] = st.session_state.get("plan_gen", 0) + 1
    base = st.session_state["plan_base"]
    editor_key = f"action_editor::{st.session_state['plan_gen']}"
    every_expect = list(dict.fromkeys(label for g in result.gaps
                                      for label in expect_choices(tpl, tpl.item(g.item_id), lang)))
    st.caption(tr("plan_hint", lang))
    fault = st.session_state.pop("plan_fault", None)
    if fault is not None and not show_fault(fault, lang, "action plan"):
        logging.getLogger("readiness.ui").error("action plan not saved", exc_info=fault)
        st.error(tr("error_generic", lang))
    for p in st.session_state.pop("plan_problems", []):
        st.warning(p)
    if st.session_state.pop("plan_saved", False):
        st.toast(tr("saved", lang))
    st.data_editor(
        base, hide_index=True, key=editor_key, width="stretch", on_change=_store_edits,
        args=(meta.id, lang, editor_key),
        disabled=[col["no"], col["item"], col["now"], col["severity"], col["recommendation"]],
        column_order=[col[k] for k in ("owner", "due", "status", "expect", "effort", "no", "item", "now",
                                       "severity", "recommendation")],
        column_config={
            col["owner"]: st.column_config.TextColumn(f"✎ {col['owner']}", max_chars=100, width=WIDTHS["owner"]),
            # a text date (YYYY-MM-DD): an empty date stays blank, where a date column shows "None"
            col["due"]: st.column_config.TextColumn(f"✎ {col['due']}", help=tr("due_help", lang),
                                                    validate=r"^(\d{4}-\d{2}-\d{2})?$", width=WIDTHS["due"]),
            col["status"]: st.column_config.SelectboxColumn(
                f"✎ {col['status']}", options=[term(s.value, lang) for s in ActionStatus], required=True,
                width=WIDTHS["status"]),
            col["expect"]: st.column_config.SelectboxColumn(f"✎ {col['expect']}", options=[NONE, *every_expect],
                                                            required=True, width=WIDTHS["expect"]),
            col["effort"]: st.column_config.SelectboxColumn(f"✎ {col['effort']}", options=[NONE, "S", "M", "L"],
                                                            required=True, help=tr("effort_help", lang),
                                                            width=WIDTHS["effort"]),
            col["no"]: st.column_config.TextColumn(col["no"], width=WIDTHS["no"], pinned=True),
            col["item"]: st.column_config.TextColumn(col["item"], width="large"),
            col["now"]: st.column_config.TextColumn(col["now"], width="small"),
            col["severity"]: st.column_config.TextColumn(col["severity"], width="small"),
            col["recommendation"]: st.column_config.TextColumn(col["recommendation"], width="large"),
        })

st.subheader(tr("projection", lang))
show_details(projection, tpl, lang, "plan_projection")

# the plan by horizon, as plain text that wraps on a phone
st.subheader(tr("roadmap", lang))
for h, acts in roadmap(list(plan.values()), today).items():
    if not acts:
        continue
    lines = []
    for a in acts:
        item = tpl.item(a.item_id)
        expect = f" → {expect_label(tpl, item, a.expect, lang)}" if a.expect is not None else ""
        lines.append(f"- **{tr('question_no', lang)} {tpl.question_number(a.item_id)}** "
                     f"{item.question.get(lang)}{expect} — {plain(a.owner) if a.owner else '—'}"
                     f"{' · ' + a.due if a.due else ''}")
    st.markdown(f"**{tr('horizon_' + h, lang)}** ({len(acts)})\n" + "\n".join(lines))

# phase targets: the template's default, or this assessment's own
with st.expander(tr("phase_targets", lang)):
    st.caption(tr("phase_targets_hint", lang))
    labels = {lv.id: lv.label.get(lang) for lv in tpl.levels}
    # a stored target naming a level the template no longer has counts as none (the default holds)
    own = {k: v for k, v in repo.load_phase_targets(meta.id).items() if v in labels}
    for ph in tpl.phases:
        default = tpl.targets.get(ph.id)
        first = tr("target_default", lang, level=labels[default]) if default else tr("target_none", lang)
        options: list[str | None] = [None, *labels]

        def shown(v: str | None, first: str = first) -> str:
            return first if v is None else labels[v]

        pick = st.selectbox(ph.title.get(lang), options, index=options.index(own.get(ph.id)),
                            format_func=shown, key=f"target::{ph.id}")
        if pick != own.get(ph.id):
            repo.save_phase_target(meta.id, ph.id, pick)
            st.toast(tr("saved", lang))
