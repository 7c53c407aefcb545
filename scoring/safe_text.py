"""What user text must never become: a spreadsheet formula, or Markdown / HTML. One rule for each.

## Spreadsheet cells: text never becomes a formula

Every CSV and XLSX writer (the gap list in `reports`, the vendor sheet in `sheets`) passes each cell
through `neutralise_formula`; the readers of files we wrote (vendor sheets) pass each free-text cell
through `restore_neutralised`.

- A text that a spreadsheet could run — it starts with = + - @, a tab or a carriage return — gets a
  leading ' (the OWASP "CSV injection" advice), so Excel, LibreOffice and Google Sheets show it as text.
- A text that itself starts with ' gets one more, so a reader can always remove exactly one leading '
  and get back what was written, whatever it was: the round trip is exact.
- Numbers (int, float) stay numbers: a negative amount is a number, not a formula, and a spreadsheet
  must be able to sum it. None and "" stay empty: an empty cell is never turned into a lone '.

## Markdown: text stays text

`escape_markdown` makes a text show as exactly its characters wherever Markdown is rendered: the
Markdown export (`reports`) and every Streamlit element (`ui.text.plain`, which adds line breaks). An
organisation called `![](http://host/x.png)` must not load a remote image, `**x**` must not turn
bold, and `<img onerror=…>` or `<script>` must reach no file or page as a tag.

- & < > become HTML entities, which every Markdown renderer shows as the characters, and which no
  HTML-enabled renderer reads as a tag.
- The inline marks \\ ` * _ [ ] ! | ~ $ get a backslash (CommonMark allows one before any ASCII
  punctuation): no emphasis, code, link, image, table cell, strikethrough or formula, and no
  Streamlit `:colour[…]` directive (it needs its [ ). An _ inside a word (crm_a, due_date) cannot
  make emphasis in GFM and is left as it is, so ids and file names stay readable.
- What starts a block only at the start of a line (a heading #, a list - + or 1. / 1), a rule or
  setext underline of - or =) gets a backslash there, so numbers and dates elsewhere stay readable.

Pure and tiny on purpose: the core holds these rules so every adapter asks the same one.
"""

from __future__ import annotations

import re

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


# an underscore between two letters or digits (snake_case ids, file names) is never emphasis in GFM
_INLINE = re.compile(r"([\\`*\[\]!|~$]|(?<![^\W_])_|_(?![^\W_]))")
# a block marker at the start of a line: heading, bullet, ordered-list number, rule / setext underline
_BLOCK = re.compile(r"^([ \t]*)(#{1,6}(?=\s|$)|[-+](?=\s|$)|\d{1,9}(?=[.)](?:\s|$))|=+(?=[ \t]*$)|-+(?=[ \t]*$))",
                    re.MULTILINE)
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def _block(m: re.Match[str]) -> str:
    lead, mark = m.group(1), m.group(2)
    return f"{lead}{mark}\\" if mark[0].isdigit() else f"{lead}\\{mark}"


def escape_markdown(text: str) -> str:
    """`text` as Markdown that renders as exactly these characters: no mark-up, link, image or tag."""
    s = _INLINE.sub(r"\\\1", text)
    s = _BLOCK.sub(_block, s)
    return "".join(_ENTITIES.get(ch, ch) for ch in s)
