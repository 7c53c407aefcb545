"""How the spread changed from one workshop round to the next: one section for the workshop page and the
results page alike (only items revealed in the later round, so nothing hidden shows through)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from checklists import Template
from scoring import term
from storage import AssessmentMeta, Repository
from ui.i18n import tr
from ui.workshop_views import convergences


def show_convergence(repo: Repository, meta: AssessmentMeta, tpl: Template, lang: str, key: str) -> None:
    state = repo.round_state(meta.id)
    if state.current < 2:
        return
    found = convergences(tpl, state, repo.load_rounds(meta.id), float(meta.settings.spread_threshold))
    for number, conv in found.items():
        st.markdown(f"**{tr('convergence_title', lang, n=number)}**")
        st.metric(tr("converged", lang), f"{conv.converged}/{conv.disputed}")
        st.dataframe(pd.DataFrame([{
            term("item", lang): tpl.item(c.item_id).question.get(lang),
            tr("spread_change", lang, a=number - 1, b=number):
                f"{'—' if c.before is None else f'{c.before:.2f}'} → {'—' if c.after is None else f'{c.after:.2f}'}",
            tr("converged", lang): "✓" if c.converged else ""} for c in conv.items]),
            hide_index=True, key=f"{key}_convergence_{number}")
