"""Public views of the knowledge app."""

from django.shortcuts import get_object_or_404, render

from knowledge.models import Subdomain


def subdomain_detail(request, slug: str):
    subdomain = get_object_or_404(Subdomain.objects.prefetch_related("platforms"), slug=slug)
    return render(request, "knowledge/subdomain_detail.html", {"subdomain": subdomain})


def resource_detail(request, slug: str):
    from knowledge.models import OpenResource

    resource = get_object_or_404(
        OpenResource.objects.select_related("platform__subdomain").prefetch_related("versions"),
        slug=slug,
    )
    return render(request, "knowledge/resource_detail.html", {"resource": resource})
