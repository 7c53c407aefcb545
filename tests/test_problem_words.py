"""Every reader's refusal is located and worded in the reader's language: backups, vendor sheet files
and the action plan of an answers file. Each problem names its file (and line and field where the file
has them) in both languages; the Chinese wording holds no English sentence and the English none in
Chinese; no traceback or internal error reaches either."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import re
from pathlib import Path

import pytest
from test_faults import BAD_FOLDERS, MINI, _workshop

import cli
import storage
from checklists import INTERNAL_ERROR, LocatedError, Problem
from scoring import Answer
from storage.backup import MANIFEST, BackupError, export_all, import_all, read_backup

# what a problem may quote from the file or name as code: quoted values, ids in brackets, lists, keys
_QUOTED = re.compile(r"“[^”]*”|‘[^’]*’|'[^']*'|\"[^\"]*\"|\[[^\]]*\]|\{[^}]*\}|\([^)]*\)|（实际为[^）]*）")
_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def english_sentence(zh: str) -> list[str]:
    """Runs of two or more English words in a Chinese text, once quoted values and names are left out."""
    return re.findall(r"[A-Za-z]{2,}(?:[ ,;:]+[A-Za-z]{2,})+", _QUOTED.sub("", zh))


def assert_worded(p: Problem) -> None:
    """One problem: a file, a Chinese and an English wording, neither in the other's language."""
    assert p.file, p
    assert p.zh and _CJK.search(p.zh) and not english_sentence(p.zh), p.zh
    assert "(column" not in p.located("zh") and "(empty)" not in p.located("zh"), p  # the place, in Chinese too
    assert p.message and not _CJK.search(_QUOTED.sub("", p.message)), p.message
    for text in (p.zh, p.message):
        assert "Traceback" not in text and INTERNAL_ERROR not in text and "Error:" not in text, text


def assert_refusal(e: LocatedError) -> None:
    assert e.located
    for p in e.located:
        assert_worded(p)
    assert e.texts("zh") != e.texts("en")
    assert str(e) == "\n".join(e.texts("en"))


# -- backups --------------------------------------------------------------------------------


def _small_backup(tmp_path: Path) -> Path:
    repo = storage.open_repository(f"sqlite:///{tmp_path / 'source.db'}")
    aid = repo.create_assessment(MINI, "示例制造", "CRM 2027", "zh", "Fiona")
    rid = repo.join(aid, "Anna", "sales")
    repo.save_answer(aid, rid, "strategy.goals.defined", Answer(value="yes"))
    export_all(repo, tmp_path / "backup")
    return tmp_path / "backup"


def _rewrite(folder: Path, edit) -> tuple[Path, str]:
    """Edit the one assessment file (written one key a line), keep its checksum good; its text."""
    path = next((folder / "assessments").iterdir())
    doc = json.loads(path.read_text(encoding="utf-8"))
    edit(doc)
    text = json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True)
    path.write_text(text, encoding="utf-8")
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    manifest["assessments"][0]["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    (folder / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    return path, text


def test_a_bad_row_of_a_backup_names_its_file_line_and_field_in_both_languages(tmp_path: Path):
    folder = _small_backup(tmp_path)
    path, text = _rewrite(folder, lambda d: d["respondents"][0].update(created_at="2027-01-01T10:00:00"))
    (line,) = [n for n, row in enumerate(text.splitlines(), 1) if '"created_at": "2027-01-01T10:00:00"' in row]
    with pytest.raises(BackupError) as caught:
        read_backup(folder)
    (p,) = caught.value.located
    assert (p.file, p.line, p.field) == (f"assessments/{path.name}", line, "respondents.0.created_at")
    assert p.zh == "时间必须带时区（实际为 '2027-01-01T10:00:00'）"
    assert p.located("zh") == f"assessments/{path.name}:{line} [respondents.0.created_at]：{p.zh}"
    assert "timezone" in p.message and "时区" not in p.message
    assert_refusal(caught.value)


def test_a_manifest_that_is_not_json_names_its_line(tmp_path: Path):
    folder = _small_backup(tmp_path)
    (folder / MANIFEST).write_text('{"format": "readiness-backup",\n "counts": }', encoding="utf-8")
    with pytest.raises(BackupError) as caught:
        read_backup(folder)
    first, second = caught.value.located
    assert first.file == str(folder) and "没有可读的 manifest.json" in first.zh
    assert (second.file, second.line, second.zh) == (MANIFEST, 2, "不是有效的 JSON（第 2 行第 12 列）")
    assert second.message.startswith("not valid JSON (Expecting value")
    assert_refusal(caught.value)


@pytest.mark.parametrize("case", list(BAD_FOLDERS))
def test_every_bad_backup_is_refused_in_both_languages(case: str, tmp_path: Path):
    source = storage.open_repository(f"sqlite:///{tmp_path / 'source.db'}")
    _workshop(source)
    export_all(source, tmp_path / "backup")
    spoil, english = BAD_FOLDERS[case]
    spoil(tmp_path / "backup")
    with pytest.raises(BackupError) as caught:
        read_backup(tmp_path / "backup")
    assert english in str(caught.value)
    assert not any(english in p.text("zh") for p in caught.value.located)  # no English reason in the zh slot
    assert_refusal(caught.value)


def test_an_import_into_a_database_holding_the_ids_is_refused_in_both_languages(tmp_path: Path):
    folder = _small_backup(tmp_path)
    source = storage.open_repository(f"sqlite:///{tmp_path / 'source.db'}")
    with pytest.raises(BackupError) as caught:
        import_all(source, folder)
    assert caught.value.texts("zh")[0].startswith(f"{folder}：数据库中已有评估 [")
    assert "already holds assessments" in caught.value.problems[0]
    assert_refusal(caught.value)
    with pytest.raises(BackupError) as caught:
        export_all(source, folder)  # not an empty folder
    assert caught.value.texts("zh") == [f"{folder}：不是空文件夹；请导出到新的或空的文件夹，以免混入其他备份的文件"]
    assert_refusal(caught.value)


def _cli(*args: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = cli.main(list(args))
    return code, err.getvalue()


def test_the_command_line_words_a_backup_refusal_in_the_chosen_language(tmp_path: Path, monkeypatch):
    folder = _small_backup(tmp_path)
    (folder / MANIFEST).unlink()
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("READINESS_DB_PATH", str(tmp_path / "target.db"))
    code, zh = _cli("import-all", str(folder), "--lang", "zh")
    assert code == 2 and "没有可读的 manifest.json" in zh and "did not finish" not in zh and "Traceback" not in zh
    code, en = _cli("import-all", str(folder))
    assert code == 2 and "did not finish" in en and "没有" not in en


def test_the_line_of_a_field_in_a_json_file():
    from storage.backup import _json_line

    text = '{\n "a": 1,\n "rows": [\n  {"x": 1},\n  {\n   "x": "y, z",\n   "when": null\n  }\n ]\n}\n'
    assert _json_line(text, ("rows", 1, "when")) == 7
    assert _json_line(text, ("rows", 1, "x")) == 6
    assert _json_line(text, ("rows", 0, "x")) == 4
    assert _json_line(text, ("rows", 5, "x")) == 3  # no such row: the list's own line, never another row's
    assert _json_line(text, ("nope",)) == 1
    assert _json_line('{"a": [1, 2, {"b": 3}]}', ("a", 2, "b")) == 1


def test_a_chinese_text_with_an_english_sentence_is_caught():
    assert english_sentence("不是有效的 JSON，the file is damaged") == ["the file is damaged"]
    assert english_sentence("模板“sales funnel”中没有 [answers.x] 检查项") == []


# -- vendor sheet files ---------------------------------------------------------------------

SHEETS = Path(__file__).parent / "data" / "vendors"
HEADER = "section,evaluator,vendor,id,year,value,note,name_zh,name_en\n"
GOOD = (SHEETS / "errors" / "unknown_vendor.csv").read_text(encoding="utf-8").rsplit("\n", 2)[0] + "\n"


@pytest.mark.parametrize("name", sorted(p.name for p in (SHEETS / "errors").glob("*.csv")))
def test_every_bad_sheet_file_is_refused_in_both_languages(name: str):
    from sheets import read_sheet
    from vendors import VendorSheetError

    path = SHEETS / "errors" / name
    with pytest.raises(VendorSheetError) as caught:
        read_sheet(path)
    (p,) = caught.value.located
    assert p.file == str(path) and p.line
    assert_refusal(caught.value)


# each: the rows after the good ones, the row and column named, the exact Chinese wording
BAD_ROWS = [
    ("criterion_score,张伟,a,quality,,9,,,\n", 6, "value (column F)",
     "评分必须是 1 到 5 的整数（实际为 9）"),
    ("cost,,a,licence,x,5,,,\n", 6, "year (column E)", "“x”不是整数（第 1、2、3……年）"),
    ("cost,,a,lunch,1,5,,,\n", 6, "id (column D)",
     "未知的成本项“lunch”（可用：licence、implementation、training、customisation、operations）"),
    ("criterion_score,张伟,a,quality,,,note only,,\n", 6, "value (column F)",
     "有备注就需要取值；两者都留空表示“尚未评分”"),
    ("vendor,,a,,,,,again,\n", 6, "vendor (column C)", "供应商“a”出现了两次（第一次在第 5 行）"),
    ("criterion_score,张伟,zz,quality,,4,,,\n", 6, "vendor (column C)", "未知的供应商“zz”（已声明：a）"),
    ("vendor,,Bad Id,,,,,x,\n", 6, "vendor (column C)", "“Bad Id”不是有效的 id（小写字母、数字和 _，以字母开头）"),
    ("colour,,a,,,,,,\n", 6, "section (column A)",
     "未知的类别“colour”（可用：meta、setting、requirement、criterion、vendor、vendor_profile、"
     "requirement_score、criterion_score、cost、roi）"),
]


@pytest.mark.parametrize("rows, line, field, zh", BAD_ROWS, ids=[r[0].split(",")[0] + f"-{i}"
                                                                   for i, r in enumerate(BAD_ROWS)])
def test_a_bad_row_names_its_row_and_column_in_both_languages(rows: str, line: int, field: str, zh: str):
    from sheets import sheet_from_csv
    from vendors import VendorSheetError

    with pytest.raises(VendorSheetError) as caught:
        sheet_from_csv(GOOD + rows, "upload.csv")
    (p,) = caught.value.located
    assert (p.file, p.line, p.field, p.zh) == ("upload.csv", line, field, zh)
    column, letter = field.removesuffix(")").split(" (column ")
    assert p.located("zh") == f"upload.csv:{line} [{column}（{letter} 列）]：{zh}"  # the column named in Chinese
    assert p.located("en") == f"upload.csv:{line} [{field}]: {p.message}"
    assert_refusal(caught.value)


def test_files_refused_whole_say_why_in_both_languages(tmp_path: Path):
    from sheets import read_sheet, sheet_from_bytes, sheet_from_csv
    from vendors import VendorSheetError

    gbk = (HEADER + "vendor,,a,,,,,示例甲,A\n").encode("gb18030")
    cases = {
        "gbk.csv": (lambda: sheet_from_bytes(gbk, "gbk.csv"), "在 Excel 中保存时请选择“CSV UTF-8”"),
        "old.xls": (lambda: sheet_from_bytes(b"x", "old.xls"), "不支持的文件类型“.xls”（请把 .xls 工作簿另存为 .xlsx）"),
        "renamed.xlsx": (lambda: sheet_from_bytes(GOOD.encode(), "renamed.xlsx"), "不是 XLSX 工作簿"),
        "long.csv": (lambda: sheet_from_csv(HEADER + "vendor,," + "a" * 200_000 + "\n", "long.csv"), "无法读取的 CSV"),
        "empty.csv": (lambda: sheet_from_csv("", "empty.csv"), "文件是空的；需要一行表头"),
        "nowhere.yaml": (lambda: read_sheet(tmp_path / "nowhere.yaml"), "无法读取该文件（错误号 2）"),
        "list.yaml": (lambda: sheet_from_bytes(b"- 1\n- 2\n", "list.yaml"), "供应商对比表必须是键的映射"),
    }
    for name, (read, zh) in cases.items():
        with pytest.raises(VendorSheetError) as caught:
            read()
        assert any(zh in t for t in caught.value.texts("zh")), (name, caught.value.texts("zh"))
        assert name in caught.value.located[0].file
        assert_refusal(caught.value)


def test_an_upload_refused_by_the_vendor_service_is_worded_in_the_page_language(tmp_path: Path):
    from services import vendor_sheet as vs

    repo = storage.open_repository(f"sqlite:///{tmp_path / 'v.db'}")
    aid = repo.create_assessment(MINI, "示例制造", "CRM 2027", "zh", "Fiona")
    with pytest.raises(vs.SheetRefused) as caught:
        vs.import_sheet(repo, aid, "upload.csv", (GOOD + "criterion_score,张伟,zz,quality,,4,,,\n").encode())
    assert caught.value.texts("zh") == ["upload.csv:6 [vendor（C 列）]：未知的供应商“zz”（已声明：a）"]
    assert caught.value.texts("en") == caught.value.problems == [
        "upload.csv:6 [vendor (column C)]: unknown vendor 'zz' (declared: a)"]
    assert repo.load_vendor_sheet(aid) is None  # nothing stored


# -- the action plan of an answers file -----------------------------------------------------

# each: an action entry, its field, the exact Chinese wording (the English one is in test_plan_files.py)
BAD_ACTIONS = [
    ("{item: nope.x.y, owner: a}", "actions[0].item", "未知的检查项 id“nope.x.y”"),
    ("{item: team.roles.sponsor, due: next week}", "actions[0].due", "截止日期 'next week' 不是日期（YYYY-MM-DD）"),
    ("{item: team.roles.sponsor, status: later}", "actions[0].status",
     "状态 'later' 不是 open、in_progress、done 之一"),
    ("{item: team.roles.sponsor, effort: XL}", "actions[0].effort", "工作量 'XL' 不是 S、M、L 之一"),
    ("{item: team.roles.sponsor, when: soon}", "actions[0]",
     "未知的键 when；允许的键：item、owner、due、expect、status、effort、note"),
    ("{item: team.roles.sponsor, owner: [a]}", "actions[0].owner", "“owner”必须是文本"),
    ("{item: team.roles.sponsor, note: 3}", "actions[0].note", "“note”必须是文本"),
    ("{item: team.roles.sponsor, expect: na}", "actions[0].expect", "行动不能预期“不适用”"),
    ("{item: 3}", "actions[0].item", "“item”必须是一个检查项 id 或检查项 id 的列表"),
    ("just words", "actions[0]", "每个行动必须是映射，至少包含“item”"),
]


def _plan_file(entry: str) -> str:
    return f"template: mini\nanswers: {{}}\nactions:\n  - {entry}\n"


@pytest.mark.parametrize("entry, field, zh", BAD_ACTIONS, ids=[a[1] + f"-{i}" for i, a in enumerate(BAD_ACTIONS)])
def test_a_bad_action_is_worded_in_chinese(entry: str, field: str, zh: str):
    from scoring import AnswersError, load_assessment_text

    with pytest.raises(AnswersError) as caught:
        load_assessment_text(_plan_file(entry), "plan.yaml", {"mini": MINI})
    (p,) = caught.value.located
    assert (p.file, p.line, p.field, p.zh) == ("plan.yaml", 4, field, zh)
    assert p.zh != p.message  # must NOT: the English wording in the Chinese slot
    assert_refusal(caught.value)


def test_an_expected_answer_the_item_refuses_is_worded_in_chinese():
    from scoring import AnswersError, load_assessment_text

    with pytest.raises(AnswersError) as caught:
        load_assessment_text(_plan_file("{item: team.roles.sponsor, expect: maybe}"), "plan.yaml", {"mini": MINI})
    (p,) = caught.value.located
    assert p.field == "actions[0].expect" and p.zh.startswith("“team.roles.sponsor”：") and "maybe" in p.zh
    assert "'maybe' is not allowed" in p.message and "is not allowed" not in p.zh
    assert_refusal(caught.value)
    with pytest.raises(AnswersError) as caught:  # not a list at all
        load_assessment_text("template: mini\nactions: soon\n", "plan.yaml", {"mini": MINI})
    assert caught.value.located[0].zh == "“actions”必须是由 {item, owner, due, expect, status} 组成的列表"


def test_an_edit_refused_cell_by_cell_lists_every_cell_in_both_languages():
    from vendors import CommandRefused, EditCosts, EditCriteria, ScoreCriteria

    with pytest.raises(CommandRefused) as caught:
        EditCosts.from_cells({"a:1": {"licence": "12k", "training": "1,200"}, "a:2": {"operations": "lots"}})
    assert caught.value.texts("zh") == ["costs.a.year 1.licence：“12k”不是数", "costs.a.year 2.operations：“lots”不是数"]
    assert caught.value.texts("en") == ["costs.a.year 1.licence: '12k' is not a number",
                                        "costs.a.year 2.operations: 'lots' is not a number"]
    with pytest.raises(CommandRefused) as caught:
        EditCriteria.from_cells({"quality": {"weight": ""}, "price": {"weight": "x"}})
    assert caught.value.texts("zh") == ["criteria.quality.weight：需要权重（0 表示不计入此标准）",
                                        "criteria.price.weight：“x”不是数"]
    with pytest.raises(CommandRefused) as caught:
        ScoreCriteria.from_cells(" ", "a", {"quality": {"score": 3}})
    assert caught.value.texts("zh") == ["请先以你的名字加入评估，再为供应商评分"]
    # must NOT: good cells refused, or a refusal for a blank amount (it is 0)
    ok = EditCosts.from_cells({"a:1": {"licence": "1,200", "training": ""}})
    assert ok.edits[0].amounts == {"licence": 1200.0, "training": 0.0}


def test_every_reader_refuses_with_the_one_located_error_shape():
    from checklists import TemplateError, YamlProblems
    from scoring import AnswersError
    from services import ImportRefused
    from services.vendor_sheet import SheetRefused
    from vendors import CommandRefused, VendorContentError, VendorSheetError

    for cls in (TemplateError, YamlProblems, AnswersError, ImportRefused, SheetRefused, CommandRefused,
                VendorContentError, VendorSheetError, BackupError):
        assert issubclass(cls, LocatedError), cls
        p = Problem("f.yaml", 3, "x", "bad", "不对")
        e = cls([p])
        assert e.located == [p] and e.texts("zh") != e.texts("en"), cls
    assert issubclass(BackupError, storage.StorageError)  # must NOT: the doors' storage handling lose it


def test_the_vendor_page_shows_a_refused_upload_in_chinese(app_env):
    from support import create, new_app, ok
    from test_app import page

    from services import vendor_sheet as vs
    from storage import open_repository

    at = new_app(lang="zh")
    aid = create(at)
    page(at, "vendors")
    at.button(key="vendor_start_example").click().run()
    before = vs.load_sheet(open_repository(), aid)
    csv = vs.export_sheet(before, "csv")[0].decode("utf-8-sig")
    bad = csv.replace("criterion_score,it_lead,crm_a,", "criterion_score,it_lead,crm_zz,", 1)
    at.file_uploader(key="vendor_upload").set_value(("bad.csv", bad.encode("utf-8"), "text/csv"))
    ok(at.run())
    at.button(key="vendor_import_button").click().run()
    ok(at)
    shown = [e.value for e in at.error if "bad.csv" in e.value]
    assert shown and "未知的供应商“crm_zz”" in shown[0], [e.value for e in at.error]
    assert "unknown vendor" not in shown[0] and "declared" not in shown[0]  # must NOT: English in the zh page
    assert vs.load_sheet(open_repository(), aid) == before


def test_a_list_where_a_vendor_number_belongs_is_worded_without_quoting_it():
    from sheets import sheet_from_yaml
    from vendors import VendorSheetError

    text = "criteria:\n  - {id: quality, weight: [1, 2]}\nvendors:\n  - {id: a, name: A}\n"
    with pytest.raises(VendorSheetError) as caught:
        sheet_from_yaml(text, "v.yaml")
    (p,) = [p for p in caught.value.located if p.field == "criteria[0].weight"]
    assert (p.line, p.zh, p.message) == (2, "应为数", "expected a number")
    assert_refusal(caught.value)


def test_vendor_edits_refused_by_the_service_are_worded_in_chinese(tmp_path: Path):
    from services import vendor_sheet as vs

    repo = storage.open_repository(f"sqlite:///{tmp_path / 'v.db'}")
    aid = repo.create_assessment(MINI, "Acme", "CRM", "en", "Fiona")
    example = vs.start_sheet(repo, aid, "example", who="Fiona")
    rows = [r for r in vs.vendor_rows(example) if r["id"] != "crm_b"]
    vs.edit_sheet(repo, aid, lambda s: vs.apply_vendor_table(s, rows), who="Fiona")
    with pytest.raises(vs.SheetRefused) as caught:  # the vendor was removed meanwhile
        vs.save_criterion_scores(repo, aid, "Ann", "crm_b", {"cost": {"score": 4}})
    assert caught.value.texts("zh") == ["评分未保存：这个供应商或它的评分项已不在对比表中（可能刚被他人删除）"]
    assert "unknown vendor" in caught.value.texts("en")[0]
    with pytest.raises(vs.SheetRefused) as caught:
        vs.save_criterion_scores(repo, aid, "Ann", "crm_a", {"cost": {"score": 7}})
    assert caught.value.texts("zh") == ["evaluations.Ann.crm_a.criteria.cost.score：评分必须是 1 到 5 的整数（实际为 7）"]
    for p in caught.value.located:
        assert p.zh and not english_sentence(p.zh)


def test_the_command_line_reports_a_backup_in_the_chosen_language(tmp_path: Path, monkeypatch):
    from storage.backup import TABLES

    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("READINESS_DB_PATH", str(tmp_path / "source.db"))
    repo = storage.open_repository()
    aid = repo.create_assessment(MINI, "示例制造", "CRM 2027", "zh", "Fiona")
    repo.join(aid, "Anna", "sales")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli.main(["export-all", str(tmp_path / "zh"), "--lang", "zh"]) == 0
    line = out.getvalue().strip()
    assert line.startswith("已导出 1 项评估（受访者 1，答案 0，") and line.endswith(f"），位于 {tmp_path / 'zh'}")
    words = line.split("（", 1)[1].rsplit("）", 1)[0]
    assert len(words.split("，")) == len(TABLES) and not re.search(r"[A-Za-z]", words)  # must NOT: table names
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli.main(["export-all", str(tmp_path / "en")]) == 0
    assert out.getvalue().startswith("exported 1 assessments (1 respondents, 0 answers, ")


def test_the_command_line_words_an_answers_file_problem_in_the_chosen_language(tmp_path: Path, monkeypatch):
    import shutil

    custom = tmp_path / "custom"
    custom.mkdir()
    shutil.copy(Path(__file__).parent / "data" / "mini.yaml", custom / "mini.yaml")
    monkeypatch.setenv("READINESS_TEMPLATES_DIR", str(custom))
    path = tmp_path / "plan.yaml"
    path.write_text(_plan_file("{item: team.roles.sponsor, due: next week}"), encoding="utf-8")
    code, zh = _cli("score", str(path), "--lang", "zh")
    assert code == 2 and f"{path}:4 [actions[0].due]：截止日期 'next week' 不是日期（YYYY-MM-DD）" in zh
    assert "is not a date" not in zh and "Traceback" not in zh
    code, en = _cli("score", str(path))
    assert code == 2 and f"{path}:4 [actions[0].due]: due 'next week' is not a date (YYYY-MM-DD)" in en
    assert "日期" not in en
