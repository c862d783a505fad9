"""Two entities: the person, and the household (户) whose members are assessed together."""

from openfisca_core.entities import build_entity

Household = build_entity(
    key="household",
    plural="households",
    label="户",
    doc="A registered household; its co-resident members are assessed together for 低保.",
    roles=[{"key": "member", "plural": "members", "label": "家庭成员"}],
)

Person = build_entity(
    key="person",
    plural="persons",
    label="人员",
    doc="A person in the registry.",
    is_person=True,
)

entities = [Household, Person]
