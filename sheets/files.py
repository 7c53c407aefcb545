"""Reading and writing vendor sheets as YAML, CSV and XLSX files (the layout: `sheets.layout`).

Every reader refuses a file above its size limit, names the file, row and column of each problem,
and raises `VendorSheetError` with all of them. CSV is written as UTF-8 with a byte-order mark so
Excel shows Chinese correctly; a CSV that is not UTF-8 (Excel's default "CSV" on Chinese Windows is
GBK) is refused with the hint to save it as "CSV UTF-8".
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import re
import zipfile
from pathlib import Path

import yaml

from checklists import MAX_BYTES as YAML_MAX_BYTES
from checklists import (
    Problem,
    YamlProblems,
    last_resort,
    parse_yaml_text,
)
from vendors import (
    VendorSheet,
    VendorSheetError,
    parse_vendor_sheet,
)

from .layout import COLUMNS, SECTIONS, fmt_number, rows_to_sheet, sheet_document, sheet_rows

MAX_CSV_BYTES = 2_000_000
MAX_XLSX_BYTES = 5_000_000
MAX_XLSX_UNZIPPED = 50_000_000   # a zip bomb unpacks far beyond this
MAX_ROWS = 100_000
XLSX_SHEET = "vendor_sheet"
FORMATS = {".yaml": "yaml", ".yml": "yaml", ".json": "yaml", ".csv": "csv", ".xlsx": "xlsx"}


def _guard(name: str):
    """Each public reader's last resort: any other exception becomes a located VendorSheetError."""
    return last_resort(name, VendorSheetError, (VendorSheetError,))


def _refused(name: str, zh: str, en: str, line: int | None = None) -> VendorSheetError:
    """A file refused whole, for one reason, in both languages."""
    return VendorSheetError([Problem(name, line, "", en, zh)])


def _too_big(name: str, size: int, limit: int) -> VendorSheetError:
    return _refused(name, f"文件大小为 {size // 1000} kB，上限是 {limit // 1000} kB",
                    f"file is {size // 1000} kB; the limit is {limit // 1000} kB")


# ── YAML ─────────────────────────────────────────────────────────────────────────────────────


def sheet_to_yaml(sheet: VendorSheet) -> str:
    head = "# Vendor sheet: requirements, criteria, vendors, evaluators' scores, costs, ROI inputs.\n"
    return head + yaml.safe_dump(sheet_document(sheet), allow_unicode=True, sort_keys=False, width=110)


def sheet_from_yaml(text: str | bytes, name: str = "sheet.yaml") -> VendorSheet:
    with _guard(name):
        if isinstance(text, bytes):
            if len(text) > YAML_MAX_BYTES:
                raise _too_big(name, len(text), YAML_MAX_BYTES)
            text = _decode(text, name)
        try:
            doc = parse_yaml_text(text, name)
        except YamlProblems as e:
            raise VendorSheetError(e.problems) from None
        return parse_vendor_sheet(doc)


# ── CSV ──────────────────────────────────────────────────────────────────────────────────────


def sheet_to_csv(sheet: VendorSheet) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(COLUMNS)
    for row in sheet_rows(sheet):
        w.writerow([fmt_number(row[c]) for c in COLUMNS])
    return buf.getvalue()


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[:e.start].count(b"\n") + 1
        hint = hint_zh = ""
        try:
            data.decode("gb18030")
            hint = " It looks like GBK / GB18030: in Excel choose 'CSV UTF-8' when saving."
            hint_zh = "看起来是 GBK / GB18030 编码：在 Excel 中保存时请选择“CSV UTF-8”。"
        except UnicodeDecodeError:
            pass
        raise _refused(name, f"文件不是 UTF-8 文本（位置 {e.start} 处的字节 0x{data[e.start]:02x}）。{hint_zh}",
                       f"the file is not UTF-8 text (byte 0x{data[e.start]:02x} at position {e.start}).{hint}",
                       line) from None


def _csv_rows(text: str, name: str):
    first = text.split("\n", 1)[0]
    delim = "," if "," in first or not ("\t" in first or ";" in first) else ("\t" if "\t" in first else ";")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    start = 1
    n = 0
    try:
        for cells in reader:
            n += 1
            if n > MAX_ROWS + 1:
                raise _refused(name, f"超过 {MAX_ROWS} 行", f"more than {MAX_ROWS} rows", start)
            yield start, cells
            start = reader.line_num + 1
    except csv.Error as e:
        raise _refused(name, "无法读取的 CSV（引号或分隔符有误）", f"unreadable CSV: {e}", start) from None


def sheet_from_csv(data: bytes | str, name: str = "sheet.csv", max_bytes: int = MAX_CSV_BYTES) -> VendorSheet:
    with _guard(name):
        raw = data.encode("utf-8", errors="replace") if isinstance(data, str) else data
        if len(raw) > max_bytes:
            raise _too_big(name, len(raw), max_bytes)
        text = data if isinstance(data, str) else _decode(data, name)
        if text.startswith("\ufeff"):
            text = text[1:]
        # a CSV error must surface as VendorSheetError even when raised while rows are consumed
        rows = list(_csv_rows(text, name))
        return rows_to_sheet(rows, name)


# ── XLSX ─────────────────────────────────────────────────────────────────────────────────────

_README = [
    ("Vendor sheet / 供应商对比表", ""),
    ("One row per fact; see the columns of the 'vendor_sheet' tab.", "每行一条记录，列说明见 vendor_sheet 表。"),
    ("section: " + ", ".join(SECTIONS), "section 取值同左"),
    ("requirement_score value: meets | partly | does_not | unknown", "需求评分：满足 / 部分满足 / 不满足 / 未知"),
    ("criterion_score value: 1-5", "标准评分：1-5 分"),
    ("cost: one row per vendor × year × part (licence, implementation, training, customisation, operations)",
     "成本：每个供应商 × 年份 × 成本项一行（许可/订阅、实施、培训、定制与集成、运维与支持）"),
    ("Leave cells a section does not use empty; an empty score means not scored yet.",
     "某类行不用的列请留空；评分留空表示尚未评分。"),
]


def sheet_to_xlsx(sheet: VendorSheet) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = XLSX_SHEET
    ws.append(list(COLUMNS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in sheet_rows(sheet):
        ws.append([row[c] for c in COLUMNS])
    # text stays text: a value that looks like a formula must never be run by the spreadsheet
    for r in ws.iter_rows(min_row=2):
        for cell in r:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    ws.freeze_panes = "A2"
    for col, width in zip("ABCDEFGHI", (18, 14, 12, 28, 6, 14, 40, 24, 30), strict=False):
        ws.column_dimensions[col].width = width
    readme = wb.create_sheet("README")
    for en, zh in _README:
        readme.append([en, zh])
        for cell in readme[readme.max_row]:
            cell.data_type = "s"
    readme.column_dimensions["A"].width = 90
    readme.column_dimensions["B"].width = 60
    wb.properties.created = _dt.datetime(2000, 1, 1)  # with `_fixed_zip`: the same sheet, the same bytes
    buf = io.BytesIO()
    wb.save(buf)
    return _fixed_zip(buf.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same workbook with fixed entry dates, so one sheet always gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              rb"\g<1>2000-01-01T00:00:00Z\g<2>", body)
            dst.writestr(fixed, body)
    return out.getvalue()


def _cell_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, (_dt.datetime, _dt.date)):
        return v.isoformat()
    return fmt_number(v) if isinstance(v, (bool, int, float)) else str(v)


def sheet_from_xlsx(data: bytes, name: str = "sheet.xlsx", max_bytes: int = MAX_XLSX_BYTES) -> VendorSheet:
    with _guard(name):
        if len(data) > max_bytes:
            raise _too_big(name, len(data), max_bytes)
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                unzipped = sum(i.file_size for i in z.infolist())
        except zipfile.BadZipFile:
            raise _refused(name, "不是 XLSX 工作簿（是旧的 .xls 还是改了名的 CSV？请另存为 .xlsx）",
                           "not an XLSX workbook (an old .xls or a renamed CSV? save it as .xlsx)") from None
        if unzipped > MAX_XLSX_UNZIPPED:
            raise _refused(name, f"工作簿解压后为 {unzipped // 1_000_000} MB，上限是 {MAX_XLSX_UNZIPPED // 1_000_000} MB",
                           f"the workbook unpacks to {unzipped // 1_000_000} MB; "
                           f"the limit is {MAX_XLSX_UNZIPPED // 1_000_000} MB")
        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as e:  # openpyxl raises many kinds for a damaged file
            raise _refused(name, "无法读取该工作簿（文件已损坏）", f"cannot read the workbook: {e}") from None
        try:
            ws = wb[XLSX_SHEET] if XLSX_SHEET in wb.sheetnames else wb.worksheets[0]
            where = f"{name} [{ws.title}]"
            rows = []
            # read-only sheets are read lazily: a damaged sheet fails here, not in load_workbook
            for i, values in enumerate(ws.iter_rows(values_only=True), start=1):
                if i > MAX_ROWS + 1:
                    raise _refused(where, f"超过 {MAX_ROWS} 行", f"more than {MAX_ROWS} rows", i)
                rows.append((i, [_cell_text(v) for v in values]))
        except VendorSheetError:
            raise
        except Exception as e:  # xml, zip and key errors of a damaged workbook
            raise _refused(name, "无法读取该工作簿（文件已损坏）", f"cannot read the workbook: {e}") from None
        finally:
            wb.close()
        # read-only sheets pad rows to the widest one; trailing empty header cells are no columns
        if rows:
            header = rows[0][1]
            while header and header[-1] == "":
                header.pop()
        return rows_to_sheet(rows, where)


# ── files ────────────────────────────────────────────────────────────────────────────────────


def _format(name: str) -> str:
    suffix = Path(name).suffix.lower()
    fmt = FORMATS.get(suffix)
    if fmt is None:
        hint = " (save an .xls workbook as .xlsx)" if suffix == ".xls" else ""
        hint_zh = "（请把 .xls 工作簿另存为 .xlsx）" if suffix == ".xls" else ""
        raise _refused(name, f"不支持的文件类型“{suffix or name}”{hint_zh}；请使用 .yaml、.csv 或 .xlsx",
                       f"unsupported file type '{suffix or name}'{hint}; use .yaml, .csv or .xlsx")
    return fmt


def sheet_from_bytes(data: bytes, name: str) -> VendorSheet:
    """A sheet from an uploaded file's bytes; the format follows the name's suffix."""
    with _guard(name):
        fmt = _format(name)
        if fmt == "csv":
            return sheet_from_csv(data, name)
        if fmt == "xlsx":
            return sheet_from_xlsx(data, name)
        return sheet_from_yaml(data, name)


def sheet_to_bytes(sheet: VendorSheet, name: str) -> bytes:
    """A sheet as the bytes of a file named `name` (YAML, CSV with BOM, or XLSX)."""
    fmt = _format(name)
    if fmt == "csv":
        return sheet_to_csv(sheet).encode("utf-8-sig")
    if fmt == "xlsx":
        return sheet_to_xlsx(sheet)
    if Path(name).suffix.lower() == ".json":
        import json
        return json.dumps(sheet_document(sheet), ensure_ascii=False, indent=2).encode("utf-8")
    return sheet_to_yaml(sheet).encode("utf-8")


def read_sheet(path: str | Path) -> VendorSheet:
    """Read a vendor sheet file (.yaml/.yml/.json, .csv or .xlsx); raise `VendorSheetError`."""
    with _guard(str(path)):
        return _read_sheet(Path(path))


def _read_sheet(path: Path) -> VendorSheet:
    name = str(path)
    fmt = _format(name)
    limit = {"yaml": YAML_MAX_BYTES, "csv": MAX_CSV_BYTES, "xlsx": MAX_XLSX_BYTES}[fmt]
    try:
        size = path.stat().st_size
        if size > limit:
            raise _too_big(name, size, limit)
        data = path.read_bytes()
    except OSError as e:
        raise _refused(name, f"无法读取该文件（错误号 {e.errno}）", f"cannot read the file: {e.strerror}") from None
    return sheet_from_bytes(data, name)


def write_sheet(sheet: VendorSheet, path: str | Path) -> None:
    Path(path).write_bytes(sheet_to_bytes(sheet, str(path)))
