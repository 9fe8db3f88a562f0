from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("users/<str:username>/", views.profile_detail, name="profile"),
    path("settings/profile/", views.profile_edit, name="profile_edit"),
    path("accounts/profile/", views.profile_redirect, name="profile_redirect"),
]
