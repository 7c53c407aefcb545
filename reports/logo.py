"""A client logo is checked before it goes near the PDF: its kind by magic bytes, then by decoding it."""

from __future__ import annotations

from io import BytesIO
from typing import Literal

from pydantic import BaseModel, ConfigDict

from .errors import ReportError

MAX_LOGO_BYTES = 2 * 1024 * 1024
# A small file can still decode to a huge bitmap; refuse before decoding it.
MAX_LOGO_PIXELS = 25_000_000
_MAGIC: tuple[tuple[bytes, Literal["png", "jpeg"]], ...] = ((b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpeg"))
# what the decoder may call each kind (a camera JPEG can decode as MPO, its multi-picture variant)
_DECODED_AS = {"png": {"png"}, "jpeg": {"jpeg", "jpg", "mpo"}}


class Logo(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    data: bytes
    kind: Literal["png", "jpeg"]
    width: int
    height: int


def validate_logo(data: object) -> Logo:
    """Accept a PNG or JPEG of at most 2 MB that decodes completely; else raise `ReportError`."""
    if not isinstance(data, (bytes, bytearray)):
        raise ReportError("the logo must be given as the bytes of a PNG or JPEG file")
    data = bytes(data)
    if not data:
        raise ReportError("the logo file is empty")
    if len(data) > MAX_LOGO_BYTES:
        raise ReportError(f"the logo is {len(data) / 1024 / 1024:.1f} MB; the limit is "
                          f"{MAX_LOGO_BYTES // 1024 // 1024} MB")
    kind = next((k for magic, k in _MAGIC if data.startswith(magic)), None)
    if kind is None:
        raise ReportError("the logo is not a PNG or JPEG image (its first bytes match neither format)")
    name = kind.upper()
    from reportlab.lib.utils import ImageReader  # only when a logo is checked: pages without one never load reportlab

    try:
        reader = ImageReader(BytesIO(data))
        width, height = reader.getSize()
        if width * height > MAX_LOGO_PIXELS:
            raise ReportError(f"the logo is {width}×{height} pixels; the limit is "
                              f"{MAX_LOGO_PIXELS // 1_000_000} megapixels")
        fmt = (getattr(getattr(reader, "_image", None), "format", None) or kind).lower()
        # decoding every pixel is what finds a truncated or corrupt file
        reader.getRGBData()
    except ReportError:
        raise
    except Exception as e:
        raise ReportError(f"the logo looks like a {name} but cannot be decoded (damaged or truncated file: "
                          f"{e})") from None
    if fmt not in _DECODED_AS[kind]:
        raise ReportError(f"the logo starts like a {name} but decodes as {fmt.upper()}")
    if width < 1 or height < 1:
        raise ReportError("the logo has no pixels")
    return Logo(data=data, kind=kind, width=width, height=height)
