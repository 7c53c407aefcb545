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


def cjk_frag_split(frags, maxWidths, calcBounds, encoding="utf8"):  # noqa: N803 (reportlab's signature)
    """reportlab's `cjkFragSplit` with both line-breaking rules."""
    cjk_u, make_line = rl_paragraph.cjkU, rl_paragraph.makeCJKParaLine
    U = []  # noqa: N806 (one glyph per entry, with its width and fragment)
    for f in frags:
        text = f.text
        if isinstance(text, bytes):
            text = text.decode(encoding)
        if text:
            U.extend([cjk_u(t, f, encoding) for t in text])
        else:
            U.append(cjk_u(text, f, encoding))
    lines = []
    i = line_start = 0
    used = 0.0
    max_width = maxWidths[0]
    n = len(U)
    while i < n:
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
                if ord(u) < 0x3000:
                    # inside a Latin word: go back to a space or to a Chinese character
                    for j in range(i - 1, (line_start + i) >> 1, -1):
                        uj = U[j]
                        if uj and category(uj) == "Zs" or ord(uj) >= 0x3000:
                            k = j + 1
                            if k < i:
                                j = k + 1
                                extra += sum(U[ii].width for ii in range(j, i))
                                w = U[k].width
                                u = U[k]
                                i = j
                                break
                # a character that cannot start a line hangs in the margin; any other goes down
                if u not in NO_LINE_START and u not in rl_paragraph.ALL_CANNOT_START and i > line_start + 1:
                    i -= 1
                    extra += w
                    # an opening bracket or quote goes down with the character it opens
                    while i > line_start + 1 and U[i - 1] in NO_LINE_END:
                        i -= 1
                        extra += U[i].width
            lines.append(make_line(U[line_start:i], max_width, used, extra, line_break, calcBounds))
            try:
                max_width = maxWidths[len(lines)]
            except IndexError:
                max_width = maxWidths[-1]
            line_start = i  # the glyphs carried down are read again for the next line
            used = 0.0
    if used > 0:
        lines.append(make_line(U[line_start:], max_width, used, max_width - used, False, calcBounds))
    return rl_paragraph.ParaLines(kind=1, lines=lines)


def install() -> None:
    rl_paragraph.cjkFragSplit = cjk_frag_split
    for module in (rl_paragraph, rl_textsplit):  # the Latin splitter keeps its own copy of the list
        module.ALL_CANNOT_START += "".join(c for c in NO_LINE_START if c not in module.ALL_CANNOT_START)
