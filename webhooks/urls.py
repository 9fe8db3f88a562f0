from django.urls import path

from webhooks import views

app_name = "webhooks"

endpoint = "platforms/<slug:slug>/webhooks/<int:endpoint_id>/"

urlpatterns = [
    path("settings/webhooks/", views.platform_index, name="index"),
    path("platforms/<slug:slug>/webhooks/", views.endpoint_list, name="list"),
    path("platforms/<slug:slug>/webhooks/new/", views.endpoint_new, name="new"),
    path(endpoint, views.endpoint_detail, name="endpoint"),
    path(f"{endpoint}edit/", views.endpoint_edit, name="edit"),
    path(f"{endpoint}delete/", views.endpoint_delete_view, name="delete"),
    path(f"{endpoint}secret/", views.endpoint_secret, name="secret"),
    path(f"{endpoint}ping/", views.endpoint_ping_view, name="ping"),
    path(f"{endpoint}deliveries/<uuid:delivery_uuid>/", views.delivery_detail, name="delivery"),
    path(
        f"{endpoint}deliveries/<uuid:delivery_uuid>/redeliver/",
        views.delivery_redeliver_view,
        name="redeliver",
    ),
]
