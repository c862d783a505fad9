"""Run by tests/cases/test_migration.py in a process of its own, on a fresh database (never the
test database): migrate to the schema before the procedure layer, fill it with cases of every
kind through the models of that schema, migrate to the newest schema, and print (as JSON) what
the new tables hold, for the test to compare with what was written."""

import json
import os
import sys
from datetime import date

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minzheng.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402

from minzheng.kit import crypto  # noqa: E402
from tests.factories import (  # noqa: E402
    DEMO_COUNTY,
    TOWNSHIP_A,
    first_village,
    load_test_regions,
    make_id_number,
)

# Each app's newest migration before the procedure layer (main at e5c553e); apps born later
# are not migrated at all.
BEFORE = {
    "accounts": "0002_user_person",
    "audit": "0002_append_only_triggers",
    "cases": "0004_taper",
    "dashboards": "0001_monthly_statistics",
    "documents": "0001_issued_documents",
    "monitoring": "0001_initial",
    "payments": "0002_payroll_lock",
    "regions": "0001_initial",
    "registry": "0002_person_died_on",
    "rules": "0002_snapshots_and_attachments",
    "targets": "0001_work_plan_targets",
}
MINZHENG_APPS = {"procedures", "keyring"} | set(BEFORE)
D = date


def _targets(executor, before: bool):
    leaves = executor.loader.graph.leaf_nodes()
    if not before:
        return leaves
    kept = [(app, name) for app, name in leaves if app not in MINZHENG_APPS]
    return kept + [(app, BEFORE.get(app)) for app in sorted(MINZHENG_APPS)]


def populate(apps) -> None:
    Case = apps.get_model("cases", "Case")
    load_test_regions()
    # the account as that schema had it (today's services write columns it did not have yet)
    user = apps.get_model("accounts", "User").objects.create(
        username="probe", password="!", region_id=DEMO_COUNTY
    )
    village = first_village(TOWNSHIP_A)
    common = {"region_id": village, "created_by_id": user.pk, "submitted_on": D(2024, 9, 27)}

    def case(number, program, status, **fields):
        household = _household(apps, village)
        return Case.objects.create(
            number=number, program=program, household_id=household.pk, status=status,
            **common, **fields,
        )  # fmt: skip

    accepted = case("SA-1", "dibao", "accepted", accepted_on=D(2024, 9, 27), due_on=D(2024, 11, 13))
    case(
        "SA-2",
        "dibao",
        "awaiting",
        accepted_on=D(2024, 9, 27),
        due_on=D(2024, 12, 4),
        extended=True,
        publicity_ends_on=D(2024, 10, 17),
    )
    case(
        "SA-3",
        "dibao",
        "publicised",
        accepted_on=D(2024, 9, 27),
        due_on=D(2024, 11, 13),
        publicity_ends_on=D(2024, 10, 17),
    )
    tekun = case(
        "SA-4",
        "tekun",
        "approved",
        accepted_on=D(2024, 9, 27),
        due_on=D(2024, 11, 13),
        decided_on=D(2024, 10, 21),
        amount_fen=222770,
        support_mode="centralised",
        care_band="full",
        notice_number="民救〔2024〕330122-00001号",
    )
    taper = case(
        "SA-5",
        "dibao",
        "approved",
        decided_on=D(2024, 10, 21),
        amount_fen=131800,
        taper_until=D(2025, 9, 1),
    )
    case(
        "SA-6",
        "temporary",
        "approved",
        accepted_on=D(2024, 9, 27),
        decided_on=D(2024, 9, 27),
        amount_fen=200000,
        emergency=True,
        paperwork_due_on=D(2024, 10, 10),
        paperwork_done_on=D(2024, 10, 9),
    )
    case(
        "SA-7",
        "temporary",
        "approved",
        accepted_on=D(2024, 9, 27),
        decided_on=D(2024, 9, 27),
        amount_fen=200000,
        emergency=True,
        paperwork_due_on=D(2024, 10, 10),
    )
    case("SA-8", "dibao", "rejected", accepted_on=D(2024, 9, 27), due_on=D(2024, 11, 13),
         decided_on=D(2024, 10, 30), decision_reason="收入超标")  # fmt: skip
    apps.get_model("cases", "Review").objects.create(
        case_id=taper.pk, reviewed_on=D(2025, 3, 10), outcome="taper", recorded_by_id=user.pk
    )
    person = tekun.household.members.order_by("id").first()
    apps.get_model("cases", "Consent").objects.create(
        case_id=accepted.pk, person_id=person.pk, given_on=D(2024, 9, 27), recorded_by_id=user.pk
    )
    Counter = apps.get_model("cases", "Counter")
    Counter.objects.create(kind="case", county=DEMO_COUNTY, year=2024, last=8)
    Counter.objects.create(kind="notice", county=DEMO_COUNTY, year=2024, last=1)
    Attachment = apps.get_model("cases", "Attachment")
    for kind in ("application", "certificate"):
        Attachment.objects.create(
            case_id=accepted.pk, kind=kind, name=f"{kind}.pdf", file=f"cases/1/{kind}.pdf",
            size=1234, sha256=kind * 4, uploaded_by_id=user.pk,
        )  # fmt: skip
    Document = apps.get_model("documents", "Document")
    issued = {"county": DEMO_COUNTY, "issued_on": D(2024, 10, 21), "payload": {}}
    Document.objects.create(
        kind="decision",
        number="民救〔2024〕330122-00001号",
        title="批准",
        region_id=village,
        case_id=tekun.pk,
        **issued,
    )
    Document.objects.create(kind="publicity", number="民公〔2024〕330122-00001号", title="公示",
                            region_id=village, **issued)  # fmt: skip


def _household(apps, village: str):
    """A household of two through the registry's models of that schema."""
    Household = apps.get_model("registry", "Household")
    Person = apps.get_model("registry", "Person")
    count = Household.objects.count()
    household = Household.objects.create(
        number=f"{village}{count:05d}", region_id=village, address="幸福路1号", area_type="rural"
    )
    for index, (sex, born) in enumerate((("M", D(1950, 3, 1)), ("F", D(1960, 3, 1)))):
        id_number = make_id_number(born, sex)
        Person.objects.create(
            household=household, region_id=village, id_number=id_number,
            id_number_index=crypto.blind_index(id_number, "id_number"), name=f"张{index}",
            sex=sex, birth_date=born, relation="head" if index == 0 else "spouse",
        )  # fmt: skip
    return household


def read_back() -> dict:
    from minzheng.cases.models import Case, Consent, GradualExit, Review, TekunSupport
    from minzheng.documents.models import Document
    from minzheng.procedures.models import Attachment, Counter, Deadline

    def iso(day):
        return day.isoformat() if day else None

    periods = Deadline.objects.order_by("record_id", "kind")
    numbers = dict(Case.objects.values_list("pk", "number"))
    return {
        "cases": sorted(Case.objects.values_list("number", "program", "status")),
        "periods": [
            [
                numbers[d.record_id],
                d.kind,
                d.unit,
                d.length,
                iso(d.started_on),
                iso(d.due_on),
                d.extended,
                d.notice,
                iso(d.stopped_on),
            ]
            for d in periods
        ],  # fmt: skip
        "tekun": [[s.case.number, s.mode, s.care_band] for s in TekunSupport.objects.all()],
        "gradual_exits": [
            [g.case.number, iso(g.since), iso(g.until)] for g in GradualExit.objects.all()
        ],
        "counters": sorted(Counter.objects.values_list("kind", "region", "year", "last")),
        "attachments": sorted(
            [numbers[a.record_id], a.kind, a.name, a.file.name, a.size, a.sha256]
            for a in Attachment.objects.all()
        ),
        "documents": sorted(Document.objects.values_list("number", "procedure", "record_number")),
        "consents": Consent.objects.count(),
        "reviews": Review.objects.count(),
    }


def main() -> None:
    executor = MigrationExecutor(connection)
    before = _targets(executor, before=True)
    executor.migrate(before)
    nodes = [target for target in before if target[1]]
    populate(MigrationExecutor(connection).loader.project_state(nodes).apps)
    executor = MigrationExecutor(connection)
    executor.migrate(_targets(executor, before=False))
    print(json.dumps(read_back(), ensure_ascii=False))


if __name__ == "__main__":
    main()
    sys.exit(0)
