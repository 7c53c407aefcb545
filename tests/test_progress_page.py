"""The progress page never invents progress: a blank re-assessment resolves no blocker and closes no
gap, zero deltas are neutral, the verdict has no arrow when it did not change, and the trend chart
counts blockers in whole numbers with its legend clear of the axes."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest
from support import create, field, new_app, ok


def page(at: AppTest, name: str) -> AppTest:
    return ok(at.switch_page(f"ui/{name}.py").run())


def metric(at: AppTest, label: str):
    return next(m for m in at.metric if m.label == label)


def texts(at: AppTest) -> str:
    return "\n".join([m.value for m in at.markdown] + [i.value for i in at.info])


def baseline_then_reassessment(at: AppTest, copy: str) -> str:
    first = create(at)
    page(at, "phases/strategy")
    field(at.radio, "v::strategy.goals.defined").set_value("no").run()  # a blocker
    field(at.radio, "v::strategy.goals.maturity").set_value(1).run()  # a gap
    page(at, "phases/team")
    field(at.radio, "v::team.roles.sponsor").set_value("partial").run()  # a blocker
    page(at, "progress")
    at.radio(key="reassess_copy").set_value(copy).run()
    ok(at.button(key="reassess_button").click().run())
    assert at.query_params["a"] != first
    return page(at, "progress")


def test_a_blank_reassessment_shows_no_resolved_blockers_or_closed_gaps(app_env):
    at = baseline_then_reassessment(new_app(lang="en"), "blank")
    shown = texts(at)
    # must NOT: unanswered called resolved or closed
    assert "Blockers resolved" not in shown and "Gaps closed" not in shown
    # must: the baseline's three gaps listed as not yet re-assessed, the two blockers marked
    assert "**Not yet re-assessed (unanswered in the re-assessment: unknown) (3)**" in shown
    assert "3 of the baseline's gaps (2 of them blockers) are not answered in the re-assessment yet" in shown
    listed = [m.value for m in at.markdown if m.value.startswith("- ")]
    assert listed == ["- 1.1 Are the business goals defined? :red-badge[Blocker]",
                      "- 1.2 How mature is goal management?",
                      "- 4.1 Is there an executive sponsor? :red-badge[Blocker]"]
    blockers = metric(at, "Blockers")
    # the known change is none: a neutral ±0 without an arrow, never a green "↓ −2"
    assert (blockers.value, blockers.delta) == ("0", "±0")
    assert blockers.proto.color != blockers.proto.MetricColor.GREEN
    assert blockers.proto.direction == blockers.proto.MetricDirection.NONE
    # completion 0 % → 0 % would be "+0" green: from a baseline at some % it falls, honestly red
    assert metric(at, "Completion").delta.startswith("-")
    # a score over nothing: no delta at all
    assert metric(at, "Overall score").delta in (None, "")


def test_an_unchanged_verdict_has_no_arrow_and_zero_deltas_are_grey(app_env):
    at = baseline_then_reassessment(new_app(lang="en"), "copy")
    verdict = metric(at, "Verdict")
    assert verdict.value == "Blocked" and verdict.delta in (None, "")  # must NOT: "Blocked →" with an arrow
    for label in ("Overall score", "Completion", "Blockers"):
        m = metric(at, label)
        assert m.delta == "±0", label
        assert m.proto.color == m.proto.MetricColor.GRAY and m.proto.direction == m.proto.MetricDirection.NONE
    assert "Blockers resolved" not in texts(at) and "Not yet re-assessed" not in texts(at)
    # the copy answered "yes" for the goals: the verdict and the blockers move, green
    page(at, "phases/strategy")
    field(at.radio, "v::strategy.goals.defined").set_value("yes").run()
    at = page(at, "progress")
    assert "**Blockers resolved (1)**" in texts(at)
    blockers = metric(at, "Blockers")
    assert (blockers.value, blockers.delta, blockers.proto.color) == ("1", "-1", blockers.proto.MetricColor.GREEN)


def test_the_trend_counts_blockers_in_whole_numbers_and_its_legend_is_below(app_env):
    at = baseline_then_reassessment(new_app(lang="en"), "copy")
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    layout = spec["layout"]
    axis = layout["yaxis2"]
    assert (axis["tickformat"], axis["tickmode"], axis["tick0"]) == ("d", "linear", 0)
    assert axis["dtick"] == 1 and float(axis["dtick"]).is_integer()  # 2 blockers: ticks 0, 1, 2
    assert layout["legend"]["orientation"] == "h" and layout["legend"]["y"] < 0  # below the plot area
    bars = [t for t in spec["data"] if t["type"] == "bar"]
    assert len(bars) == 1 and list(bars[0]["y"]) == [2, 2]


def test_headers_and_the_chain_tell_a_reassessment_from_its_baseline(app_env):
    import re

    from storage import open_repository

    at = baseline_then_reassessment(new_app(lang="en"), "copy")
    repo = open_repository()
    new = repo.get_assessment_meta(at.query_params["a"])
    base = repo.get_assessment_meta(new.baseline_id)
    day = f"{base.created_at:%Y-%m-%d}"
    pick = at.selectbox(key="new_pick")
    shown = list(pick.options)  # as the select box shows them
    assert any(f"re-assessment of {day}" in o and o.endswith("★") for o in shown)
    assert any(o.startswith("created ") and "re-assessment" not in o for o in shown)  # the baseline itself
    assert all(re.search(r"\d+(\.\d+)?% answered · Blocked", o) for o in shown)
    home = page(at, "home")
    caption = next(c.value for c in home.caption if c.value.startswith("created "))
    assert re.fullmatch(rf"created {day} \d\d:\d\d · re-assessment of {day} · 37\.5% answered · Blocked", caption)
