"""Chinese line breaking for reportlab (the rules of GB/T 15834 practice): closing punctuation never
starts a line (it hangs at the end of the previous one), an opening bracket or quote never ends one
(it moves down with the character it opens).

reportlab's own CJK splitter (`paragraph.cjkFragSplit`) knows the first rule only for ASCII and a few
characters and does not know the second; `install()` replaces it with the same algorithm plus both
rules. Idempotent.
"""

from __future__ import annotations

from unicodedata import category

from reportlab.lib import textsplit as rl_textsplit
from reportlab.platypus import paragraph as rl_paragraph

NO_LINE_START = "，。、；：？！）》」』】〕〉”’％…·!),.:;?]}"
NO_LINE_END = "（《「『【〔〈“‘([{"
_FUZZ = 1e-6


def _break(chars, width, i: int, line_start: int, c: str, w: float, extra: float) -> tuple[int, float]:
    """Where a line that overflowed at `chars[i - 1]` ends: back to a space inside a Latin word, then
    closing punctuation hangs (with any right after it) and an opening one goes down with what it
    opens. `width(k)` is glyph k's width; returns the end and the line's spare room."""
    n = len(chars)
    if ord(c) < 0x3000:
        # inside a Latin word: go back to a space or to a Chinese character
        for j in range(i - 1, (line_start + i) >> 1, -1):
            cj = chars[j]
            if cj and category(cj) == "Zs" or ord(cj) >= 0x3000:
                k = j + 1
                if k < i:
                    extra += sum(width(x) for x in range(k + 1, i))
                    w, c, i = width(k), chars[k], k + 1
                    break
    if c not in NO_LINE_START and c not in rl_textsplit.ALL_CANNOT_START and i > line_start + 1:
        i -= 1
        extra += w
        while i > line_start + 1 and chars[i - 1] in NO_LINE_END:
            i -= 1
            extra += width(i)
    else:
        while i < n and chars[i] in NO_LINE_START:
            i += 1
    return i, extra


def cjk_frag_split(frags, maxWidths, calcBounds, encoding="utf8"):
    """reportlab's `cjkFragSplit` (a paragraph of several fragments) with both line-breaking rules."""
    cjk_u, make_line = rl_paragraph.cjkU, rl_paragraph.makeCJKParaLine
    U = []
    for f in frags:
        text = f.text.decode(encoding) if isinstance(f.text, bytes) else f.text
        U.extend([cjk_u(t, f, encoding) for t in text] if text else [cjk_u(text, f, encoding)])
    lines = []
    i = line_start = 0
    used = 0.0
    max_width = maxWidths[0]
    while i < len(U):
        u = U[i]
        i += 1
        w = u.width
        if hasattr(w, "normalizedValue"):
            w._normalizer = max_width
            w = w.normalizedValue(max_width)
        used += w
        line_break = hasattr(u.frag, "lineBreak")
        if (used > max_width + _FUZZ and used > 0) or line_break:
            extra = max_width - used
            if not line_break:
                i, extra = _break(U, lambda k: U[k].width, i, line_start, u, w, extra)
            lines.append(make_line(U[line_start:i], max_width, used, extra, line_break, calcBounds))
            max_width = maxWidths[min(len(lines), len(maxWidths) - 1)]
            line_start = i  # the glyphs carried down are read again for the next line
            used = 0.0
    if used > 0:
        lines.append(make_line(U[line_start:], max_width, used, max_width - used, False, calcBounds))
    return rl_paragraph.ParaLines(kind=1, lines=lines)


def dumb_split(word, widths, maxWidths):
    """reportlab's `textsplit.dumbSplit` (a paragraph in one font) with both line-breaking rules."""
    if not isinstance(maxWidths, (list, tuple)):
        maxWidths = [maxWidths]
    lines = []
    i = line_start = 0
    used = 0.0
    max_width = maxWidths[0]
    while i < len(word):
        w = widths[i]
        c = word[i]
        used += w
        i += 1
        if used > max_width + _FUZZ and used > 0:
            i, extra = _break(word, lambda k: widths[k], i, line_start, c, w, max_width - used)
            lines.append([extra, word[line_start:i].strip()])
            max_width = maxWidths[min(len(lines), len(maxWidths) - 1)]
            line_start = i
            used = 0.0
    if used > 0:
        lines.append([max_width - used, word[line_start:]])
    return lines


def install() -> None:
    rl_paragraph.cjkFragSplit = cjk_frag_split
    rl_textsplit.dumbSplit = dumb_split
    for module in (rl_paragraph, rl_textsplit):  # the Latin splitter keeps its own copy of the list
        module.ALL_CANNOT_START += "".join(c for c in NO_LINE_START if c not in module.ALL_CANNOT_START)
