"""A case is one application for one program by one household (or one person of it, 单人户),
from submission to decision and, once approved, through reviews to its end. Its status moves only
through the steps of cases/workflow.py (procedures.services.perform); every move is an audit
event (the household timeline shows them).

The case table holds what every program's case has. Its periods (办理时限, 公示期, 补办手续时限)
are the procedure layer's deadlines; what one program alone decides lives beside the case:
特困's support mode and care level (TekunSupport), 低保's gradual exit (GradualExit)."""

from functools import cached_property

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from minzheng.policies import programs
from minzheng.procedures.models import Attachment, Deadline, Record

# The programs a case may be opened for: the one catalogue's (policies/programs), by its codes
# (Program.DIBAO = "dibao") and Chinese labels.
Program = models.TextChoices(
    "Program", [(p.code.upper(), (p.code, p.label)) for p in programs.catalogue()]
)


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


LIVE = [s for s in Status.values if s not in (Status.REJECTED, Status.ENDED)]
OPEN = [s for s in LIVE if s not in (Status.APPROVED, Status.SUSPENDED)]
# a grant paid once: once decided, it holds no place against another application
ONE_OFF = [p.code for p in programs.catalogue(paid=programs.ONCE)]


def holds_the_place() -> Q:
    """A case that blocks another application for the same household, program and person: an
    open one, or a decided one still in force (a one-off grant is not in force after it)."""
    return Q(status__in=OPEN) | (Q(status__in=LIVE) & ~Q(program__in=ONE_OFF))


class Case(Record):
    number = models.CharField(_("case number"), max_length=40, unique=True)
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
    channel = models.CharField(_("channel"), max_length=10, default="staff")
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.SUBMITTED,
        db_index=True,
    )
    submitted_on = models.DateField(_("submitted on"))
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    opinion = models.TextField(_("township opinion"), blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_reason = models.TextField(_("decision reasons"), blank=True)
    amount_fen = models.BigIntegerField(_("monthly amount (fen)"), null=True, blank=True)
    start_month = models.DateField(_("paid from month"), null=True, blank=True)
    notice_number = models.CharField(_("notice number"), max_length=40, blank=True)
    next_review_on = models.DateField(_("next review on"), null=True, blank=True, db_index=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    snapshot = models.ForeignKey(
        "rules.DecisionSnapshot",
        verbose_name=_("evaluation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

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
        constraints = [
            # One live case per household, program and person; 低保 is one per household,
            # for the whole household or for one person of it (单人户). The database decides,
            # so two applications at once give one case and one conflict.
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(program="dibao") & holds_the_place(),
                name="one_live_dibao_case_per_household",
            ),
            models.UniqueConstraint(
                F("household"),
                F("program"),
                Coalesce(F("person"), Value(0)),
                condition=~Q(program="dibao") & holds_the_place(),
                name="one_live_case_per_household_program_person",
            ),
        ]

    # ---- read-only views of the case's periods and of its program's own terms ------------------

    @cached_property
    def periods(self) -> dict[str, Deadline]:
        rows = Deadline.objects.filter(procedure="case", record_id=self.pk)
        return {row.kind: row for row in rows}

    def _period(self, kind: str, attribute: str):
        found = self.periods.get(kind)
        return getattr(found, attribute) if found else None

    @property
    def due_on(self):
        return self._period("decision", "due_on")

    @property
    def extended(self) -> bool:
        return bool(self._period("decision", "extended"))

    @property
    def publicity_ends_on(self):
        return self._period("publicity", "due_on")

    @property
    def emergency(self) -> bool:
        """先行救助: granted before the paperwork, which is then due within its period."""
        return "paperwork" in self.periods

    @property
    def paperwork_due_on(self):
        return self._period("paperwork", "due_on")

    @property
    def paperwork_done_on(self):
        return self._period("paperwork", "stopped_on")

    @property
    def support_mode(self) -> str:
        return self._terms("tekun_support", "mode") or ""

    @property
    def care_band(self) -> str:
        return self._terms("tekun_support", "care_band") or ""

    @property
    def taper_until(self):
        return self._terms("gradual_exit", "until")

    @property
    def attachments(self):
        return Attachment.objects.filter(procedure="case", record_id=self.pk)

    def _terms(self, relation: str, attribute: str):
        try:
            return getattr(getattr(self, relation), attribute)
        except models.ObjectDoesNotExist:
            return None


class TekunSupport(models.Model):
    """特困: the support mode the person chose (集中 or 分散供养) and the care level (照料档次)
    of the evaluation kept at the decision."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="tekun_support")
    mode = models.CharField(_("support mode"), max_length=12)
    care_band = models.CharField(_("care level"), max_length=8, blank=True)

    class Meta:
        verbose_name = _("support of a destitute person")
        verbose_name_plural = _("support of destitute persons")

    def __str__(self) -> str:
        return f"{self.case_id} {self.mode} {self.care_band}"


class GradualExit(models.Model):
    """低保 渐退: income rose above the line at a review; paid on until `until`."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="gradual_exit")
    since = models.DateField(_("since"))
    until = models.DateField(_("gradual exit until"), db_index=True)

    class Meta:
        verbose_name = _("gradual exit")
        verbose_name_plural = _("gradual exits")

    def __str__(self) -> str:
        return f"{self.case_id} {self.since}–{self.until}"


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


class Proposal(models.Model):
    """免申即享: a person the monthly screening found eligible for a program granted without an
    application (高龄津贴), waiting for the county to confirm it — a case approved at once, paid
    from the next month — or to decline it with a reason."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Awaiting confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Declined")

    program = models.CharField(_("program"), max_length=20, choices=Program.choices)
    person = models.ForeignKey(
        "registry.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey(
        "registry.Household", verbose_name=_("household"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("screening month"))
    amount_fen = models.BigIntegerField(_("monthly amount (fen)"))
    age = models.PositiveSmallIntegerField(_("age"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    reason = models.TextField(_("reason"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("proposal without application")
        verbose_name_plural = _("proposals without application")
        constraints = [
            # a person waits once per program, whatever the months the screening ran
            models.UniqueConstraint(
                fields=["program", "person"],
                condition=Q(status="proposed"),
                name="one_waiting_proposal_per_program_person",
            )
        ]
        indexes = [models.Index(fields=["region", "status"])]

    def __str__(self) -> str:
        return f"{self.program} {self.person_id} {self.month:%Y-%m} {self.status}"
