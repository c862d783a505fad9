"""The test suite's settings: Minzheng's own, plus the fictional procedure of
tests/procedures/fiction, which shows that a procedure is declared with the platform alone."""

from minzheng.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.procedures.fiction"]  # noqa: F405

# Every audit action the suite records must be declared with its Chinese label (events.py).
AUDIT_DECLARED_ACTIONS_ONLY = True
