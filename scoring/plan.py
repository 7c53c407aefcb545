"""The action plan's model: what the organisation will do about a gap, by when, and to what effect.

An action is keyed by the item it was opened for (`item_id`); it may improve further items (`items`)
and states the answer it is expected to bring (`expect`, e.g. "yes" where "no" is today). The
projection (`scoring.projection`) reads the expected answers; an action without one is tracked but
changes no projected score.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from checklists import Item, NotAllowed, Text, clip

Effort = Literal["S", "M", "L"]
EFFORTS: tuple[str, ...] = ("S", "M", "L")
ExpectValue = str | int | float | list[str] | None


class ActionStatus(str, Enum):  # noqa: UP042 - StrEnum changes str()/format() of members, which texts and exports use
    open = "open"
    in_progress = "in_progress"
    done = "done"


class ActionItem(BaseModel):
    """What the organisation will do about one gap."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    item_id: str
    owner: str = ""
    due: str | None = None  # ISO date
    status: ActionStatus = ActionStatus.open
    note: str = ""
    # further items the same action improves (besides item_id)
    items: list[str] = Field(default_factory=list)
    # the answer expected on each improved item once the action is done (a value the item allows)
    expect: ExpectValue = None
    effort: Effort | None = None

    @property
    def improves(self) -> list[str]:
        """Every item the action improves, its own first, without repeats."""
        return list(dict.fromkeys([self.item_id, *self.items]))

    @property
    def planned(self) -> bool:
        """Someone owns it and it has a date: the least a blocker's action needs."""
        return bool(self.owner.strip()) and self.due is not None


# -- the plan in an answers file ------------------------------------------------------------------------

ACTION_KEYS: tuple[str, ...] = ("item", "owner", "due", "expect", "status", "effort", "note")
OWNER_MAX = 100
# a problem found while reading a file: where (the path of keys and indices) and what, in zh and en
Located = tuple[tuple[Any, ...], Text]
_STATUS_WORDS = ", ".join(s.value for s in ActionStatus)


def _iso(raw: Any) -> str | None:
    """An ISO date from a YAML date or a YYYY-MM-DD string; None when it is neither."""
    if isinstance(raw, date) and not isinstance(raw, datetime):
        return raw.isoformat()
    if isinstance(raw, str):
        try:
            return date.fromisoformat(raw.strip()).isoformat() if len(raw.strip()) == 10 else None
        except ValueError:
            return None
    return None


def actions_or_problems(raw: Any, items: Mapping[str, Item],
                        normalise: Callable[[Item, Any], Any]) -> tuple[list[ActionItem], list[Located]]:
    """The `actions:` list of an answers file, or the problems with the path of each field.
    `normalise(item, value)` checks an expected answer against its item (raising ValueError)."""
    if raw is None:
        return [], []
    if not isinstance(raw, list):
        return [], [(("actions",), Text(zh="“actions”必须是由 {item, owner, due, expect, status} 组成的列表",
                                        en="'actions' must be a list of {item, owner, due, expect, status}"))]
    out: list[ActionItem] = []
    problems: list[Located] = []
    seen: set[str] = set()
    for n, entry in enumerate(raw):
        at = ("actions", n)
        if not isinstance(entry, dict):
            problems.append((at, Text(zh="每个行动必须是映射，至少包含“item”",
                                      en="an action must be a mapping with at least 'item'")))
            continue
        unknown = sorted(set(map(str, entry)) - set(ACTION_KEYS))
        if unknown:
            problems.append((at, Text(zh=f"未知的键 {'、'.join(unknown)}；允许的键：{'、'.join(ACTION_KEYS)}",
                                      en=f"unknown key(s) {', '.join(unknown)}; allowed: {', '.join(ACTION_KEYS)}")))
        ids = entry.get("item")
        ids = [ids] if isinstance(ids, str) else ids
        if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
            problems.append(((*at, "item"), Text(zh="“item”必须是一个检查项 id 或检查项 id 的列表",
                                                 en="'item' must be an item id or a list of item ids")))
            continue
        bad = [i for i in ids if i not in items]
        if bad:
            problems.append(((*at, "item"), Text(zh=f"未知的检查项 id“{clip(bad[0])}”",
                                                 en=f"unknown item id '{clip(bad[0])}'")))
            continue
        if ids[0] in seen:
            problems.append(((*at, "item"), Text(zh=f"“{ids[0]}”的第二个行动；每个检查项只能有一个行动",
                                                 en=f"a second action for '{ids[0]}'; one action per item")))
            continue
        seen.add(ids[0])
        problems += _field_problems(entry, at)
        owner, due, note = entry.get("owner"), entry.get("due"), entry.get("note")
        status, effort = entry.get("status", "open"), entry.get("effort")
        expect = entry.get("expect")
        if expect is not None:
            try:
                values = [normalise(items[i], expect) for i in ids]
            except NotAllowed as e:
                problems.append(((*at, "expect"), e.message or Text(zh="预期的答案不被接受", en=str(e))))
            except ValueError as e:  # every rule of an answer words its own refusal; kept so none escapes
                problems.append(((*at, "expect"), Text(zh="预期的答案不被接受", en=str(e))))
            else:
                if "na" in values:
                    problems.append(((*at, "expect"), Text(zh="行动不能预期“不适用”",
                                                           en="an action cannot expect 'not applicable'")))
                expect = values[0]
        if problems and problems[-1][0][:2] == at:
            continue
        out.append(ActionItem(item_id=ids[0], items=list(dict.fromkeys(ids[1:])), owner=(owner or "").strip(),
                              due=_iso(due) if due is not None else None, status=ActionStatus(status),
                              expect=expect, effort=effort, note=note or ""))
    return out, problems


def _field_problems(entry: dict[str, Any], at: tuple[Any, ...]) -> list[Located]:
    """The problems of an action's owner, due date, status, effort and note."""
    out: list[Located] = []
    owner = entry.get("owner")
    if owner is not None and not isinstance(owner, str):
        out.append(((*at, "owner"), Text(zh="“owner”必须是文本", en="'owner' must be text")))
    elif owner is not None and len(owner.strip()) > OWNER_MAX:
        out.append(((*at, "owner"), Text(zh=f"“owner”超过 {OWNER_MAX} 个字符",
                                         en=f"'owner' is longer than {OWNER_MAX} characters")))
    due = entry.get("due")
    if due is not None and _iso(due) is None:
        out.append(((*at, "due"), Text(zh=f"截止日期 {clip(repr(due))} 不是日期（YYYY-MM-DD）",
                                       en=f"due {clip(repr(due))} is not a date (YYYY-MM-DD)")))
    status = entry.get("status", "open")
    if not isinstance(status, str) or status not in {s.value for s in ActionStatus}:
        out.append(((*at, "status"), Text(zh=f"状态 {clip(repr(status))} 不是 {_STATUS_WORDS.replace(', ', '、')} 之一",
                                          en=f"status {clip(repr(status))} is not one of {_STATUS_WORDS}")))
    effort = entry.get("effort")
    if effort is not None and (not isinstance(effort, str) or effort not in EFFORTS):
        out.append(((*at, "effort"), Text(zh=f"工作量 {clip(repr(effort))} 不是 {'、'.join(EFFORTS)} 之一",
                                          en=f"effort {clip(repr(effort))} is not one of {', '.join(EFFORTS)}")))
    note = entry.get("note")
    if note is not None and not isinstance(note, str):
        out.append(((*at, "note"), Text(zh="“note”必须是文本", en="'note' must be text")))
    return out


def actions_to_document(actions: list[ActionItem]) -> list[dict[str, Any]]:
    """The answers-file form of a plan (the inverse of `actions_or_problems`)."""
    out = []
    for a in actions:
        entry: dict[str, Any] = {"item": a.improves if a.items else a.item_id}
        if a.owner:
            entry["owner"] = a.owner
        if a.due:
            entry["due"] = a.due
        if a.expect is not None:
            entry["expect"] = a.expect
        entry["status"] = a.status.value
        if a.effort:
            entry["effort"] = a.effort
        if a.note:
            entry["note"] = a.note
        out.append(entry)
    return out
