"""Decision snapshots over HTTP: keep a household's evaluation, read one back with a check
that it still reproduces."""

from datetime import date

from django.db import transaction
from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from minzheng.api_errors import READ_ERRORS, WRITE_ERRORS
from minzheng.rules import snapshots

router = Router(tags=["rules"])


class SnapshotIn(Schema):
    as_of: date
    purpose: str = Field(min_length=1, max_length=40)
    reference: str = Field("", max_length=100)


class SnapshotOut(Schema):
    id: int
    household_id: int
    as_of: date
    purpose: str
    reference: str
    digest: str
    explanation: dict


class VerifiedSnapshotOut(SnapshotOut):
    digest_ok: bool
    same_result: bool
    differences: list[str]


@router.post("/households/{household_id}/snapshots", response={201: SnapshotOut, **WRITE_ERRORS})
def take_snapshot(request: HttpRequest, household_id: int, payload: SnapshotIn):
    with transaction.atomic():
        snapshot = snapshots.take(
            request.user, household_id, payload.as_of, payload.purpose, payload.reference
        )
    return Status(201, snapshot)


@router.get("/snapshots/{snapshot_id}", response={200: VerifiedSnapshotOut, **READ_ERRORS})
def read_snapshot(request: HttpRequest, snapshot_id: int):
    snapshot = snapshots.get(request.user, snapshot_id)
    check = snapshots.verify(snapshot)
    return {
        **SnapshotOut.from_orm(snapshot).dict(),
        "digest_ok": check.digest_ok,
        "same_result": check.same_result,
        "differences": check.differences,
    }
