"""Attachments of a case, on the procedure layer (procedures/attachments.py): checked by
content and size, stored outside the web root, audited, read back only by users who may see
the case."""

from minzheng.cases.workflow import PROCEDURE
from minzheng.procedures import attachments


def attach(actor, case_id: int, upload, kind: str):
    return attachments.attach(PROCEDURE, actor, case_id, upload, kind)


def attachments_of(case):
    return attachments.attachments_of(PROCEDURE, case)


def attachment_for(user, case_id: int, attachment_id: int):
    return attachments.attachment_for(PROCEDURE, user, case_id, attachment_id)
