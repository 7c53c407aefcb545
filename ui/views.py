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
