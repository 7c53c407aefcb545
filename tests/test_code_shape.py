"""Code shape: no production function is longer than 60 lines, none more complex than 20.

Production is every Python file outside tests/ and bench/. The frozen migration steps `_v<N>` in
storage/migrations.py are exempt: they record history and are never edited. Length is measured
with `ast` as end_lineno - lineno + 1 (decorators not counted, docstring and comments counted).
There is no allow-list: every function, old or new, keeps the limit. Cyclomatic complexity is
ruff's C901 (mccabe) with the maximum set in pyproject.toml, which `.ci/run` checks on the whole code.
"""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 60
SKIP_DIRS = {"tests", "bench", ".git", ".venv", "venv", "node_modules", "__pycache__"}
MIGRATION_STEP = re.compile(r"_v\d+")


def _production_files(root: Path = ROOT) -> list[Path]:
    return sorted(p for p in root.rglob("*.py")
                  if not SKIP_DIRS.intersection(p.relative_to(root).parts[:-1]))


def long_functions(source: str, rel: str, limit: int = LIMIT) -> dict[str, int]:
    """`file:qualified.name` -> length for every function in `source` longer than `limit` lines."""
    out: dict[str, int] = {}

    def walk(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                name = prefix + child.name
                length = (child.end_lineno or child.lineno) - child.lineno + 1
                exempt = rel == "storage/migrations.py" and MIGRATION_STEP.fullmatch(child.name)
                if length > limit and not exempt:
                    out[f"{rel}:{name}"] = length
                walk(child, name + ".")
            elif isinstance(child, ast.ClassDef):
                walk(child, prefix + child.name + ".")
            else:
                walk(child, prefix)

    walk(ast.parse(source), "")
    return out


def over_limit(root: Path = ROOT) -> dict[str, int]:
    """Every production function under `root` longer than the limit, with its length."""
    found: dict[str, int] = {}
    for path in _production_files(root):
        rel = path.relative_to(root).as_posix()
        found.update(long_functions(path.read_text(encoding="utf-8"), rel))
    return found


def test_no_production_function_over_60_lines():
    found = over_limit()
    assert not found, "functions over 60 lines (split them into named steps):\n" + "\n".join(
        f"  {k}: {v} lines" for k, v in sorted(found.items()))


def test_the_check_fails_on_a_long_production_function_and_ignores_tests(tmp_path):
    """The gate itself can fail: a tree with one long production function is reported; the same
    function in tests/ or bench/, or as a frozen migration step, is not."""
    body = "\n".join(f"    x{i} = {i}" for i in range(60))
    long = f"def long():\n{body}\n"
    for rel in ("pkg/mod.py", "tests/test_mod.py", "bench/run.py", "pkg/tests/helper.py"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(long, encoding="utf-8")
    (tmp_path / "storage").mkdir()
    (tmp_path / "storage" / "migrations.py").write_text(long.replace("def long", "def _v9"), encoding="utf-8")
    (tmp_path / "short.py").write_text("def short():\n    return 1\n", encoding="utf-8")
    assert over_limit(tmp_path) == {"pkg/mod.py:long": 61}
    (tmp_path / "pkg" / "mod.py").write_text("def long():\n    return 1\n", encoding="utf-8")
    assert over_limit(tmp_path) == {}


def test_complexity_limit_is_checked_at_20():
    """ruff's C901 is selected and its maximum is 20, so `ruff check .` fails on a more complex function."""
    lint = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["ruff"]["lint"]
    assert "C901" in lint["select"] and "C901" not in lint.get("ignore", [])
    assert lint["mccabe"]["max-complexity"] == 20
    assert "python -m ruff check ." in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_scan_covers_production_and_skips_tests():
    files = {p.relative_to(ROOT).as_posix() for p in _production_files()}
    assert "cli.py" in files and "scoring/readiness.py" in files and "storage/migrations.py" in files
    assert not any(f.startswith(("tests/", "bench/")) for f in files)


def test_a_long_function_is_reported_and_a_short_one_is_not():
    body = "\n".join(f"    x{i} = {i}" for i in range(60))
    sample = f"def long():\n{body}\n\n\ndef short():\n    return 1\n\n\nclass C:\n    def meth(self):\n{body.replace('    ', '        ')}\n"
    found = long_functions(sample, "pkg/mod.py")
    assert found == {"pkg/mod.py:long": 61, "pkg/mod.py:C.meth": 61}
    assert long_functions("def f():\n" + "\n".join(f"    y{i} = {i}" for i in range(59)), "m.py") == {}


def test_migration_steps_are_exempt_only_in_migrations():
    body = "\n".join(f"    x{i} = {i}" for i in range(70))
    sample = f"def _v3(conn):\n{body}\n\n\ndef upgrade(conn):\n{body}\n"
    assert long_functions(sample, "storage/migrations.py") == {"storage/migrations.py:upgrade": 71}
    assert long_functions(sample, "storage/other.py") == {"storage/other.py:_v3": 71, "storage/other.py:upgrade": 71}


def class_homes(root: Path = ROOT) -> dict[str, list[str]]:
    """Top-level class name -> the production modules that define a class of that name."""
    homes: dict[str, list[str]] = {}
    for path in _production_files(root):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef):
                homes.setdefault(node.name, []).append(path.relative_to(root).as_posix())
    return homes


def test_no_two_modules_define_a_class_of_the_same_name():
    """One name, one type: a second `Threshold` or `_Frozen` means two definitions of one thing (import
    the first) or two things under one name (rename one so the name says what it is)."""
    twice = {name: files for name, files in class_homes().items() if len(files) > 1}
    assert not twice, "classes defined in more than one module:\n" + "\n".join(
        f"  {name}: {', '.join(files)}" for name, files in sorted(twice.items()))


def test_a_class_name_defined_twice_is_found(tmp_path):
    (tmp_path / "a.py").write_text("class Threshold:\n    pass\n\n\nclass Only:\n    pass\n", encoding="utf-8")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "c.py").write_text("class Threshold:\n    pass\n", encoding="utf-8")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_c.py").write_text("class Only:\n    pass\n", encoding="utf-8")
    homes = class_homes(tmp_path)
    assert homes["Threshold"] == ["a.py", "b/c.py"]
    assert homes["Only"] == ["a.py"]
