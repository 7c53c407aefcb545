"""Named errors of the content layer; each door (app, CLI) turns them into a message.

`Problem` is the one located-problem type of every reader (templates, answers files, vendor sheets,
backups, imports): the file, the line, the field and the message in both languages. `plain_words`
is the one translation of pydantic's validation errors into words an author understands.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from .base import Text


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a file, located so an author can go straight to it. `message` is the
    English wording (what `str()` and the command line show), `zh` the Chinese one; `field_zh` names
    the field in Chinese where its name has words (a spreadsheet's "column C")."""

    file: str
    line: int | None
    field: str
    message: str
    zh: str | None = None
    field_zh: str | None = None

    @classmethod
    def of(cls, file: str, line: int | None, field: str, message: Text | str,
           field_zh: str | None = None) -> Problem:
        if isinstance(message, Text):
            return cls(file, line, field, message.en, message.zh, field_zh)
        return cls(file, line, field, message, None, field_zh)

    def text(self, lang: str) -> str:
        """The message alone, in `lang` (English where no Chinese wording exists)."""
        return self.zh if lang == "zh" and self.zh else self.message

    def located(self, lang: str = "en") -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        name = self.field_zh if lang == "zh" and self.field_zh else self.field
        field = f" [{name}]" if name else ""
        return f"{where}{field}{'：' if lang == 'zh' else ': '}{self.text(lang)}"

    def __str__(self) -> str:
        return self.located("en")


def plain_words(err: Any, phases: tuple[str, ...] = ()) -> Text:
    """A pydantic error (one entry of `ValidationError.errors()`) in words an author understands, in
    both languages. Every reader translates pydantic's errors with this one function."""
    kind = err["type"]
    loc = err.get("loc") or ()
    last = clip(str(loc[-1])) if loc else ""
    ctx = err.get("ctx") or {}
    raw = err.get("input")
    # a list or mapping is not quoted (it can be a whole block of the file)
    listish = isinstance(raw, (dict, list))
    got_en = "a list or mapping" if listish else clip(repr(raw))
    got_zh = "列表或映射" if listish else clip(repr(raw))
    text = "a list or mapping" if listish else clip(str(raw))
    limit = next(iter(ctx.values()), "") if ctx else ""
    limit = f"{limit:g}" if isinstance(limit, (int, float)) and not isinstance(limit, bool) else limit
    if kind == "extra_forbidden":
        return Text(zh=f"未知的键“{last}”", en=f"unknown key '{last}'")
    if kind == "missing":
        if last in ("zh", "en"):
            return Text(zh=f"缺少译文“{last}”", en=f"missing translation '{last}'")
        return Text(zh=f"缺少必填字段“{last}”", en=f"missing required field '{last}'")
    bounds = {"greater_than": ("大于", "greater than"), "greater_than_equal": ("至少为", "at least"),
              "less_than_equal": ("至多为", "at most"), "less_than": ("小于", "less than")}
    if kind in bounds:
        zh, en = bounds[kind]
        return Text(zh=f"必须{zh} {limit}（实际为 {got_zh}）", en=f"must be {en} {limit} (got {got_en})")
    if kind == "finite_number":
        return Text(zh=f"必须是有限的数（实际为 {got_zh}）", en=f"must be a finite number (got {got_en})")
    if kind == "literal_error" and last == "id" and phases:
        return Text(zh=f"阶段“{text}”不是五个阶段之一：{', '.join(phases)}",
                    en=f"phase '{text}' is not one of the five phases: {', '.join(phases)}")
    if kind == "string_pattern_mismatch":
        return Text(zh=f"“{text}”不是有效的 id（小写字母、数字、_ 和点）",
                    en=f"'{text}' is not a valid id (lowercase letters, digits, _ and dots)")
    if kind == "string_too_short":
        return Text(zh="不能为空", en="must not be empty")
    if kind in ("string_too_long", "too_long"):
        return Text(zh=f"过长（最多 {ctx.get('max_length')}）", en=f"too long (at most {ctx.get('max_length')})")
    if kind == "too_short":
        return Text(zh=f"“{last}”至少需要 {ctx.get('min_length', 1)} 项",
                    en=f"'{last}' needs at least {ctx.get('min_length', 1)} entry")
    if kind == "value_error":
        error = ctx.get("error", err.get("msg", ""))
        message = getattr(error, "message", None)
        if isinstance(message, Text):
            return message
        return Text(zh=f"取值无效：{error}", en=str(error))
    shown_en = f" (got {got_en})" if "input" in err and not listish else ""
    shown_zh = f"（实际为 {got_zh}）" if "input" in err and not listish else ""
    expected = next((zh for prefix, zh in _EXPECTED_ZH if kind.startswith(prefix)), "类型或取值不符合要求")
    return Text(zh=f"{expected}{shown_zh}", en=f"{err.get('msg', kind)}{shown_en}")


# the Chinese wording of pydantic's type errors, by the start of the error's kind (the English one is pydantic's)
_EXPECTED_ZH: tuple[tuple[str, str], ...] = (
    ("timezone_aware", "时间必须带时区"), ("timezone_naive", "时间不能带时区"),
    ("datetime", "必须是日期时间（如 2027-01-31T09:00:00+00:00）"), ("date", "必须是日期（YYYY-MM-DD）"),
    ("string", "必须是文本"), ("int", "必须是整数"), ("float", "必须是数"), ("bool", "必须是 true 或 false"),
    ("list", "必须是列表"), ("dict", "必须是映射"), ("none_required", "必须为空"),
)


def clip(text: str, limit: int = 80) -> str:
    """Text from a file as quoted in a message: cut, so one 10 000-character value cannot flood a
    terminal or a page."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


class LocatedError(Exception):
    """The shape of every reader's refusal: `located` holds every problem found (not just the first),
    each in both languages; `texts(lang)` words them for a page or a terminal in one language, and
    `str()` is the English lines."""

    def __init__(self, located: list[Problem]):
        self.located = list(located)
        super().__init__("\n".join(self.texts("en")))

    def texts(self, lang: str) -> list[str]:
        """Every problem in `lang`, each with its place (a problem of no file: its message alone)."""
        return [p.located(lang) if p.file else p.text(lang) for p in self.located]


class TemplateError(LocatedError):
    """A template file that cannot be used; `problems` (the same as `located`) are every problem found."""

    def __init__(self, problems: list[Problem]):
        super().__init__(problems)
        self.problems = self.located


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
    except Exception as e:
        message = f"{INTERNAL_ERROR} {file}: {type(e).__name__}: {e}"[:500]
        raise error([Problem(file, None, "", message, f"读取时发生内部错误：{message}")]) from e
