"""The Markdown renderer: the report's blocks (`reports.document`) as Markdown, every text escaped
(`scoring.escape_markdown`) so a client's file never carries a live tag, image or link from user text."""

from __future__ import annotations

from scoring import escape_markdown

from .content import ReportData
from .document import (
    Bullets,
    Callout,
    Chart,
    Contents,
    CoverPage,
    FactStrip,
    FullText,
    Heading,
    KeyFigures,
    Paragraph,
    Table,
    compose,
)


def _md(text: object) -> str:
    return escape_markdown(str(text))


def _cell(text: object) -> str:
    """A table cell: escaped (so a | stays in its cell), one line (a line break becomes <br>)."""
    return _md(text).replace("\r\n", "\n").replace("\n", "<br>")


def _table(b: Table) -> list[str]:
    out = ["| " + " | ".join(_cell(h) for h in b.headers) + " |", "|" + "---|" * len(b.headers)]
    for row in b.rows:
        out.append("| " + " | ".join(_cell(c.text + (f"\n{c.sub}" if c.sub else "")) for c in row) + " |")
    out.append("")
    if b.more and b.hidden:
        out += [_md(b.more.format(n=b.hidden)), ""]
    return out


def _block(b, d: ReportData) -> list[str]:
    if isinstance(b, Heading):
        return [f"{'#' * (b.level + 1)} {_md(b.text)}", ""]
    if isinstance(b, Paragraph):
        return [_md(b.text), ""]
    if isinstance(b, Bullets):
        return [f"- {_cell(i)}" for i in b.items] + [""]
    if isinstance(b, CoverPage):
        c = b.cover
        out = [f"# {_md(c.title)}", "", f"**{_md(c.organisation)}** · {_md(c.project)}", ""]
        out += [f"- {_md(f.label)}: {_cell(f.value)}" for f in c.fields]
        return out + ["", f"_{_md(c.confidentiality)}_", ""]
    if isinstance(b, Contents):
        return [("  " if h.level == 2 else "") + f"- {_md(h.text)}" for h in b.entries] + [""]
    if isinstance(b, KeyFigures):
        out = [f"**{_md(b.score_label)}: {_md(b.score)}{_md(b.out_of)}** · "
               f"**{_md(b.verdict_heading)}: {_md(b.verdict_label)}**", ""]
        if b.note:
            out += [f"_{_md(b.note)}_", ""]
        return out + [f"- {_md(m.label)}: {_cell(m.value)}" for m in b.metrics] + [""]
    if isinstance(b, FactStrip):
        return [f"- {_md(f.label)}: {_cell(f.value)}" for f in b.facts] + [""]
    if isinstance(b, Callout):
        out = [f"**{_md(b.heading)}**", ""]
        for it in b.items:
            line = f"- **{_cell(it.title)}**"
            if it.sub:
                line += f" ({_cell(it.sub)})"
            if it.detail:
                line += f" — {_cell(it.detail)}"
            out.append(line)
        return out + [""]
    if isinstance(b, Table):
        return _table(b)
    if isinstance(b, Chart):
        return [f"_{_md(b.title)}_", ""] if b.kind != "heat_map" else _heat(b)
    if isinstance(b, FullText):
        t = b.text
        return [f"**{_md(t.label)}**", "", _md(t.text), ""]
    return []  # page breaks and spacing have no Markdown form


def _heat(b: Chart) -> list[str]:
    hm = b.heat_map
    if hm is None:
        return []
    out = ["| | " + " | ".join(_cell(c) for c in hm.columns) + " |", "|" + "---|" * (len(hm.columns) + 1)]
    out += ["| " + _cell(r) + " | " + " | ".join(_cell(c) for c in cells) + " |" for r, cells in zip(hm.rows, hm.cells,
                                                                                                  strict=True)]
    return out + [""]


def report_markdown(d: ReportData) -> str:
    """The report as Markdown: the same blocks, in the same order, as the PDF and the Word file."""
    out: list[str] = []
    for b in compose(d).blocks:
        out += _block(b, d)
    return "\n".join(out).rstrip() + "\n"
