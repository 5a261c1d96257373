"""The import graph of ``shared/aktina_ml`` has no cycle.

Read statically from the source (ast): every ``import`` and ``from ... import``, at module level
or inside a function (lazy), counts; imports under ``if TYPE_CHECKING:`` do not (they never
run: annotations only). A cycle means no layer can be read, tested or moved alone.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "shared" / "aktina_ml"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _type_checking_only(tree: ast.AST) -> set[int]:
    """The ids of the nodes under ``if TYPE_CHECKING:``."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(inner) for statement in node.body for inner in ast.walk(statement))
    return skipped


def imported_names(name: str, path: Path) -> set[str]:
    """Every dotted name ``name``'s module imports (``from a import b`` gives a and a.b)."""
    tree = ast.parse(path.read_text(), str(path))
    skipped = _type_checking_only(tree)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package[: len(package) - node.level + 1], *filter(None, [base])])
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def import_graph() -> dict[str, set[str]]:
    """Module → the package's modules it imports (a name resolves to its longest module)."""
    known = modules()

    def resolve(dotted: str) -> str | None:
        while dotted and dotted not in known:
            dotted = dotted.rpartition(".")[0]
        return dotted or None

    graph: dict[str, set[str]] = {}
    for name, path in known.items():
        targets = {resolve(d) for d in imported_names(name, path) if d.startswith("aktina_ml")}
        graph[name] = {t for t in targets if t is not None and t != name}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One cycle as a path that ends where it starts, or [] when there is none."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        state[node] = 2
        path.pop()
        return []

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return []


def test_the_package_import_graph_has_no_cycle() -> None:
    # Given the package's modules and the imports each makes, lazy ones included
    graph = import_graph()
    assert "aktina_ml.model_store.store" in graph
    # Then no module reaches itself again through them
    cycle = find_cycle(graph)
    assert not cycle, "import cycle: " + " → ".join(cycle)


def test_config_and_the_model_packages_do_not_import_the_registry() -> None:
    # Given the registry, which imports every model kind
    graph = import_graph()
    # Then the settings and the model packages never reach it (each kind names itself)
    below = [
        name
        for name in graph
        if name == "aktina_ml.config"
        or name.startswith(("aktina_ml.forecasting", "aktina_ml.segmentation"))
    ]
    assert [name for name in below if "aktina_ml.registry" in graph[name]] == []


@pytest.mark.parametrize(
    ("graph", "cycle"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, ["a", "b", "c", "a"]),
        ({"a": {"b"}, "b": set(), "c": {"a", "b"}}, []),
    ],
)
def test_the_cycle_finder_finds_a_cycle_and_only_a_cycle(
    graph: dict[str, set[str]], cycle: list[str]
) -> None:
    # Given a small graph, Then the finder names its cycle (or none)
    assert find_cycle(graph) == cycle


def test_a_lazy_import_inside_a_function_counts(tmp_path: Path) -> None:
    # Given a module importing another only inside a function, and one under TYPE_CHECKING
    source = tmp_path / "lazy.py"
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from aktina_ml.config import Settings\n"
        "def f():\n    from aktina_ml.registry import KINDS\n    return KINDS\n"
    )
    # Then the lazy import is an edge and the annotation-only one is not
    names = imported_names("aktina_ml.lazy", source)
    assert "aktina_ml.registry" in names
    assert "aktina_ml.config" not in names
