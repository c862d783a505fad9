"""The house's rules that no unit test of a feature would catch: each app writes SQL over its
own tables only (another app's data comes through that app's readers), and the import
contracts of pyproject.toml hold (make lint runs them too; this keeps them honest in the
suite's own run)."""

import ast
import re
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "minzheng"
TABLE = re.compile(r"\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\s+\"?([a-z]+)_[a-z_]+\"?", re.IGNORECASE)
APPS = {p.name for p in SRC.iterdir() if (p / "models.py").exists()}


def _sql_tables(path: Path) -> set[str]:
    """The app labels of the tables an SQL string constant of the module names."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found |= {m for m in TABLE.findall(node.value) if m in APPS}
    return found


def test_each_app_writes_sql_over_its_own_tables_only():
    foreign = {}
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        app = path.relative_to(SRC).parts[0]
        others = _sql_tables(path) - {app}
        if others:
            foreign[str(path.relative_to(SRC))] = sorted(others)
    assert foreign == {}


def test_the_sql_scan_sees_a_foreign_table(tmp_path):
    """The scan itself: a query over another app's table is found."""
    module = tmp_path / "probe.py"
    module.write_text('SQL = "SELECT c.id FROM cases_case c JOIN registry_person p ON 1=1"\n')
    assert _sql_tables(module) == {"cases", "registry"}


def test_the_import_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run(
        [str(lint), "--no-cache"], cwd=SRC.parents[1], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout[-4000:]
