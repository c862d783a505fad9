from datetime import date

import pytest

from minzheng.cases import services

APPLIED = date(2024, 9, 27)
PUBLICISED = date(2024, 10, 10)


def publicised(people, household):
    """The real steps up to the 公示 (10 to 17 October 2024)."""
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
    return services.perform(clerk, case.pk, "publicise", case.version, PUBLICISED)


@pytest.fixture
def under_notice(people, household):
    return publicised(people, household)
