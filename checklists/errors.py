"""Named errors of the content layer; each door (app, CLI) turns them into a message."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a file, located so an author can go straight to it."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" [{self.field}]" if self.field else ""
        return f"{where}{field}: {self.message}"


def clip(text: str, limit: int = 80) -> str:
    """Text from a file as quoted in a message: cut, so one 10 000-character value cannot flood a
    terminal or a page."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


class TemplateError(Exception):
    """A template file that cannot be used; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


# The start of the message of a problem that no rule of a reader describes: a bug in the reader.
INTERNAL_ERROR = "internal error reading"


@contextmanager
def last_resort(file: str, error: Callable[[list[Problem]], BaseException],
                named: tuple[type[BaseException], ...]) -> Iterator[None]:
    """A reader's belt: an exception that is not one of its `named` errors becomes `error` with one
    located problem, so a user sees which file failed instead of a traceback.

    Every known kind of bad input is refused by a rule before it gets here; the corpus tests assert
    that this never fires on any of their inputs.
    """
    try:
        yield
    except named:
        raise
    except Exception as e:  # noqa: BLE001 - the point of a last resort
        message = f"{INTERNAL_ERROR} {file}: {type(e).__name__}: {e}"[:500]
        raise error([Problem(file, None, "", message)]) from e
