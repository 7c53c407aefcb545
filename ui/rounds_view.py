"""How the spread changed from one workshop round to the next: one section for the workshop page and the
results page alike (only items revealed in the later round, so nothing hidden shows through)."""

from __future__ import annotations

import streamlit as st

from checklists import Template
from scoring import Answer, term, value_label
from storage import AssessmentMeta, Repository, StoredAnswer
from ui.i18n import tr
from ui.workshop_views import convergences


def show_convergence(repo: Repository, meta: AssessmentMeta, tpl: Template, lang: str, key: str) -> None:
    state = repo.round_state(meta.id)
    if state.current < 2:
        return
    found = convergences(tpl, state, repo.load_rounds(meta.id), float(meta.settings.spread_threshold))
    import pandas as pd  # only here: the questionnaire, which asks this module for its round hints, never loads it

    for number, conv in found.items():
        st.markdown(f"**{tr('convergence_title', lang, n=number)}**")
        st.metric(tr("converged", lang), f"{conv.converged}/{conv.disputed}")
        st.dataframe(pd.DataFrame([{
            term("item", lang): tpl.item(c.item_id).question.get(lang),
            tr("spread_change", lang, a=number - 1, b=number):
                f"{'—' if c.before is None else f'{c.before:.2f}'} → {'—' if c.after is None else f'{c.after:.2f}'}",
            tr("converged", lang): "✓" if c.converged else ""} for c in conv.items]),
            hide_index=True, key=f"{key}_convergence_{number}")


def asked_again(repo: Repository, assessment_id: str, respondent_id: int) -> dict[str, tuple[int, Answer | None]]:
    """The items a later round asks this person again: item id → (the round, their answer before it)."""
    state = repo.round_state(assessment_id)
    if state.current < 2:
        return {}
    before: dict[int, dict[str, StoredAnswer]] = {}
    out: dict[str, tuple[int, Answer | None]] = {}
    for number, items in state.rounds.items():
        for item_id in items or () if number > 1 else ():
            if state.round_for(item_id) != number:
                continue
            if number - 1 not in before:
                before[number - 1] = repo.load_respondent_answers(assessment_id, respondent_id, round=number - 1)
            earlier = before[number - 1].get(item_id)
            out[item_id] = (number, earlier.answer if earlier else None)
    return out


def round_hint(tpl: Template, item_id: str, found: tuple[int, Answer | None], lang: str) -> None:
    """Beside an item asked again: which round, and what this person answered before it."""
    number, earlier = found
    words = value_label(tpl, tpl.item(item_id), earlier.value if earlier else None, lang)
    st.caption(f":violet-badge[{tr('round_badge', lang, n=number)}] {tr('asked_again', lang, answer=words)}")
