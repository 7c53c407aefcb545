"""The one strict base of every content model: templates, vendor content and sheets, answers.

Content arrives from files people write by hand, so each model refuses what it does not know
(`extra="forbid"`), cannot be changed after validation (`frozen`), and takes finite numbers only:
`.inf`, `.nan` and a literal that overflows to infinity (1e999) are refused where they are read,
with the field named, instead of turning every sum they reach into inf or NaN.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

# The largest weight (item, phase, criterion) or criticality multiplier a file may give. Weights are
# relative, so nothing real needs more; bounded, a weighted sum over any template stays far from
# float overflow (1e308 weights would make the sums inf and the scores NaN).
MAX_WEIGHT = 1000

STRICT_CONFIG = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class StrictModel(BaseModel):
    model_config = STRICT_CONFIG


class FrozenModel(BaseModel):
    """The one base of every computed result and view (scores, comparisons, room and vendor results,
    report views and requests): unknown fields refused and frozen, like content. Their numbers are
    computed, not read from a file, so they are not checked for finiteness here."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Invalid(ValueError):
    """A content rule refusing a value, with the reason in both languages (`str()` is the English
    one); the readers show the reader's language (see `errors.plain_words`)."""

    def __init__(self, zh: str, en: str):
        self.message = Text(zh=zh, en=en)
        super().__init__(en)


class Text(StrictModel):
    """A user-facing string in both product languages; neither may be blank."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)

    @field_validator("zh", "en")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise Invalid("译文为空", "translation is blank")
        return v

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en
