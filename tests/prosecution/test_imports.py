"""The shape of the imports (issue 12; docs/README.md "Architecture"):

- no cycle among the modules of prosecution/, appeals/ and legal_statistics/ through their
  module-level imports (a cycle works only by the order in which modules happen to load);
- prosecution imports none of the apps built on it;
- Celery goes one way: a service imports its tasks at module level, a task imports services
  inside its body; any other import inside a function says in a comment (on its line or the line
  above) what it avoids.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("prosecution", "appeals", "legal_statistics", "supervision", "acts")
# Where an import inside a function is the rule, not the exception: Celery tasks (Celery's way),
# AppConfig.ready (models and receivers load once the registry is ready), migrations (frozen in
# time) and management commands (loaded on demand).
FUNCTION_IMPORTS_ALLOWED = ("tasks.py", "apps.py")
# The project's own configuration, which lives in the prosecution package beside the app: the root
# URLconf mounts every app's URLs.
PROJECT_MODULES = {"prosecution.urls"}


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts:
                continue
            parts = list(relative.with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _targets(node: ast.ImportFrom | ast.Import, module: str) -> set[str]:
    """The project's modules an import statement loads (a package's __init__, and a submodule
    named in `from package import submodule`)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:  # relative: from . import x
            parent = module.split(".")
            if MODULES[module].name != "__init__.py":
                parent = parent[:-1]
            parent = parent[: len(parent) - (node.level - 1)]
            base = ".".join([*parent, base] if base else parent)
        submodules = [f"{base}.{alias.name}" for alias in node.names]
        # `from package import submodule` loads the package's __init__ as any import of a
        # submodule does; an edge to it only when a name is taken from the __init__ itself.
        names = submodules + ([base] if not all(s in MODULES for s in submodules) else [])
    return {name for name in names if name in MODULES}


def _module_level_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    found = []
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        elif isinstance(node, ast.Try) or (
            isinstance(node, ast.If) and not _is_type_checking(node.test)
        ):
            found += [n for n in ast.walk(node) if isinstance(n, ast.Import | ast.ImportFrom)]
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return isinstance(test, ast.Name) and test.id == "TYPE_CHECKING"


def _graph() -> dict[str, set[str]]:
    graph = {}
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(), str(path))
        edges = set()
        for node in _module_level_imports(tree):
            edges |= _targets(node, module)
        edges.discard(module)
        graph[module] = edges
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_module_imports_its_way_back_to_itself():
    assert _cycles(_graph()) == []


def test_a_found_cycle_is_reported():
    """The detector itself: a -> b -> c -> a is one cycle, d on its own is none."""
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]


def test_prosecution_imports_none_of_the_apps_built_on_it():
    graph = _graph()
    upward = {
        (module, target)
        for module, targets in graph.items()
        if module.startswith("prosecution") and module not in PROJECT_MODULES
        for target in targets
        if not target.startswith("prosecution")
    }
    assert upward == set()


def _function_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    module_level = set(map(id, _module_level_imports(tree)))
    for node in tree.body:  # imports for the type checker only: never run
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            module_level |= {id(n) for n in ast.walk(node)}
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom) and id(node) not in module_level
    ]


def test_an_import_inside_a_function_says_why():
    unexplained = []
    for module, path in MODULES.items():
        if path.name in FUNCTION_IMPORTS_ALLOWED or "management" in path.parts:
            continue
        text = path.read_text()
        lines = text.splitlines()
        tree = ast.parse(text, str(path))
        for node in _function_imports(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "__future__":
                continue
            here = lines[node.lineno - 1]
            above = lines[node.lineno - 2].strip() if node.lineno > 1 else ""
            if "#" not in here and not above.startswith("#"):
                unexplained.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert unexplained == []


def test_services_import_tasks_and_tasks_import_no_service_at_module_level():
    graph = _graph()
    tasks = [module for module in graph if module.endswith(".tasks")]
    assert tasks, "no tasks module found: the test would prove nothing"
    for module in tasks:
        assert graph[module] <= {m for m in graph if m.endswith((".models", ".tasks"))} | {
            m for m in graph if ".models." in m or m.endswith(".lib.errors")
        }, module
