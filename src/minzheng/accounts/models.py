from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from minzheng.accounts.roles import ROLES


class User(AbstractUser):
    """A staff account with a home region; its roles are its groups (see roles.py).

    There is no superuser: a check constraint keeps `is_superuser` false, so every right comes
    from a role and the separation of the three administrators cannot be bypassed.
    """

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("home region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    person = models.OneToOneField(  # a resident's own registry record: online applications
        "registry.Person",
        verbose_name=_("resident's registry record"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="account",
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        permissions = [
            ("grant_role", _("Can grant and revoke roles")),
            ("unlock_user", _("Can unlock locked accounts")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(is_superuser=False), name="no_superuser"),
        ]

    # Raised when the account is locked: every session opened before no longer verifies.
    session_epoch = models.PositiveIntegerField(_("session epoch"), default=0, editable=False)

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_session_auth_hash(self) -> str:
        """Django ends a session whose stored hash no longer matches: the password's hash, as
        Django does, and the session epoch, so that a lockout ends the sessions opened before."""
        base = super().get_session_auth_hash()
        return salted_hmac("minzheng.session_epoch", f"{base}:{self.session_epoch}").hexdigest()

    @property
    def role_codes(self) -> list[str]:
        if not hasattr(self, "_role_codes"):
            names = set(self.groups.values_list("name", flat=True))
            self._role_codes = [code for code in ROLES if code in names]
        return self._role_codes

    @property
    def role_labels(self) -> list[str]:
        return [str(ROLES[code].label) for code in self.role_codes]

    def has_role(self, code: str) -> bool:
        return code in self.role_codes


class LoginThrottle(models.Model):
    """Failed sign-ins per username; keyed by name so unknown names lock too (no enumeration)."""

    username = models.CharField(_("username"), max_length=150, unique=True)
    failures = models.PositiveIntegerField(_("consecutive failures"), default=0)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)
    last_failure_at = models.DateTimeField(_("last failure"), null=True, blank=True)

    class Meta:
        verbose_name = _("login throttle")
        verbose_name_plural = _("login throttles")

    def __str__(self) -> str:
        return self.username


class AddressThrottle(models.Model):
    """Failed sign-ins per client address within a window: one address trying many usernames
    (each below its own limit) is stopped too."""

    address = models.GenericIPAddressField(_("client IP"), unique=True)
    window_started_at = models.DateTimeField(_("window started at"))
    failures = models.PositiveIntegerField(_("failures in the window"), default=0)

    class Meta:
        verbose_name = _("address throttle")
        verbose_name_plural = _("address throttles")

    def __str__(self) -> str:
        return self.address
