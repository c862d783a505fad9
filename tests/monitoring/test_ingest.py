"""Receiving department files: provenance, matching, the review queue, the no-op repeat and
the refusal that stores nothing."""

from minzheng.audit.models import AuditEvent
from minzheng.kit import crypto
from minzheng.monitoring import ingest, reviews
from minzheng.monitoring.errors import Error
from minzheng.monitoring.models import Fact, FeedFile, FeedProblem, MatchReview
from minzheng.monitoring.reading import FeedRefused
from minzheng.regions.models import Region
from minzheng.registry.models import Supporter
from tests.factories import TOWNSHIP_B, first_village, make_household, make_id_number
from tests.monitoring.conftest import APPROVED, csv_of
from tests.refusals import refused

HEADER = "身份证号,姓名,死亡日期"


def members(household):
    return list(household.members.order_by("id"))


def test_a_file_is_matched_and_its_rows_reported(people, household):
    head, spouse = members(household)
    stranger = make_id_number(APPROVED.replace(year=1970), "M")
    content = csv_of(
        HEADER,
        f"{head.id_number.lower()},{head.name},2024-09-03",
        f" {spouse.id_number} ,李某,2024-09-04",  # same number, another name: review
        f"{stranger},王某,2024-09-05",  # nobody here: unmatched
        "330122198001011234,赵某,2024-09-06",  # bad check digit: invalid
    )
    file, created = ingest.receive(
        people["county_admin"], "deaths", "2024-09", "d.csv", content, APPROVED
    )
    assert created
    assert (
        file.department,
        file.rows_total,
        file.rows_invalid,
        file.rows_matched,
        file.rows_review,
        file.rows_unmatched,
    ) == ("公安", 4, 1, 1, 1, 1)
    fact = Fact.objects.get()
    assert (fact.person_id, fact.row, fact.period, fact.values) == (
        head.pk,
        2,
        "2024-09",
        {"died_on": "2024-09-03"},
    )
    review = MatchReview.objects.get()
    assert (review.person_id, review.row, review.name_in_file) == (spouse.pk, 3, "李某")
    problems = list(FeedProblem.objects.values_list("kind", "row", "column", "reason", "masked_id"))
    assert problems == [
        (
            "unmatched",
            4,
            "id_number",
            ingest.UNMATCHED_REASON,
            stranger[:6] + "********" + stranger[-4:],
        ),
        (
            "invalid",
            5,
            "id_number",
            "身份证号码校验位不正确，请核对是否录入有误。",
            "330122********1234",
        ),
    ] or problems == [
        (
            "invalid",
            5,
            "id_number",
            "身份证号码校验位不正确，请核对是否录入有误。",
            "330122********1234",
        ),
        (
            "unmatched",
            4,
            "id_number",
            ingest.UNMATCHED_REASON,
            stranger[:6] + "********" + stranger[-4:],
        ),
    ]
    event = AuditEvent.objects.get(action="feed.received")
    assert event.after["matched"] == 1 and head.id_number not in str(event.after)


def test_the_same_content_twice_is_a_no_op(people, household):
    head = members(household)[0]
    content = csv_of(HEADER, f"{head.id_number},{head.name},2024-09-03")
    first, _ = ingest.receive(
        people["county_admin"], "deaths", "2024-09", "a.csv", content, APPROVED
    )
    again, created = ingest.receive(
        people["county_admin"], "deaths", "2024-09", "b.csv", content, APPROVED
    )
    assert (created, again.pk) == (False, first.pk)
    assert (FeedFile.objects.count(), Fact.objects.count()) == (1, 1)


def test_a_refused_file_stores_nothing(people, household):
    with refused(Error.FEED_COLUMNS) as refusal:
        ingest.receive(
            people["county_admin"],
            "deaths",
            "2024-09",
            "x.csv",
            csv_of("身份证号,姓名", "1,2"),
            APPROVED,
        )
    assert isinstance(refusal.value, FeedRefused)
    assert (FeedFile.objects.count(), Fact.objects.count(), FeedProblem.objects.count()) == (
        0,
        0,
        0,
    )
    assert not AuditEvent.objects.filter(action="feed.received").exists()


def test_a_bad_period_is_refused(people, household):
    with refused(Error.BAD_PERIOD):
        ingest.receive(
            people["county_admin"], "deaths", "2024-13", "x.csv", csv_of(HEADER, "1,2,3"), APPROVED
        )
    assert FeedFile.objects.count() == 0


def test_only_the_county_receives_files(people, household):
    with refused(Error.INGEST_NOT_PERMITTED):
        ingest.receive(
            people["township_clerk"],
            "deaths",
            "2024-09",
            "x.csv",
            csv_of(HEADER, "1,2,3"),
            APPROVED,
        )
    assert FeedFile.objects.count() == 0


def test_persons_outside_the_region_are_unmatched(people, household):
    other = make_household(first_village(TOWNSHIP_B), members=1)
    person = other.members.get()
    township_a = Region.objects.get(code="330122002000")
    content = csv_of(HEADER, f"{person.id_number},{person.name},2024-09-01")
    file, _ = ingest.ingest_file(township_a, "deaths", "2024-09", "x.csv", content, APPROVED)
    assert (file.rows_matched, file.rows_unmatched, Fact.objects.count()) == (0, 1, 0)


def test_a_supporters_rows_are_kept_for_the_check(people, household):
    number = make_id_number(APPROVED.replace(year=1975), "F")
    supporter = Supporter.objects.create(
        household=household,
        name="张女",
        id_number=number,
        id_number_index=crypto.blind_index(number, "id_number"),
        duty="support",
        relation="女儿",
        monthly_income=0,
        condition="able",
    )
    content = (
        "身份证号,姓名,号牌号码,车辆类型,登记日期\n" + f"{number},张女,浙A00001,轿车,2024-05-01\n"
    )
    file, _ = ingest.receive(
        people["county_admin"], "vehicles", "2024-09", "v.csv", content.encode(), APPROVED
    )
    assert (file.rows_matched, file.rows_unmatched) == (1, 0)
    fact = Fact.objects.get()
    assert (fact.person_id, fact.supporter_id, fact.values["plate"]) == (
        None,
        supporter.pk,
        "浙A00001",
    )


def test_accepting_a_review_makes_the_fact_and_rejecting_does_not(people, household):
    head, spouse = members(household)
    content = csv_of(
        HEADER, f"{head.id_number},张三丰,2024-09-03", f"{spouse.id_number},李四,2024-09-04"
    )
    ingest.receive(people["county_admin"], "deaths", "2024-09", "x.csv", content, APPROVED)
    first, second = MatchReview.objects.order_by("row")
    admin = people["county_admin"]
    assert list(reviews.pending(admin)) == [first, second]
    reviews.decide(admin, first.pk, accept=True)
    reviews.decide(admin, second.pk, accept=False)
    assert list(Fact.objects.values_list("person_id", "row")) == [(head.pk, 2)]
    assert list(reviews.pending(admin)) == []
    with refused(Error.ALREADY_REVIEWED):
        reviews.decide(admin, second.pk, accept=True)
    assert Fact.objects.count() == 1


def test_the_same_content_in_another_region_or_period_is_a_receipt_of_its_own(people, household):
    """A department sends one file to several counties: one county's receipt never blocks
    another's, nor shows it what another received."""
    other = make_household(first_village(TOWNSHIP_B), members=1).members.get()
    content = csv_of(HEADER, f"{other.id_number},{other.name},2024-09-01")
    township_a, township_b = (Region.objects.get(code=c) for c in ("330122002000", TOWNSHIP_B))
    in_a, created_a = ingest.ingest_file(
        township_a, "deaths", "2024-09", "x.csv", content, APPROVED
    )
    in_b, created_b = ingest.ingest_file(
        township_b, "deaths", "2024-09", "x.csv", content, APPROVED
    )
    later, created_later = ingest.ingest_file(
        township_b, "deaths", "2024-10", "x.csv", content, APPROVED
    )
    again, created_again = ingest.ingest_file(
        township_b, "deaths", "2024-09", "y.csv", content, APPROVED
    )
    assert (created_a, created_b, created_later, created_again) == (True, True, True, False)
    assert again.pk == in_b.pk and len({in_a.pk, in_b.pk, later.pk}) == 3
    assert (in_a.rows_matched, in_b.rows_matched) == (0, 1)  # each matched in its own region
    assert list(Fact.objects.values_list("file_id", flat=True).order_by("file_id")) == [
        in_b.pk,
        later.pk,
    ]
