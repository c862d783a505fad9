"""Issuing a document: its number from the kind's gap-free counter (per county and year, the
counter row locked until the caller's transaction ends), its date, its payload kept as issued,
the record it belongs to, and a `document.issued` audit event, all in the caller's transaction.
The payload is built by the domain that issues the document; this module never reads it."""

from datetime import date

from minzheng.audit.services import record
from minzheng.documents.events import Event
from minzheng.documents.kinds import Kind
from minzheng.documents.models import Document
from minzheng.procedures.numbering import next_number
from minzheng.regions import codes


def issue(
    actor,
    kind: Kind,
    *,
    region_code: str,
    today: date,
    payload: dict,
    subject: tuple[str, object] | None = None,
    number: str | None = None,
    title: str | None = None,
) -> Document:
    """`subject`: (procedure code, record) the document belongs to, if any; `number` given:
    the document carries a number already issued (a decision's)."""
    county = codes.county_of(region_code)
    if number is None:
        number = next_number(kind.counter, county, today.year, prefix=kind.prefix)
    procedure, owner = subject or ("", None)
    document = Document.objects.create(
        kind=kind.code,
        number=number,
        title=title or kind.title,
        county=county,
        issued_on=today,
        region_id=region_code,
        procedure=procedure,
        record_id=owner.pk if owner else None,
        record_number=owner.number if owner else "",
        payload=payload,
        issued_by=actor,
    )
    record(
        Event.ISSUED,
        actor=actor,
        object_type="document",
        object_id=document.pk,
        region_code=region_code,
        after={
            "kind": kind.code,
            "number": number,
            "title": document.title,
            "record": document.record_number or None,
        },
    )
    return document


def township_issuer(name: str) -> str:
    """The government that issues a township's documents: 街道 → 办事处, 镇/乡 → 人民政府."""
    return f"{name}办事处" if name.endswith("街道") else f"{name}人民政府"
