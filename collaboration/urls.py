from django.urls import path

from collaboration import feeds, views

app_name = "collaboration"

urlpatterns = [
    path("", views.post_list, name="post_list"),
    path("new/", views.post_create, name="post_create"),
    path("mine/", views.dashboard, name="dashboard"),
    path("alerts/", views.alerts, name="alerts"),
    path("people/", views.people, name="people"),
    path("feed/", feeds.LatestPostsFeed(), name="feed"),
    path("<int:pk>/", views.post_detail, name="post_detail"),
    path("<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("<int:pk>/close/", views.post_close, name="post_close"),
    path("<int:pk>/reopen/", views.post_reopen, name="post_reopen"),
    path("<int:pk>/interest/", views.interest_express, name="interest_express"),
    path(
        "<int:pk>/interest/<int:interest_id>/decide/",
        views.interest_decide,
        name="interest_decide",
    ),
    path(
        "<int:pk>/interest/<int:interest_id>/withdraw/",
        views.interest_withdraw,
        name="interest_withdraw",
    ),
    path("<int:pk>/flag/", views.post_flag, name="post_flag"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<str:slug>/", views.organisation_detail, name="organisation_detail"),
    path(
        "organisations/<str:slug>/members/",
        views.organisation_member_add,
        name="organisation_member_add",
    ),
    path("organisations/<str:slug>/leave/", views.organisation_leave, name="organisation_leave"),
]
