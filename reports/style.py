"""The report's look, in one place for every renderer: page and margins, the logo's box, type sizes,
the palette and the font Word is told to use for Chinese. Plain numbers and hex strings, so the PDF
(reportlab), Word (python-docx) and the chart images (Pillow) each turn them into their own library's
units; no renderer writes one of these values itself.
"""

from __future__ import annotations

# the page: A4, in millimetres
PAGE_MM = (210.0, 297.0)
MARGIN_X_MM = 18.0
MARGIN_Y_MM = 20.0
TEXT_WIDTH_MM = PAGE_MM[0] - 2 * MARGIN_X_MM
# the client's logo on the cover fits this box, keeping its proportions
LOGO_BOX_MM = (50.0, 22.0)

# type sizes in points
CELL_PT = 8.0          # table cells and the second line of a cell
SCORE_SUFFIX_PT = 14   # the "/ 100" after the overall score

# the palette (the readiness colours of levels, blocked and unknown live in scoring.palette)
INK = "#1F2933"
MUTED = "#616E7C"
ACCENT = "#1F4E79"
ACCENT_LIGHT = "#DCE8F4"
RULE = "#C7D0D9"
ZEBRA = "#F4F6F8"
BLOCKED_LIGHT = "#FDECEA"
# the plan's projection: a month whose verdict is no longer blocked, and the ready-on line
READY = "#2E7D32"

# Word fills a separate font slot for East Asian text; without it, it may pick a font with no Chinese
WORD_EAST_ASIAN_FONT = "Microsoft YaHei"
