"""The vendor page's logic without Streamlit (services.vendor_sheet): every edit a typed command that
is validated and refused with a reason, the vendor table, own requirements and AHP weights, the data
editors' deltas, exports that read back as the same sheet, and the chart data (what AppTest cannot
see). The page itself is tests/test_vendor_views.py; storage and concurrency tests/test_vendor_storage.py."""

from __future__ import annotations

import pytest

from services import vendor_sheet as vs
from vendors import load_vendor_sheet


@pytest.fixture(scope="module")
def example():
    return load_vendor_sheet()


def test_edits_are_validated_and_refused_with_a_reason(example):
    s = vs.apply_requirement_changes(example, {"mobile_crm": {"tag": "nice", "note": "  "}})
    assert s.requirements[3].tag == "nice" and s.requirements[3].note is None
    with pytest.raises(vs.SheetRefused, match="tag must be one of"):
        vs.apply_requirement_changes(example, {"mobile_crm": {"tag": "maybe"}})
    with pytest.raises(vs.SheetRefused, match="whole number from 1 to 5"):
        vs.apply_criterion_scores(example, "Ann", "crm_a", {"cost": {"score": 7}})
    with pytest.raises(vs.SheetRefused, match="unknown vendor"):
        vs.apply_requirement_scores(example, "Ann", "crm_zz", {"customer_360": {"status": "meets"}})
    with pytest.raises(vs.SheetRefused, match="join the assessment"):
        vs.apply_requirement_scores(example, " ", "crm_a", {"customer_360": {"status": "meets"}})
    with pytest.raises(vs.SheetRefused, match="at least one criterion needs a weight"):
        vs.apply_criterion_changes(example, {c.id: {"weight": 0} for c in example.criteria})
    with pytest.raises(vs.SheetRefused, match="not a number"):
        vs.apply_cost_changes(example, {"crm_a:1": {"licence": "lots"}})
    # clearing a status (without a note) removes the entry; a note without a status counts as unknown
    s = vs.apply_requirement_scores(example, "sales_lead", "crm_a", {
        "customer_360": {"status": None}, "lead_management": {"status": None, "note": "待演示"}})
    ev = s.evaluations["sales_lead"]["crm_a"].requirements
    assert "customer_360" not in ev
    assert (ev["lead_management"].status, ev["lead_management"].note) == ("unknown", "待演示")
    assert s.evaluations["it_lead"] == example.evaluations["it_lead"]


def test_vendor_table_adds_and_removes_with_everything_attached(example):
    rows = vs.vendor_rows(example)
    rows = [r for r in rows if r["id"] != "crm_b"] + [{"id": None, "name_zh": "新系统", "name_en": "New CRM", "note": None},
                                                       {"id": None, "name_zh": None, "name_en": None, "note": None}]
    s = vs.apply_vendor_table(example, rows)
    assert [v.id for v in s.vendors] == ["crm_a", "crm_c", "crm_d", "new_crm"]
    assert all("crm_b" not in by for by in s.evaluations.values())
    assert "crm_b" not in s.costs and s.vendor("new_crm").name.zh == "新系统"
    with pytest.raises(vs.SheetRefused, match="needs a name"):
        vs.apply_vendor_table(example, rows[:1] + [{"id": None, "name_zh": "", "name_en": None, "note": "x"}])
    with pytest.raises(vs.SheetRefused, match="at least one vendor"):
        vs.apply_vendor_table(example, [])


def test_own_requirements_and_ahp(example):
    s = vs.add_requirement(example, "微信接入", None, "must")
    added = s.requirements[-1]
    assert added.tag == "must" and added.name.zh == added.name.en == "微信接入" and vs.is_own_requirement(added.id)
    with pytest.raises(vs.SheetRefused, match="tag it 'not needed'"):
        vs.remove_requirement(s, "mobile_crm")
    assert vs.remove_requirement(s, added.id).requirements == example.requirements
    # judgements that follow the weights are consistent; contradicting ones warn above CR 0.10
    rows = vs.ahp_rows(example, "en")
    assert len(rows) == 8 * 7 // 2
    good = vs.ahp_from_rows(example, rows)
    assert good.consistent and good.warning is None
    bad = [dict(r, judgement=9 if i % 2 else -9) for i, r in enumerate(rows)]
    worse = vs.ahp_from_rows(example, bad)
    assert worse.cr > 0.10 and "above 0.10" in worse.warning.en
    weighted = vs.set_weights(example, good.weights)
    assert sum(c.weight for c in weighted.criteria) == pytest.approx(100, abs=0.01)


def test_editor_delta_applies_only_what_changed_since():
    seen = {"edited_rows": {"3": {"tag": "nice"}}}
    now = {"edited_rows": {"3": {"tag": "nice"}, "5": {"note": "x"}}, "added_rows": [], "deleted_rows": []}
    assert vs.editor_delta(now, seen) == {5: {"note": "x"}}
    assert vs.editor_delta(now, None) == {3: {"tag": "nice"}, 5: {"note": "x"}}
    assert vs.editor_delta({"edited_rows": {"3": {"tag": "must"}}}, seen) == {3: {"tag": "must"}}
    assert vs.editor_delta(None, seen) == {}


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "yaml"])
def test_export_reads_back_as_the_same_sheet(example, fmt, tmp_path):
    data, name, mime = vs.export_sheet(example, fmt)
    assert name.endswith(f".{fmt}") and mime
    from sheets import sheet_from_bytes

    assert sheet_from_bytes(data, name) == example


def test_chart_data_comes_from_the_result(example):
    r = vs.sheet_result(example)
    stack = vs.score_stack_data(r, "zh")
    assert stack["vendors"][0] == "示例系统甲"
    for i, total in enumerate(stack["totals"]):
        assert sum(col[i] for col in stack["contributions"]) == pytest.approx(total, abs=0.01)
    assert stack["qualified"] == [True, True, True, False]
    scatter = vs.cost_score_data(r, "en")
    assert {p["vendor"] for p in scatter} == {v.name.en for v in example.vendors}
    tornado = vs.tornado_data(r, "en")
    assert len(tornado) == len(example.criteria)
    first = tornado[0]  # the most sensitive criterion: the smallest move changes the leader
    assert first["criterion"] == "Cost and value for money" and first["high"] == pytest.approx(7.32, abs=0.01)
    assert all(t["low"] <= t["now"] <= t["high"] for t in tornado)
    summary = vs.leader_text(r, "en")
    assert summary[0].startswith("Leader: Example CRM A") and "robust" in summary[1]
