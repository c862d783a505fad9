"""Each app declares its errors (errors.py: code, HTTP status, Chinese message) and its audit
actions (events.py: action, Chinese label); services raise and record only declared ones."""

import re
from pathlib import Path

from minzheng.audit.actions import Action, _kinds, labels
from minzheng.kit.errors import declared_error_codes

SRC = Path(__file__).resolve().parents[1] / "src" / "minzheng"
CHINESE = re.compile(r"[\u4e00-\u9fff]")
# A refusal written out at the raise site instead of a declared code: `raise Conflict("…")`,
# `require_permission(actor, perm, "…")`, or an audit action typed as a string literal.
INLINE_REFUSAL = re.compile(
    r"raise (ValidationFailed|Conflict|NotFound|Forbidden|DomainError)\(\s*f?\"|"
    r"require_permission\([^)]*?,\s*f?\"[^\"]*[\u4e00-\u9fff]"
)
INLINE_ACTION = re.compile(r"\brecord\(\s*f?\"")


def _sources():
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" not in path.parts and path.name not in {"errors.py", "events.py"}:
            yield path, path.read_text(encoding="utf-8")


def test_every_error_code_is_unique_with_a_status_and_a_chinese_message(db):
    codes = [member for kind in declared_error_codes() for member in kind]
    assert len(codes) > 50
    values = [member.code for member in codes]
    assert len(values) == len(set(values)), sorted({v for v in values if values.count(v) > 1})
    for member in codes:
        assert member.status in {400, 403, 404, 409, 422}, member
        assert CHINESE.search(member.message) or member.message.startswith("{"), member


def test_every_audit_action_is_unique_with_a_chinese_label(db):
    actions = [member for kind in _kinds(Action) for member in kind]
    values = [member.value for member in actions]
    assert len(values) == len(set(values)), sorted({v for v in values if values.count(v) > 1})
    assert all(CHINESE.search(member.label) for member in actions)
    assert labels()["case.approve"] == "批准"  # a procedure's step is an action too


def test_apps_raising_or_recording_declare_errors_and_events():
    missing = []
    for app in sorted(p for p in SRC.iterdir() if (p / "apps.py").exists()):
        text = "".join(t for path, t in _sources() if app in path.parents)
        if re.search(r"\b[A-Z][A-Z0-9_]+\.error\(", text) and not (app / "errors.py").exists():
            missing.append(f"{app.name}/errors.py")
        if re.search(r"\brecord\(", text) and not (app / "events.py").exists():
            missing.append(f"{app.name}/events.py")
    assert missing == []


def test_refusals_and_actions_are_declared_not_written_inline():
    inline = [
        f"{path.relative_to(SRC)}:{text.count(chr(10), 0, found.start()) + 1}"
        for path, text in _sources()
        for pattern in (INLINE_REFUSAL, INLINE_ACTION)
        for found in pattern.finditer(text)
    ]
    assert inline == []
