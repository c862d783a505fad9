"""Every scenario in policies/scenarios/*.yaml (see tests/rules/scenarios.py for the format),
through the one-household executor; the frame executor must give the same frames."""

import pytest
from polars.testing import assert_frame_equal

from minzheng.policies.programs import registered
from minzheng.rules.evaluate import evaluate, evaluate_one
from minzheng.rules.explain import explain
from minzheng.rules.facts import frames_for_one
from minzheng.rules.parameters import load_tree
from tests.rules import scenarios

TREE = load_tree()
ALL = scenarios.load()


def _run(scenario: dict):
    tree = scenarios.with_overrides(TREE, scenario.get("parameters", {}))
    facts = scenarios.facts(scenario)
    evaluation = evaluate_one(facts, scenario["date"], tree)
    on_frames = evaluate(frames_for_one(facts), scenario["date"], tree)
    assert_frame_equal(evaluation.households, on_frames.households)
    assert_frame_equal(evaluation.persons, on_frames.persons)
    assert explain(evaluation) == explain(on_frames)
    return evaluation, explain(evaluation)


@pytest.mark.parametrize("scenario", ALL, ids=lambda s: s["name"])
def test_scenario(scenario):
    evaluation, explained = _run(scenario)
    programs = {p["code"]: p for p in explained["programs"]}
    expect = dict(scenario["expect"])
    if "eligible" in expect:
        assert sorted(explained["eligible"]) == sorted(expect.pop("eligible"))
    home = evaluation.households.row(0, named=True)
    for name, value in expect.pop("columns", {}).items():
        assert home[name] == value, name
    people = evaluation.persons.sort("person_id").rows(named=True)
    for number, checks in expect.pop("member_columns", {}).items():
        for name, value in checks.items():
            assert people[number - 1][name] == value, name
    for key, value in expect.items():
        if key.endswith("_amount"):
            assert programs[key.removesuffix("_amount")]["amount_fen"] == scenarios.fen(value), key
        elif isinstance(value, list):
            members = programs[key]["members"]
            assert [m["member"] + 1 for m in members if m["eligible"]] == value, key
        else:
            assert programs[key]["eligible"] is value, key


def test_there_are_at_least_80_scenarios_covering_every_program():
    assert len(ALL) >= 80
    mentioned = {key.removesuffix("_amount") for s in ALL for key in s["expect"]}
    mentioned |= {code for s in ALL for code in s["expect"].get("eligible", [])}
    codes = {p.code for p in registered()}
    assert codes <= mentioned, sorted(codes - mentioned)


def test_explanation_names_the_standard_used():
    scenario = next(s for s in ALL if s["name"].startswith("永州城市三口之家"))
    _, explained = _run(scenario)
    dibao = next(p for p in explained["programs"] if p["code"] == "dibao")
    standard = next(q for q in dibao["parameters"] if q["name"] == "dibao.standard")
    assert (standard["value"], standard["region"], standard["effective_from"]) == (
        "700",
        "4311",
        "2024-01-01",
    )
    assert "永州" in standard["reference"] and dibao["formula_version"] == "dibao-2021.1"
    assert explained["facts"]["members"] == 3 and explained["facts"]["income_fen"] == 120000
