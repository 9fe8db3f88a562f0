from django.urls import path

from knowledge import views
from knowledge.feeds import SubdomainTutorialsFeed, sitemap

app_name = "knowledge"

urlpatterns = [
    path("d/<slug:slug>/", views.subdomain_detail, name="subdomain"),
    path("d/<slug:slug>/feed/", SubdomainTutorialsFeed(), name="subdomain_feed"),
    path("resources/", views.resource_list, name="resources"),
    path("resources/<slug:slug>/", views.resource_detail, name="resource"),
    path("tutorials/", views.tutorial_list, name="tutorials"),
    path("sitemap.xml", sitemap, name="sitemap"),
]
