"""Vendor sheets in and out of files: YAML, CSV and XLSX (an adapter: it may use openpyxl and csv).

The table layout (one tidy row per fact) is documented in `sheets.layout`. Every reader raises
`VendorSheetError` listing every problem with its file, row and column.
"""

from vendors import (
    VendorSheetError,
)

from .files import (
    MAX_CSV_BYTES,
    MAX_ROWS,
    MAX_XLSX_BYTES,
    read_sheet,
    sheet_from_bytes,
    sheet_from_csv,
    sheet_from_xlsx,
    sheet_from_yaml,
    sheet_to_bytes,
    sheet_to_csv,
    sheet_to_xlsx,
    sheet_to_yaml,
    write_sheet,
)
from .layout import COLUMNS, REQUIRED_COLUMNS, SECTIONS, sheet_document, sheet_rows

__all__ = [
    "VendorSheetError", "COLUMNS", "REQUIRED_COLUMNS", "SECTIONS", "MAX_CSV_BYTES", "MAX_XLSX_BYTES", "MAX_ROWS",
    "read_sheet", "write_sheet", "sheet_from_bytes", "sheet_to_bytes", "sheet_from_yaml", "sheet_to_yaml",
    "sheet_from_csv", "sheet_to_csv", "sheet_from_xlsx", "sheet_to_xlsx", "sheet_rows", "sheet_document",
]
