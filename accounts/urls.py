from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("users/<str:username>/", views.profile_detail, name="profile"),
    path("settings/profile/", views.profile_edit, name="profile_edit"),
    path("settings/tokens/", views.token_list, name="tokens"),
    path("settings/tokens/<int:token_id>/revoke/", views.token_revoke_view, name="token_revoke"),
    path("accounts/profile/", views.profile_redirect, name="profile_redirect"),
]
