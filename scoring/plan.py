"""The action plan's model: what the organisation will do about a gap, by when, and to what effect.

An action is keyed by the item it was opened for (`item_id`); it may improve further items (`items`)
and states the answer it is expected to bring (`expect`, e.g. "yes" where "no" is today). The
projection (`scoring.projection`) reads the expected answers; an action without one is tracked but
changes no projected score.
"""

from __future__ import annotations

from enum import Enum
from typing import Literal, Union

from pydantic import BaseModel, ConfigDict, Field

Effort = Literal["S", "M", "L"]
EFFORTS: tuple[str, ...] = ("S", "M", "L")
ExpectValue = Union[str, int, float, list[str], None]


class ActionStatus(str, Enum):
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
