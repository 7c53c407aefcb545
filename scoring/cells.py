"""The one rule for text written into a spreadsheet cell (CSV or XLSX): text never becomes a formula.

Every CSV and XLSX writer (the gap list in `reports`, the vendor sheet in `sheets`) passes each cell
through `neutralise_formula`; the readers of files we wrote (vendor sheets) pass each free-text cell
through `restore_neutralised`.

- A text that a spreadsheet could run — it starts with = + - @, a tab or a carriage return — gets a
  leading ' (the OWASP "CSV injection" advice), so Excel, LibreOffice and Google Sheets show it as text.
- A text that itself starts with ' gets one more, so a reader can always remove exactly one leading '
  and get back what was written, whatever it was: the round trip is exact.
- Numbers (int, float) stay numbers: a negative amount is a number, not a formula, and a spreadsheet
  must be able to sum it. None and "" stay empty: an empty cell is never turned into a lone '.

Pure and tiny on purpose: the core holds it so both adapters ask the same rule.
"""

from __future__ import annotations

FORMULA_START: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a cell as a formula (or strip it into one)."""

QUOTE = "'"
_GUARDED = FORMULA_START + (QUOTE,)


def neutralise_formula(value: object) -> object:
    """The cell to write for `value`: guarded text, or the number / empty cell unchanged."""
    if isinstance(value, str) and value.startswith(_GUARDED):
        return QUOTE + value
    return value


def restore_neutralised(text: str) -> str:
    """The text a guarded cell was written from: removes the one leading ' the writer added.

    Only for cells a `neutralise_formula` writer produced (free text read back from our own file); a
    cell without a leading ' is returned as it is, so a hand-typed value is never changed."""
    return text[1:] if text.startswith(QUOTE) else text
