"""Safe YAML reading with line marks, shared by templates and answers files.

`yaml.safe_load` alone silently keeps the last of two duplicate keys and expands aliases without
limit; both hide mistakes or invite a "billion laughs" file, so this reader refuses them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .base import Text
from .errors import LocatedError, Problem

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

    def problem(self, path: Path_, message: Text | str) -> Problem:
        return Problem.of(self.file, self.line_of(path), format_path(path), message)


def format_path(path: Path_) -> str:
    out = ""
    for key in path:
        if isinstance(key, int):
            out += f"[{key}]"
        else:
            out += ("." if out else "") + str(key)
    return out


def _check_tree(node: yaml.Node, file: str, problems: list[Problem]) -> None:
    """Depth, keys, duplicates and aliases, on the composed node graph (no recursion: any depth).

    The composer hands out the anchored node itself for every alias, so a node met twice is an alias
    (and a cycle, or a "billion laughs" graph, is refused on its first repeat without expanding it).
    """
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, int, int]] = [(node, 0, node.start_mark.line + 1)]
    while stack:
        node, depth, line = stack.pop()
        if id(node) in seen:
            problems.append(Problem(file, line, "", "YAML aliases (*name) are not allowed; write the value out",
                                    "不允许使用 YAML 别名（*name）；请直接写出取值"))
            return
        seen.add(id(node))
        if depth > MAX_DEPTH:
            problems.append(Problem(file, node.start_mark.line + 1, "", f"nesting deeper than {MAX_DEPTH} levels",
                                    f"嵌套超过 {MAX_DEPTH} 层"))
            return
        children: list[tuple[yaml.Node, int]] = []
        if isinstance(node, yaml.MappingNode):
            keys: dict[Any, int] = {}
            for k, v in node.value:
                key_line = k.start_mark.line + 1
                if not isinstance(k, yaml.ScalarNode):
                    problems.append(Problem(file, key_line, "", "a key must be plain text, not a list or a mapping",
                                            "键必须是普通文本，不能是列表或映射"))
                    continue
                if k.value in keys:
                    problems.append(Problem(file, key_line, str(k.value),
                                            f"duplicate key '{k.value}' (first on line {keys[k.value]})",
                                            f"重复的键“{k.value}”（首次出现在第 {keys[k.value]} 行）"))
                else:
                    keys[k.value] = key_line
                children.append((v, key_line))
        elif isinstance(node, yaml.SequenceNode):
            children = [(v, v.start_mark.line + 1) for v in node.value]
        # reversed, so problems are found in file order
        stack.extend((child, depth + 1, at) for child, at in reversed(children))


def parse_yaml_text(text: str, file: str) -> YamlDocument:
    """Parse one YAML document; raise `YamlProblems` with located problems on any failure.

    The text is composed once (libyaml when installed), checked as a node graph, and the data are
    constructed from those same nodes by a safe constructor: no tags, no objects.
    """
    if len(text.encode("utf-8", errors="replace")) > MAX_BYTES:
        raise YamlProblems([Problem(file, None, "", f"file is larger than {MAX_BYTES // 1000} kB",
                                        f"文件大于 {MAX_BYTES // 1000} kB")])
    loader = _LOADER(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as e:
            mark = e.problem_mark or e.context_mark
            line = mark.line + 1 if mark else None
            msg = " ".join(x for x in (e.context, e.problem) if x) or "invalid YAML"
            raise YamlProblems([Problem(file, line, "", f"invalid YAML: {msg}", f"YAML 格式错误：{msg}")]) from None
        except yaml.YAMLError as e:
            raise YamlProblems([Problem(file, None, "", f"invalid YAML: {e}", f"YAML 格式错误：{e}")]) from None
        except RecursionError:
            raise YamlProblems([Problem(file, None, "", "nesting too deep", "嵌套过深")]) from None
        if node is None:
            raise YamlProblems([Problem(file, None, "", "the file is empty", "文件是空的")])
        problems: list[Problem] = []
        _check_tree(node, file, problems)
        if problems:
            raise YamlProblems(problems)
        try:
            data = loader.construct_document(node)
        except yaml.MarkedYAMLError as e:  # e.g. an unknown tag (!foo, !!python/…) or a bad !!timestamp
            mark = e.problem_mark or e.context_mark
            raise YamlProblems([Problem(file, mark.line + 1 if mark else None, "",
                                        f"invalid YAML: {e.problem or e.context or 'cannot read a value'}",
                                        f"YAML 格式错误：{e.problem or e.context or '无法读取取值'}")]) from None
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as e:
            raise YamlProblems([Problem(file, None, "", f"invalid YAML value: {e}", f"YAML 取值无效：{e}")]) from None
    finally:
        loader.dispose()
    return YamlDocument(data, node, file)


def read_yaml_file(path: str | Path) -> YamlDocument:
    path = Path(path)
    file = str(path)
    try:
        size = path.stat().st_size
    except OSError as e:
        raise YamlProblems([Problem(file, None, "", f"cannot read the file: {e.strerror}",
                                        f"无法读取文件：{e.strerror}")]) from None
    if size > MAX_BYTES:
        raise YamlProblems([Problem(file, None, "", f"file is larger than {MAX_BYTES // 1000} kB",
                                        f"文件大于 {MAX_BYTES // 1000} kB")])
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as e:  # a folder named like a file, a file removed or locked since the stat
        raise YamlProblems([Problem(file, None, "", f"cannot read the file: {e.strerror}",
                                        f"无法读取文件：{e.strerror}")]) from None
    except UnicodeDecodeError as e:
        raise YamlProblems([Problem(file, None, "", f"the file is not UTF-8 text (byte {e.start})",
                                        f"文件不是 UTF-8 文本（第 {e.start} 个字节）")]) from None
    return parse_yaml_text(text, file)


class YamlProblems(LocatedError):
    """A YAML text that cannot be read; `problems` (the same as `located`) are every problem, located."""

    def __init__(self, problems: list[Problem]):
        super().__init__(problems)
        self.problems = self.located
