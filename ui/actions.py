"""Action plan: every gap can get an owner, a due date and a status, stored with the assessment."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from scoring import ActionItem, ActionStatus, term
from ui.common import combined_result, open_page, repository
from ui.i18n import tr
from ui.services import save_plan_rows

ctx, meta, tpl = open_page()
lang = ctx.lang
repo = repository()
st.title(tr("actions", lang))

result = combined_result(meta, tpl)
plan = {a.item_id: a for a in repo.load_action_plan(meta.id)}
if not result.gaps:
    st.success(tr("no_gaps", lang))
    st.stop()

statuses = [s.value for s in ActionStatus]
status_label = {s: term(s, lang) for s in statuses}
label_status = {v: k for k, v in status_label.items()}
rows = []
for g in result.gaps:
    a = plan.get(g.item_id, ActionItem(item_id=g.item_id))
    rows.append({
        "id": g.item_id,
        term("severity", lang): term(g.severity, lang),
        term("item", lang): g.question.get(lang),
        term("recommendation", lang): g.recommendation.get(lang),
        tr("owner", lang): a.owner,
        tr("due", lang): dt.date.fromisoformat(a.due) if a.due else None,
        tr("status", lang): status_label[a.status.value],
    })
df = pd.DataFrame(rows)
edited = st.data_editor(
    df, hide_index=True, key="action_editor", disabled=["id", term("severity", lang), term("item", lang),
                                                         term("recommendation", lang)],
    column_config={
        tr("due", lang): st.column_config.DateColumn(tr("due", lang), format="YYYY-MM-DD"),
        tr("status", lang): st.column_config.SelectboxColumn(tr("status", lang), options=list(label_status),
                                                             required=True),
        tr("owner", lang): st.column_config.TextColumn(tr("owner", lang), max_chars=120),
    })

rows = []
for row in edited.to_dict("records"):
    due = row[tr("due", lang)]
    rows.append({"item_id": row["id"], "owner": row[tr("owner", lang)],
                 "due": None if due is None or pd.isna(due) else pd.Timestamp(due).date().isoformat(),
                 "status": label_status.get(row[tr("status", lang)], "open")})
if save_plan_rows(repo, meta.id, rows):
    st.toast(tr("saved", lang))
