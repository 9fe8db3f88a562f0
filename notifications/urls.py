from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/", views.open_notification, name="open"),
    path("inbox/read-all/", views.mark_all_read, name="mark_all_read"),
    path("settings/notifications/", views.preferences, name="preferences"),
]
