"""The test suite's settings: Minzheng's own, plus the fictional procedure of
tests/procedures/fiction, which shows that a procedure is declared with the platform alone."""

import tempfile
from pathlib import Path

from minzheng.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.procedures.fiction"]  # noqa: F405

# Every audit action the suite records must be declared with its Chinese label (events.py).
AUDIT_DECLARED_ACTIONS_ONLY = True

# Django's test flush empties PostgreSQL's tables with one TRUNCATE, which the audit tables
# refuse unless the session asks for it (audit/migrations/0003_refuse_truncate.py).
_ALLOW_FLUSH = "-c minzheng.audit_truncate=allow"
if DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = _ALLOW_FLUSH  # noqa: F405

# Each test process anchors its audit chains in a file of its own (a test database is new each
# run; an anchor left in var/ would describe another chain).
AUDIT_ANCHOR_FILE = Path(tempfile.mkdtemp(prefix="minzheng-anchor-")) / "audit-anchor.jsonl"
