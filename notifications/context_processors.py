from notifications.selectors import unread_count


def unread_notifications(request) -> dict:
    """The header's unread badge: one indexed COUNT for signed-in members, none otherwise.

    Counted once per request, however many templates render with the request.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    count = getattr(request, "_huiju_unread_notifications", None)
    if count is None:
        count = request._huiju_unread_notifications = unread_count(user)
    return {"unread_notifications": count}
