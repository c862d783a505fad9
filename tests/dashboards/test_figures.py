"""A month's figures from the cases' dated facts: in payment at the month's end, persons alive
then, the amount in force then, suspensions by their date, new and exited, one-off grants."""

from datetime import date

import pytest

from minzheng.dashboards import figures
from minzheng.registry.models import Person
from tests.dashboards.builders import granted, step
from tests.factories import TOWNSHIP_A, make_user

OCT, NOV, SEP = date(2024, 10, 1), date(2024, 11, 1), date(2024, 9, 1)


@pytest.fixture
def story(monkeypatch, homes, approver):
    """Five cases of three households, with a review, a suspension, an end and a death."""
    clerk = make_user("township_clerk", TOWNSHIP_A)
    a_rural, a_urban, b = homes["a_rural"], homes["a_urban"], homes["b"]
    head_a, second_a, _third = a_rural.members.order_by("id")
    dibao_a = granted(a_rural, decided_on=date(2024, 9, 20), amount_fen=90000, by=approver)
    granted(a_urban, decided_on=date(2024, 10, 15), amount_fen=70000, by=approver)
    tekun_b = granted(
        b,
        "tekun",
        decided_on=date(2024, 7, 10),
        amount_fen=120000,
        by=approver,
        person=b.members.first(),
    )
    granted(b, "temporary", decided_on=date(2024, 10, 5), amount_fen=200000, by=approver)
    subsidy = granted(
        a_rural,
        "disability_living",
        decided_on=date(2024, 8, 1),
        amount_fen=9000,
        by=approver,
        person=head_a,
    )
    step(monkeypatch, approver, tekun_b, "end", date(2024, 10, 20), reason="已满十八周岁")
    step(monkeypatch, approver, subsidy, "suspend", date(2024, 10, 10), reason="外出待核实")
    step(monkeypatch, approver, subsidy, "resume", date(2024, 11, 5), reason="核实无变化")
    step(
        monkeypatch,
        clerk,
        dibao_a,
        "recheck",
        date(2024, 11, 6),
        outcome="increase",
        amount_fen=100000,
    )
    Person.objects.filter(pk=second_a.pk).update(died_on=date(2024, 10, 12))
    return homes


def rows(month: date, prefix: str = "330122") -> list[tuple]:
    return figures.month_figures(figures.load(prefix), month).rows()


def test_october_counts_what_was_in_payment_at_its_end(story):
    a, b = story["a_rural"].region_id, story["b"].region_id
    # region, program, area, households, persons, amount (fen), new, exited
    assert rows(OCT) == [
        (a, "dibao", "rural", 1, 2, 90000, 1, 0),  # paid from October; a member died 12 Oct
        (b, "tekun", "rural", 0, 0, 0, 0, 1),  # ended on 20 October
        (b, "temporary", "rural", 1, 4, 200000, 1, 0),  # granted on 5 October
    ]  # the subsidy suspended on 10 October and the 低保 paid from November are not counted


def test_november_reads_the_review_and_the_resumption(story):
    a = story["a_rural"].region_id
    assert rows(NOV) == [
        (a, "dibao", "rural", 1, 2, 100000, 0, 0),  # the amount raised on 6 November
        (a, "dibao", "urban", 1, 2, 70000, 1, 0),
        (a, "disability_living", "rural", 1, 1, 9000, 0, 0),  # resumed on 5 November
    ]


def test_september_is_as_it_was_before_the_later_steps(story):
    a, b = story["a_rural"].region_id, story["b"].region_id
    assert rows(SEP) == [
        (a, "disability_living", "rural", 1, 1, 9000, 1, 0),
        (b, "tekun", "rural", 1, 1, 120000, 0, 0),
    ]


def test_a_townships_facts_leave_out_the_others(story):
    a = story["a_rural"].region_id
    assert rows(OCT, prefix=TOWNSHIP_A[:9]) == [(a, "dibao", "rural", 1, 2, 90000, 1, 0)]


def test_in_payment_is_last_month_plus_new_minus_exited(homes, approver, monkeypatch):
    a_rural, a_urban, b = homes["a_rural"], homes["a_urban"], homes["b"]
    started = granted(a_rural, decided_on=date(2024, 3, 4), amount_fen=50000, by=approver)
    granted(a_urban, decided_on=date(2024, 5, 6), amount_fen=60000, by=approver)
    short = granted(b, decided_on=date(2024, 6, 3), amount_fen=70000, by=approver)
    never_paid = granted(b, "tekun", decided_on=date(2024, 6, 20), amount_fen=1, by=approver)
    step(monkeypatch, approver, started, "end", date(2024, 8, 30), reason="收入超过标准")
    step(monkeypatch, approver, short, "end", date(2024, 7, 15), reason="迁出")  # paid from July
    step(monkeypatch, approver, never_paid, "end", date(2024, 6, 25), reason="死亡")
    facts = figures.load("330122")
    totals = {}
    for month in [date(2024, m, 1) for m in range(2, 11)]:
        found = figures.month_figures(facts, month)
        totals[month] = {m: int(found[m].sum()) for m in ("households", "new", "exited")}
    in_payment = [totals[m]["households"] for m in sorted(totals)]
    assert in_payment == [0, 0, 1, 1, 2, 2, 1, 1, 1]  # February … October
    for month in sorted(totals)[1:]:
        before = totals[figures.shift(month, -1)]["households"]
        now = totals[month]
        assert now["households"] == before + now["new"] - now["exited"], month
