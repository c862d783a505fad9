from minzheng.web.navigation import items_for


def shell(request) -> dict:
    """Navigation and the signed-in user's region and roles, shown in the page header."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    return {
        "nav_items": items_for(user),
        "user_region": user.region,
        "user_roles": "、".join(user.role_labels),
    }
