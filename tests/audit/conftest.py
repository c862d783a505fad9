import pytest

from minzheng.audit.models import AuditEvent
from minzheng.audit.services import record


@pytest.fixture(autouse=True)
def anchor(settings, tmp_path):
    """Each test's own checkpoint file (never the one of var/ that a demo database uses)."""
    settings.AUDIT_ANCHOR_FILE = tmp_path / "audit-anchor.jsonl"
    return settings.AUDIT_ANCHOR_FILE


@pytest.fixture
def three_events(db):
    record(
        "household.registered",
        object_type="household",
        object_id=1,
        region_code="330122002001",
        after={"address": "幸福路1号", "amount": "930.50"},
    )
    record(
        "household.changed",
        object_type="household",
        object_id=1,
        before={"address": "幸福路1号"},
        after={"address": "幸福路2号"},
        reason="搬迁",
    )
    record("person.revealed", object_type="person", object_id=7)
    return list(AuditEvent.objects.order_by("seq"))
