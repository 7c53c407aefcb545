"""How long a person's text may be, and how a person's name is compared: one rule for every door.

The questionnaire, the answers-file reader, imports and the storage all check against these numbers,
so a value accepted at one door is never cut at another.
"""

from __future__ import annotations

import unicodedata

from checklists import Text

NOTE_MAX = 5000
REASON_MAX = 1000
TEXT_MAX = 10000
NAME_MAX = 100

_LIMITS = {"note": NOTE_MAX, "reason": REASON_MAX}


def length_texts(item_id: str, value: object, note: str | None, reason: str | None) -> list[Text]:
    """Each text of an answer over its limit, in words in both languages (empty when all fit)."""
    out = []
    if isinstance(value, str) and len(value) > TEXT_MAX:
        out.append(Text(zh=f"“{item_id}”：回答长 {len(value):,} 个字符；最多保留 {TEXT_MAX:,} 个",
                        en=f"'{item_id}': the answer is {len(value):,} characters long; at most {TEXT_MAX:,} are kept"))
    for field, zh, text in (("note", "备注", note), ("reason", "理由", reason)):
        if text is not None and len(text) > _LIMITS[field]:
            out.append(Text(zh=f"“{item_id}”：{zh}长 {len(text):,} 个字符；最多保留 {_LIMITS[field]:,} 个",
                            en=f"'{item_id}': the {field} is {len(text):,} characters long; "
                               f"at most {_LIMITS[field]:,} are kept"))
    return out


def length_problems(item_id: str, value: object, note: str | None, reason: str | None) -> list[str]:
    """Each text of an answer over its limit, in English words (empty when all fit)."""
    return [t.en for t in length_texts(item_id, value, note, reason)]


def normalise_name(raw: object) -> str:
    """A person's name as stored and compared: compatibility forms folded (full-width letters and
    spaces typed with a Chinese input method), NUL dropped, runs of whitespace made one space."""
    text = unicodedata.normalize("NFKC", str(raw or "")).replace("\x00", "")
    return " ".join(text.split())


def name_problem(name: str) -> str | None:
    """What makes a normalised name unusable ("blank", "too_long", "reserved"), or None.
    Names starting with "__" are kept for the app's own entries in the audit trail."""
    if not name:
        return "blank"
    if len(name) > NAME_MAX:
        return "too_long"
    if name.startswith("__"):
        return "reserved"
    return None
