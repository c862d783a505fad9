"""The one permission check services call before acting."""

from minzheng.kit.errors import Forbidden


def require_permission(actor, permission: str, message: str | None = None) -> None:
    """Raise Forbidden (403, Chinese message) unless `actor` holds `permission` through a role."""
    if actor is None or not actor.has_perm(permission):
        raise Forbidden(message)
