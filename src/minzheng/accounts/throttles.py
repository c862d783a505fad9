"""Sign-in limits besides the per-username lockout: per client address within a window, and
the end of every session of an account when it is locked."""

from datetime import timedelta

from django.conf import settings
from django.db.models import F

from minzheng.accounts.models import AddressThrottle, User


def address_wait_minutes(address: str | None, now) -> int:
    """Minutes until the address may try again; 0 when it may now."""
    if not address:
        return 0
    row = AddressThrottle.objects.filter(address=address).first()
    if row is None or row.failures < settings.LOGIN_ADDRESS_FAILURE_LIMIT:
        return 0
    ends = row.window_started_at + timedelta(seconds=settings.LOGIN_ADDRESS_WINDOW_SECONDS)
    return max(1, int((ends - now).total_seconds() // 60) + 1) if ends > now else 0


def count_address_failure(address: str | None, now) -> None:
    """One more failure from the address; a window that has passed starts again at one."""
    if not address:
        return
    row, created = AddressThrottle.objects.get_or_create(
        address=address, defaults={"window_started_at": now, "failures": 1}
    )
    if created:
        return
    window = timedelta(seconds=settings.LOGIN_ADDRESS_WINDOW_SECONDS)
    if row.window_started_at + window <= now:
        AddressThrottle.objects.filter(pk=row.pk).update(window_started_at=now, failures=1)
    else:
        AddressThrottle.objects.filter(pk=row.pk).update(failures=F("failures") + 1)


def end_sessions(username: str) -> int:
    """Every open session of the account stops verifying at its next request."""
    return User.objects.filter(username=username).update(session_epoch=F("session_epoch") + 1)
