"""A case is one application for one program by one household (or one person of it, 单人户),
from submission to decision and, once approved, through reviews to its end. Its status moves only
through cases/workflow.py; every move is an audit event (the household timeline shows them)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Program(models.TextChoices):
    DIBAO = "dibao", _("Minimum living allowance (低保)")
    DIBAO_EDGE = "dibao_edge", _("Low-income margin household (低保边缘)")
    TEKUN = "tekun", _("Destitute persons support (特困)")
    RIGID = "rigid", _("Rigid-expense hardship household (刚性支出困难)")
    TEMPORARY = "temporary", _("Temporary assistance (临时救助)")
    CHILD_ALLOWANCE = "child_allowance", _("Orphans and de facto unsupported children")
    DISABILITY_LIVING = "disability_living", _("Living subsidy for disabled people in need")
    DISABILITY_NURSING = "disability_nursing", _("Nursing subsidy for severely disabled people")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    INVESTIGATED = "investigated", _("Investigated")
    REVIEWED = "reviewed", _("Reviewed by the township")
    PUBLICISED = "publicised", _("Under public notice")
    AWAITING = "awaiting", _("Awaiting county decision")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SUSPENDED = "suspended", _("Suspended")
    ENDED = "ended", _("Ended")


class Case(models.Model):
    number = models.CharField(_("case number"), max_length=30, unique=True)
    program = models.CharField(_("program"), max_length=20, choices=Program.choices)
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    person = models.ForeignKey(  # the beneficiary of a person program or a 单人户 case
        "registry.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=10, default="staff")
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=Status.choices,
        default=Status.SUBMITTED,
        db_index=True,
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    emergency = models.BooleanField(_("aid first (先行救助)"), default=False)
    submitted_on = models.DateField(_("submitted on"))
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    due_on = models.DateField(_("decision due on"), null=True, blank=True, db_index=True)
    extended = models.BooleanField(_("deadline extended"), default=False)
    opinion = models.TextField(_("township opinion"), blank=True)
    publicity_ends_on = models.DateField(_("public notice ends on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_reason = models.TextField(_("decision reasons"), blank=True)
    amount_fen = models.BigIntegerField(_("monthly amount (fen)"), null=True, blank=True)
    start_month = models.DateField(_("paid from month"), null=True, blank=True)
    notice_number = models.CharField(_("notice number"), max_length=40, blank=True)
    paperwork_due_on = models.DateField(_("paperwork due on"), null=True, blank=True)
    paperwork_done_on = models.DateField(_("paperwork completed on"), null=True, blank=True)
    next_review_on = models.DateField(_("next review on"), null=True, blank=True, db_index=True)
    support_mode = models.CharField(  # 特困: 集中 or 分散供养, the person's choice
        _("support mode"), max_length=12, blank=True
    )
    care_band = models.CharField(_("care level"), max_length=8, blank=True)  # 特困 照料档次
    taper_until = models.DateField(_("gradual exit until"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    snapshot = models.ForeignKey(
        "rules.DecisionSnapshot",
        verbose_name=_("evaluation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at"]
        permissions = [
            ("accept_case", _("Can accept applications")),
            ("investigate_case", _("Can record investigations")),
            ("review_case", _("Can give the township opinion")),
            ("publicise_case", _("Can manage public notices")),
            ("decide_case", _("Can decide cases")),
            ("grant_small_case", _("Can approve small temporary assistance")),
            ("grant_emergency_case", _("Can grant aid first")),
            ("recheck_case", _("Can record periodic reviews")),
            ("apply_online", _("Can apply online for one's own household")),
        ]

    def __str__(self) -> str:
        return self.number


class Consent(models.Model):
    """The 核对 authorisation of one adult member or legal supporter, required before any
    economic check."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    supporter = models.ForeignKey(
        "registry.Supporter", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    method = models.CharField(_("method"), max_length=10, default="electronic")
    given_on = models.DateField(_("given on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.UniqueConstraint(fields=["case", "person"], name="one_consent_per_member"),
            models.UniqueConstraint(fields=["case", "supporter"], name="one_consent_per_supporter"),
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) ^ models.Q(supporter__isnull=False),
                name="consent_of_a_member_or_a_supporter",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.person_id or self.supporter_id} {self.given_on}"


class Investigation(models.Model):
    """入户调查: date, who visited, what they found."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="investigations")
    visited_on = models.DateField(_("visited on"))
    visitors = models.CharField(_("visitors"), max_length=200)
    findings = models.TextField(_("findings"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("investigation")
        verbose_name_plural = _("investigations")

    def __str__(self) -> str:
        return f"{self.case_id} {self.visited_on}"


class Objection(models.Model):
    """An objection raised during the public notice; resolved before the county decides."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="objections")
    raised_on = models.DateField(_("raised on"))
    content = models.TextField(_("content"))
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")

    def __str__(self) -> str:
        return f"{self.case_id} {self.raised_on}"


class Review(models.Model):
    """复核: a periodic check of an approved case and its outcome."""

    class Outcome(models.TextChoices):
        UNCHANGED = "unchanged", _("Unchanged")
        INCREASE = "increase", _("Increase (增发)")
        DECREASE = "decrease", _("Decrease (减发)")
        TAPER = "taper", _("Gradual exit (渐退)")
        STOP = "stop", _("Stop (停发)")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(_("reviewed on"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    amount_fen = models.BigIntegerField(_("monthly amount (fen)"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("periodic review")
        verbose_name_plural = _("periodic reviews")

    def __str__(self) -> str:
        return f"{self.case_id} {self.reviewed_on} {self.outcome}"


class Counter(models.Model):
    """Case and decision-notice numbers, per kind, county and year, without gaps or repeats."""

    kind = models.CharField(max_length=10)
    county = models.CharField(max_length=12)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "county", "year"], name="one_counter_per_kind_county_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.county} {self.year}: {self.last}"


class Attachment(models.Model):
    """A document or photo of the case (application form, certificates, 入户调查 photos), stored
    outside the web root under a random name, with its SHA-256."""

    class Kind(models.TextChoices):
        APPLICATION = "application", _("Signed application")
        CERTIFICATE = "certificate", _("Certificate")
        INVESTIGATION = "investigation", _("Investigation photo")
        OTHER = "other", _("Other")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
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

    def __str__(self) -> str:
        return self.name
