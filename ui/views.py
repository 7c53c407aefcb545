"""The data behind the results page's charts and tables; plain functions (no Streamlit) so tests can
check what a chart shows, since AppTest cannot look inside a plotly figure."""

from __future__ import annotations

from checklists import Template
from scoring import ReadinessResult, term, value_label

COLOURS = {"blocked": "#c0392b", "low": "#e67e22", "mid": "#f1c40f", "high": "#27ae60", "none": "#bdc3c7"}


def radar_data(result: ReadinessResult, lang: str) -> dict[str, list]:
    """Five phases; an unscored or out-of-scope phase shows as 0 so the shape stays a pentagon."""
    return {"labels": [p.title.get(lang) for p in result.phases],
            "scores": [p.score if p.score is not None else 0 for p in result.phases]}


def phase_bar_data(result: ReadinessResult, tpl: Template, lang: str) -> dict[str, list]:
    levels = tpl.levels
    top = levels[-1].min_score if levels else 100
    mid = levels[len(levels) // 2].min_score if levels else 50
    colours, texts = [], []
    for p in result.phases:
        if p.score is None:
            colours.append(COLOURS["none"])
            texts.append(term("out_of_scope", lang) if not p.in_scope else "—")
        else:
            colours.append(COLOURS["blocked"] if p.blockers else COLOURS["high"] if p.score >= top
                           else COLOURS["mid"] if p.score >= mid else COLOURS["low"])
            texts.append(f"{p.score:g}")
    return {"labels": [p.title.get(lang) for p in result.phases],
            "scores": [p.score or 0 for p in result.phases], "colours": colours, "texts": texts,
            "thresholds": [{"min_score": lv.min_score, "label": lv.label.get(lang)} for lv in levels
                           if lv.min_score > 0]}


def gap_rows(result: ReadinessResult, tpl: Template, lang: str) -> list[dict]:
    rows = []
    for g in result.gaps:
        rows.append({
            term("severity", lang): term(g.severity, lang),
            term("phase", lang): tpl.phase(g.phase).title.get(lang),
            term("item", lang): g.question.get(lang),
            term("criticality", lang): term(g.criticality.value, lang),
            term("score", lang): round(100 * g.score),
            term("impact", lang): g.impact,
            term("recommendation", lang): g.recommendation.get(lang),
            "id": g.item_id,
        })
    return rows


def unknown_rows(result: ReadinessResult, tpl: Template, lang: str) -> list[dict]:
    return [{term("phase", lang): tpl.phase(tpl.item(i).phase_id).title.get(lang),
             term("item", lang): tpl.item(i).question.get(lang),
             term("criticality", lang): term(tpl.item(i).criticality.value, lang), "id": i}
            for i in result.unknowns]


def answer_text(tpl: Template, item_id: str, value: object, lang: str) -> str:
    return value_label(tpl, tpl.item(item_id), value, lang)
