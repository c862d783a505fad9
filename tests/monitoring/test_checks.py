"""核对 reports: only with consent; facts by category; discrepancies with the declaration."""

from datetime import date

from minzheng.audit.models import AuditEvent
from minzheng.cases import services as cases
from minzheng.monitoring import checks, ingest
from minzheng.monitoring.errors import Error
from minzheng.monitoring.models import CheckReport
from tests.monitoring.conftest import csv_of
from tests.refusals import refused

TODAY = date(2024, 11, 4)


def upload(people, feed, header, *rows):
    ingest.receive(
        people["county_admin"], feed, "2024-10", f"{feed}.csv", csv_of(header, *rows), TODAY
    )


def test_without_consent_the_check_is_refused_and_audited(people, household):
    cases.apply(people["village_worker"], household.pk, "dibao", TODAY)
    with refused(Error.CONSENT_MISSING):
        checks.request_check(people["township_clerk"], household.pk, TODAY)
    assert CheckReport.objects.count() == 0
    event = AuditEvent.objects.get(action="check.refused")
    assert (event.object_id, event.reason) == (str(household.pk), "未取得核对授权")


def test_a_consented_check_gathers_facts_and_finds_discrepancies(people, household, receiving):
    head, spouse = household.members.order_by("id")
    upload(
        people,
        "income_tax",
        "身份证号,姓名,月收入额,已缴税额",
        f"{head.id_number},{head.name},2500.00,12.50",
    )
    upload(
        people,
        "vehicles",
        "身份证号,姓名,号牌号码,车辆类型,登记日期",
        f"{spouse.id_number},{spouse.name},浙A77777,轿车,2024-08-01",
    )
    report = checks.request_check(people["township_clerk"], household.pk, TODAY)
    assert report.case == receiving
    assert report.report == {
        "收入": [
            {
                "feed": "个人所得税",
                "department": "税务",
                "period": "2024-10",
                "name": head.name,
                "supporter": False,
                "values": [["月收入额", "2500.00 元"], ["已缴税额", "12.50 元"]],
            }
        ],
        "车辆": [
            {
                "feed": "机动车登记",
                "department": "车管",
                "period": "2024-10",
                "name": spouse.name,
                "supporter": False,
                "values": [
                    ["号牌号码", "浙A77777"],
                    ["车辆类型", "轿车"],
                    ["登记日期", "2024-08-01"],
                ],
            }
        ],
    }
    assert report.discrepancies == [
        f"{head.name}：部门数据月收入 2500.00 元，高于申报的 1000.00 元",
        f"{spouse.name}：机动车登记 浙A77777 未申报",
    ]
    event = AuditEvent.objects.get(action="check.reported")
    assert event.after == {"report": report.pk, "case": receiving.number, "discrepancies": 2}
