"""The year's work-plan targets (工作要点: "新增256张养老床位", "5000户一键通", …) of a bureau's
region, with their progress: reported by the owner, or computed from a Minzheng metric
(targets/metrics.py). Every reported or computed value is a Progress row: the history."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Target(models.Model):
    class Status(models.TextChoices):
        DONE = "done", _("Done")
        ON_TRACK = "on_track", _("On track")
        BEHIND = "behind", _("Behind")

    region = models.ForeignKey(  # the bureau whose plan it is (a county or a city)
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.CharField(_("item number"), max_length=10)  # 序号 in the plan
    item = models.CharField(_("work item"), max_length=300)
    unit = models.CharField(_("unit"), max_length=20)
    target_value = models.DecimalField(_("target value"), max_digits=14, decimal_places=2)
    owner = models.CharField(_("responsible unit"), max_length=100)
    reporter = models.ForeignKey(  # who reports the progress; none: any target owner
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    deadline = models.DateField(_("deadline"))
    metric = models.CharField(_("computed from"), max_length=40, blank=True)
    value = models.DecimalField(_("progress"), max_digits=14, decimal_places=2, default=0)
    value_on = models.DateField(_("progress as of"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("work-plan target")
        verbose_name_plural = _("work-plan targets")
        ordering = ["region", "year", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "number"], name="one_target_per_number"
            )
        ]
        permissions = [("report_progress", _("Can report the progress of targets"))]

    def __str__(self) -> str:
        return f"{self.year} {self.number} {self.item}"


class Progress(models.Model):
    REPORTED, COMPUTED = "reported", "computed"
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="history")
    value = models.DecimalField(_("progress"), max_digits=14, decimal_places=2)
    on = models.DateField(_("as of"))
    source = models.CharField(_("source"), max_length=10)
    note = models.CharField(_("note"), max_length=300, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("progress")
        verbose_name_plural = _("progress")
        ordering = ["target", "on", "id"]

    def __str__(self) -> str:
        return f"{self.target_id} {self.on} {self.value}"
