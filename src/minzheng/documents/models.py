"""Issued documents (文书): each printable document Minzheng issues — decision and rejection
notices, 公示 lists, 核对 authorisation forms, and later payroll summaries — is kept with its
number (gap-free per kind, county and year), its date and what it said (the payload), so a
reprint years later shows the document as issued, whatever changed since."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Document(models.Model):
    kind = models.CharField(_("kind"), max_length=20)
    number = models.CharField(_("document number"), max_length=40, blank=True)
    title = models.CharField(_("title"), max_length=100)
    county = models.CharField(_("county"), max_length=12)
    issued_on = models.DateField(_("issued on"))
    region = models.ForeignKey(  # whose document it is: the record's region, the 公示's village
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    # the record it belongs to, if any: a procedure's code and the record's id and number
    procedure = models.CharField(_("procedure"), max_length=20, blank=True)
    record_id = models.BigIntegerField(_("record"), null=True, blank=True)
    record_number = models.CharField(_("record number"), max_length=40, blank=True)
    payload = models.JSONField(_("content"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["number"], condition=~Q(number=""), name="one_document_per_number"
            )
        ]
        indexes = [
            models.Index(fields=["kind", "county", "issued_on"]),
            models.Index(fields=["procedure", "record_id"]),
        ]

    def __str__(self) -> str:
        return self.number or f"{self.kind} {self.pk}"
