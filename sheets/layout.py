"""The vendor sheet as one tidy table, shared by CSV and XLSX, and as a YAML document.

Layout: one header row, then one row per fact. Columns (order free; the first six are required,
`note`, `name_zh`, `name_en` optional):

    section    evaluator   vendor   id                    year  value        note  name_zh  name_en
    meta                            title|organisation|project|currency  <text>
    setting                         partly_on_must_disqualifies|years|discount_rate|requirement_consolidation
    requirement                     <requirement id>            must|nice|not_needed  ✓   ✓  ✓
    criterion                       <criterion id>              <weight>              ✓   ✓  ✓
    vendor                 <id>                                                      ✓   ✓  ✓
    vendor_profile         <id>    target_size|strengths|typical_features|pricing_model
                                                                <text>; pricing: free|per_user|per_module|quote
    requirement_score  <who>  <vendor>  <requirement id>        meets|partly|does_not|unknown  ✓
    criterion_score    <who>  <vendor>  <criterion id>          1-5                   ✓
    cost                   <vendor>  licence|implementation|training|customisation|operations
                                                           <year> <amount>
    roi                    [<vendor>] gains_per_year|savings_per_year   <amount per year>

So there is one row per evaluator × vendor × requirement, per evaluator × vendor × criterion and per
vendor × year × cost part; pivot it in a spreadsheet to read it as a matrix. A cell a section does not
use must stay empty. Blank rows and rows whose `section` starts with `#` are skipped; a score row with
an empty value means "not scored yet". Amounts may use thousands separators (1,200,000). A name given
in one language only is used for both.

Free-text cells (evaluator, note, names, meta values) follow the one spreadsheet rule of
`scoring.neutralise_formula`: text starting with = + - @, tab, CR or ' is written with a leading ' so a
spreadsheet never runs it as a formula; reading removes one leading ' from those columns only
(`scoring.restore_neutralised`), so the round trip is exact. Ids, enumerated values and numbers are
never guarded nor stripped: ids cannot start with those characters, and numbers stay numbers.
Export → import gives back an identical sheet, in every format.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from checklists import (
    Problem,
    Text,
    format_path,
)
from scoring import neutralise_formula, restore_neutralised
from vendors import (
    COST_PARTS,
    PROFILE_FIELDS,
    ROI_FIELDS,
    VendorSettings,
    VendorSheet,
    VendorSheetError,
    validate_located,
)

COLUMNS: tuple[str, ...] = ("section", "evaluator", "vendor", "id", "year", "value", "note", "name_zh", "name_en")
REQUIRED_COLUMNS: tuple[str, ...] = COLUMNS[:6]
SECTIONS: tuple[str, ...] = ("meta", "setting", "requirement", "criterion", "vendor", "vendor_profile",
                             "requirement_score", "criterion_score", "cost", "roi")
META_KEYS: tuple[str, ...] = ("title", "organisation", "project", "currency")
SETTING_KEYS: tuple[str, ...] = tuple(VendorSettings.model_fields)
ROI_KEYS = ROI_FIELDS
USES: dict[str, set[str]] = {
    "meta": {"id", "value"},
    "setting": {"id", "value"},
    "requirement": {"id", "value", "note", "name_zh", "name_en"},
    "criterion": {"id", "value", "note", "name_zh", "name_en"},
    "vendor": {"vendor", "note", "name_zh", "name_en"},
    "vendor_profile": {"vendor", "id", "value"},
    "requirement_score": {"evaluator", "vendor", "id", "value", "note"},
    "criterion_score": {"evaluator", "vendor", "id", "value", "note"},
    "cost": {"vendor", "year", "id", "value"},
    "roi": {"vendor", "id", "value"},
}
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")

Cell = Any  # str | int | float | None
Row = dict[str, Cell]


def escape_text(s: str) -> str:
    """A free-text cell as written: the one spreadsheet rule (`scoring.neutralise_formula`)."""
    return str(neutralise_formula(s))


def unescape_text(s: str) -> str:
    """A free-text cell as read back from a sheet we wrote (`scoring.restore_neutralised`)."""
    return restore_neutralised(s)


def fmt_number(x: Any) -> str:
    """Canonical text of a cell value: integers without '.0', floats as repr (exact round trip)."""
    if x is None:
        return ""
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, int):
        return str(x)
    if isinstance(x, float):
        return str(int(x)) if x.is_integer() and abs(x) < 1e15 else repr(x)
    return str(x)


def column_letter(i: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


# ── sheet → rows ─────────────────────────────────────────────────────────────────────────────


def _evaluations(sheet: VendorSheet) -> list[tuple[str, str, Any]]:
    """(evaluator, vendor, evaluation) in one canonical order: evaluators by name, vendors as listed,
    so the same sheet always exports the same text whatever order it was read in."""
    return [(who, v.id, sheet.evaluations[who][v.id]) for who in sorted(sheet.evaluations)
            for v in sheet.vendors if v.id in sheet.evaluations[who]]


def sheet_rows(sheet: VendorSheet) -> list[Row]:
    """The tidy rows of a sheet; numbers stay numbers (the XLSX writer keeps them as such)."""
    rows: list[Row] = []

    def add(section: str, **cells: Cell) -> None:
        row: Row = {c: None for c in COLUMNS}
        row["section"] = section
        for k, v in cells.items():
            if v is not None:
                row[k] = v
        rows.append(row)

    _definition_rows(sheet, add)
    _score_rows(sheet, add)
    return rows


def _names(name: Any) -> dict[str, str]:
    return {} if name is None else {"name_zh": escape_text(name.zh), "name_en": escape_text(name.en)}


def _note(n: str | None) -> str | None:
    return None if n is None else escape_text(n)


def _definition_rows(sheet: VendorSheet, add: Callable[..., None]) -> None:
    """Meta, settings, requirements, criteria, vendors and their profiles."""
    names, note = _names, _note
    for k in META_KEYS:
        v = getattr(sheet, k)
        if v is not None:
            add("meta", id=k, value=escape_text(v))
    for k in SETTING_KEYS:
        v = getattr(sheet.settings, k)
        add("setting", id=k, value="true" if v is True else "false" if v is False else v)
    for r in sheet.requirements:
        add("requirement", id=r.id, value=r.tag, note=note(r.note), **names(r.name))
    for c in sheet.criteria:
        add("criterion", id=c.id, value=c.weight, note=note(c.note), **names(c.name))
    for v in sheet.vendors:
        add("vendor", vendor=v.id, note=note(v.note), **names(v.name))
    for v in sheet.vendors:
        for k in PROFILE_FIELDS:
            value = getattr(v, k)
            if value is not None:
                add("vendor_profile", vendor=v.id, id=k, value=value if k == "pricing_model" else escape_text(value))


def _score_rows(sheet: VendorSheet, add: Callable[..., None]) -> None:
    """Requirement and criterion scores, costs and ROI."""
    note = _note
    for who, vid, ev in _evaluations(sheet):
        for rid in (r.id for r in sheet.requirements if r.id in ev.requirements):
            ans = ev.requirements[rid]
            add("requirement_score", evaluator=escape_text(who), vendor=vid, id=rid, value=ans.status,
                note=note(ans.note))
    for who, vid, ev in _evaluations(sheet):
        for cid in (c.id for c in sheet.criteria if c.id in ev.criteria):
            sc = ev.criteria[cid]
            add("criterion_score", evaluator=escape_text(who), vendor=vid, id=cid, value=sc.score,
                note=note(sc.note))
    for vid in (v.id for v in sheet.vendors if v.id in sheet.costs):
        for yc in sheet.costs[vid]:
            for part in COST_PARTS:
                add("cost", vendor=vid, year=yc.year, id=part, value=getattr(yc, part))
    for k in ROI_KEYS:
        add("roi", id=k, value=getattr(sheet.roi, k))
    for vid in (v.id for v in sheet.vendors if v.id in sheet.roi.vendors):
        o = sheet.roi.vendors[vid]
        for k in ROI_KEYS:
            if getattr(o, k) is not None:
                add("roi", vendor=vid, id=k, value=getattr(o, k))


# ── rows → sheet ─────────────────────────────────────────────────────────────────────────────


def _number(text: str) -> Any:
    t = text.strip()
    if _THOUSANDS.fullmatch(t):
        t = t.replace(",", "")
    return float(t) if _NUMBER.fullmatch(t) else text


def _whole(text: str) -> Any:
    t = text.strip()
    # ASCII digits, and few enough that int() takes them (Python refuses over 4300 digits)
    if re.fullmatch(r"[+-]?[0-9]{1,30}", t):
        return int(t)
    if _NUMBER.fullmatch(t) and float(t).is_integer():
        return int(float(t))
    return text


def _column_name(column: str, index: int, lang: str) -> str:
    """A column named with its spreadsheet letter, as a problem's field: "vendor (column C)"."""
    if lang == "zh":
        return f"{column or '（空）'}（{column_letter(index)} 列）"
    return f"{column or '(empty)'} (column {column_letter(index)})"


def _unknown_key(what: str, what_zh: str, key: str, allowed: tuple[str, ...]) -> Text:
    return Text(zh=f"未知的{what_zh}“{key}”（可用：{'、'.join(allowed)}）",
                en=f"unknown {what} '{key}' (use one of: {', '.join(allowed)})")


class _Builder:
    """Collects rows into a sheet document, remembering where each field came from."""

    def __init__(self, file: str, header: list[str]):
        self.file = file
        self.header = header
        self.problems: list[Problem] = []
        self.where: dict[tuple[Any, ...], tuple[int, str]] = {}
        self.data: dict[str, Any] = {"requirements": [], "criteria": [], "vendors": [], "evaluations": {},
                                     "costs": {}}
        self.settings: dict[str, Any] = {}
        self.roi: dict[str, Any] = {}
        self.seen: dict[tuple[Any, ...], int] = {}
        self.costs: dict[str, dict[int, dict[str, tuple[Any, int]]]] = {}
        self.profiles: dict[str, dict[str, tuple[Any, int]]] = {}

    def field(self, column: str, lang: str = "en") -> str:
        if column in self.header:
            return _column_name(column, self.header.index(column), lang)
        return column

    def problem(self, line: int | None, column: str, message: Text) -> None:
        self.problems.append(Problem.of(self.file, line, self.field(column) if column else "", message,
                                        self.field(column, "zh") if column else None))

    def locate(self, path: tuple[Any, ...], message: Text | str) -> Problem:
        for n in range(len(path), 0, -1):
            hit = self.where.get(path[:n])
            if hit:
                line, column = hit
                return Problem.of(self.file, line, self.field(column), message, self.field(column, "zh"))
        return Problem.of(self.file, None, format_path(path), message)

    def mark(self, path: tuple[Any, ...], line: int, column: str) -> None:
        self.where.setdefault(path, (line, column))

    def once(self, key: tuple[Any, ...], line: int, column: str, what: Text) -> bool:
        first = self.seen.get(key)
        if first is not None:
            self.problem(line, column, Text(zh=f"{what.zh}出现了两次（第一次在第 {first} 行）",
                                            en=f"{what.en} is given twice (first on row {first})"))
            return False
        self.seen[key] = line
        return True

    def name(self, row: dict[str, str], path: tuple[Any, ...], line: int) -> dict[str, Any]:
        zh, en = unescape_text(row.get("name_zh", "")), unescape_text(row.get("name_en", ""))
        if not zh and not en:
            return {}
        self.mark(path + ("name",), line, "name_zh" if zh else "name_en")
        self.mark(path + ("name", "zh"), line, "name_zh")
        self.mark(path + ("name", "en"), line, "name_en")
        return {"name": {"zh": zh or en, "en": en or zh}}

    def note(self, row: dict[str, str], path: tuple[Any, ...], line: int) -> dict[str, Any]:
        n = row.get("note", "")
        if not n:
            return {}
        self.mark(path + ("note",), line, "note")
        return {"note": unescape_text(n)}

    def add(self, line: int, row: dict[str, str]) -> None:
        sec = row["section"]
        if sec not in SECTIONS:
            self.problem(line, "section", _unknown_key("section", "类别", sec, SECTIONS))
            return
        for col in self.header:
            if col != "section" and col not in USES[sec] and row.get(col, "").strip():
                self.problem(line, col, Text(zh=f"“{sec}”行不使用“{col}”列；请留空",
                                             en=f"column '{col}' is not used in '{sec}' rows; leave it empty"))
        getattr(self, "_" + sec)(line, row)

    def _need(self, line: int, row: dict[str, str], *cols: str) -> bool:
        ok = True
        for c in cols:
            if not row.get(c):
                self.problem(line, c, Text(zh=f"“{c}”为空；“{row['section']}”行需要它",
                                           en=f"'{c}' is empty; a '{row['section']}' row needs it"))
                ok = False
        return ok

    def _meta(self, line: int, row: dict[str, str]) -> None:
        key = row["id"]
        if key not in META_KEYS:
            self.problem(line, "id", _unknown_key("meta key", "基本信息键", key, META_KEYS))
        elif self.once(("meta", key), line, "id", Text(zh=f"基本信息“{key}”", en=f"meta '{key}'")):
            self.data[key] = unescape_text(row["value_raw"]) or None
            self.mark((key,), line, "value")

    def _setting(self, line: int, row: dict[str, str]) -> None:
        key = row["id"]
        if key not in SETTING_KEYS:
            self.problem(line, "id", _unknown_key("setting", "设置", key, SETTING_KEYS))
        elif self.once(("setting", key), line, "id", Text(zh=f"设置“{key}”", en=f"setting '{key}'")):
            v = row["value"]
            if key == "discount_rate":
                self.settings[key] = None if v == "" else _number(v)
            elif key == "years":
                self.settings[key] = _whole(v)
            elif v != "":
                self.settings[key] = v
            self.mark(("settings", key), line, "value")

    def _requirement(self, line: int, row: dict[str, str]) -> None:
        if not self._need(line, row, "id") or not self.once(
                ("requirement", row["id"]), line, "id", Text(zh=f"需求“{row['id']}”", en=f"requirement '{row['id']}'")):
            return
        path = ("requirements", len(self.data["requirements"]))
        self.mark(path, line, "id")
        self.mark(path + ("id",), line, "id")
        self.mark(path + ("tag",), line, "value")
        self.data["requirements"].append({"id": row["id"], "tag": row["value"], **self.name(row, path, line),
                                          **self.note(row, path, line)})

    def _criterion(self, line: int, row: dict[str, str]) -> None:
        if not self._need(line, row, "id", "value") or not self.once(
                ("criterion", row["id"]), line, "id", Text(zh=f"标准“{row['id']}”", en=f"criterion '{row['id']}'")):
            return
        path = ("criteria", len(self.data["criteria"]))
        self.mark(path, line, "id")
        self.mark(path + ("id",), line, "id")
        self.mark(path + ("weight",), line, "value")
        self.data["criteria"].append({"id": row["id"], "weight": _number(row["value"]),
                                      **self.name(row, path, line), **self.note(row, path, line)})

    def _vendor(self, line: int, row: dict[str, str]) -> None:
        if not self._need(line, row, "vendor") or not self.once(
                ("vendor", row["vendor"]), line, "vendor",
                Text(zh=f"供应商“{row['vendor']}”", en=f"vendor '{row['vendor']}'")):
            return
        path = ("vendors", len(self.data["vendors"]))
        self.mark(path, line, "vendor")
        self.mark(path + ("id",), line, "vendor")
        self.mark(path + ("name",), line, "name_zh")
        self.data["vendors"].append({"id": row["vendor"], **self.name(row, path, line), **self.note(row, path, line)})

    def _vendor_profile(self, line: int, row: dict[str, str]) -> None:
        if not self._need(line, row, "vendor", "id"):
            return
        key, vid = row["id"], row["vendor"]
        if key not in PROFILE_FIELDS:
            self.problem(line, "id", _unknown_key("vendor profile field", "供应商概况字段", key, PROFILE_FIELDS))
            return
        if not self.once(("vendor_profile", vid, key), line, "id",
                         Text(zh=f"供应商“{vid}”的“{key}”", en=f"'{key}' of vendor '{vid}'")):
            return
        value = row["value"] if key == "pricing_model" else unescape_text(row["value_raw"])
        self.profiles.setdefault(vid, {})[key] = (value or None, line)

    def _score(self, line: int, row: dict[str, str], kind: str) -> None:
        if not self._need(line, row, "evaluator", "vendor", "id"):
            return
        who, vid, item = row["evaluator"], row["vendor"], row["id"]
        if not self.once((kind, who, vid, item), line, "id",
                         Text(zh=f"“{who}”对“{vid}”在“{item}”上的评分",
                              en=f"the score of '{who}' for '{vid}' on '{item}'")):
            return
        if row["value"] == "":
            if row.get("note"):
                self.problem(line, "value", Text(zh="有备注就需要取值；两者都留空表示“尚未评分”",
                                                 en="a note needs a value; leave both empty for 'not scored yet'"))
            return
        evs = self.data["evaluations"]
        self.mark(("evaluations", who), line, "evaluator")
        self.mark(("evaluations", who, vid), line, "vendor")
        ev = evs.setdefault(who, {}).setdefault(vid, {})
        group = "requirements" if kind == "requirement_score" else "criteria"
        path = ("evaluations", who, vid, group, item)
        self.mark(path, line, "id")
        if group == "requirements":
            self.mark(path + ("status",), line, "value")
            entry = {"status": row["value"]}
        else:
            self.mark(path + ("score",), line, "value")
            entry = {"score": _whole(row["value"])}
        ev.setdefault(group, {})[item] = {**entry, **self.note(row, path, line)}

    def _requirement_score(self, line: int, row: dict[str, str]) -> None:
        self._score(line, row, "requirement_score")

    def _criterion_score(self, line: int, row: dict[str, str]) -> None:
        self._score(line, row, "criterion_score")

    def _cost(self, line: int, row: dict[str, str]) -> None:
        if not self._need(line, row, "vendor", "year", "id"):
            return
        part = row["id"]
        if part not in COST_PARTS:
            self.problem(line, "id", _unknown_key("cost part", "成本项", part, COST_PARTS))
            return
        year = _whole(row["year"])
        if not isinstance(year, int):
            self.problem(line, "year", Text(zh=f"“{row['year']}”不是整数（第 1、2、3……年）",
                                            en=f"'{row['year']}' is not a whole number (year 1, 2, 3…)"))
            return
        if not self.once(("cost", row["vendor"], year, part), line, "id",
                         Text(zh=f"“{row['vendor']}”第 {year} 年的成本“{part}”",
                              en=f"cost '{part}' of '{row['vendor']}' in year {year}")):
            return
        if row["value"] == "":
            return
        self.costs.setdefault(row["vendor"], {}).setdefault(year, {})[part] = (_number(row["value"]), line)

    def _roi(self, line: int, row: dict[str, str]) -> None:
        key, vid = row["id"], row["vendor"]
        if key not in ROI_KEYS:
            self.problem(line, "id", _unknown_key("ROI input", "投资回报输入", key, ROI_KEYS))
            return
        if not self.once(("roi", vid, key), line, "id",
                         Text(zh=(f"供应商“{vid}”的" if vid else "") + f"投资回报输入“{key}”",
                              en=f"ROI input '{key}'" + (f" of '{vid}'" if vid else ""))):
            return
        if vid:
            self.mark(("roi", "vendors", vid), line, "vendor")
            self.mark(("roi", "vendors", vid, key), line, "value")
            self.roi.setdefault("vendors", {}).setdefault(vid, {})[key] = _number(row["value"])
        else:
            self.mark(("roi", key), line, "value")
            self.roi[key] = _number(row["value"])

    def _profiles_into_vendors(self) -> None:
        at = {v["id"]: i for i, v in enumerate(self.data["vendors"])}
        for vid, fields in self.profiles.items():
            if vid not in at:
                for _value, line in fields.values():
                    self.problem(line, "vendor", Text(zh=f"未知的供应商“{vid}”（请先在“vendor”行中声明）",
                                                      en=f"unknown vendor '{vid}' (declare it in a 'vendor' row)"))
                continue
            for key, (value, line) in fields.items():
                self.mark(("vendors", at[vid], key), line, "value")
                self.data["vendors"][at[vid]][key] = value

    def document(self) -> dict[str, Any]:
        self._profiles_into_vendors()
        for vid, years in self.costs.items():
            lines = []
            for i, year in enumerate(sorted(years)):
                parts = years[year]
                first = min(line for _v, line in parts.values())
                self.mark(("costs", vid), first, "vendor")
                self.mark(("costs", vid, i), first, "year")
                self.mark(("costs", vid, i, "year"), first, "year")
                for part, (_v, line) in parts.items():
                    self.mark(("costs", vid, i, part), line, "value")
                lines.append({"year": year, **{p: v for p, (v, _line) in parts.items()}})
            self.data["costs"][vid] = lines
        if self.settings:
            self.data["settings"] = self.settings
        if self.roi:
            self.data["roi"] = self.roi
        return self.data


def rows_to_sheet(rows: Iterable[tuple[int, list[str]]], file: str) -> VendorSheet:
    """Text rows (line number, cells), the first being the header → a validated sheet, or
    `VendorSheetError` listing every problem with its row and column."""
    it = iter(rows)
    first = next(it, None)
    if first is None:
        raise VendorSheetError([Problem(file, None, "", "the file is empty; it needs a header row",
                                        "文件是空的；需要一行表头")])
    hline, raw_header = first
    header = [h.strip().lower() for h in raw_header]
    problems: list[Problem] = []
    for i, h in enumerate(header):
        where, where_zh = _column_name(h, i, "en"), _column_name(h, i, "zh")
        if h and h not in COLUMNS:
            problems.append(Problem(file, hline, where, f"unknown column '{h}' (columns: {', '.join(COLUMNS)})",
                                    f"未知的列“{h}”（可用的列：{'、'.join(COLUMNS)}）", where_zh))
        elif h and header.index(h) != i:
            problems.append(Problem(file, hline, where, f"column '{h}' appears twice", f"列“{h}”出现了两次",
                                    where_zh))
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    for c in missing:
        problems.append(Problem(file, hline, c, f"missing column '{c}' (required: {', '.join(REQUIRED_COLUMNS)})",
                                f"缺少列“{c}”（必需的列：{'、'.join(REQUIRED_COLUMNS)}）"))
    if missing:
        raise VendorSheetError(problems)
    b = _Builder(file, header)
    b.problems.extend(problems)
    for line, cells in it:
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
            b.problem(line, "", Text(zh=f"这一行有 {len(cells)} 个单元格，但表头只有 {len(header)} 列",
                                     en=f"row has {len(cells)} cells but the header has {len(header)} columns"))
            continue
        row = {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header) if h}
        if not any(v.strip() for v in row.values()) or row["section"].strip().startswith("#"):
            continue
        for col in ("section", "vendor", "id", "year", "value"):
            row[col] = row.get(col, "").strip()
        row["evaluator"] = unescape_text(row.get("evaluator", "").strip())
        row["section"] = row["section"].lower()
        b.add(line, {**row, "value_raw": cells[header.index("value")] if header.index("value") < len(cells) else ""})
    doc = b.document()
    try:
        sheet = validate_located(VendorSheet, doc, b.locate)
    except ValueError as e:
        b.problems.extend(getattr(e, "problems", []))
        sheet = None
    if b.problems:
        raise VendorSheetError(sorted(b.problems, key=lambda p: p.line or 0))
    return sheet


# ── YAML document form ───────────────────────────────────────────────────────────────────────


def sheet_document(sheet: VendorSheet) -> dict[str, Any]:
    """The YAML form: the model's fields, with a bare status / score where there is no note."""
    doc = sheet.model_dump(mode="json", exclude_none=True)
    evaluations: dict[str, Any] = {}
    for who, vid, _ev in _evaluations(sheet):
        ev = doc["evaluations"][who][vid]
        out: dict[str, Any] = {}
        reqs = ev.get("requirements", {})
        crits = ev.get("criteria", {})
        if reqs:
            out["requirements"] = {r.id: _short(reqs[r.id], "status") for r in sheet.requirements if r.id in reqs}
        if crits:
            out["criteria"] = {c.id: _short(crits[c.id], "score") for c in sheet.criteria if c.id in crits}
        evaluations.setdefault(who, {})[vid] = out
    doc["evaluations"] = evaluations
    doc["costs"] = {v.id: doc["costs"][v.id] for v in sheet.vendors if v.id in doc["costs"]}
    doc["roi"]["vendors"] = {v.id: doc["roi"]["vendors"][v.id] for v in sheet.vendors
                             if v.id in doc["roi"]["vendors"]}
    return doc


def _short(entry: dict[str, Any], key: str) -> Any:
    return entry[key] if set(entry) == {key} else entry
