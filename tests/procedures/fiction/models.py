from django.db import models

from minzheng.procedures.models import Record


class Filing(Record):
    """A filing by an institution: submitted, accepted (the review runs ten working days),
    then filed with a receipt, or refused."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "已提交"
        ACCEPTED = "accepted", "已受理"
        FILED = "filed", "已备案"
        REFUSED = "refused", "不予备案"

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    institution = models.CharField(max_length=100)
    filed_on = models.DateField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        permissions = [
            ("accept_filing", "Can accept filings"),
            ("decide_filing", "Can file or refuse filings"),
        ]
