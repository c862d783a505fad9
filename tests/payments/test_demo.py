"""The demo county gets a draft payroll to look at, once."""

from datetime import date

from minzheng import demo
from minzheng.payments.demo import load_demo_payroll
from minzheng.payments.models import Flag


def test_the_demo_payroll_is_generated_once(regions):
    demo.load_demo_population(demo.DEMO_COUNTY, 120, 2024, lambda *a: None)
    demo.create_demo_accounts()
    payroll = load_demo_payroll(demo.DEMO_COUNTY, date(2024, 11, 4), households=10)
    assert (payroll.status, payroll.period, payroll.line_count) == ("draft", date(2024, 11, 1), 10)
    assert Flag.objects.filter(line__payroll=payroll, code="account").count() == 3
    assert load_demo_payroll(demo.DEMO_COUNTY, date(2024, 11, 4)) is None
