"""The demo county has work in progress in every queue of the case steps, loaded once."""

from collections import Counter
from datetime import date

from minzheng import demo
from minzheng.cases.demo import load_demo_cases
from minzheng.cases.models import Case

TODAY = date(2024, 11, 20)


def test_the_demo_cases_stop_at_every_step_once(regions):
    demo.load_demo_population(demo.DEMO_COUNTY, 400, 2024, lambda *a: None)
    demo.create_demo_accounts()
    assert load_demo_cases(demo.DEMO_COUNTY, TODAY) == 10
    found = Counter(Case.objects.values_list("program", "status"))
    assert found == {
        ("dibao", "submitted"): 2,
        ("dibao", "accepted"): 2,
        ("dibao", "investigated"): 1,
        ("dibao", "reviewed"): 1,
        ("dibao", "publicised"): 2,
        ("dibao", "awaiting"): 1,
        ("temporary", "approved"): 1,
    }
    emergency = Case.objects.get(program="temporary")
    assert (emergency.emergency, emergency.paperwork_done_on) == (True, None)
    assert load_demo_cases(demo.DEMO_COUNTY, TODAY) == 0
    assert Case.objects.count() == 10
