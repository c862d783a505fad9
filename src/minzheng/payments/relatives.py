"""近亲属备案: staff declare their close relatives (社会救助经办人员及村（居）民委员会成员近亲属
享受社会救助备案). The ID number is encrypted with a blind index, like the registry's; the
payroll's checks match beneficiaries and their household members against it and flag the
lines for review. A declaration is withdrawn, never deleted."""

from datetime import date

from django.db import IntegrityError, transaction

from minzheng.accounts.permissions import require_permission
from minzheng.audit.services import record
from minzheng.kit import crypto
from minzheng.kit.ids import parse_id_number
from minzheng.kit.masking import mask_id_number
from minzheng.payments.errors import Error
from minzheng.payments.events import Event
from minzheng.payments.models import RelativeDeclaration
from minzheng.regions.scoping import scope_queryset


def mine(actor):
    return RelativeDeclaration.objects.filter(staff=actor).order_by("-declared_on", "-id")


def register_for(actor):
    """The declarations of staff working in the actor's region (the county's register)."""
    if not actor.has_perm("payments.view_relativedeclaration"):
        return RelativeDeclaration.objects.none()
    return scope_queryset(RelativeDeclaration.objects.select_related("staff"), actor).order_by(
        "staff__username", "declared_on"
    )


def declare(actor, name: str, id_number: str, relation: str, today: date) -> RelativeDeclaration:
    require_permission(actor, "payments.declare_relative", Error.RELATIVE_NOT_PERMITTED)
    if not actor.region_id:
        raise Error.RELATIVE_STAFF_WITHOUT_REGION.error()
    if not name.strip():
        raise Error.RELATIVE_NAME_REQUIRED.error(field="name")
    if relation not in RelativeDeclaration.Relation.values:
        raise Error.RELATIVE_RELATION_REQUIRED.error(field="relation")
    number = parse_id_number(id_number, today=today).number
    try:
        with transaction.atomic():
            declaration = RelativeDeclaration.objects.create(
                staff=actor,
                region_id=actor.region_id,
                name=name.strip(),
                id_number=number,
                id_number_index=crypto.blind_index(number, "id_number"),
                relation=relation,
                declared_on=today,
            )
    except IntegrityError:
        raise Error.RELATIVE_DECLARED_TWICE.error() from None
    _audit(actor, declaration, Event.RELATIVE_DECLARED, {"id_number": mask_id_number(number)})
    return declaration


def withdraw(actor, declaration_id: int, today: date) -> RelativeDeclaration:
    """The staff member's own declaration ends (the relation ended, or entered by mistake)."""
    updated = RelativeDeclaration.objects.filter(
        pk=declaration_id, staff=actor, withdrawn_on__isnull=True
    ).update(withdrawn_on=today)
    if not updated:
        raise Error.RELATIVE_NOT_FOUND.error()
    declaration = RelativeDeclaration.objects.get(pk=declaration_id)
    _audit(actor, declaration, Event.RELATIVE_WITHDRAWN, {"withdrawn_on": today})
    return declaration


def _audit(actor, declaration: RelativeDeclaration, action: Event, after: dict) -> None:
    record(
        action,
        actor=actor,
        object_type="relative_declaration",
        object_id=declaration.pk,
        region_code=declaration.region_id,
        after={"relation": declaration.relation, **after},
    )
