"""Pages of the collaboration board. Views parse input, call a service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from collaboration import expertise, privacy, selectors, services
from collaboration.forms import (
    AlertForm,
    FlagForm,
    InterestForm,
    MemberAddForm,
    OrganisationForm,
    PeopleFilterForm,
    PostFilterForm,
    PostForm,
)
from collaboration.models import Alert, CollaborationPost, Interest, Organisation
from knowledge.models import Subdomain

PAGE_SIZE = 20
PEOPLE_PAGE_SIZE = 30


def _subdomains():
    return list(Subdomain.objects.order_by("sort_order"))


def _valid_filters(form) -> dict:
    """The filters that validated; a bad value drops only itself, not the whole query."""
    if not form.is_bound:
        return {}
    form.is_valid()
    return form.cleaned_data


@require_GET
def post_list(request):
    subdomains = _subdomains()
    form = PostFilterForm(request.GET or None, subdomains=subdomains)
    data = _valid_filters(form)
    filters = selectors.PostFilters(
        subdomain=data.get("subdomain", ""),
        skill=data.get("skill", ""),
        kind=data.get("kind", ""),
        stage=data.get("stage", ""),
        engagement=data.get("engagement", ""),
        remote=bool(data.get("remote")),
        include_closed=bool(data.get("closed")),
    )
    page = Paginator(selectors.post_list(filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "collaboration/post_list.html",
        {
            "page": page,
            "form": form,
            "filters": filters,
            "skills": selectors.popular_skills(),
            "query_string": query.urlencode(),
        },
    )


@require_GET
def post_detail(request, pk: int):
    post = selectors.post_get(pk=pk, viewer=request.user)
    is_author = request.user.is_authenticated and request.user.pk == post.author_id
    my_interest = selectors.interest_of(post=post, member=request.user)
    interests = selectors.interests_for_author(post=post) if is_author else []
    for interest in interests:
        interest.visible_contacts = privacy.member_contacts_for(
            interest=interest, viewer=request.user
        )
    context = {
        "post": post,
        "qa_tags": list(expertise.qa_tags_for(post.skills.all()).values()),
        "is_author": is_author,
        "my_interest": my_interest,
        "my_events": selectors.events_for(interest=my_interest) if my_interest else [],
        "author_contacts": privacy.author_contacts_for(
            post=post, viewer=request.user, interest=my_interest
        ),
        "interests": interests,
        "suggestions": selectors.suggested_people(post=post) if is_author else [],
        "interest_form": InterestForm(initial={"contact_email": request.user.email})
        if request.user.is_authenticated and not is_author and my_interest is None
        else None,
        "flag_form": FlagForm() if request.user.is_authenticated and not is_author else None,
    }
    response = render(request, "collaboration/post_detail.html", context)
    if request.user.is_authenticated:
        response["Cache-Control"] = "private, no-store"  # may carry contact details
    return response


@login_required
@require_http_methods(["GET", "POST"])
def post_create(request):
    form = PostForm(request.POST or None, author=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            post = services.post_create(
                author=request.user,
                data=form.service_data(),
                skills=form.cleaned_data["skills_text"],
                resources=form.cleaned_data["resources"],
            )
        except services.CollaborationError as error:
            form.add_error(None, str(error))
        except PermissionDenied:
            messages.error(request, _("You cannot post while your account is suspended."))
            return redirect("collaboration:post_list")
        else:
            messages.success(request, _("Your post is live."))
            return redirect(post)
    return render(request, "collaboration/post_form.html", {"form": form, "post": None})


def _own_post(request, pk: int) -> CollaborationPost:
    post = get_object_or_404(CollaborationPost, pk=pk)
    if post.author_id != request.user.pk:
        raise PermissionDenied
    return post


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request, pk: int):
    post = _own_post(request, pk)
    form = PostForm(request.POST or None, instance=post, author=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_update(
                post=post,
                actor=request.user,
                data=form.service_data(),
                skills=form.cleaned_data["skills_text"],
                resources=form.cleaned_data["resources"],
            )
        except services.CollaborationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect(post)
    return render(request, "collaboration/post_form.html", {"form": form, "post": post})


@login_required
@require_POST
def post_close(request, pk: int):
    post = get_object_or_404(CollaborationPost, pk=pk)
    services.post_close(post=post, actor=request.user)
    messages.success(request, _("The post is closed to new interest."))
    return redirect(post)


@login_required
@require_POST
def post_reopen(request, pk: int):
    post = _own_post(request, pk)
    try:
        services.post_reopen(post=post, actor=request.user)
    except services.CollaborationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The post is open again."))
    return redirect(post)


@login_required
@require_POST
def interest_express(request, pk: int):
    post = selectors.post_get(pk=pk, viewer=request.user)
    form = InterestForm(request.POST)
    status = 200
    if form.is_valid():
        try:
            services.interest_express(
                post=post,
                member=request.user,
                message=form.cleaned_data["message"],
                contacts=form.contacts(),
            )
        except services.RateLimited as error:
            form.add_error(None, str(error))
            status = 429
        except services.CollaborationError as error:
            form.add_error(None, str(error))
            status = 400
        else:
            messages.success(
                request, _("The author has been told. You will hear back in your inbox.")
            )
            return redirect(post)
    else:
        status = 400
    # Re-show the form with what the member typed, so nothing is lost.
    return render(
        request,
        "collaboration/interest_form.html",
        {"post": post, "form": form},
        status=status,
    )


@login_required
@require_POST
def interest_decide(request, pk: int, interest_id: int):
    interest = get_object_or_404(
        Interest.objects.select_related("post", "member"), pk=interest_id, post_id=pk
    )
    accept = request.POST.get("decision") == "accept"
    try:
        services.interest_decide(interest=interest, actor=request.user, accept=accept)
    except services.CollaborationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Accepted: you can now see each other's contact details.")
            if accept
            else _("Declined. The member has been told."),
        )
    return redirect(interest.post.get_absolute_url() + "#interests")


@login_required
@require_POST
def interest_withdraw(request, pk: int, interest_id: int):
    interest = get_object_or_404(Interest, pk=interest_id, post_id=pk)
    try:
        services.interest_withdraw(interest=interest, actor=request.user)
    except services.CollaborationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your interest has been withdrawn."))
    return redirect("collaboration:post_detail", pk=pk)


@login_required
@require_POST
def post_flag(request, pk: int):
    post = selectors.post_get(pk=pk, viewer=request.user)
    form = FlagForm(request.POST)
    if form.is_valid():
        try:
            services.flag_create(
                post=post,
                reporter=request.user,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except services.CollaborationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Thank you. A moderator will review this post."))
    else:
        messages.error(request, _("Choose a reason."))
    return redirect(post)


@login_required
@require_GET
def dashboard(request):
    """The member's own posts (with interest counts) and the interests they sent."""
    return render(
        request,
        "collaboration/dashboard.html",
        {
            "posts": selectors.posts_of(author=request.user),
            "sent": selectors.interests_sent_by(member=request.user),
        },
    )


@require_GET
def people(request):
    subdomains = _subdomains()
    form = PeopleFilterForm(request.GET or None, subdomains=subdomains)
    data = _valid_filters(form)
    filters = selectors.PeopleFilters(
        skill=data.get("skill", ""),
        subdomain=data.get("subdomain", ""),
        expertise=data.get("expertise", "") if expertise.COMMUNITY_EXPERTISE else "",
    )
    if not expertise.COMMUNITY_EXPERTISE:
        form.fields.pop("expertise", None)
    page = Paginator(selectors.people_directory(filters=filters), PEOPLE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    proven = expertise.expertise_by_user(user_ids=[person.pk for person in page.object_list])
    for person in page.object_list:
        person.expertise = [expertise.describe(row, row.key) for row in proven.get(person.pk, [])]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "collaboration/people.html",
        {"page": page, "form": form, "filters": filters, "query_string": query.urlencode()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def alerts(request):
    alert = Alert.objects.filter(user=request.user).prefetch_related("skills", "subdomains").first()
    initial = (
        {
            "skills_text": ", ".join(s.name for s in alert.skills.all()),
            "subdomains": list(alert.subdomains.all()),
        }
        if alert
        else {}
    )
    form = AlertForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = services.alert_update(
            user=request.user,
            skills=form.cleaned_data["skills_text"],
            subdomains=form.cleaned_data["subdomains"],
        )
        messages.success(
            request,
            _("Alerts saved. New matching posts will appear in your inbox.")
            if saved
            else _("Alerts turned off."),
        )
        return redirect("collaboration:alerts")
    return render(request, "collaboration/alerts.html", {"form": form, "alert": alert})


@require_GET
def organisation_list(request):
    organisations = Organisation.objects.select_related("platform").order_by("-verified", "name")
    page = Paginator(organisations, PEOPLE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "collaboration/organisation_list.html", {"page": page, "query_string": ""}
    )


@require_GET
def organisation_detail(request, slug: str):
    organisation = selectors.organisation_get(slug=slug)
    memberships = list(selectors.organisation_members(organisation=organisation))
    is_admin = any(m.user_id == request.user.pk and m.role == m.Role.ADMIN for m in memberships)
    is_member = any(m.user_id == request.user.pk for m in memberships)
    posts = selectors.post_list(filters=selectors.PostFilters()).filter(organisation=organisation)[
        :10
    ]
    return render(
        request,
        "collaboration/organisation_detail.html",
        {
            "organisation": organisation,
            "memberships": memberships,
            "is_admin": is_admin,
            "is_member": is_member,
            "posts": posts,
            "member_form": MemberAddForm() if is_admin else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request):
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = services.organisation_create(creator=request.user, **form.cleaned_data)
        messages.success(request, _("Organisation listed. An administrator will verify it."))
        return redirect(organisation)
    return render(request, "collaboration/organisation_form.html", {"form": form})


@login_required
@require_POST
def organisation_member_add(request, slug: str):
    organisation = get_object_or_404(Organisation, slug=slug)
    form = MemberAddForm(request.POST)
    if form.is_valid():
        user = (
            get_user_model()
            .objects.filter(username__iexact=form.cleaned_data["username"], is_active=True)
            .first()
        )
        if user is None:
            messages.error(request, _("No member with that username."))
        else:
            services.organisation_member_add(
                organisation=organisation, actor=request.user, user=user
            )
            messages.success(request, _("Member added."))
    return redirect(organisation)


@login_required
@require_POST
def organisation_leave(request, slug: str):
    organisation = get_object_or_404(Organisation, slug=slug)
    try:
        services.organisation_leave(organisation=organisation, user=request.user)
    except services.CollaborationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("You have left the organisation."))
    return redirect(organisation)
