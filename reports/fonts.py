"""Which font a report is set in.

One font carries both languages, because an English report still prints Chinese notes. Preference:
the TrueType file named by READINESS_PDF_FONT, else a WenQuanYi font found on the system (embedded as
a subset, so the PDF looks the same everywhere), else the built-in CID font STSong-Light, which every
PDF reader supplies but which is not embedded.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

from settings import PDF_FONT_ENV, pdf_font

from .errors import ReportError

FONT_ENV = PDF_FONT_ENV
CANDIDATES: tuple[str, ...] = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc",
)
CID_FALLBACK = "STSong-Light"
# Fonts for the characters the report font lacks, tried in this order (Debian packages fonts-dejavu-core:
# Latin, Greek, Cyrillic, Arabic, Hebrew, combining marks, many symbols; fonts-symbola: dingbats and emoji
# such as ✅ ❌). A character none of them has is printed as a visible "[U+…]", never dropped.
FALLBACKS: tuple[str, ...] = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf",
    "/usr/share/fonts/truetype/symbola/Symbola.ttf",
)
# Characters every report prints; a font without them would show boxes.
_PROBE = "就绪度报告阶段得分建议"


@dataclass(frozen=True)
class FontInfo:
    """The font a report used: its reportlab name, the face name in the PDF, and where it came from."""

    name: str
    face: str
    path: str | None
    embedded: bool

    def describe(self) -> str:
        how = f"embedded TrueType {self.path}" if self.embedded else "built-in CID font, not embedded"
        return f"{self.face} ({how})"


_registered: dict[tuple[str, int], FontInfo] = {}


def _register_family(name: str) -> None:
    # No bold or italic cut ships with these fonts: map every style to the one face so that
    # markup such as <b> never asks reportlab for a font that does not exist.
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(name, bold, italic, name)


def _load_ttf(path: str, index: int = 0) -> FontInfo:
    key = (os.path.realpath(path), index)
    if key in _registered:
        return _registered[key]
    try:
        font = TTFont(f"ReadinessTTF{len(_registered)}", path, subfontIndex=index)
    except Exception as e:  # reportlab raises TTFError, OSError or struct errors for bad files
        raise ReportError(f"font {path} cannot be used: {e}") from None
    missing = [c for c in _PROBE if ord(c) not in font.face.charToGlyph]
    if missing:
        raise ReportError(f"font {path} has no Chinese glyphs (missing {''.join(missing)}); "
                          "choose a font that covers Chinese")
    pdfmetrics.registerFont(font)
    _register_family(font.fontName)
    face = font.face.name.decode("latin-1") if isinstance(font.face.name, bytes) else str(font.face.name)
    info = FontInfo(name=font.fontName, face=face, path=path, embedded=True)
    _registered[key] = info
    return info


def _cid_font() -> FontInfo:
    if CID_FALLBACK not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CID_FALLBACK))
        _register_family(CID_FALLBACK)
    return FontInfo(name=CID_FALLBACK, face=CID_FALLBACK, path=None, embedded=False)


def find_ttf() -> str | None:
    """The TrueType file a report would embed, or None when only the CID fallback is left."""
    env = pdf_font() or ""
    if env:
        return env
    return next((p for p in CANDIDATES if Path(p).is_file()), None)


def report_font() -> FontInfo:
    """Register and return the report font; a READINESS_PDF_FONT that cannot be used is an error."""
    env = pdf_font() or ""
    if env:
        if not Path(env).is_file():
            raise ReportError(f"{FONT_ENV}={env}: no such font file")
        return _load_ttf(env)
    for path in CANDIDATES:
        if Path(path).is_file():
            try:
                return _load_ttf(path)
            except ReportError:
                continue
    return _cid_font()


def covers(font: FontInfo, text: str) -> str:
    """The characters of `text` the font has no glyph for (always empty for the CID fallback)."""
    if not font.embedded:
        return ""
    face = pdfmetrics.getFont(font.name).face
    return "".join(sorted({c for c in text if not c.isspace() and ord(c) not in face.charToGlyph}))


_fallbacks: list[FontInfo] | None = None


def fallback_fonts() -> list[FontInfo]:
    """The fallback chain's fonts found on this machine, registered for reportlab."""
    global _fallbacks
    if _fallbacks is None:
        found: list[FontInfo] = []
        for path in FALLBACKS:
            if not Path(path).is_file():
                continue
            try:
                font = TTFont(f"ReadinessFallback{len(found)}", path)
            except Exception:  # a broken file is skipped: the chain is a best effort, never an error
                continue
            pdfmetrics.registerFont(font)
            _register_family(font.fontName)
            face = font.face.name.decode("latin-1") if isinstance(font.face.name, bytes) else str(font.face.name)
            found.append(FontInfo(name=font.fontName, face=face, path=path, embedded=True))
        _fallbacks = found
    return _fallbacks


_glyphs: dict[str, frozenset[int]] = {}


def glyphs(font: FontInfo) -> frozenset[int] | None:
    """The code points a font can draw (None for the CID fallback, which draws whatever it draws)."""
    if not font.embedded:
        return None
    if font.name not in _glyphs:
        _glyphs[font.name] = frozenset(pdfmetrics.getFont(font.name).face.charToGlyph)
    return _glyphs[font.name]
