"""The room's figures on the workshop page, the room view and the results page: Krippendorff's alpha
per phase, the role-group divergence list, and the score as a range with the next questions that
matter. Computed in the core (scoring.agreement, role_divergences, score_range) over the answers the
room may see (a blind round's hidden items are not in them); a figure the core cannot compute is left
out with a log line, never a traceback on the page."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

import pandas as pd
import streamlit as st

from checklists import Template
from scoring import (
    Agreement,
    Assessment,
    ByRespondent,
    RoleDivergence,
    ScoreRange,
    agreement,
    respondent_roles,
    role_divergences,
    score_range,
    term,
    verdict_label,
)
from ui.i18n import tr

log = logging.getLogger("readiness.ui")
T = TypeVar("T")


def safely(what: str, compute: Callable[[], T]) -> T | None:
    try:
        return compute()
    except Exception:  # a figure that cannot be computed must not take the page down
        log.exception("%s could not be computed", what)
        return None


def room_agreement(tpl: Template, visible: ByRespondent) -> Agreement | None:
    return safely("agreement", lambda: agreement(tpl, visible))


def room_divergence(tpl: Template, visible: ByRespondent, roles: dict[str, str]) -> list[RoleDivergence] | None:
    """Role groups: the template role each person's free-text role names, else that text itself."""
    mapped = respondent_roles(tpl, roles)
    groups = {who: mapped.get(who) or (roles.get(who) or "").strip() for who in visible}
    return safely("role divergence", lambda: role_divergences(tpl, visible, {w: g for w, g in groups.items() if g}))


def room_range(tpl: Template, assessment: Assessment) -> ScoreRange | None:
    return safely("score range", lambda: score_range(tpl, assessment))


def _alpha(v: float | None) -> str:
    return "—" if v is None else f"{v:.2f}"


def role_label(tpl: Template, group: str, lang: str) -> str:
    found = next((r for r in tpl.roles if r.id == group), None)
    return found.label.get(lang) if found is not None else group


def show_agreement(tpl: Template, agreed: Agreement | None, lang: str, key: str) -> None:
    if agreed is None or agreed.respondents < 2:
        return
    st.markdown(f"**{term('alpha', lang)}**")
    rows = [{term("phase", lang): term("all_phases", lang) if p.phase is None else tpl.phase(p.phase).title.get(lang),
             term("ordinal", lang): _alpha(p.ordinal_alpha), term("nominal", lang): _alpha(p.nominal_alpha)}
            for p in [agreed.overall, *agreed.phases]]
    st.dataframe(pd.DataFrame(rows), hide_index=True, key=f"{key}_alpha")


def show_divergence(tpl: Template, found: list[RoleDivergence] | None, lang: str, key: str) -> None:
    if not found:
        return
    st.markdown(f"**{term('role_divergence', lang)} ({len(found)})**")
    st.dataframe(pd.DataFrame([{
        term("item", lang): tpl.item(d.item_id).question.get(lang),
        term("role_divergence", lang): f"{d.divergence:.2f}",
        tr("role_groups", lang): " ↔ ".join(f"{role_label(tpl, g, lang)} {d.means[g]:.2f}" for g in d.roles),
    } for d in found]), hide_index=True, key=f"{key}_divergence")


def show_range(tpl: Template, rng: ScoreRange | None, lang: str, key: str, limit: int = 3) -> None:
    """The score range, whether the verdict can still change, and the next questions that matter."""
    if rng is None or rng.low is None or rng.high is None:
        return
    c1, c2 = st.columns(2)
    c1.metric(term("score_range", lang), f"{rng.low:g} – {rng.high:g}")
    c2.metric(term("verdict_range", lang), " → ".join(verdict_label(tpl, v, lang) for v in rng.verdict_range))
    st.caption(term("verdict_can_change" if rng.verdict_can_change else "verdict_settled", lang))
    if rng.decisive_unknowns:
        st.markdown(f"**{term('decisive_unknowns', lang)}**")
        st.markdown("\n".join(
            f"{n}. {tpl.item(d.item).question.get(lang)}"
            + (f" :red-badge[{tr('must_badge', lang)}]" if d.must else "")
            + (f" :orange-badge[{tr('changes_verdict', lang)}]" if d.changes_verdict else "")
            for n, d in enumerate(rng.decisive_unknowns[:limit], start=1)))
