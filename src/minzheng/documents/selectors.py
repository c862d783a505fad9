"""Reads of issued documents: the register of the user's region, one document to print, and a
record's documents. A payload's dates (ISO text) come back as dates for the templates."""

from datetime import date

from django.db.models import QuerySet

from minzheng.documents.kinds import KINDS
from minzheng.documents.models import Document
from minzheng.regions.scoping import get_scoped, scope_queryset


def documents_for(user, kind: str | None = None, year: int | None = None) -> QuerySet[Document]:
    documents = scope_queryset(Document.objects.select_related("issued_by"), user)
    if kind:
        documents = documents.filter(kind=kind)
    if year:
        documents = documents.filter(issued_on__year=year)
    return documents.order_by("-issued_on", "-id")


def document_for(user, pk: int) -> Document:
    return get_scoped(Document.objects.all(), user, pk=pk)


def of_record(procedure: str, record_id: int) -> QuerySet[Document]:
    documents = Document.objects.filter(procedure=procedure, record_id=record_id)
    return documents.select_related("issued_by").order_by("-issued_at", "-id")


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
