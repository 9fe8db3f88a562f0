from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("", views.session_list, name="session_list"),
    path("new/", views.session_schedule, name="session_schedule"),
    path("<slug:slug>/", views.session_detail, name="session_detail"),
    path("<slug:slug>/edit/", views.session_edit, name="session_edit"),
    path("<slug:slug>/calendar.ics", views.session_ics, name="session_ics"),
    path("<slug:slug>/register/", views.session_register, name="session_register"),
    path("<slug:slug>/ask/", views.question_ask, name="question_ask"),
    path("<slug:slug>/questions/<int:pk>/vote/", views.question_vote, name="question_vote"),
    path("<slug:slug>/moderate/", views.moderate, name="moderate"),
    path(
        "<slug:slug>/questions/<int:pk>/moderate/",
        views.question_moderate,
        name="question_moderate",
    ),
    path("<slug:slug>/status/", views.session_status, name="session_status"),
]
