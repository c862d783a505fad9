"""Closed months of the statistics (民政统计月报).

A county's month is closed once it has ended: its figures, computed from the cases' dated facts,
are frozen as MonthlyFigure rows (one per village, program and urban/rural), with a SHA-256
digest of those rows. From then on the month's tables and exports read only the stored rows, so
later changes to cases or the registry never alter a report that has been submitted; a
correction shows in the month it is made.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MonthClosing(models.Model):
    county = models.ForeignKey(
        "regions.Region", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("month"))  # its first day
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"))
    digest = models.CharField(_("SHA-256 of the figures"), max_length=64)

    class Meta:
        verbose_name = _("closed month")
        verbose_name_plural = _("closed months")
        ordering = ["-month", "county"]
        constraints = [
            models.UniqueConstraint(fields=["county", "month"], name="one_closing_per_county_month")
        ]
        permissions = [
            ("view_dashboard", _("Can view the dashboard")),
            ("view_statistics", _("Can view and export the monthly statistics")),
            ("close_month", _("Can close a month of the statistics")),
        ]

    def __str__(self) -> str:
        return f"{self.county_id} {self.month:%Y-%m}"


class MonthlyFigure(models.Model):
    """One village's figures for one program and one area type in a closed month."""

    closing = models.ForeignKey(MonthClosing, on_delete=models.PROTECT, related_name="figures")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    program = models.CharField(_("program"), max_length=20)
    area_type = models.CharField(_("urban/rural"), max_length=5)
    households = models.PositiveIntegerField(_("households"))
    persons = models.PositiveIntegerField(_("persons"))
    amount_fen = models.BigIntegerField(_("amount of the month (fen)"))
    new = models.PositiveIntegerField(_("new households"))
    exited = models.PositiveIntegerField(_("exited households"))

    class Meta:
        verbose_name = _("monthly figure")
        verbose_name_plural = _("monthly figures")
        constraints = [
            models.UniqueConstraint(
                fields=["closing", "region", "program", "area_type"], name="one_figure_per_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.closing_id} {self.region_id} {self.program} {self.area_type}"
