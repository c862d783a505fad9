"""What every procedure keeps, whatever its domain: the record's common columns (an abstract
base for the domain's own model), gap-free counters, running deadlines and attachments.

Deadlines and attachments name their record by (procedure, record_id) — the procedure's code
and the domain model's primary key — and carry the record's region, so that overdue lists and
downloads are scoped without a join into the domain's tables."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from minzheng.kit.periods import CALENDAR_DAYS, MONTHS, WORKING_DAYS


class Record(models.Model):
    """The columns a record of any procedure has: its number, region, status and version (the
    optimistic lock every step compares), who opened it and when."""

    number = models.CharField(_("number"), max_length=40, unique=True)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=20, db_index=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.number


class Counter(models.Model):
    """Numbers per kind, region (a county's code, usually) and year, without gaps or repeats:
    the row is locked until the numbering transaction ends."""

    kind = models.CharField(max_length=10)
    region = models.CharField(max_length=12)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "region", "year"], name="one_counter_per_kind_region_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.region} {self.year}: {self.last}"


class Deadline(models.Model):
    """One period running on a record (审批时限, 公示期, 补办手续时限 …): started by a step,
    paused and resumed by others, extended once, stopped by the step that meets it or when the
    record closes. `due_on` is empty while paused (the end is unknown until it resumes).

    A notice period (公示期) just runs its days: nothing is due on its last day, so neither the
    rest-day rule nor the overdue list applies to it."""

    class Unit(models.TextChoices):
        CALENDAR = CALENDAR_DAYS, _("calendar days")
        WORKING = WORKING_DAYS, _("working days")
        MONTH = MONTHS, _("months")

    procedure = models.CharField(_("procedure"), max_length=20)
    record_id = models.BigIntegerField(_("record"))
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20)
    label = models.CharField(_("label"), max_length=40)
    unit = models.CharField(_("unit"), max_length=12, choices=Unit.choices)
    length = models.PositiveIntegerField(_("length"))
    notice = models.BooleanField(_("notice period"), default=False)
    basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    started_on = models.DateField(_("started on"))
    due_on = models.DateField(_("due on"), null=True, blank=True)
    provisional = models.BooleanField(_("provisional"), default=False)
    extended = models.BooleanField(_("extended"), default=False)
    pauses = models.JSONField(_("pauses"), default=list)  # [[since, until], …] as ISO dates
    paused_since = models.DateField(_("paused since"), null=True, blank=True)
    stopped_on = models.DateField(_("stopped on"), null=True, blank=True)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "record_id", "kind"], name="one_deadline_per_record_kind"
            )
        ]
        indexes = [
            models.Index(
                fields=["procedure", "due_on"],
                condition=Q(stopped_on__isnull=True),
                name="running_deadlines",
            )
        ]

    def __str__(self) -> str:
        return f"{self.procedure} {self.record_id} {self.kind} {self.due_on}"

    @property
    def running(self) -> bool:
        return self.stopped_on is None


class Attachment(models.Model):
    """A document or photo of a record (application form, certificates, photos), checked by
    content and size, stored outside the web root under a random name, with its SHA-256."""

    procedure = models.CharField(_("procedure"), max_length=20)
    record_id = models.BigIntegerField(_("record"))
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20)
    name = models.CharField(_("file name"), max_length=200)
    file = models.FileField(_("file"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        indexes = [models.Index(fields=["procedure", "record_id"])]

    def __str__(self) -> str:
        return self.name
