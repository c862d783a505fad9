from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PublishedValue(models.Model):
    """A parameter value published by an authorised user (e.g. next year's 低保标准 of a county),
    merged over the shipped YAML; publications are never edited, a new one supersedes."""

    parameter = models.CharField(_("parameter"), max_length=100)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    area = models.CharField(_("urban/rural"), max_length=5, blank=True)
    start = models.DateField(_("effective from"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4)
    document_number = models.CharField(_("document number"), max_length=100)
    attachment = models.FileField(
        _("attachment"), upload_to="publications/%Y/", blank=True, max_length=200
    )
    attachment_sha256 = models.CharField(_("attachment SHA-256"), max_length=64, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)

    class Meta:
        verbose_name = _("published parameter value")
        verbose_name_plural = _("published parameter values")
        constraints = [
            models.UniqueConstraint(
                fields=["parameter", "region", "area", "start"],
                name="one_value_per_parameter_region_area_start",
            ),
        ]
        permissions = [("publish_parameter", _("Can publish parameter values"))]

    def __str__(self) -> str:
        return f"{self.parameter} {self.region_id} {self.start} {self.value}"


class DecisionSnapshot(models.Model):
    """An evaluation kept with a decision: the facts evaluated, the full explanation (criteria,
    parameters with value, region, date and reference, formula versions) and a digest, so the
    decision can be reproduced and checked years later. Never edited."""

    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="decision_snapshots",
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    as_of = models.DateField(_("evaluated as of"))
    purpose = models.CharField(_("purpose"), max_length=40)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    facts = models.JSONField(_("facts evaluated"))
    explanation = models.JSONField(_("explanation"))
    digest = models.CharField(_("digest"), max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("decision snapshot")
        verbose_name_plural = _("decision snapshots")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.household_id} {self.as_of} {self.purpose}"
