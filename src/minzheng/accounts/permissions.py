"""The one permission check services call before acting."""

from minzheng.kit.errors import ErrorCode, Forbidden


def require_permission(actor, permission: str, refusal: ErrorCode | None = None, **values) -> None:
    """Refuse (403) unless `actor` holds `permission` through a role: with the app's declared
    `refusal` and its values, or the generic Chinese message."""
    if actor is None or not actor.has_perm(permission):
        raise refusal.error(**values) if refusal else Forbidden()
