"""The batch package's layers, read from the source: the runners' facade imports the local and
Spark runners, the Spark jobs import the local runner where they fall back to it, and no import
(at module level or inside a function) closes a circle through the package."""

import ast
from pathlib import Path

import minzheng

SOURCE = Path(minzheng.__file__).parent


def _imports() -> dict[str, set[str]]:
    """Each module of minzheng and the modules of minzheng it imports, anywhere in it."""
    modules = {}
    for path in SOURCE.rglob("*.py"):
        parts = ("minzheng", *path.relative_to(SOURCE).with_suffix("").parts)
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path

    def known(name: str) -> str:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name

    found = {}
    for name, path in modules.items():
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets |= {known(alias.name) for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                targets |= {known(f"{node.module}.{alias.name}") for alias in node.names}
        found[name] = {t for t in targets if t and t != name and not name.startswith(t + ".")}
    return found


def _reaches(imports: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for target in imports[todo.pop()] - seen:
            seen.add(target)
            todo.append(target)
    return seen


def test_no_batch_module_is_in_an_import_circle():
    imports = _imports()
    batch = [name for name in imports if name.startswith("minzheng.batch")]
    circles = [name for name in batch if name in _reaches(imports, name)]
    assert len(batch) == 11 and circles == []  # apps.py registers the runners


def test_the_spark_jobs_never_import_the_runners_facade():
    imports = _imports()
    spark = [name for name in imports if name.startswith("minzheng.batch.spark")]
    assert len(spark) == 7
    assert [name for name in spark if "minzheng.batch.runners" in imports[name]] == []
