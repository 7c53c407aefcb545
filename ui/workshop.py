"""Workshop: who answered, how answers combine, where the room disagrees, and the facilitator's call."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from checklists import NA
from scoring import Answer, disagreements, term
from ui.common import combined_assessment, is_facilitator, open_page, repository
from ui.i18n import tr
from ui.text import plain
from ui.views import answer_text

ctx, meta, tpl = open_page()
lang = ctx.lang
repo = repository()
facilitating = is_facilitator(ctx)

st.title(tr("workshop", lang))
people = repo.list_respondents(meta.id)
st.subheader(f"{tr('respondents', lang)} ({len(people)})")
st.dataframe(pd.DataFrame([{tr("your_name", lang): p.name, tr("role", lang): p.role,
                            tr("answered_count", lang): p.answered} for p in people]),
             hide_index=True, key="respondent_table")

methods = ["mean", "min", "final"]
c1, c2 = st.columns(2)
method = c1.radio(tr("method", lang), methods, index=methods.index(meta.settings.method), key="ws_method",
                  format_func=lambda m: tr(f"method_{m}", lang), disabled=not facilitating)
threshold = c2.slider(tr("threshold", lang), 0.0, 1.0, float(meta.settings.spread_threshold), 0.05,
                      key="ws_threshold", disabled=not facilitating)
if not facilitating:
    st.caption(tr("facilitator_only", lang))
elif (method, threshold) != (meta.settings.method, meta.settings.spread_threshold):
    repo.update_settings(meta.id, method=method, spread_threshold=threshold)
    st.rerun()

by_respondent = repo.load_answers(meta.id)
agenda = disagreements(tpl, by_respondent, threshold)
st.subheader(f"{tr('agenda', lang)} ({len(agenda)})")
if not agenda:
    st.success(tr("no_disagreement", lang))
final = repo.load_final_answers(meta.id)
combined = combined_assessment(meta, tpl).answers
for d in agenda:
    item = tpl.item(d.item_id)
    with st.container(border=True):
        st.markdown(f"**{item.question.get(lang)}** · {tr('spread', lang)} {d.spread:.2f}")
        st.write(" · ".join(f"{plain(who)}: {plain(answer_text(tpl, item.id, v, lang))}"
                            for who, v in d.values.items()))
        now = combined.get(item.id)
        st.caption(f"{tr('consolidated', lang)}: "
                   f"{plain(answer_text(tpl, item.id, now.value if now else None, lang))}")
        if facilitating and item.kind.fixed_values and not item.kind.many_values:
            options = [None, *item.allowed_values()] + ([NA] if item.allow_na else [])
            current = final.get(item.id).value if item.id in final else None
            choice = st.selectbox(tr("final_answer", lang), options, index=options.index(current),
                                  key=f"final::{item.id}",
                                  format_func=lambda v, i=item.id: "—" if v is None else answer_text(tpl, i, v, lang))
            if choice != current:
                repo.save_final_answer(meta.id, item.id, None if choice is None else Answer(value=choice))
                st.rerun()

if facilitating:
    with st.expander(tr("set_final", lang)):
        ids = [it.id for it in tpl.items() if it.kind.fixed_values and not it.kind.many_values]
        pick = st.selectbox(term("item", lang), ids, key="final_pick",
                            format_func=lambda i: tpl.item(i).question.get(lang))
        item = tpl.item(pick)
        options = [*item.allowed_values()] + ([NA] if item.allow_na else [])
        val = st.selectbox(tr("final_answer", lang), options, key="final_value",
                           format_func=lambda v: answer_text(tpl, pick, v, lang))
        if st.button(tr("set_final", lang), key="final_save"):
            repo.save_final_answer(meta.id, pick, Answer(value=val))
            st.rerun()

    st.subheader(tr("mark_out_of_scope", lang))
    for ph in tpl.phases:
        out = ph.id in meta.out_of_scope
        c1, c2 = st.columns([1, 3])
        flag = c1.checkbox(ph.title.get(lang), value=out, key=f"scope::{ph.id}")
        reason = c2.text_input(tr("scope_reason", lang), value=meta.out_of_scope.get(ph.id, ""),
                               key=f"scope_reason::{ph.id}", disabled=not flag, max_chars=300)
        if flag != out or (flag and reason != meta.out_of_scope.get(ph.id, "")):
            repo.set_out_of_scope(meta.id, ph.id, reason if flag else None)
            st.rerun()
