"""The results page: must / should / nice coverage, gaps by severity then impact with their whole
recommendation, numbered unanswered questions (no raw ids), and charts whose labels fit and whose
colours have a legend."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest
from support import MINI, create, field, new_app, ok

from checklists import load_template
from scoring import palette, parse_assessment, score
from ui.views import gap_rows, group_by_severity, sorted_gaps, unknown_rows

TPL = load_template(MINI)


def result(answers: dict):
    return score(TPL, parse_assessment({"template": "mini", "answers": answers}, {"mini": TPL}))


# mini's effective weights: defined must 3, maturity should 2, model should 2, inventory should 2,
# duplicates nice 1, sponsor must 3, integration should 2
ANSWERS = {"strategy.goals.defined": "yes", "strategy.goals.maturity": 1, "process.stages.model": "none",
           "data.sources.inventory": ["spreadsheets"], "team.roles.sponsor": "partial",
           "vendor.criteria.integration": "no"}


def test_gaps_come_blocker_first_then_by_impact():
    r = result(ANSWERS)
    got = [(g.severity, g.item_id, g.impact) for g in sorted_gaps(r)]
    # sponsor: a must at 0.5 is a blocker (impact 3 × 0.5 = 1.5); the should gaps by impact:
    # model 2 × 1 = 2, integration 2 × 1 = 2 (template order), maturity 2 × 0.75 = 1.5, inventory 2 × 0.75 = 1.5
    assert got[0] == ("blocker", "team.roles.sponsor", 1.5)
    impacts = [g.impact for g in sorted_gaps(r) if g.severity != "blocker"]
    sev = [g.severity for g in sorted_gaps(r)]
    order = ("blocker", "high", "medium", "low")
    assert sev == sorted(sev, key=order.index)  # must NOT: a Blocker below a High
    for s in set(sev):  # within a severity, the largest impact first
        group = [g.impact for g in sorted_gaps(r) if g.severity == s]
        assert group == sorted(group, reverse=True)
    assert len(impacts) == len(r.gaps) - 1
    groups = group_by_severity(gap_rows(r, TPL, "en"), "en")
    assert groups[0][:2] == ("blocker", "Blocker") and [x["number"] for x in groups[0][2]] == ["4.1"]


def test_unanswered_questions_have_numbers_and_text_never_ids():
    r = result({"strategy.goals.defined": "yes"})
    rows = unknown_rows(r, TPL, "zh")
    assert rows[0] == {"题号": "1.2", "阶段": "战略", "检查项": "目标管理成熟度？", "重要性": "应有"}
    assert not any("id" in row or any("." in str(v) and "_" in str(v) for v in row.values()) for row in rows)


def page(at: AppTest, name: str) -> AppTest:
    return ok(at.switch_page(f"ui/{name}.py").run())


def test_the_results_page_shows_every_coverage_grouped_gaps_and_legible_charts(app_env):
    at = new_app(lang="en")
    create(at)
    page(at, "phases/strategy")
    field(at.radio, "v::strategy.goals.defined").set_value("yes").run()
    field(at.radio, "v::strategy.goals.maturity").set_value(1).run()
    page(at, "phases/team")
    field(at.radio, "v::team.roles.sponsor").set_value("partial").run()
    page(at, "results")
    metrics = {m.label: m.value for m in at.metric}
    # must: 1 of 2 met (sponsor partial); should: maturity 1 of 4 is not met → 0 of 1
    assert metrics["Must-have coverage"] == "50%" and metrics["Should-have coverage"] == "0%"
    assert {"Overall score", "Verdict", "Completion", "Must-have coverage", "Should-have coverage",
            "Nice-to-have coverage"} <= set(metrics)
    # gaps: one group per severity, Blocker first and open; the whole recommendation in the text
    labels = [e.label for e in at.expander]
    gap_groups = [lab for lab in labels if lab.startswith("**")]
    assert gap_groups[0] == "**Blocker** (1)"
    text = "\n".join(m.value for m in at.markdown)
    assert "**4.1** Is there an executive sponsor?" in text and "→ " in text
    assert not at.dataframe or all("id" not in d.value.columns for d in at.dataframe)  # must NOT: a raw id column
    unknown = next(d.value for d in at.dataframe)
    assert list(unknown.columns) == ["No.", "Phase", "Item", "Criticality"]
    assert unknown["No."].tolist()[:2] == ["2.1", "3.1"]

    charts = {c.proto.id: json.loads(c.proto.spec) for c in at.get("plotly_chart")}
    radar, bars = (next(s for s in charts.values() if s["data"][0]["type"] == t) for t in ("scatterpolar", "bar"))
    domain = radar["layout"]["polar"]["domain"]
    assert domain["x"][0] > 0 and domain["x"][1] < 1  # room beside the pentagon for its labels
    legend = [(t["marker"]["color"], t["name"]) for t in bars["data"][1:] if t["type"] == "bar"]
    assert (palette.BLOCKED, "Blocked: a must item of this phase is not met (whatever the score)") in legend
    assert bars["data"][0]["showlegend"] is False  # must NOT: the data trace as a nameless legend entry
    notes = bars["layout"]["annotations"]
    assert {a["text"] for a in notes} == {"Emerging", "Ready"}
    assert all(a["x"] >= 1 and a["xanchor"] == "left" for a in notes)  # beside the plot, never under a bar
    assert all(s.get("layer") == "above" for s in bars["layout"]["shapes"])
