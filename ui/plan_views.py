"""The action plan's data for the pages: editor rows, the projection chart, the ready-on date and the
target lines. Plain functions (no Streamlit) except `show_projection`, the one call other pages make."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

import plotly.graph_objects as go

from checklists import NA, Item, Template
from scoring import (
    ActionItem,
    ActionStatus,
    Assessment,
    Projection,
    ReadinessResult,
    item_score,
    palette,
    phase_targets,
    project,
    term,
    value_label,
    verdict_label,
)
from services import save_plan_changes
from storage import Repository
from ui.i18n import colon, tr
from ui.text import plain

NONE = "—"  # an empty choice in the editor (Streamlit shows a missing value as "None")
# the editor's column widths (px): the question number and the editable columns fit 1400 px at once,
# the number, owner and due date a 390 px phone
WIDTHS = {"no": 56, "owner": 140, "due": 116, "status": 110, "expect": 150, "effort": 86}


def expect_choices(tpl: Template, item: Item, lang: str) -> dict[str, object]:
    """Label → value of the answers an action may expect on `item`, best first (never "not applicable")."""
    if item.kind.many_values or item.kind.mapping_value:  # a list answer: every option chosen / in place
        return {tr("all_options", lang): item.kind.best_value(item)}
    values = [v for v in item.allowed_values() if v != NA]
    values.sort(key=lambda v: -(item_score(item, v) or 0))
    return {value_label(tpl, item, v, lang): v for v in values}


def expect_label(tpl: Template, item: Item, value: object, lang: str) -> str:
    if value is None:
        return ""
    for label, v in expect_choices(tpl, item, lang).items():
        if v == value:
            return label
    return value_label(tpl, item, value, lang)


def plan_columns(lang: str) -> dict[str, str]:
    """The editor's column names, editable ones first."""
    return {"owner": tr("owner", lang), "due": tr("due", lang), "status": tr("status", lang),
            "expect": tr("expect", lang), "effort": tr("effort", lang), "no": tr("question_no", lang),
            "item": term("item", lang), "now": tr("answer_now", lang), "severity": term("severity", lang),
            "recommendation": term("recommendation", lang)}


def plan_rows(tpl: Template, result: ReadinessResult, plan: Mapping[str, ActionItem], lang: str) -> list[dict]:
    """One row per gap (blockers first, then by impact), keyed by item id; no None anywhere: an empty
    text or date is "", an empty choice is "—"."""
    col = plan_columns(lang)
    values = {r.id: r.value for r in result.items}
    rank = {"blocker": 0, "high": 1, "medium": 2, "low": 3}
    gaps = sorted(result.gaps, key=lambda g: (rank[g.severity], -g.impact))
    rows = []
    for g in gaps:
        a = plan.get(g.item_id, ActionItem(item_id=g.item_id))
        item = tpl.item(g.item_id)
        rows.append({
            "_id": g.item_id,
            col["owner"]: a.owner,
            col["due"]: a.due or "",
            col["status"]: term(a.status.value, lang),
            col["expect"]: expect_label(tpl, item, a.expect, lang) or NONE,
            col["effort"]: a.effort or NONE,
            col["no"]: tpl.question_number(g.item_id),
            col["item"]: g.question.get(lang),
            col["now"]: value_label(tpl, item, values.get(g.item_id), lang),
            col["severity"]: term(g.severity, lang),
            col["recommendation"]: g.recommendation.get(lang),
        })
    return rows


def cells_to_changes(tpl: Template, item_id: str, cells: Mapping[str, object],
                     lang: str) -> tuple[dict[str, object], list[str]]:
    """The cells a person edited in one row, as the action fields they change (a column not edited is not
    named, so it keeps what is stored now), and a message for each value the item does not take (that
    field is left as stored)."""
    col = plan_columns(lang)
    field_of = {label: key for key, label in col.items()}
    no = tpl.question_number(item_id)
    changes: dict[str, object] = {}
    problems: list[str] = []
    for label, value in cells.items():
        key = field_of.get(label)
        text = str(value or "").strip()
        if key == "owner":
            changes["owner"] = text
        elif key == "due":
            if text and not _is_iso_date(text):
                problems.append(tr("due_invalid", lang, no=no, value=text))
            else:
                changes["due"] = text or None
        elif key == "status":
            status_of = {term(s.value, lang): s for s in ActionStatus}
            changes["status"] = status_of.get(text, ActionStatus.open)
        elif key == "expect":
            choices = expect_choices(tpl, tpl.item(item_id), lang)
            if text and text != NONE and text not in choices:
                problems.append(tr("expect_invalid", lang, no=no, value=text))
            else:
                changes["expect"] = choices.get(text)
        elif key == "effort":
            changes["effort"] = text if text in ("S", "M", "L") else None
    return changes, problems


def plan_snapshot(actions: Iterable[ActionItem]) -> tuple[str, ...]:
    """The stored plan, to tell whether it changed since the editor was built."""
    return tuple(a.model_dump_json() for a in sorted(actions, key=lambda a: a.item_id))


@dataclass(frozen=True)
class StoredEdits:
    applied: dict[Any, dict[str, Any]]  # the editor's edits as now stored, to tell the next new ones
    known: tuple[str, ...] | None  # the plan as the editor now shows it; None: changed elsewhere, rebuild
    problems: list[str]
    saved: bool
    fault: Exception | None = None  # nothing was stored; the caller keeps the edits and tries again


def store_edits(repo: Repository, tpl: Template, assessment_id: str, lang: str, row_ids: Sequence[str],
                edits: Mapping[Any, Mapping[str, Any]], applied: Mapping[Any, Mapping[str, Any]],
                known: tuple[str, ...] | None) -> StoredEdits:
    """Store the cells of an action-plan editor (row number → column → value) that changed since
    `applied`, each over what is stored now (`services.save_plan_changes`). `known` is the plan the
    editor was built from: when someone else changed it meanwhile, `known` comes back None."""
    changes: dict[str, dict[str, object]] = {}
    problems: list[str] = []
    for n, cells in edits.items():
        done = applied.get(n, {})
        fresh = {c: v for c, v in cells.items() if c not in done or done[c] != v}
        if fresh and int(n) < len(row_ids):
            item_id = str(row_ids[int(n)])
            changes[item_id], found = cells_to_changes(tpl, item_id, fresh, lang)
            problems += found
    try:
        elsewhere = plan_snapshot(repo.load_action_plan(assessment_id)) != known
        saved = save_plan_changes(repo, assessment_id, changes)
        now = None if elsewhere else plan_snapshot(repo.load_action_plan(assessment_id))
    except Exception as e:  # a storage fault (or worse): the caller shows it, nothing counts as applied
        return StoredEdits(dict(applied), known, [], False, e)
    return StoredEdits({n: dict(cells) for n, cells in edits.items()}, now, problems, bool(saved))


def _is_iso_date(text: str) -> bool:
    """A real calendar day written YYYY-MM-DD."""
    try:
        return len(text) == 10 and dt.date.fromisoformat(text).isoformat() == text
    except ValueError:
        return False


def ready_on_text(p: Projection, lang: str) -> str:
    """The ready-on date in words: a date, "not blocked" when nothing blocks, or "not with this plan"."""
    if p.ready_on is None:
        return tr("ready_on_never", lang)
    if p.ready_on == p.today and p.points and p.points[0].verdict != "blocked" and not p.critical_path:
        return tr("ready_now", lang)
    return p.ready_on


def projection_figure(p: Projection, tpl: Template, lang: str) -> go.Figure:
    """Score month by month; each point coloured by its verdict (blocked red, else its level), the
    ready-on date as a vertical line, level thresholds as dotted lines."""
    n = len(tpl.levels)
    colours = [palette.BLOCKED if pt.verdict == "blocked" else palette.UNKNOWN
               if pt.verdict in ("unknown", "incomplete") else palette.level_colour(palette.level_index(tpl, pt.level), n)
               for pt in p.points]
    texts = [verdict_label(tpl, pt.verdict, lang) for pt in p.points]
    fig = go.Figure(go.Scatter(
        x=[pt.date for pt in p.points], y=[pt.score if pt.score is not None else None for pt in p.points],
        mode="lines+markers", line={"shape": "hv", "color": "#5B6B7F"}, marker={"color": colours, "size": 10},
        text=texts, hovertemplate="%{x}<br>%{y}<br>%{text}<extra></extra>", name=term("score", lang)))
    for lv in tpl.levels:
        if lv.min_score > 0:
            fig.add_hline(y=lv.min_score, line_dash="dot", line_color="#9AA5B1")
    if p.ready_on:
        fig.add_vline(x=p.ready_on, line_color="#2E7D32", line_dash="dash")
    # numeric month ticks: plotly's month names would be English in the Chinese page
    fig.update_layout(yaxis={"range": [0, 100], "title": term("score", lang)}, height=300, showlegend=False,
                      xaxis={"tickformat": "%Y-%m", "dtick": "M1"},
                      margin={"l": 20, "r": 20, "t": 20, "b": 20})
    return fig


def target_lines(tpl: Template, overrides: Mapping[str, str | None] | None) -> list[float | None]:
    """Per phase (template order), the score its target level starts at; None without a target."""
    minimum = {lv.id: lv.min_score for lv in tpl.levels}
    targets = phase_targets(tpl, overrides)
    return [minimum.get(level) if (level := targets[ph.id]) else None for ph in tpl.phases]


def show_summary(p: Projection, lang: str) -> None:
    """The ready-on date, the number of actions it waits for and of blockers nobody owns (Streamlit)."""
    import streamlit as st

    c = st.columns(3)
    c[0].metric(tr("ready_on", lang), ready_on_text(p, lang))
    c[1].metric(tr("critical_path", lang), str(len(p.critical_path)))
    c[2].metric(tr("unplanned_blockers_n", lang), str(len(p.unplanned_blockers)))


def show_details(p: Projection, tpl: Template, lang: str, key: str) -> None:
    """What the ready-on date waits for, the flagged blockers and the projection chart (Streamlit)."""
    import streamlit as st

    if p.critical_path:
        st.markdown(f"**{tr('critical_path', lang)}**\n" + "\n".join(
            f"- {tr('question_no', lang)} {tpl.question_number(a.item_id)} "
            f"{tpl.item(a.item_id).question.get(lang)} — {plain(a.owner) if a.owner else '—'} · {a.effective}"
            + (f" ({tr('slipped_days', lang, days=a.days_overdue)})" if a.days_overdue else "")
            for a in p.critical_path))
    if p.unplanned_blockers:
        st.warning(tr("unplanned_blockers", lang) + "\n" + "\n".join(
            f"- {tr('question_no', lang)} {tpl.question_number(b)} {tpl.item(b).question.get(lang)}"
            for b in p.unplanned_blockers), icon=":material/flag:")
    unresolved = [b for b in p.unresolved_blockers if b not in p.unplanned_blockers]
    if unresolved:
        st.info(tr("unresolved_blockers", lang) + "\n" + "\n".join(
            f"- {tr('question_no', lang)} {tpl.question_number(b)} {tpl.item(b).question.get(lang)}"
            for b in unresolved))
    st.plotly_chart(projection_figure(p, tpl, lang), key=f"{key}_chart")


def show_projection(tpl: Template, assessment: Assessment, result: ReadinessResult, actions: list[ActionItem],
                    lang: str, *, today: dt.date | None = None, key: str = "projection") -> Projection:
    """The whole projection section, for a page that shows it in one place (Streamlit)."""
    import streamlit as st

    p = project(tpl, assessment, actions, today=today or dt.date.today())
    st.subheader(tr("projection", lang))
    show_summary(p, lang)
    show_details(p, tpl, lang, key)
    return p


# -- hooks for other pages: one call each ---------------------------------------------------------------


def _stored_targets(assessment_id: str) -> dict[str, str]:
    from ui.common import repository

    return repository().load_phase_targets(assessment_id)


def add_radar_targets(fig: go.Figure, tpl: Template, assessment_id: str, lang: str) -> None:
    """The phase targets as a dashed outline on the radar (phases without a target sit at 0)."""
    lines = target_lines(tpl, _stored_targets(assessment_id))
    if not any(v is not None for v in lines):
        return
    r = [v or 0 for v in lines]
    labels = [ph.title.get(lang) for ph in tpl.phases]
    fig.add_trace(go.Scatterpolar(r=r + r[:1], theta=labels + labels[:1], mode="lines", name=tr("target_line", lang),
                                  line={"dash": "dash", "color": "#1F2933", "width": 2}))
    fig.update_layout(showlegend=True, legend={"orientation": "h", "y": -0.1})


def add_bar_targets(fig: go.Figure, tpl: Template, assessment_id: str, lang: str) -> None:
    """The phase targets as a short dark line across each phase's bar."""
    lines = target_lines(tpl, _stored_targets(assessment_id))
    xs = [ph.title.get(lang) for ph, v in zip(tpl.phases, lines, strict=True) if v is not None]
    ys = [v for v in lines if v is not None]
    if not xs:
        return
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="markers", name=tr("target_line", lang),
                             marker={"symbol": "line-ew-open", "size": 44, "line": {"width": 3, "color": "#1F2933"}},
                             hovertemplate="%{x}: %{y}<extra>" + tr("target_line", lang) + "</extra>"))
    fig.update_layout(showlegend=True, legend={"orientation": "h", "y": -0.15})


def show_results_plan(meta_id: str, tpl: Template, lang: str, *, today: dt.date | None = None) -> Projection:
    """The results page's plan section: ready-on date, critical path, flagged blockers, the chart, and
    the phase targets against today's scores (Streamlit)."""
    import streamlit as st

    from services import room_assessment
    from ui.common import repository

    repo = repository()
    assessment = room_assessment(repo, meta_id, tpl)
    from scoring import score, target_status

    result = score(tpl, assessment)
    p = show_projection(tpl, assessment, result, repo.load_action_plan(meta_id), lang, today=today,
                        key="results_projection")
    labels = {lv.id: lv.label.get(lang) for lv in tpl.levels}
    targets = [t for t in target_status(tpl, result, repo.load_phase_targets(meta_id)) if t.level]
    if targets:
        st.caption(f"{tr('phase_targets', lang)}：" if lang == "zh" else f"{tr('phase_targets', lang)}{colon(lang)}")
        st.markdown("\n".join(
            f"- {tpl.phase(t.phase).title.get(lang)} — {tr('target_line', lang)} {labels[cast(str, t.level)]} ({t.min_score:g})"
            f" · {'—' if t.score is None else f'{t.score:g}'}"
            f"{' ✓' if t.met else ' ✗' if t.met is False else ''}" for t in targets))
    return p


def outcome_rows(tpl: Template, actions: Sequence[ActionItem], later: Assessment, lang: str) -> list[dict]:
    """Per action of the baseline's plan and item it improves: expected, actual, and whether reached."""
    from scoring import plan_outcomes

    ids = {it.id for it in tpl.items()}
    rows = []
    for o in plan_outcomes(tpl, [a for a in actions if a.item_id in ids], later):
        item = tpl.item(o.improved)
        rows.append({tr("question_no", lang): tpl.question_number(o.improved), term("item", lang): item.question.get(lang),
                     tr("expect", lang): expect_label(tpl, item, o.expect, lang) or "—",
                     term("answer", lang): value_label(tpl, item, o.actual, lang),
                     tr("planned_vs_actual", lang): tr(f"outcome_{o.outcome}", lang)})
    return rows


def show_planned_vs_actual(baseline_id: str, tpl: Template, later: Assessment, lang: str) -> None:
    """Each action of the baseline's plan: was its expected answer reached in the re-assessment? (Streamlit)"""
    import pandas as pd
    import streamlit as st

    from ui.common import repository

    rows = outcome_rows(tpl, repository().load_action_plan(baseline_id), later, lang)
    if rows:
        st.subheader(tr("planned_vs_actual", lang))
        st.dataframe(pd.DataFrame(rows), hide_index=True, key="planned_vs_actual")
