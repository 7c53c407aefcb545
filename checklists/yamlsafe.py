"""Safe YAML reading with line marks, shared by templates and answers files.

`yaml.safe_load` alone silently keeps the last of two duplicate keys and expands aliases without
limit; both hide mistakes or invite a "billion laughs" file, so this reader refuses them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import Problem

MAX_BYTES = 1_000_000
# libyaml when installed: the same safe loader, about ten times faster on the shipped templates
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_DEPTH = 30

Path_ = tuple[Any, ...]


class YamlDocument:
    """The parsed data plus a way to find the line of any field path in it."""

    def __init__(self, data: Any, node: yaml.Node | None, file: str):
        self.data = data
        self.node = node
        self.file = file

    def line_of(self, path: Path_) -> int | None:
        """1-based line of the deepest node along `path` that exists."""
        node = self.node
        line = node.start_mark.line + 1 if node is not None else None
        for key in path:
            if isinstance(node, yaml.MappingNode):
                nxt = None
                for k, v in node.value:
                    if k.value == key or (isinstance(key, str) and k.value == key.rstrip("_")):
                        nxt = (k, v)
                        break
                if nxt is None:
                    return line
                # a scalar value is best found on its key's line; a block on its own start line
                node = nxt[1]
                line = (nxt[0] if isinstance(node, yaml.ScalarNode) else node).start_mark.line + 1
            elif isinstance(node, yaml.SequenceNode) and isinstance(key, int):
                if key >= len(node.value):
                    return line
                node = node.value[key]
                line = node.start_mark.line + 1
            else:
                return line
        return line

    def problem(self, path: Path_, message: str) -> Problem:
        return Problem(self.file, self.line_of(path), format_path(path), message)


def format_path(path: Path_) -> str:
    out = ""
    for key in path:
        if isinstance(key, int):
            out += f"[{key}]"
        else:
            out += ("." if out else "") + str(key)
    return out


def _check_tree(node: yaml.Node, file: str, depth: int, problems: list[Problem]) -> None:
    if depth > MAX_DEPTH:
        problems.append(Problem(file, node.start_mark.line + 1, "", f"nesting deeper than {MAX_DEPTH} levels"))
        return
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for k, v in node.value:
            if not isinstance(k, yaml.ScalarNode):
                problems.append(Problem(file, k.start_mark.line + 1, "",
                                        "a key must be plain text, not a list or a mapping"))
                continue
            key = k.value
            if key in seen:
                problems.append(Problem(file, k.start_mark.line + 1, str(key),
                                        f"duplicate key '{key}' (first on line {seen[key]})"))
            else:
                seen[key] = k.start_mark.line + 1
            _check_tree(v, file, depth + 1, problems)
    elif isinstance(node, yaml.SequenceNode):
        for v in node.value:
            _check_tree(v, file, depth + 1, problems)


def parse_yaml_text(text: str, file: str) -> YamlDocument:
    """Parse one YAML document; raise `YamlProblems` with located problems on any failure."""
    if len(text.encode("utf-8", errors="replace")) > MAX_BYTES:
        raise YamlProblems([Problem(file, None, "", f"file is larger than {MAX_BYTES // 1000} kB")])
    try:
        for event in yaml.parse(text, Loader=_LOADER):
            if isinstance(event, yaml.AliasEvent):
                raise YamlProblems([Problem(file, event.start_mark.line + 1, "",
                                            "YAML aliases (*name) are not allowed; write the value out")])
        node = yaml.compose(text, Loader=_LOADER)
    except YamlProblems:
        raise
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else None
        msg = " ".join(x for x in (e.context, e.problem) if x) or "invalid YAML"
        raise YamlProblems([Problem(file, line, "", f"invalid YAML: {msg}")]) from None
    except yaml.YAMLError as e:
        raise YamlProblems([Problem(file, None, "", f"invalid YAML: {e}")]) from None
    except RecursionError:
        raise YamlProblems([Problem(file, None, "", "nesting too deep")]) from None
    if node is None:
        raise YamlProblems([Problem(file, None, "", "the file is empty")])
    problems: list[Problem] = []
    _check_tree(node, file, 0, problems)
    if problems:
        raise YamlProblems(problems)
    try:
        data = yaml.load(text, Loader=_LOADER)  # a safe loader: no tags, no objects
    except yaml.MarkedYAMLError as e:  # e.g. an unknown tag (!foo, !!python/…) or a bad !!timestamp
        mark = e.problem_mark or e.context_mark
        raise YamlProblems([Problem(file, mark.line + 1 if mark else None, "",
                                    f"invalid YAML: {e.problem or e.context or 'cannot read a value'}")]) from None
    except (yaml.YAMLError, ValueError, TypeError, OverflowError) as e:
        raise YamlProblems([Problem(file, None, "", f"invalid YAML value: {e}")]) from None
    return YamlDocument(data, node, file)


def read_yaml_file(path: str | Path) -> YamlDocument:
    path = Path(path)
    file = str(path)
    try:
        size = path.stat().st_size
    except OSError as e:
        raise YamlProblems([Problem(file, None, "", f"cannot read the file: {e.strerror}")]) from None
    if size > MAX_BYTES:
        raise YamlProblems([Problem(file, None, "", f"file is larger than {MAX_BYTES // 1000} kB")])
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise YamlProblems([Problem(file, None, "", f"the file is not UTF-8 text (byte {e.start})")]) from None
    return parse_yaml_text(text, file)


class YamlProblems(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))
