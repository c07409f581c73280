"""The scoring engine's never-rules, read from the source (issue 20).

- nothing outside ``labourint_match.scoring`` imports the kernels (``scoring._kernels``): the
  :class:`~labourint_match.scoring.engine.Scorer` is their typed public twin; the only exceptions
  are the white-box kernel tests under ``tests/scoring`` (listed below, with reasons);
- the modules of the package import one another without a circle (imports at module level,
  those under ``if TYPE_CHECKING:`` included; those inside functions are not counted);
- no module imports another room's private name (below); no module is over 900 lines;
- ``docs/architecture.md`` names every room, and its rooms table lists what each imports (every
  import counted, read from the code).

The rooms are the entries of ``labourint_match``: each subpackage (``scoring``, its ``_kernels``
included; ``profiles``; ``resolve``; ...) is one room, and so is each module at the top level
(``matcher``, ``distributed``, ``_ids``, ...). Within a room, modules share private names
(``resolve/_extract.py`` imports ``_normalise``'s helpers); across rooms, a shared helper is a
public name (``profiles.id_problem``, ``_placement_source.PlacementSource``). A private *module*
may be imported across rooms (``from ..taxonomy._compiled import KIND_NAMES``): the rule is on
private names, ``_x`` imported from a module, not on the paths that lead to public ones.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Collection
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
PACKAGE = SRC / "labourint_match"

#: Files outside scoring/ that import scoring._kernels, and why.
KERNEL_IMPORT_EXCEPTIONS = {
    "tests/scoring/test_bounds.py": "recompiles the ranking kernels' Python source with bounds "
    "checks on",
    "tests/scoring/test_exactness.py": "checks the kernels' own vacancy grouping and score bound",
    "tests/scoring/test_numba_cache.py": "checks that nothing compiles at import",
    "tests/scoring/test_parallel.py": "checks the kernels' split over threads (parts, split_run) "
    "and that no kernel is compiled parallel",
}


#: Private names imported across rooms: (importer, module, name) -> why (each must still exist).
PRIVATE_IMPORT_EXCEPTIONS: dict[tuple[str, str, str], str] = {}

#: The longest a module of the package may be, in lines.
MAX_MODULE_LINES = 900

#: Import circles known and left for now, and why (each must still exist).
KNOWN_CIRCLES = {
    ("labourint_match.resolve._extract", "labourint_match.resolve._resolver"): "_extract imports "
    "the resolver's types; the resolver names _extract's only in annotations (TYPE_CHECKING) and "
    "imports it inside the extract methods",
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def _package_of(path: Path) -> str:
    """The package a module's relative imports are resolved against."""
    name = _module_name(path) if path.is_relative_to(SRC) else ""
    return name if _is_package(path) else name.rpartition(".")[0]


def _from_module(node: ast.ImportFrom, package: str) -> str:
    """The absolute name of the module in ``from … import``, a relative one resolved."""
    if not node.level:
        return node.module or ""
    base = package.split(".")
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _resolve(target: str, modules: Collection[str]) -> str:
    """The module an imported name belongs to: "x.y" is module x.y if it is one, else module x."""
    while target and target not in modules:
        target = target.rpartition(".")[0]
    return target


def _imports(path: Path, *, top_level_only: bool, typing: bool = True) -> set[str]:
    """Absolute names of the modules `path` imports (relative imports resolved).

    Every nested statement is walked (``try``/``except``, ``with``, ``match`` … included).
    `top_level_only`: not those inside functions and classes; `typing`: with those under
    ``if TYPE_CHECKING:``.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = _package_of(path)
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if top_level_only and isinstance(
            node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
        ):
            return
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test) and not typing:
            for other in node.orelse:
                visit(other)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            stem = _from_module(node, package)
            found.add(stem)
            found.update(f"{stem}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def test_imports_are_read_in_every_nested_statement(tmp_path: Path) -> None:
    source = tmp_path / "nested.py"
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "try:\n    import a_try\nexcept ImportError:\n    import a_except\n"
        "    try:\n        pass\n    except ValueError:\n        import a_deeper\n"
        "else:\n    import a_else\nfinally:\n    import a_finally\n"
        "with open(__file__):\n    import a_with\n"
        "match 1:\n    case 1:\n        import a_case\n"
        "if TYPE_CHECKING:\n    import a_typing\nelse:\n    import a_runtime\n"
        "def f():\n    import in_function\n"
        "class C:\n    import in_class\n",
        encoding="utf-8",
    )
    top = {"a_try", "a_except", "a_deeper", "a_else", "a_finally", "a_with", "a_case",
           "a_runtime"}  # fmt: skip
    typing = {"typing", "typing.TYPE_CHECKING"}
    assert _imports(source, top_level_only=True) - typing == top | {"a_typing"}
    assert _imports(source, top_level_only=True, typing=False) - typing == top
    everywhere = _imports(source, top_level_only=False) - typing
    assert everywhere == top | {"a_typing", "in_function", "in_class"}


def _imports_kernels(path: Path) -> bool:
    """Whether `path` imports ``scoring._kernels``, in its code or in code it runs from a string."""
    text = path.read_text(encoding="utf-8")
    names = _imports(path, top_level_only=False)
    return any(n.startswith("labourint_match.scoring._kernels") for n in names) or any(
        s in text for s in ("scoring._kernels", "scoring import _kernels")
    )


def test_nothing_outside_scoring_imports_the_kernels() -> None:
    offenders = []
    for folder in ("src", "tests", "benchmarks", "docs"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if rel.startswith("src/labourint_match/scoring/") or rel in KERNEL_IMPORT_EXCEPTIONS:
                continue
            if rel == "tests/test_architecture.py":
                continue
            if _imports_kernels(path):
                offenders.append(rel)
    assert offenders == []
    for rel in KERNEL_IMPORT_EXCEPTIONS:  # each exception is still needed (or is removed here)
        assert _imports_kernels(ROOT / rel), rel


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        edges = set()
        for target in _imports(path, top_level_only=True):
            target = _resolve(target, modules)
            if target and target != name and not name.startswith(f"{target}."):
                edges.add(target)
        graph[name] = edges
    return graph


def test_the_package_has_no_import_circle() -> None:
    graph = _graph()
    assert "labourint_match.matcher" in graph
    assert "labourint_match.scoring.engine" in graph
    state: dict[str, int] = {}
    circles: list[list[str]] = []

    def walk(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                circles.append([*trail[trail.index(nxt) :], nxt])
            elif nxt not in state:
                walk(nxt, [*trail, nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            walk(node, [node])
    found = {tuple(c[:-1]): c for c in circles}
    unknown = [c for key, c in found.items() if key not in KNOWN_CIRCLES]
    assert unknown == [], "\n".join(" -> ".join(c) for c in unknown)
    assert set(KNOWN_CIRCLES) <= set(found), "a known circle is gone: remove it from the list"


@pytest.mark.parametrize(
    ("module", "forbidden"),
    [
        ("labourint_match.scoring.engine", "labourint_match.matcher"),
        ("labourint_match.scoring.edges", "labourint_match.matcher"),
        ("labourint_match.assignment.plan", "labourint_match.matcher"),
    ],
)
def test_the_data_flows_one_way(module: str, forbidden: str) -> None:
    graph = _graph()
    seen, todo = set(), [module]
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        todo.extend(graph[node])
    assert forbidden not in seen, f"{module} reaches {forbidden}"


def test_the_plan_is_given_no_profiles() -> None:
    # assignment.plan works on ids and arrays: it imports nothing of the profiles itself.
    names = _imports(PACKAGE / "assignment" / "plan.py", top_level_only=False)
    assert not [n for n in names if n.startswith("labourint_match.profiles")]


def _room(module: str) -> str:
    """The room of a module: its subpackage of ``labourint_match``, or itself at the top level."""
    return ".".join(module.split(".")[:2])


def _private_imports(path: Path, modules: set[str]) -> list[tuple[str, str, str]]:
    """(importer, module, name) for each private name `path` imports from the package.

    Every import counts (in functions and under ``if TYPE_CHECKING:`` too); relative imports are
    resolved. A private name that is a module of the package (``from . import _kernels``) is a
    module, not a name, and is not listed.
    """
    importer = _module_name(path)
    package = _package_of(path)
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ImportFrom):
            continue
        stem = _from_module(node, package)
        if stem.partition(".")[0] != PACKAGE.name:
            continue
        for alias in node.names:
            private = alias.name.startswith("_") and not alias.name.startswith("__")
            if private and f"{stem}.{alias.name}" not in modules:
                found.append((importer, stem, alias.name))
    return found


def test_no_module_imports_a_private_name_of_another_room() -> None:
    paths = sorted(PACKAGE.rglob("*.py"))
    modules = {_module_name(p) for p in paths}
    found = [t for p in paths for t in _private_imports(p, modules)]
    # the scan sees private names (shared within rooms): it would see them across rooms
    assert [t for t in found if _room(t[0]) == _room(t[1])]
    across = [t for t in found if _room(t[0]) != _room(t[1])]
    unknown = [t for t in across if t not in PRIVATE_IMPORT_EXCEPTIONS]
    assert unknown == [], "\n".join(f"{a} imports {n} from {m}" for a, m, n in unknown)
    assert set(PRIVATE_IMPORT_EXCEPTIONS) <= set(across), "an exception is gone: remove it"


def test_no_module_is_over_900_lines() -> None:
    lengths = {
        p.relative_to(ROOT).as_posix(): len(p.read_text(encoding="utf-8").splitlines())
        for p in PACKAGE.rglob("*.py")
    }
    assert len(lengths) > 1
    assert {p: n for p, n in lengths.items() if n > MAX_MODULE_LINES} == {}


def _rooms() -> list[str]:
    """The rooms: each subpackage of the package, and each module at its top level."""
    return [
        p.name if p.is_dir() else p.stem
        for p in sorted(PACKAGE.iterdir())
        if (p.is_dir() and (p / "__init__.py").is_file())
        or (p.suffix == ".py" and p.name != "__init__.py")
    ]


def _short_room(module: str) -> str:
    """The room of `module`, from the package: ``labourint_match.scoring.edges`` -> ``scoring``."""
    return _room(module).removeprefix(f"{PACKAGE.name}.")


def _room_imports() -> dict[str, dict[str, set[str]]]:
    """Per room, the other rooms its modules import, each with the modules imported there.

    Every import counts (inside functions and under ``if TYPE_CHECKING:`` too). Modules are named
    from the package (``scoring.edges``; ``scoring`` for the subpackage itself). The package
    root, which re-exports the rooms, is left out.
    """
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    out: dict[str, dict[str, set[str]]] = {}
    for name, path in modules.items():
        if name == PACKAGE.name:
            continue
        here = _short_room(name)
        out.setdefault(here, {})
        for target in _imports(path, top_level_only=False):
            if target.partition(".")[0] != PACKAGE.name:
                continue
            module = _resolve(target, modules)
            there = _short_room(module)
            if there != here:
                short = module.removeprefix(f"{PACKAGE.name}.")
                out[here].setdefault(there, set()).add(short)
    return out


def _page_rows() -> list[tuple[list[str], list[str], bool]]:
    """The rooms table of docs/architecture.md: (rooms, imports named, exact) per row.

    A row is one room (its name in the first cell) whose imports are exactly those named, or the
    helpers' row: the rooms named in its second cell, each importing at most those named.
    """
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = page.split("## The rooms", 1)[1].split("\n## ", 1)[0]
    rooms = set(_rooms())

    def named(cell: str) -> list[str]:
        return [n.rstrip("/") for n in re.findall(r"`([^`]+)`", cell)
                if n.rstrip("/").split(".")[0] in rooms]  # fmt: skip

    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or cells[0] in ("room", "---"):
            continue
        if cells[0] == "helpers":
            rows.append((named(cells[1]), named(cells[2]), False))
        else:
            rows.append((named(cells[0]), named(cells[2]), True))
    return rows


def test_the_architecture_page_names_every_room() -> None:
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    rooms = [
        f"`{p.name}/`" if p.is_dir() else f"`{p.stem}`"
        for p in sorted(PACKAGE.iterdir())
        if (p.is_dir() and (p / "__init__.py").is_file())
        or (p.suffix == ".py" and p.name != "__init__.py")
    ]
    assert "`scoring/`" in rooms
    assert [r for r in rooms if r not in page] == []


def test_the_architecture_page_lists_what_each_room_imports() -> None:
    """Each row's imports column is the room's imports, read from the code.

    A room named alone may be imported anywhere in it; a room named only by modules
    (``scoring.edges``) must be imported through those modules only; every module named must be
    imported. The helpers' row is an upper bound ("at most").
    """
    actual = _room_imports()
    rows = _page_rows()
    described = [room for row_rooms, _, _ in rows for room in row_rooms]
    assert sorted(described) == sorted(_rooms()), "each room has one row (or is a helper)"
    wrong = []
    for row_rooms, names, exact in rows:
        whole = {n for n in names if "." not in n}
        parts = {n for n in names if "." in n}
        named_rooms = whole | {n.split(".")[0] for n in parts}
        for room in row_rooms:
            imported = actual.get(room, {})
            if exact and set(imported) != named_rooms:
                wrong.append(f"{room}: imports {sorted(imported)}, the page says {sorted(names)}")
            elif not exact and not set(imported) <= named_rooms:
                wrong.append(f"{room}: imports {sorted(imported)}, the page says at most "
                             f"{sorted(names)}")  # fmt: skip
            for other, modules in imported.items():
                if other in named_rooms and other not in whole:
                    extra = modules - parts
                    if extra:
                        wrong.append(f"{room}: imports {sorted(extra)}, not named on the page")
        if exact:
            for module in parts:
                imported = actual.get(row_rooms[0], {}).get(module.split(".")[0], set())
                if module not in imported:
                    wrong.append(f"{row_rooms[0]}: the page names {module}, which it does not "
                                 "import")  # fmt: skip
    assert wrong == [], "\n".join(wrong)
