"""The registry (对象库): households, their members and the facts the rules read.

A person belongs to exactly one household at a time (the `household` foreign key); moving is an
explicit transfer recorded in HouseholdMove. Membership facts that the law reads (relation to
the head, living together, statutory exclusions) sit on the person because they describe the
current membership. Supporters, assets, income items and self-care assessments hang off the
household or the person.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from minzheng.kit.fields import EncryptedTextField


class AreaType(models.TextChoices):
    URBAN = "urban", _("Urban")
    RURAL = "rural", _("Rural")


class DisabilityCategory(models.TextChoices):
    VISUAL = "visual", _("Visual")
    HEARING = "hearing", _("Hearing")
    SPEECH = "speech", _("Speech")
    PHYSICAL = "physical", _("Physical")
    INTELLECTUAL = "intellectual", _("Intellectual")
    MENTAL = "mental", _("Mental")
    MULTIPLE = "multiple", _("Multiple")


class ParentSituation(models.TextChoices):
    """A minor's parent, as the 孤儿/事实无人抚养儿童 rules read it."""

    NORMAL = "normal", _("Normal")
    DEAD = "dead", _("Dead")
    MISSING = "missing", _("Declared missing")
    SEVERE_DISABILITY = "severe_disability", _("Severe disability")
    SERIOUS_ILLNESS = "serious_illness", _("Serious illness")
    IN_PRISON = "in_prison", _("In prison")
    LOST_CONTACT = "lost_contact", _("Lost contact")
    GUARDIANSHIP_REVOKED = "guardianship_revoked", _("Guardianship revoked")
    DEPORTED = "deported", _("Deported")


class Exclusion(models.TextChoices):
    """Members who are not counted as co-resident family (最低生活保障审核确认办法)."""

    NONE = "", _("None")
    IMPRISONED = "imprisoned", _("Serving a sentence")
    DRUG_REHAB = "drug_rehab", _("Compulsory drug rehabilitation")
    DECLARED_MISSING = "declared_missing", _("Declared missing")
    CLERGY_APART = "clergy_apart", _("Religious clergy living apart 3+ years")
    CONSCRIPT = "conscript", _("Conscript (where the province excludes them)")


class StudentStatus(models.TextChoices):
    NONE = "", _("Not a student")
    PRESCHOOL = "preschool", _("Preschool")
    PRIMARY = "primary", _("Primary school")
    JUNIOR = "junior", _("Junior secondary")
    SENIOR = "senior", _("Senior secondary")
    VOCATIONAL = "vocational", _("Vocational school")
    COLLEGE = "college", _("College or university")


class Household(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    number = models.CharField(_("household number"), max_length=20, unique=True)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("residence region"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    address = models.CharField(_("address"), max_length=200)
    hukou_region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("hukou region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    hukou_address = models.CharField(_("hukou address"), max_length=200, blank=True)
    area_type = models.CharField(_("urban/rural"), max_length=5, choices=AreaType.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["number"]

    def __str__(self) -> str:
        return self.number


class Person(models.Model):
    class Sex(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")

    class Relation(models.TextChoices):
        HEAD = "head", _("Head of household")
        SPOUSE = "spouse", _("Spouse")
        CHILD = "child", _("Child")
        PARENT = "parent", _("Parent")
        GRANDCHILD = "grandchild", _("Grandchild")
        SIBLING = "sibling", _("Sibling")
        OTHER = "other", _("Other")

    class LabourCapacity(models.TextChoices):
        FULL = "full", _("Full")
        PARTIAL = "partial", _("Partial")
        NONE = "none", _("None")

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="members"
    )
    # Denormalised from the household: scoping and counts filter persons without a join.
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    id_number = EncryptedTextField(_("ID number"))
    id_number_index = models.CharField(_("ID number blind index"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=50, db_index=True)
    # Full pinyin and initials, for search by 拼音 ("zhangsan", "zs").
    name_pinyin = models.CharField(_("name in pinyin"), max_length=200, blank=True, db_index=True)
    name_initials = models.CharField(_("pinyin initials"), max_length=50, blank=True, db_index=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"), db_index=True)
    relation = models.CharField(_("relation to head"), max_length=12, choices=Relation.choices)
    co_resident = models.BooleanField(_("lives with the household"), default=True)
    exclusion = models.CharField(
        _("statutory exclusion"), max_length=20, choices=Exclusion.choices, blank=True
    )
    exclusion_since = models.DateField(_("excluded since"), null=True, blank=True)
    died_on = models.DateField(_("died on"), null=True, blank=True)
    # 户籍迁出: the hukou left the county (公安's record, confirmed by the county)
    moved_out_on = models.DateField(_("moved out on"), null=True, blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    bank_name = models.CharField(_("bank"), max_length=100, blank=True)
    bank_account = EncryptedTextField(_("bank account"), blank=True)
    disability_certificate = EncryptedTextField(_("disability certificate number"), blank=True)
    disability_category = models.CharField(
        _("disability category"), max_length=12, choices=DisabilityCategory.choices, blank=True
    )
    disability_grade = models.PositiveSmallIntegerField(
        _("disability grade"), null=True, blank=True
    )
    labour_capacity = models.CharField(
        _("labour capacity"),
        max_length=8,
        choices=LabourCapacity.choices,
        default=LabourCapacity.FULL,
    )
    serious_illness = models.BooleanField(_("serious illness"), default=False)
    employed = models.BooleanField(_("employed"), default=False)
    student_status = models.CharField(
        _("student status"), max_length=12, choices=StudentStatus.choices, blank=True
    )
    father_situation = models.CharField(
        _("father's situation"), max_length=24, choices=ParentSituation.choices, blank=True
    )
    mother_situation = models.CharField(
        _("mother's situation"), max_length=24, choices=ParentSituation.choices, blank=True
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["household", "id"]
        permissions = [
            ("reveal_person", _("Can reveal masked personal data")),
            ("transfer_person", _("Can transfer a person to another household")),
            ("import_household", _("Can import households from spreadsheets")),
            ("export_household", _("Can export households to spreadsheets")),
        ]

    def __str__(self) -> str:
        return self.name


class IncomeItem(models.Model):
    class Category(models.TextChoices):
        WAGE = "wage", _("Wages")
        BUSINESS = "business", _("Net business income")
        PROPERTY = "property", _("Net property income")
        TRANSFER = "transfer", _("Net transfer income")
        OTHER = "other", _("Other income")

    class Period(models.TextChoices):
        MONTHLY = "monthly", _("Monthly")
        ANNUAL = "annual", _("Annual")

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="incomes"
    )
    category = models.CharField(_("category"), max_length=10, choices=Category.choices)
    period = models.CharField(_("period"), max_length=8, choices=Period.choices)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)
    excluded = models.BooleanField(_("excluded by law"), default=False)

    class Meta:
        verbose_name = _("income item")
        verbose_name_plural = _("income items")

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.amount}"


class HouseholdMove(models.Model):
    """A person's transfer between households: the history behind Person.household."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="moves"
    )
    from_household = models.ForeignKey(
        Household, verbose_name=_("from household"), on_delete=models.PROTECT, related_name="+"
    )
    to_household = models.ForeignKey(
        Household, verbose_name=_("to household"), on_delete=models.PROTECT, related_name="+"
    )
    moved_at = models.DateTimeField(_("moved at"))
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        verbose_name = _("household move")
        verbose_name_plural = _("household moves")
        ordering = ["-moved_at"]

    def __str__(self) -> str:
        return f"{self.person} {self.from_household} → {self.to_household}"


class Supporter(models.Model):
    """A legal supporter outside the household (赡养/抚养/扶养义务人)."""

    class Duty(models.TextChoices):
        SUPPORT_ELDERS = "elders", _("Support of parents (赡养)")
        RAISE_CHILDREN = "children", _("Raising of children (抚养)")
        SPOUSE_SIBLING = "spouse", _("Support of spouse or siblings (扶养)")

    class Condition(models.TextChoices):
        ABLE = "able", _("Able to support")
        SEVERE_DISABILITY = "severe_disability", _("Severely disabled")
        SERIOUS_ILLNESS = "serious_illness", _("Seriously ill")
        LOW_INCOME = "low_income", _("Receives 低保 or 特困 support")
        IMPRISONED = "imprisoned", _("Serving a sentence")
        MISSING = "missing", _("Missing")

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.CASCADE, related_name="supporters"
    )
    supported = models.ForeignKey(
        Person,
        verbose_name=_("supported person"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="supporters",
    )
    name = models.CharField(_("name"), max_length=50)
    id_number = EncryptedTextField(_("ID number"))
    id_number_index = models.CharField(_("ID number blind index"), max_length=32, db_index=True)
    duty = models.CharField(_("duty"), max_length=10, choices=Duty.choices)
    relation = models.CharField(_("relation"), max_length=30)
    monthly_income = models.DecimalField(
        _("monthly income (yuan)"), max_digits=12, decimal_places=2, default=0
    )
    condition = models.CharField(
        _("condition"), max_length=20, choices=Condition.choices, default=Condition.ABLE
    )

    class Meta:
        verbose_name = _("legal supporter")
        verbose_name_plural = _("legal supporters")

    def __str__(self) -> str:
        return self.name


class Asset(models.Model):
    class Kind(models.TextChoices):
        VEHICLE = "vehicle", _("Vehicle")
        REAL_ESTATE = "real_estate", _("Real estate")
        DEPOSIT = "deposit", _("Deposit")
        SECURITIES = "securities", _("Securities")
        BUSINESS = "business", _("Business registration")

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.CASCADE, related_name="assets"
    )
    owner = models.ForeignKey(
        Person,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assets",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)
    value = models.DecimalField(_("value (yuan)"), max_digits=14, decimal_places=2, default=0)
    area = models.DecimalField(
        _("floor area (m²)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    registration = models.CharField(_("registration number"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("asset")
        verbose_name_plural = _("assets")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}"


class SelfCareAssessment(models.Model):
    """The 6-item self-care assessment of 特困人员认定办法: each item the person cannot do."""

    ITEMS = ("eating", "dressing", "transfer", "toileting", "walking", "bathing")

    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="self_care_assessments",
    )
    assessed_on = models.DateField(_("assessed on"))
    eating = models.BooleanField(_("cannot eat unaided"), default=False)
    dressing = models.BooleanField(_("cannot dress unaided"), default=False)
    transfer = models.BooleanField(_("cannot get in and out of bed unaided"), default=False)
    toileting = models.BooleanField(_("cannot use the toilet unaided"), default=False)
    walking = models.BooleanField(_("cannot walk indoors unaided"), default=False)
    bathing = models.BooleanField(_("cannot bathe unaided"), default=False)

    class Meta:
        verbose_name = _("self-care assessment")
        verbose_name_plural = _("self-care assessments")
        ordering = ["-assessed_on"]

    def __str__(self) -> str:
        return f"{self.person} {self.assessed_on}"

    @property
    def items_unable(self) -> int:
        return sum(getattr(self, item) for item in self.ITEMS)
