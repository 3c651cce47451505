"""The layering docs/architecture.md promises (issue 15): every module of sitegen/ has a row
in its module table, and a module imports only from modules above it, plus `errors`."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).parent.parent
PACKAGE = ROOT / "sitegen"
# Package markers and the entry point: they hold no logic of their own.
NO_ROW = {"__main__", "search", "render", "commands", "serve"}


def table_order() -> dict[str, int]:
    """Module name (dotted, below sitegen) -> its row in the architecture table."""
    order: dict[str, int] = {}
    rows = [
        line
        for line in (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8").splitlines()
        if (line.startswith("| `") and ".py" in line.split("|")[1]) or line.startswith("| `serve/`")
    ]
    for number, row in enumerate(rows):
        package = None
        for name in re.findall(r"`([^`]+)`", row.split("|")[1]):
            name = name.split(" ")[0]
            if "/" in name:
                package, module = name.split("/", 1)
                if module:
                    order.setdefault(f"{package}.{module.removesuffix('.py')}", number)
                else:  # a whole package in one row (serve/)
                    for file in (PACKAGE / package).glob("*.py"):
                        order.setdefault(f"{package}.{file.stem}", number)
            elif name.endswith(".py"):
                order.setdefault(f"{package}.{name[:-3]}" if package else name[:-3], number)
    return order


def module_name(file: Path) -> str:
    name = file.relative_to(PACKAGE).with_suffix("").as_posix().replace("/", ".")
    return name.removesuffix(".__init__")


def imported(file: Path, name: str) -> set[str]:
    """The sitegen modules `file` imports (relative imports: sitegen imports itself only so)."""
    package = name.split(".") if file.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - node.level + 1]
            if node.module:
                found.add(".".join([*base, node.module]))
            else:
                found.update(".".join([*base, alias.name]) for alias in node.names)
    return found


def test_every_module_has_a_row_and_imports_only_from_above() -> None:
    order = table_order()
    missing, upward = [], []
    for file in sorted(PACKAGE.rglob("*.py")):
        name = module_name(file)
        if name in NO_ROW or name == "__init__":
            continue
        if name not in order:
            missing.append(name)
            continue
        for target in imported(file, name):
            if target != "errors" and target in order and order[target] > order[name]:
                upward.append(f"{name} imports {target}")
    assert missing == [], "modules without a row in docs/architecture.md's table"
    assert upward == [], "imports that point up the table"
