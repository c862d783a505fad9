"""Account operations: sign-in with lockout, sign-out, user creation, role grants (三员分立)."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from minzheng.accounts import throttles
from minzheng.accounts.errors import Error
from minzheng.accounts.events import Event
from minzheng.accounts.models import LoginThrottle, User
from minzheng.accounts.roles import ROLES, get_role
from minzheng.audit.services import client_ip, record
from minzheng.kit.errors import Forbidden
from minzheng.regions.models import Region


@dataclass(frozen=True)
class SignInOutcome:
    user: User | None
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.user is not None


def attempt_sign_in(request: HttpRequest, username: str, password: str) -> SignInOutcome:
    """Check the lockout, authenticate, count failures; every outcome is an audit event.

    Returns an outcome instead of raising so that the failure count and its audit event
    commit even though the sign-in is refused.
    """
    username = username.strip()
    now = timezone.now()
    address_wait = throttles.address_wait_minutes(client_ip(request), now)
    if address_wait:
        record(Event.LOGIN_REFUSED_ADDRESS, request=request, **_attempted(username))
        return SignInOutcome(None, f"该网络地址登录失败次数过多，请在{address_wait}分钟后重试。")
    throttle, _ = LoginThrottle.objects.get_or_create(username=username)
    throttle = LoginThrottle.objects.select_for_update().get(pk=throttle.pk)
    if throttle.locked_until and throttle.locked_until > now:
        minutes = max(1, int((throttle.locked_until - now).total_seconds() // 60) + 1)
        record(Event.LOGIN_REFUSED_LOCKED, request=request, **_attempted(username))
        return SignInOutcome(None, f"账号因多次登录失败已被锁定，请在{minutes}分钟后重试。")
    user = authenticate(request, username=username, password=password)
    if user is None:
        return _register_failure(request, throttle, now)
    LoginThrottle.objects.filter(pk=throttle.pk).update(failures=0, locked_until=None)
    login(request, user)
    request.session["last_seen"] = now.timestamp()
    record(
        Event.LOGIN_SUCCEEDED,
        actor=user,
        request=request,
        object_type="user",
        object_id=user.pk,
        region_code=user.region_id or "",
    )
    return SignInOutcome(user)


def _register_failure(request, throttle: LoginThrottle, now) -> SignInOutcome:
    LoginThrottle.objects.filter(pk=throttle.pk).update(
        failures=F("failures") + 1, last_failure_at=now
    )
    throttle.refresh_from_db()
    throttles.count_address_failure(client_ip(request), now)
    record(
        Event.LOGIN_FAILED,
        request=request,
        **_attempted(throttle.username, {"failures": throttle.failures}),
    )
    limit = settings.LOGIN_FAILURE_LIMIT
    if throttle.failures >= limit:
        locked_until = now + timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
        LoginThrottle.objects.filter(pk=throttle.pk).update(failures=0, locked_until=locked_until)
        ended = throttles.end_sessions(throttle.username)
        after = {"locked_until": locked_until, "sessions_ended": bool(ended)}
        record(Event.ACCOUNT_LOCKED, request=request, **_attempted(throttle.username, after))
        minutes = settings.LOGIN_LOCKOUT_SECONDS // 60
        return SignInOutcome(None, f"连续{limit}次登录失败，账号已被锁定{minutes}分钟。")
    left = limit - throttle.failures
    return SignInOutcome(None, f"用户名或密码错误，还可尝试{left}次。")


def _attempted(username: str, after: dict | None = None) -> dict:
    """The audit subject of a sign-in attempt: whatever was typed (up to the form's 150
    characters) must fit the event, or the failure count would roll back with a failed audit
    write. A name longer than the object id column is kept whole in `after`."""
    subject = {"object_type": "user", "object_id": username[:64], "after": after}
    if len(username) > 64:
        subject["after"] = {**(after or {}), "username": username}
    return subject


def sign_out(request: HttpRequest, *, event: Event = Event.SESSION_LOGOUT) -> None:
    user = request.user
    if user.is_authenticated:
        record(
            event,
            actor=user,
            request=request,
            object_type="user",
            object_id=user.pk,
            region_code=user.region_id or "",
        )
    logout(request)


def unlock_user(actor: User, username: str) -> None:
    if not actor.has_perm("accounts.unlock_user"):
        raise Forbidden()
    updated = LoginThrottle.objects.filter(username=username).update(failures=0, locked_until=None)
    if updated:
        record(Event.ACCOUNT_UNLOCKED, actor=actor, **_attempted(username))


def create_user(
    actor: User | None,
    *,
    username: str,
    password: str,
    region_code: str | None,
    full_name: str = "",
    roles: list[str] = (),
    operator: str = "",
) -> User:
    """Create an account. `actor` None means the server operator's CLI (bootstrap), which may
    also assign initial roles; through the UI, roles are granted separately by the security
    administrator."""
    if actor is not None and not actor.has_perm("accounts.add_user"):
        raise Forbidden()
    if actor is not None and roles:
        raise Error.CREATE_WITHOUT_ROLES.error()
    region = Region.objects.filter(code=region_code).first() if region_code else None
    if region_code and region is None:
        raise Error.UNKNOWN_REGION.error(code=region_code, field="region")
    user = User(username=username.strip(), full_name=full_name, region=region)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise Error.WEAK_PASSWORD.error(
            problems="；".join(exc.messages), field="password"
        ) from None
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise Error.USERNAME_TAKEN.error(username=username, field="username") from None
    record(
        Event.USER_CREATED,
        actor=actor,
        object_type="user",
        object_id=user.pk,
        region_code=region.code if region else "",
        after={"username": user.username, "region": user.region_id},
        reason=operator,
    )
    for code in roles:
        _apply_role(user, get_role(code), actor=actor, reason=operator)
    return user


def grant_role(actor: User, user: User, role_code: str, *, reason: str = "") -> None:
    """Grant a role: only the security administrator, never to himself, 三员 never combined."""
    role = get_role(role_code)
    _check_may_assign(actor, user)
    _apply_role(user, role, actor=actor, reason=reason)


def revoke_role(actor: User, user: User, role_code: str, *, reason: str = "") -> None:
    get_role(role_code)
    _check_may_assign(actor, user)
    user.groups.remove(Group.objects.get(name=role_code))
    _role_changed(user, actor, Event.ROLE_REVOKED, {"before": {"role": role_code}}, reason)


def _check_may_assign(actor: User, user: User) -> None:
    if not actor.has_perm("accounts.grant_role"):
        raise Error.ONLY_SECURITY_ADMIN_GRANTS.error()
    if actor.pk == user.pk:
        raise Error.SELF_GRANT.error()


def _apply_role(user: User, role, *, actor, reason: str) -> None:
    held = [ROLES[c] for c in user.role_codes if c != role.code]
    if held and (role.administrator or any(r.administrator for r in held)):
        raise Error.SEPARATION_OF_DUTIES.error()
    if role.level is not None and (user.region is None or user.region.level != role.level):
        label = Region.Level(role.level).label
        raise Error.REGION_LEVEL_MISMATCH.error(role=role.label, level=label, field="region")
    user.groups.add(Group.objects.get(name=role.code))
    _role_changed(user, actor, Event.ROLE_GRANTED, {"after": {"role": role.code}}, reason)


def _role_changed(user: User, actor, action: Event, change: dict, reason: str) -> None:
    _sync_staff_flag(user)
    record(
        action,
        actor=actor,
        object_type="user",
        object_id=user.pk,
        region_code=user.region_id or "",
        reason=reason,
        **change,
    )


def _sync_staff_flag(user: User) -> None:
    if hasattr(user, "_role_codes"):
        del user._role_codes
    user.is_staff = any(ROLES[c].back_office for c in user.role_codes)
    User.objects.filter(pk=user.pk).update(is_staff=user.is_staff)


ACCOUNT_FIELDS = ("full_name", "region", "is_active")


def update_account(actor: User, user: User, changed: list[str]) -> None:
    """Save the account fields the system administrator changed, with before/after."""
    if not actor.has_perm("accounts.change_user"):
        raise Forbidden()
    fields = [f for f in changed if f in ACCOUNT_FIELDS]
    if not fields:
        return
    stored = User.objects.get(pk=user.pk)
    before = {f: getattr(stored, f + "_id" if f == "region" else f) for f in fields}
    after = {f: getattr(user, f + "_id" if f == "region" else f) for f in fields}
    user.save(update_fields=fields)
    record(
        Event.USER_CHANGED,
        actor=actor,
        object_type="user",
        object_id=user.pk,
        region_code=user.region_id or "",
        before=before,
        after=after,
    )


def set_roles(actor: User, user: User, wanted: list[str], *, reason: str = "") -> None:
    current = set(user.role_codes)
    for code in current - set(wanted):
        revoke_role(actor, user, code, reason=reason)
    for code in [c for c in wanted if c not in current]:
        grant_role(actor, user, code, reason=reason)
