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
