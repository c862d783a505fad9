"""The documents screens: the register of the region's issued documents (with the issuing
forms the domains offer, documents/panels.py) and printing one. Documents are issued from the
domains' own screens; `issued` is what those views share."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db import transaction
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from minzheng.documents import panels, selectors
from minzheng.documents.kinds import KINDS
from minzheng.kit.errors import DomainError
from minzheng.procedures.declare import PROCEDURES

VIEW = "documents.view_document"


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def register(request):
    today = timezone.localdate()
    kind = request.GET.get("kind") if request.GET.get("kind") in KINDS else None
    offered = panels.offered(request.user, today)
    context = {
        "documents": selectors.documents_for(request.user, kind=kind)[:200],
        "kinds": list(KINDS.values()),
        "kind": kind,
        "panels": [(panel.template, form) for panel, form in offered],
        **{panel.name: form for panel, form in offered},
    }
    return render(request, "documents/register.html", context)


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def print_document(request, pk: int):
    document = selectors.document_for(request.user, pk)
    context = selectors.printable(document)
    owner = PROCEDURES.get(document.procedure)
    if owner and owner.detail_url and document.record_id:
        context["back"] = (owner.detail_url, document.record_id, owner.noun)
    return render(request, context["kind"].template, context)


def issued(request, call):
    """Issue a document in a transaction; a refusal becomes a message. None when refused."""
    try:
        with transaction.atomic():
            document = call()
    except DomainError as exc:
        messages.error(request, exc.message)
        return None
    messages.success(request, f"已出具{document.title} {document.number}。")
    return document
