"""Department data and what monitoring makes of it.

A FeedFile is one department file with its provenance (department, period, hash, row counts);
its invalid and unmatched rows are FeedProblems; each matched row is a Fact about one registry
person; an ID match under another name waits in MatchReview. Indicators turn facts and the
registry into Warnings (one per indicator, person and period), handled by the township and
village to a closed outcome. 政策找人 screening leaves OutreachTasks. A MonitorRun records how
far the monthly run has come, so a crashed run resumes where it stopped.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class FeedFile(models.Model):
    feed = models.CharField(_("feed"), max_length=30)
    department = models.CharField(_("department"), max_length=20)
    period = models.CharField(_("period"), max_length=7)  # YYYY-MM
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    filename = models.CharField(_("file name"), max_length=200)
    region = models.ForeignKey(  # whose persons the rows were matched against
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("received by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_invalid = models.PositiveIntegerField(_("invalid rows"), default=0)
    rows_matched = models.PositiveIntegerField(_("matched rows"), default=0)
    rows_review = models.PositiveIntegerField(_("rows to review"), default=0)
    rows_unmatched = models.PositiveIntegerField(_("unmatched rows"), default=0)

    class Meta:
        verbose_name = _("department file")
        verbose_name_plural = _("department files")
        ordering = ["-received_at"]
        constraints = [
            # the same content is "already received" only for the same region and period: one
            # county's upload never blocks another's, nor tells it what others received
            models.UniqueConstraint(
                fields=["feed", "region", "period", "sha256"], name="one_file_per_content"
            )
        ]
        permissions = [
            ("ingest_feed", _("Can upload department files")),
            ("review_match", _("Can review uncertain matches")),
            ("handle_warning", _("Can handle warnings")),
            ("assign_warning", _("Can assign warnings")),
            ("handle_outreach", _("Can handle outreach tasks")),
            ("request_check", _("Can request economic checks (核对)")),
        ]

    def __str__(self) -> str:
        return f"{self.feed} {self.period} {self.filename}"


class FeedProblem(models.Model):
    INVALID, UNMATCHED = "invalid", "unmatched"
    file = models.ForeignKey(FeedFile, on_delete=models.CASCADE, related_name="problems")
    kind = models.CharField(_("kind"), max_length=10)
    row = models.PositiveIntegerField(_("row"))
    column = models.CharField(_("column"), max_length=30, blank=True)
    reason = models.CharField(_("reason"), max_length=300)
    masked_id = models.CharField(_("ID number (masked)"), max_length=30, blank=True)

    class Meta:
        ordering = ["file", "row", "id"]
        indexes = [models.Index(fields=["file", "kind"])]

    def __str__(self) -> str:
        return f"{self.file_id}:{self.row} {self.reason}"


class Fact(models.Model):
    """One department row about one registry person or legal supporter, with its source and
    period (a supporter's facts serve the 核对 of the household he supports)."""

    person = models.ForeignKey(
        "registry.Person", on_delete=models.CASCADE, null=True, related_name="department_facts"
    )
    supporter = models.ForeignKey(
        "registry.Supporter", on_delete=models.CASCADE, null=True, related_name="department_facts"
    )
    feed = models.CharField(_("feed"), max_length=30)
    period = models.CharField(_("period"), max_length=7)
    file = models.ForeignKey(FeedFile, on_delete=models.CASCADE, related_name="facts")
    row = models.PositiveIntegerField(_("row"))
    values = models.JSONField(_("values"))  # the feed's value columns: dates ISO, money in fen

    class Meta:
        ordering = ["period", "feed", "id"]
        constraints = [
            models.UniqueConstraint(fields=["file", "row"], name="one_fact_per_row"),
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) ^ models.Q(supporter__isnull=False),
                name="fact_of_a_person_or_a_supporter",
            ),
        ]
        indexes = [models.Index(fields=["period", "feed"])]

    def __str__(self) -> str:
        return f"{self.feed} {self.period} {self.file_id}:{self.row}"


class MatchReview(models.Model):
    """A row whose ID number is a registry person's but whose name is not: a human decides."""

    PENDING, ACCEPTED, REJECTED = "pending", "accepted", "rejected"
    file = models.ForeignKey(FeedFile, on_delete=models.CASCADE, related_name="reviews")
    row = models.PositiveIntegerField(_("row"))
    person = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="+")
    name_in_file = models.CharField(_("name in the file"), max_length=50)
    values = models.JSONField(_("values"))
    status = models.CharField(_("status"), max_length=10, default=PENDING, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["file", "row"]
        constraints = [models.UniqueConstraint(fields=["file", "row"], name="one_review_per_row")]

    def __str__(self) -> str:
        return f"{self.file_id}:{self.row} {self.status}"


class Warning(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("warning status", "Open")
        ASSIGNED = "assigned", pgettext_lazy("warning status", "Assigned")
        VERIFIED = "verified", pgettext_lazy("warning status", "Verified by a visit")
        CLOSED = "closed", pgettext_lazy("warning status", "Closed")

    class Severity(models.TextChoices):
        RED = "red", _("Red")
        ORANGE = "orange", _("Orange")
        YELLOW = "yellow", _("Yellow")

    class Outcome(models.TextChoices):
        ENROL = "enrol", _("Enrolled in assistance")
        ASSIST = "assist", _("Helped")
        EXCLUDE = "exclude", _("Excluded")
        FALSE_ALARM = "false_alarm", _("False alarm")

    OPEN, ASSIGNED, VERIFIED, CLOSED = Status.values
    indicator = models.CharField(_("indicator"), max_length=30)
    severity = models.CharField(_("severity"), max_length=6, choices=Severity.choices)
    period = models.CharField(_("period"), max_length=7)
    person = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="+")
    household = models.ForeignKey(
        "registry.Household", on_delete=models.CASCADE, related_name="warnings"
    )
    region = models.ForeignKey(  # the household's village: who must act
        "regions.Region", on_delete=models.PROTECT, related_name="+"
    )
    detail = models.JSONField(_("what raised it"))  # facts and values, never a clear ID number
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=OPEN, db_index=True
    )
    version = models.PositiveIntegerField(default=1)
    due_on = models.DateField(_("handle by"), db_index=True)
    created_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    assigned_to = models.ForeignKey(  # a township or village
        "regions.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    visited_on = models.DateField(_("visited on"), null=True, blank=True)
    visit_note = models.TextField(_("visit record"), blank=True)
    outcome = models.CharField(
        _("handling outcome"), max_length=12, choices=Outcome.choices, blank=True
    )
    outcome_reason = models.TextField(_("outcome reason"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("warning")
        verbose_name_plural = _("warnings")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "person", "period"], name="one_warning_per_indicator_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.period} {self.person_id}"


class OutreachTask(models.Model):
    """政策找人: a household the rules find eligible for a program it does not receive."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("outreach status", "To visit")
        APPLIED = "applied", pgettext_lazy("outreach status", "Applied")
        REFUSED = "refused", _("Refused")
        NOT_ELIGIBLE = "not_eligible", _("Not eligible after the visit")

    OPEN, APPLIED, REFUSED, NOT_ELIGIBLE = Status.values
    household = models.ForeignKey(
        "registry.Household", on_delete=models.CASCADE, related_name="outreach"
    )
    program = models.CharField(_("program"), max_length=20)
    period = models.CharField(_("period"), max_length=7)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    amount_fen = models.BigIntegerField(_("estimated monthly amount (fen)"), null=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=OPEN, db_index=True
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["status", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "program", "period"], name="one_task_per_program_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.program} {self.period} {self.household_id}"


class MonitorRun(models.Model):
    STAGES = ("ingest", "indicators", "screening", "done")
    period = models.CharField(_("period"), max_length=7)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    stage = models.CharField(_("stage reached"), max_length=12, default="ingest")
    counts = models.JSONField(default=dict)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period", "region"], name="one_run_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.period} {self.stage}"


class CheckReport(models.Model):
    """居民家庭经济状况核对: every department fact about the members and supporters of one
    household, compared with what the household declared; only with recorded consent."""

    household = models.ForeignKey(
        "registry.Household", on_delete=models.CASCADE, related_name="check_reports"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    report = models.JSONField()  # {category: [facts]}, masked
    discrepancies = models.JSONField(default=list)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.household_id} {self.requested_at:%Y-%m-%d}"
