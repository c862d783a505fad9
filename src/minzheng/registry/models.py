"""The registry (对象库): households, persons and their income items.

This is the first cut the foundation needs (demo data, scoping tests, home-page counts);
the registry issue extends it with memberships, supporters, assets and circumstances.
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
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"), db_index=True)
    relation = models.CharField(_("relation to head"), max_length=12, choices=Relation.choices)
    phone = EncryptedTextField(_("phone"), blank=True)
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
        permissions = [("reveal_person", _("Can reveal masked personal data"))]

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
