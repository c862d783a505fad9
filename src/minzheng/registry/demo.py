"""Demo data of the registry beyond the synthetic population: a demo bank card on a person
(the demo's payroll needs payees with and without one)."""

from minzheng.registry.models import Person


def give_card(person_id: int, bank: str, account: str) -> None:
    person = Person.objects.get(pk=person_id)
    person.bank_name, person.bank_account = bank, account
    person.save(update_fields=["bank_name", "bank_account"])
