from datetime import date

import pytest

from minzheng.cases import services

APPLIED = date(2024, 9, 27)
APPROVED = date(2024, 10, 21)


def approve_dibao(people, household):
    """The real steps from application to approval: the household receives 低保."""
    clerk = people["township_clerk"]
    case = services.apply(people["village_worker"], household.pk, "dibao", APPLIED)
    case = services.perform(clerk, case.pk, "accept", case.version, APPLIED)
    for person in household.members.all():
        services.record_consent(clerk, case.pk, APPLIED, person_id=person.pk)
    case = services.perform(
        clerk,
        case.pk,
        "investigate",
        case.version,
        date(2024, 10, 8),
        visited_on=date(2024, 10, 8),
        visitors="李四",
        findings="属实",
    )
    case = services.perform(
        people["township_reviewer"],
        case.pk,
        "review",
        case.version,
        date(2024, 10, 9),
        opinion="同意",
    )
    case = services.perform(clerk, case.pk, "publicise", case.version, date(2024, 10, 10))
    case = services.perform(clerk, case.pk, "close_publicity", case.version, date(2024, 10, 17))
    return services.perform(people["county_approver"], case.pk, "approve", case.version, APPROVED)


@pytest.fixture
def receiving(people, household):
    return approve_dibao(people, household)


def csv_of(header: str, *rows: str) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")
