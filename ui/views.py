"""The data behind the results page's charts and tables; plain functions (no Streamlit) so tests can
check what a chart shows, since AppTest cannot look inside a plotly figure."""

from __future__ import annotations

from checklists import Template
from scoring import ReadinessResult, palette, term, value_label


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
