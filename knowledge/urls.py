from django.urls import path

from knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("d/<slug:slug>/", views.subdomain_detail, name="subdomain"),
    path("resources/<slug:slug>/", views.resource_detail, name="resource"),
]
