"""The vendor comparison's views: the page driven by AppTest (start, edit through the data editors,
knock-out badges, storage, a second session, imports) and the PDF / DOCX / Markdown vendor section.
The page logic in services/vendor_sheet called directly (edits, exports, chart data) is
tests/test_services_vendors.py."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader
from support import create, link, new_app, ok
from test_app import page
from test_report import flat, has_cjk, need, strings

from checklists import load_template
from reports import ReportOptions, build_report, export_file, render_pdf_info
from reports.fonts import covers, find_ttf
from scoring import Answer, Assessment, score
from services import vendor_sheet as vs
from storage import open_repository
from vendors import (
    load_vendor_sheet,
)

ROOT = Path(__file__).resolve().parent.parent
MINI = Path(__file__).parent / "data" / "mini.yaml"
CREATED = datetime(2027, 1, 15, 9, 0, tzinfo=UTC)


def edit(at, key: str, rows: dict[int, dict]) -> None:
    """What the browser sends when cells of a data editor change (its cumulative edit state)."""
    at.session_state[key] = {"edited_rows": {str(r): cells for r, cells in rows.items()}, "added_rows": [],
                             "deleted_rows": []}
    ok(at.run())


def stored(aid: str):
    return vs.load_sheet(open_repository(), aid)


def row_of(rows: list[dict], row_id: str, col: str = "id") -> int:
    return next(i for i, r in enumerate(rows) if r[col] == row_id)


def result_table(at):
    """The comparison table (AppTest does not expose a read-only dataframe's key)."""
    return next(d.value for d in at.dataframe if "musts" in d.value.columns)


def badges(at) -> list[str]:
    return [e.value for e in at.error if "Knocked out" in e.value]


# ── the page (AppTest) ────────────────────────────────────────────────────────────────────────

def test_example_edits_knockouts_and_a_second_session(app_env):
    at = new_app(lang="en")
    aid = create(at)
    page(at, "vendors")
    assert any("no vendor comparison yet" in i.value for i in at.info)
    assert stored(aid) is None
    at.button(key="vendor_start_example").click().run()
    ok(at)
    sheet = stored(aid)
    assert sheet is not None and [v.id for v in sheet.vendors] == ["crm_a", "crm_b", "crm_c", "crm_d"]
    assert any(s.value.startswith("Leader: Example CRM A") for s in at.success)
    # the knocked-out vendor stays, with its badge and reason
    [ko] = badges(at)
    assert "Example CRM C" in ko and "Mobile CRM" in ko
    table = result_table(at)
    assert list(table["vendor"]) == ["Example CRM A", "Example CRM B", "Example CRM D", "Example CRM C"]
    assert list(table["qualified"])[-1] == "Knocked out"

    # tag "Mobile CRM" nice instead of must: crm_c is no longer knocked out
    req_rows = vs.requirement_rows(sheet, "en")
    mobile = row_of(req_rows, "mobile_crm")
    edit(at, "vendor_req_editor", {mobile: {"tag": "nice"}})
    assert stored(aid).requirements[mobile].tag == "nice"
    assert not badges(at) and any("No vendor is knocked out" in c.value for c in at.caption)

    # Ann scores crm_a: "does not" on the must-have "Customer 360 view" knocks it out, kept apart from
    # the other evaluators' scores
    eval_rows = vs.requirement_score_rows(stored(aid), "Ann", "crm_a", "en")
    c360 = row_of(eval_rows, "customer_360")
    edit(at, "vendor_eval_req::crm_a", {c360: {"status": "does_not", "note": "没有统一客户视图"}})
    edit(at, "vendor_eval_crit::crm_a", {0: {"score": 2, "note": "缺少行业方案"}})
    after = stored(aid)
    ann = after.evaluations["Ann"]["crm_a"]
    assert ann.requirements["customer_360"].status == "does_not"
    assert ann.requirements["customer_360"].note == "没有统一客户视图"
    assert ann.criteria["functional_fit"].score == 2
    assert after.evaluations["sales_lead"] == sheet.evaluations["sales_lead"]
    # each cell edited is one entry of the vendor audit trail, under the name the session joined with
    trail = open_repository().vendor_audit_trail(aid)
    assert sorted((e.who, e.kind, e.vendor_id, e.ref_id) for e in trail if e.evaluator == "Ann") == [
        ("Ann", "criterion", "crm_a", "functional_fit"), ("Ann", "requirement", "crm_a", "customer_360")]
    [ko] = badges(at)
    assert "Example CRM A" in ko and "Customer 360" in ko
    assert any(s.value.startswith("Leader: Example CRM B") for s in at.success)

    # a refresh or a new tab: a new session with only the link sees the sheet and its own scores
    bob = ok(new_app(**link(at)).switch_page("ui/vendors.py").run())
    assert bob.data_editor(key="vendor_req_editor").value["tag"][mobile] == "nice"
    assert bob.data_editor(key="vendor_eval_req::crm_a").value["status"][c360] == "does_not"
    # that session sets "Mobile CRM" back to must ...
    edit(bob, "vendor_req_editor", {mobile: {"tag": "must"}})
    assert stored(aid).requirements[mobile].tag == "must"
    # ... and the first session's next edit (its editor still holds the old one) does not undo it
    edit(at, "vendor_req_editor", {mobile: {"tag": "nice"}, 0: {"note": "集团统一要求"}})
    now = stored(aid)
    assert now.requirements[mobile].tag == "must"
    assert now.requirements[0].note == "集团统一要求"


def test_weights_settings_costs_and_vendors(app_env):
    at = new_app(lang="en")
    aid = create(at)
    page(at, "vendors")
    at.button(key="vendor_start_catalogue").click().run()
    ok(at)
    sheet = stored(aid)
    assert sheet.organisation == "示例公司" and [v.id for v in sheet.vendors] == ["vendor_a"]
    # weights through the editor, settings through their widgets
    edit(at, "vendor_crit_editor", {0: {"weight": 40}})
    assert stored(aid).criteria[0].weight == 40
    at.number_input(key="vendor_years").set_value(5).run()
    at.number_input(key="vendor_discount").set_value(8.0).run()
    at.checkbox(key="vendor_partly_ko").check().run()
    ok(at)
    st_ = stored(aid).settings
    assert (st_.years, st_.discount_rate, st_.partly_on_must_disqualifies) == (5, 0.08, True)
    # five years of costs for the one vendor
    rows = vs.cost_rows(stored(aid), "en")
    assert [r["year"] for r in rows] == [1, 2, 3, 4, 5]
    edit(at, "vendor_cost_editor", {0: {"licence": 50000, "implementation": 80000}})
    assert stored(aid).costs["vendor_a"][0].total() == 130000
    # the AHP expander shows the consistency ratio
    assert any("Consistency ratio CR" in s.value for s in [*at.success, *at.warning])


def test_a_bad_upload_is_refused_and_changes_nothing(app_env):
    at = new_app(lang="en")
    aid = create(at)
    page(at, "vendors")
    at.button(key="vendor_start_example").click().run()
    before = stored(aid)
    csv = vs.export_sheet(before, "csv")[0].decode("utf-8-sig")
    bad = {
        "missing-column.csv": csv.replace("section,evaluator,vendor,id,year,value,", "section,evaluator,vendor,id,year,"),
        "unknown-vendor.csv": csv.replace("criterion_score,it_lead,crm_a,", "criterion_score,it_lead,crm_zz,", 1),
        "out-of-range.csv": csv.replace("criterion_score,it_lead,crm_a,functional_fit,,4",
                                        "criterion_score,it_lead,crm_a,functional_fit,,7"),
    }
    expected = {"missing-column.csv": "missing column 'value'", "unknown-vendor.csv": "unknown vendor 'crm_zz'",
                "out-of-range.csv": "score must be a whole number from 1 to 5"}
    for name, text in bad.items():
        assert text != csv, name
        at.file_uploader(key="vendor_upload").set_value((name, text.encode("utf-8"), "text/csv"))
        ok(at.run())
        at.button(key="vendor_import_button").click().run()
        ok(at)
        assert any("not imported" in e.value and expected[name] in e.value for e in at.error), name
        assert stored(aid) == before, name
    # a good file replaces the sheet
    good = vs.update_sheet(before, currency="EUR")
    data, name, _mime = vs.export_sheet(good, "xlsx")
    at.file_uploader(key="vendor_upload").set_value((name, data, "application/octet-stream"))
    ok(at.run())
    at.button(key="vendor_import_button").click().run()
    ok(at)
    assert any("Imported: 4 vendors, 2 evaluators" in s.value for s in at.success)
    assert stored(aid) == good


def test_scoring_needs_a_name_and_the_page_renders_without_an_assessment(app_env):
    ok(new_app(lang="zh").switch_page("ui/vendors.py").run())
    at = new_app(lang="zh")
    aid = create(at)
    page(at, "vendors")
    at.button(key="vendor_start_example").click().run()
    anon = ok(new_app(lang="zh", a=aid).switch_page("ui/vendors.py").run())
    assert any("加入评估" in i.value for i in anon.info)
    assert not [e for e in anon.data_editor if e.key and e.key.startswith("vendor_eval_")]


def _columns(at, key: str) -> dict:
    """A data editor's column settings as the browser receives them."""
    import json
    editor = next(e for e in at.data_editor if e.key == key)
    return json.loads(editor.proto.columns)


def test_nobody_leads_until_someone_has_scored_and_no_cell_says_none(app_env):
    at = new_app(lang="en")
    aid = create(at)
    page(at, "vendors")
    at.button(key="vendor_start_catalogue").click().run()
    ok(at)
    assert stored(aid).evaluations == {}
    # must NOT happen: a green "Leader: Vendor A, 0 / 100, 0 of 17 musts met" with nobody scored
    assert not [s.value for s in at.success if "Leader" in s.value]
    assert any("Nobody has scored yet" in i.value for i in at.info)
    table = result_table(at)
    assert "None" not in {str(x) for x in table.drop(columns=["score", "rank"]).to_numpy().ravel()}
    assert list(table["tco"]) == ["—"] and list(table["payback"]) == ["—"]
    # the status dropdown offers the four statuses, with no empty first option
    status = _columns(at, "vendor_eval_req::vendor_a")["status"]
    assert status["required"] is True
    assert status["type_config"]["options"][0]["value"] == "meets"
    # must happen: the first score makes a leader
    edit(at, "vendor_eval_crit::vendor_a", {0: {"score": 4}})
    assert any(s.value.startswith("Leader: Vendor A") for s in at.success)
    assert not any("Nobody has scored yet" in i.value for i in at.info)


def test_the_result_shows_each_vendors_profile_in_rank_order(app_env):
    at = new_app(lang="zh")
    create(at)
    page(at, "vendors")
    at.button(key="vendor_start_example").click().run()
    ok(at)
    profiles = next(d.value for d in at.dataframe if {"vendor", "pricing_model"} <= set(d.value.columns))
    assert list(profiles["vendor"]) == ["示例系统甲", "示例系统乙", "示例系统丁", "示例系统丙"]
    assert list(profiles["pricing_model"]) == ["免费", "按用户", "按报价", "按模块"]
    # the vendor list edits the profile: the four columns are there, the pricing model as a closed list
    pricing = _columns(at, "vendor_vendors_editor")["pricing_model"]
    assert [o["value"] for o in pricing["type_config"]["options"]] == ["free", "per_user", "per_module", "quote"]
    assert {"target_size", "strengths", "typical_features"} <= set(_columns(at, "vendor_vendors_editor"))
    # an empty profile cell shows a dash, never "None"
    editor = next(e for e in at.data_editor if e.key == "vendor_vendors_editor")
    assert editor.proto.placeholder == "—"


# ── the report's vendor section ───────────────────────────────────────────────────────────────
# (the page logic without Streamlit, services.vendor_sheet, is tests/test_services_vendors.py)

@pytest.fixture(scope="module")
def example():
    return load_vendor_sheet()


def mini_case():
    t = load_template(MINI)
    a = Assessment(template=t.id, organisation="迷你公司", answers={"strategy.goals.defined": Answer(value="yes")})
    return t, a, score(t, a)


def pdf_text(pdf: bytes) -> str:
    return flat("".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages))


def test_pdf_vendor_section_present_with_vendor_data_and_absent_without(example):
    t, a, r = mini_case()
    vr = vs.sheet_result(example)
    d = build_report(t, a, r, ReportOptions(lang="en", vendors=vr, created=CREATED))
    v = d.vendor
    assert v is not None and v.leader == "Example CRM A"
    assert [row[1] for row in v.table.rows] == ["Example CRM A", "Example CRM B", "Example CRM D", "Example CRM C"]
    assert v.table.rows[-1][-1] == "Knocked out" and v.table.rows[0][3] == "17/17"
    assert v.knockouts == ['Example CRM C: does not meet the must-have "Mobile CRM (app / mini-program)"']
    text = pdf_text(render_pdf_info(d).pdf)
    for s in [v.heading, v.summary[0], v.knockouts[0], v.knockouts_heading, v.chart_title, v.sensitivity.heading]:
        assert flat(s) in text, s
    # without vendor data: no section, no placeholder
    bare = build_report(t, a, r, ReportOptions(lang="en", created=CREATED))
    assert bare.vendor is None
    assert flat(v.heading) not in pdf_text(render_pdf_info(bare).pdf)
    # the editable exports carry the same section
    md = export_file("md", t, a, r, lang="en", vendors=vr, created=CREATED).decode("utf-8")
    assert "## Vendor comparison" in md and v.knockouts[0].replace('"', '"') in md
    doc = Document(io.BytesIO(export_file("docx", t, a, r, lang="en", vendors=vr, created=CREATED)))
    assert any(p.text == "Vendor comparison" for p in doc.paragraphs)
    assert "Vendor comparison" not in export_file("md", t, a, r, lang="en", created=CREATED).decode("utf-8")


def test_the_report_carries_each_vendors_profile_in_every_format(example):
    t, a, r = mini_case()
    vr = vs.sheet_result(example)
    v = build_report(t, a, r, ReportOptions(lang="en", vendors=vr, created=CREATED)).vendor
    assert v.profiles is not None and v.profiles.heading == "Vendor profiles"
    assert v.profiles.headers == ["Vendor", "Target company size", "Main strengths", "Typical features",
                                  "Pricing model"]
    assert [(row[0], row[4]) for row in v.profiles.rows] == [
        ("Example CRM A", "Free"), ("Example CRM B", "Per user"), ("Example CRM D", "Quote"),
        ("Example CRM C", "Per module")]
    text = pdf_text(render_pdf_info(build_report(t, a, r, ReportOptions(lang="en", vendors=vr,
                                                                        created=CREATED))).pdf)
    assert flat("Vendor profiles") in text and flat("Per module") in text
    md = export_file("md", t, a, r, lang="en", vendors=vr, created=CREATED).decode("utf-8")
    assert "### Vendor profiles" in md and "| Example CRM D | 集团型企业 / groups with several companies |" in md
    doc = Document(io.BytesIO(export_file("docx", t, a, r, lang="en", vendors=vr, created=CREATED)))
    assert any(p.text == "Vendor profiles" for p in doc.paragraphs)
    # must NOT happen: an empty profile table (or "None" cells) when no vendor has a profile
    bare = example.model_copy(update={"vendors": [x.model_copy(update={k: None for k in
                                                   ("target_size", "strengths", "typical_features", "pricing_model")})
                                                   for x in example.vendors]})
    assert build_report(t, a, r, ReportOptions(lang="en", vendors=vs.sheet_result(bare), created=CREATED)
                        ).vendor.profiles is None
    partial = bare.model_copy(update={"vendors": [bare.vendors[0].model_copy(update={"pricing_model": "quote"}),
                                                  *bare.vendors[1:]]})
    rows = build_report(t, a, r, ReportOptions(lang="zh", vendors=vs.sheet_result(partial), created=CREATED)
                        ).vendor.profiles.rows
    assert rows[0][1:] == ["—", "—", "—", "按报价"] and all("None" not in c for row in rows for c in row)


def test_vendor_section_says_when_no_vendor_or_only_one_qualifies(example):
    t, a, r = mini_case()
    # a new evaluator who finds that no vendor offers mobile CRM: every vendor is knocked out
    sheet = example
    for v in example.vendors:
        sheet = vs.apply_requirement_scores(sheet, "王敏", v.id, {"mobile_crm": {"status": "does_not"}})
    v = build_report(t, a, r, ReportOptions(lang="zh", vendors=vs.sheet_result(sheet))).vendor
    assert v.leader is None and v.summary == ["没有供应商满足全部必备需求：在淘汰原因消除之前，不能推荐任何一家。"]
    assert len(v.knockouts) == 4 and v.sensitivity is None
    assert all(row[-1] == "淘汰" for row in v.table.rows)
    # one qualified vendor: no rival, so no sensitivity table
    only_a = vs.apply_requirement_scores(sheet, "王敏", "crm_a", {"mobile_crm": {"status": "meets"}})
    only_a = vs.apply_requirement_scores(only_a, "sales_lead", "crm_a", {"mobile_crm": {"status": "meets"}})
    v = build_report(t, a, r, ReportOptions(lang="en", vendors=vs.sheet_result(only_a))).vendor
    assert v.leader == "Example CRM A" and "no rival" in v.summary[1] and v.sensitivity is None


def test_chinese_vendor_section_prints_with_the_embedded_font(example):
    need(find_ttf() is not None, "no Chinese TrueType font (fonts-wqy-microhei) on this machine")
    t, a, r = mini_case()
    d = build_report(t, a, r, ReportOptions(lang="zh", vendors=vs.sheet_result(example), created=CREATED))
    out = render_pdf_info(d)
    assert out.font.embedded
    text = pdf_text(out.pdf)
    v = d.vendor
    assert has_cjk(v.summary[0]) and flat(v.summary[0]) in text
    assert flat("示例系统丙: 不满足必备需求「移动CRM（App/小程序）」") in text
    for name in v.chart_criteria:  # the chart's legend, drawn in the report font
        assert flat(name)[:6] in text
    reader = PdfReader(io.BytesIO(out.pdf))
    faces = {str(f.get_object()["/BaseFont"]) for p in reader.pages for f in p["/Resources"]["/Font"].values()}
    assert faces and all(f"+{out.font.face}" in f for f in faces), faces  # never Helvetica
    assert covers(out.font, "".join(strings(v.model_dump()))) == ""


def test_report_download_uses_the_stored_sheet(app_env):
    at = new_app(lang="en")
    aid = create(at)
    repo = open_repository()
    assert vs.stored_result(repo, aid) is None
    vs.start_sheet(repo, aid, "example")
    assert vs.stored_result(repo, aid).leader == "crm_a"
    page(at, "results")  # the results page (with the report's download) still renders
