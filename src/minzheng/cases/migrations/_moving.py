"""The data step of 0005_procedure_layer: every case's periods, program terms, counters and
attachments copied to their new tables, in chunks, before the old columns are dropped.

A period's length is what its stored end says (working days between the start and the end),
so a case decided under a regional limit keeps it. The start of a public notice was not
stored: it is its end less the shipped seven days (only shown, never counted again)."""

from datetime import timedelta

from minzheng.kit.errors import ValidationFailed
from minzheng.kit.workdays import working_days_between

CHUNK = 2000
OPEN = {"submitted", "accepted", "investigated", "reviewed", "publicised", "awaiting"}
DECISION_BASIS = (
    "最低生活保障审核确认办法（民发〔2021〕57号）：30个工作日，特殊情况可延长至45个工作日"
)
COLUMNS = (
    "id", "region_id", "status", "submitted_on", "accepted_on", "due_on", "extended",
    "publicity_ends_on", "decided_on", "ended_on", "emergency", "paperwork_due_on",
    "paperwork_done_on", "support_mode", "care_band", "taper_until",
)  # fmt: skip


def move_to_procedures(apps, schema_editor):
    _counters(apps)
    _attachments(apps)
    Case = apps.get_model("cases", "Case")
    rows = Case.objects.order_by("id").values_list(*COLUMNS)
    batch = []
    for row in rows.iterator(chunk_size=CHUNK):
        batch.append(dict(zip(COLUMNS, row, strict=True)))
        if len(batch) == CHUNK:
            _cases(apps, batch)
            batch = []
    _cases(apps, batch)


def _counters(apps):
    Old, New = apps.get_model("cases", "Counter"), apps.get_model("procedures", "Counter")
    New.objects.bulk_create(
        New(kind=c.kind, region=c.county, year=c.year, last=c.last) for c in Old.objects.all()
    )


def _attachments(apps):
    Old = apps.get_model("cases", "Attachment")
    New = apps.get_model("procedures", "Attachment")
    # keep each upload's own time: this historical model is the migration's own copy
    New._meta.get_field("uploaded_at").auto_now_add = False
    moved = (
        New(
            procedure="case",
            record_id=a.case_id,
            region_id=a.case.region_id,
            kind=a.kind,
            name=a.name,
            file=a.file.name,
            size=a.size,
            sha256=a.sha256,
            uploaded_by_id=a.uploaded_by_id,
            uploaded_at=a.uploaded_at,
        )
        for a in Old.objects.select_related("case").order_by("id").iterator(chunk_size=CHUNK)
    )
    New.objects.bulk_create(moved, batch_size=CHUNK)


def _cases(apps, cases: list[dict]) -> None:
    Deadline = apps.get_model("procedures", "Deadline")
    deadlines = [d for case in cases for d in _periods(Deadline, case)]
    Deadline.objects.bulk_create(deadlines, batch_size=CHUNK)
    Tekun = apps.get_model("cases", "TekunSupport")
    Tekun.objects.bulk_create(
        Tekun(case_id=c["id"], mode=c["support_mode"], care_band=c["care_band"])
        for c in cases
        if c["support_mode"]
    )
    Exit = apps.get_model("cases", "GradualExit")
    Exit.objects.bulk_create(
        Exit(case_id=c["id"], since=_since(apps, c), until=c["taper_until"])
        for c in cases
        if c["taper_until"]
    )


def _since(apps, case: dict):
    """The 复核 that started the gradual exit (the last with that outcome), else its end."""
    Review = apps.get_model("cases", "Review")
    found = Review.objects.filter(case_id=case["id"], outcome="taper").order_by("-reviewed_on")
    first = found.values_list("reviewed_on", flat=True).first()
    return first or case["taper_until"]


def _periods(Deadline, case: dict) -> list:
    found = []
    closed = case["status"] not in OPEN
    if case["due_on"] and case["accepted_on"]:
        found.append(
            Deadline(
                **_common(case, "decision", "办理时限", case["accepted_on"], case["due_on"]),
                basis=DECISION_BASIS,
                extended=case["extended"],
                stopped_on=(case["decided_on"] or case["ended_on"] or case["due_on"])
                if closed
                else None,
            )
        )
    if case["publicity_ends_on"]:
        ends = case["publicity_ends_on"]
        found.append(
            Deadline(
                **_common(case, "publicity", "公示期", ends - timedelta(days=7), ends)
                | {"unit": "calendar_day", "length": 7},
                notice=True,
                basis="社会救助暂行办法 第十一条",
                stopped_on=None if case["status"] == "publicised" else ends,
            )
        )
    if case["emergency"]:
        start = case["decided_on"] or case["accepted_on"] or case["submitted_on"]
        found.append(
            Deadline(
                **_common(case, "paperwork", "补办手续时限", start, case["paperwork_due_on"]),
                basis="国发〔2014〕47号：紧急情况先行救助，事后补齐手续",
                stopped_on=case["paperwork_done_on"],
            )
        )
    return found


def _common(case: dict, kind: str, label: str, start, due) -> dict:
    return {
        "procedure": "case",
        "record_id": case["id"],
        "region_id": case["region_id"],
        "kind": kind,
        "label": label,
        "unit": "working_day",
        "length": _working_days(start, due),
        "started_on": start,
        "due_on": due,
    }


def _working_days(start, due) -> int:
    if due is None or due < start:
        return 0
    try:
        return working_days_between(start, due)
    except ValidationFailed:  # a date beyond the holiday calendar: kept as it was stored
        return 0
