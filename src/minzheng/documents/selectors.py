"""Reads of issued documents: the register of the user's region, one document to print, and
a case's notices and forms. A payload's dates (ISO text) come back as dates for the templates."""

from datetime import date

from django.db.models import QuerySet

from minzheng.cases.models import Case
from minzheng.documents.decisions import decision_payload
from minzheng.documents.kinds import KINDS
from minzheng.documents.models import Document
from minzheng.regions.scoping import get_scoped, scope_queryset


def documents_for(user, kind: str | None = None, year: int | None = None) -> QuerySet[Document]:
    documents = scope_queryset(Document.objects.select_related("issued_by", "case"), user)
    if kind:
        documents = documents.filter(kind=kind)
    if year:
        documents = documents.filter(issued_on__year=year)
    return documents.order_by("-issued_on", "-id")


def document_for(user, pk: int) -> Document:
    return get_scoped(Document.objects.select_related("case"), user, pk=pk)


def of_case(case: Case) -> QuerySet[Document]:
    return case.documents.select_related("issued_by").order_by("-issued_at", "-id")


def decision_of(case: Case) -> dict:
    """What the case's decision notice prints: the payload kept when it was issued, or, for a
    case decided before notices were kept, its content built from the case now."""
    kept = case.documents.filter(kind__in=("decision", "rejection"), number=case.notice_number)
    document = kept.first()
    payload = document.payload if document else decision_payload(case)
    return {"number": case.notice_number, "payload": dated(payload)}


def printable(document: Document) -> dict:
    return {
        "document": document,
        "kind": KINDS[document.kind],
        "number": document.number,
        "payload": dated(document.payload),
    }


def dated(payload):
    """ISO dates back to dates (keys ending in _on or _month), through nested rows."""
    if isinstance(payload, list):
        return [dated(item) for item in payload]
    if not isinstance(payload, dict):
        return payload
    return {
        key: _date(value) if key.endswith(("_on", "_month")) else dated(value)
        for key, value in payload.items()
    }


def _date(value):
    return date.fromisoformat(value) if isinstance(value, str) and value else value
