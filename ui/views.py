"""The data behind the results page's charts and tables; plain functions (no Streamlit) so tests can
check what a chart shows, since AppTest cannot look inside a plotly figure."""

from __future__ import annotations

from datetime import datetime

from checklists import Template
from scoring import ReadinessResult, palette, term, value_label
from ui.i18n import tr


def radar_data(result: ReadinessResult, lang: str) -> dict[str, list]:
    """Five phases; an unscored or out-of-scope phase shows as 0 so the shape stays a pentagon."""
    return {"labels": [p.title.get(lang) for p in result.phases],
            "scores": [p.score if p.score is not None else 0 for p in result.phases]}


def phase_bar_data(result: ReadinessResult, tpl: Template, lang: str) -> dict[str, list]:
    """Bars coloured as the PDF colours them (scoring.palette): blocked first, else the phase's level."""
    levels = tpl.levels
    colours, texts = [], []
    for p in result.phases:
        colours.append(palette.phase_colour(tpl, p))
        if p.score is None:
            texts.append(term("out_of_scope", lang) if not p.in_scope else "—")
        else:
            texts.append(f"{p.score:g}")
    return {"labels": [p.title.get(lang) for p in result.phases],
            "scores": [p.score or 0 for p in result.phases], "colours": colours, "texts": texts,
            "thresholds": [{"min_score": lv.min_score, "label": lv.label.get(lang)} for lv in levels
                           if lv.min_score > 0]}


SEVERITIES = ("blocker", "high", "medium", "low")


def sorted_gaps(result: ReadinessResult) -> list:
    """Blockers first, then high, medium, low; within a severity the largest impact first (then the
    template's order, so equal gaps keep a stable place)."""
    order = {g.item_id: n for n, g in enumerate(result.gaps)}
    return sorted(result.gaps, key=lambda g: (SEVERITIES.index(g.severity), -g.impact, order[g.item_id]))


def group_by_severity(rows: list[dict], lang: str) -> list[tuple[str, str, list[dict]]]:
    """Rows of `gap_rows` by severity (Blocker first), each group by impact: (severity id, name, rows)."""
    return [(sev, term(sev, lang), [r for r in rows if r["severity"] == sev]) for sev in SEVERITIES
            if any(r["severity"] == sev for r in rows)]


def gap_rows(result: ReadinessResult, tpl: Template, lang: str) -> list[dict]:
    """One row per gap in the order of `sorted_gaps`, with its question number and text (never an id)."""
    return [{"severity": g.severity, "number": tpl.question_number(g.item_id),
             "phase": tpl.phase(g.phase).title.get(lang), "question": g.question.get(lang),
             "criticality": term(g.criticality.value, lang), "criticality_id": g.criticality.value,
             "score": round(100 * g.score), "impact": g.impact, "recommendation": g.recommendation.get(lang)}
            for g in sorted_gaps(result)]


def unknown_rows(result: ReadinessResult, tpl: Template, lang: str) -> list[dict]:
    """The unanswered questions as a table: number, phase, question, criticality (no raw ids)."""
    return [{tr("q_number", lang): tpl.question_number(i),
             term("phase", lang): tpl.phase(tpl.item(i).phase_id).title.get(lang),
             term("item", lang): tpl.item(i).question.get(lang),
             term("criticality", lang): term(tpl.item(i).criticality.value, lang)}
            for i in result.unknowns]


def colour_legend(tpl: Template, lang: str) -> list[tuple[str, str]]:
    """What the phase bars' colours mean, as (colour, label): each level's colour, the blocked colour
    (a must item of the phase is not met, whatever its score) and the unknown colour."""
    n = len(tpl.levels)
    out = [(palette.level_colour(i, n), lv.label.get(lang)) for i, lv in enumerate(tpl.levels)]
    return out + [(palette.BLOCKED, tr("blocked_phase", lang)), (palette.UNKNOWN, tr("unscored_phase", lang))]


def answer_text(tpl: Template, item_id: str, value: object, lang: str) -> str:
    return value_label(tpl, tpl.item(item_id), value, lang)


# -- progress ---------------------------------------------------------------------------------

def metric_delta(delta: float | None, better: str = "higher") -> dict:
    """st.metric's delta arguments for a number that changed by `delta`: no delta when unknown, a grey
    "±0" without an arrow when nothing changed, green for better and red for worse otherwise."""
    if delta is None:
        return {"delta": None}
    if delta == 0:
        return {"delta": "±0", "delta_color": "gray", "delta_arrow": "off"}
    good = (delta > 0) == (better == "higher")
    return {"delta": f"{delta:+g}", "delta_color": "green" if good else "red",
            "delta_arrow": "up" if delta > 0 else "down"}


def verdict_delta(change: str | None, old_label: str) -> dict:
    """The verdict metric's delta: nothing when the verdict did not change (no arrow), else where it
    came from, green going up and red going down (grey when either side is not a level)."""
    if change == "same":
        return {"delta": None}
    if change is None:
        return {"delta": f"{old_label} →", "delta_color": "gray", "delta_arrow": "off"}
    return {"delta": f"{old_label} →", "delta_color": "green" if change == "up" else "red",
            "delta_arrow": change}


def count_axis(counts: list[int]) -> dict:
    """A plotly axis for counts: whole-number ticks only (never 1.26 blockers), starting at 0."""
    top = max([0, *counts])
    step = max(1, -(-top // 5))  # about five ticks
    return {"tickmode": "linear", "tick0": 0, "dtick": step, "tickformat": "d",
            "range": [0, max(1, top) + 0.5], "rangemode": "tozero"}


# -- telling assessments apart -----------------------------------------------------------------

def assessment_summary(created: datetime, baseline_created: datetime | None, completion: float | None,
                       verdict: str | None, lang: str) -> str:
    """“created 2026-12-03 17:40 · re-assessment of 2026-09-03 · 62% answered · Blocked”: what tells
    an assessment from its baseline and its siblings (verdict: already in words)."""
    parts = [tr("created_on", lang, at=f"{created:%Y-%m-%d %H:%M}")]
    if baseline_created is not None:
        parts.append(tr("reassessment_of", lang, at=f"{baseline_created:%Y-%m-%d}"))
    if completion is not None:
        parts.append(tr("answered_share", lang, share=f"{completion:g}"))
    if verdict:
        parts.append(verdict)
    return " · ".join(parts)
