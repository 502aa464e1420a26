"""Pages and htmx fragments of the content spine. Thin: queries, one action, render.

htmx requests get a ``{% partialdef %}`` of the same template as the page, so
page and fragment share markup (``posts/space_feed.html#post-card``).
Form errors answer 422 (413 for a file that is too large, 429 with
``Retry-After`` when rate limited); ``posts/js/posts.js`` lets htmx swap those
answers into the form instead of dropping them.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from brug.analytics.enums import Verb
from brug.analytics.recording import record_view
from brug.core.exceptions import Conflict, RateLimited
from brug.core.forms import apply_errors
from brug.core.serving import file_response
from brug.core.views import rate_limited_response
from brug.people.models import User
from brug.permissions.people import check_can_see_person
from brug.permissions.posts import (
    can_comment_on_post,
    can_delete_post,
    can_edit_post,
    can_moderate_post,
    can_pin_post,
    check_can_post_on_profile,
)
from brug.permissions.spaces import (
    check_can_read_space,
    check_can_see_space,
    filter_readable_spaces,
)
from brug.posts import actions, queries
from brug.posts.composing import save_with_uploads
from brug.posts.enums import PostKind
from brug.posts.forms import (
    PROFILE,
    CommentForm,
    EditCommentForm,
    EditPostForm,
    PostForm,
)
from brug.posts.models import Comment
from brug.spaces.models import Space

FEED = "posts/space_feed.html"


# Helpers ---------------------------------------------------------------------------


def _int(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < number < 2**63:
        raise Http404
    return number


def _cursor(request):
    try:
        return queries.parse_feed_cursor(request.GET.get("before"))
    except queries.InvalidFeedCursor as error:
        raise BadRequest(str(error.message)) from None


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def space_url(space: Space | None) -> str:
    """The page of a space (``spaces:detail``), or the home feed for profile posts."""
    if space is None:
        return reverse("posts:home")
    try:
        return reverse("spaces:detail", kwargs={"slug": space.slug})
    except NoReverseMatch:
        return reverse("posts:home")


def composer_form(viewer, *, space: Space | None = None, data=None) -> PostForm:
    """The composer for a space (fixed), or for the home page (my spaces and my profile)."""
    if space is not None:
        return PostForm(data, fixed_space=space)
    spaces = queries.list_postable_spaces(viewer=viewer)
    return PostForm(data, spaces=spaces, allow_profile=viewer.is_member)


def _feed_response(request, template: str, context: dict, *, partial: str = "feed"):
    if request.htmx and request.GET.get("before"):
        return render(request, f"{FEED}#{partial}", context)
    return render(request, template, context)


# Feeds -------------------------------------------------------------------------------


@login_required
@require_GET
def home(request):
    """The home feed: my spaces, people I follow, my organisation's announcements."""
    viewer = request.viewer
    page = queries.get_home_feed(viewer=viewer, before=_cursor(request))
    queries.load_feed_extras(viewer=viewer, posts=page.all_posts)
    context = {
        "page": page,
        "feed_url": reverse("posts:home"),
        "form": composer_form(viewer) if not request.htmx else None,
        "show_space": True,
    }
    return _feed_response(request, "posts/feed_home.html", context)


@login_required
@require_GET
def space_feed(request, space_id: int):
    """A space's feed as a fragment (the space page includes it; "load more" asks it)."""
    space = _readable_space(request.viewer, space_id)
    context = space_feed_context(
        viewer=request.viewer, space=space, before=_cursor(request), composer=False
    )
    return render(request, f"{FEED}#feed", context)


def _readable_space(viewer, space_id: int) -> Space:
    """Load a space the viewer may read in one query; else 404 (hidden) or 403 (visible)."""
    space = filter_readable_spaces(viewer, Space.objects.filter(pk=space_id)).first()
    if space is None:
        space = get_object_or_404(Space, pk=space_id)
        check_can_read_space(viewer, space)
        raise Http404
    return space


def space_feed_context(*, viewer, space: Space, before=None, composer: bool = True) -> dict:
    """Everything ``posts/space_feed.html`` needs for a space (for the space page too).

    The caller has checked ``check_can_read_space``. Costs the feed's queries:
    the posts, the pinned posts on the first page, reactions and attachments.
    Use it in the space page as::

        context.update(space_feed_context(viewer=request.viewer, space=space))
        {% include "posts/space_feed.html#composer" %}
        {% include "posts/space_feed.html#feed" %}
    """
    from brug.permissions.spaces import can_post_in_space

    page = queries.get_space_feed(viewer=viewer, space=space, before=before)
    queries.load_feed_extras(viewer=viewer, posts=page.all_posts)
    can_post = composer and can_post_in_space(viewer, space)
    return {
        "space": space,
        "page": page,
        "can_post": can_post,
        "form": composer_form(viewer, space=space) if can_post else None,
        "feed_url": reverse("posts:space-feed", args=[space.pk]),
        "page_url": space_url(space),
        "show_space": False,
    }


@login_required
@require_GET
def person_posts(request, handle: str):
    """A person's posts that I may read, with a follow button."""
    person = get_object_or_404(User, handle=handle.lower())
    check_can_see_person(request.viewer, person)
    page = queries.get_person_posts(viewer=request.viewer, person=person, before=_cursor(request))
    queries.load_feed_extras(viewer=request.viewer, posts=page.all_posts)
    context = {
        "person": person,
        "page": page,
        "feed_url": reverse("posts:person", args=[person.handle]),
        "following": queries.is_following(viewer=request.viewer, person=person),
        "show_space": True,
    }
    return _feed_response(request, "posts/person_posts.html", context)


@login_required
@require_POST
def follow(request, handle: str):
    """Follow or unfollow (``action=unfollow``) a person."""
    person = get_object_or_404(User, handle=handle.lower())
    try:
        if request.POST.get("action") == "unfollow":
            actions.unfollow_person(follower=request.viewer, person=person)
        else:
            actions.follow_person(follower=request.viewer, person=person)
    except RateLimited as error:
        return rate_limited_response(request, error)
    except ValidationError as error:  # following oneself
        return HttpResponseBadRequest(" ".join(error.messages))
    if request.htmx:
        context = {
            "person": person,
            "following": request.POST.get("action") != "unfollow",
            # The button lives on the posts page and on the profile: keep its way back.
            "follow_next": _next_url(request, ""),
        }
        return render(request, "posts/person_posts.html#follow-button", context)
    return redirect(_next_url(request, reverse("posts:person", args=[person.handle])))


# Writing posts -------------------------------------------------------------------------


@login_required
def post_create(request):
    """The composer's target; GET shows the composer on its own page."""
    viewer = request.viewer
    raw_space = request.POST.get("space") or request.GET.get("space")
    space = None
    if raw_space and raw_space != PROFILE:
        space = get_object_or_404(Space, pk=_int(raw_space))
        check_can_see_space(viewer, space)
    elif request.method == "POST":
        check_can_post_on_profile(viewer)
    form = composer_form(
        viewer, space=space, data=request.POST if request.method == "POST" else None
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        post, refused, status = save_with_uploads(
            request,
            form,
            lambda uploads: actions.create_post(
                author=viewer,
                space=space,
                body=data["body"],
                kind=data["kind"],
                title=data["title"],
                attachments=uploads,
            ),
            template="posts/post_create.html",
            context={"form": form},
        )
        if refused is not None:
            return refused
        if post is not None:
            return redirect(_next_url(request, reverse("posts:detail", args=[post.pk])))
    if form.is_bound and form.errors and status == 200:
        status = 422
    return render(request, "posts/post_create.html", {"form": form, "space": space}, status=status)


@login_required
@require_GET
def post_detail(request, post_id: int):
    """A post with its comments; counts as opening the post (``record_view``)."""
    viewer = request.viewer
    post = queries.get_post(viewer=viewer, post_id=post_id)
    if post.kind == PostKind.QUESTION:
        # A question has its own page (answers, votes, accepting): brug.questions.
        return redirect("questions:detail", question_id=post.pk)
    threads = queries.list_comments(viewer=viewer, post=post)
    queries.load_thread_extras(viewer=viewer, post=post, comments=queries.flatten(threads))
    record_view(person=request.user, verb=Verb.OPEN_POST, post=post, space=post.space)
    context = {
        "post": post,
        "threads": threads,
        "comment_form": CommentForm(),
        "can_comment": can_comment_on_post(viewer, post),
        "can_edit": can_edit_post(viewer, post),
        "can_delete": can_delete_post(viewer, post),
        "can_moderate": can_moderate_post(viewer, post),
        "can_pin": can_pin_post(viewer, post),
        "back_url": space_url(post.space),
    }
    return render(request, "posts/post_detail.html", context)


@login_required
def post_edit(request, post_id: int):
    """Edit a post's text; a save based on an older version answers 409."""
    viewer = request.viewer
    post = queries.get_post(viewer=viewer, post_id=post_id)
    if not can_edit_post(viewer, post):
        raise PermissionDenied
    initial = {"title": post.title, "body": post.body, "version": post.version}
    form = EditPostForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.edit_post(
                editor=viewer,
                post=post,
                body=data["body"],
                title=data["title"],
                version=data["version"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        except Conflict:
            post = queries.get_post(viewer=viewer, post_id=post_id)
            context = {"post": post, "form": form, "conflict": True}
            return render(request, "posts/post_edit.html", context, status=409)
        else:
            return redirect("posts:detail", post_id=post.pk)
    if form.is_bound and form.errors:
        status = 422
    return render(request, "posts/post_edit.html", {"post": post, "form": form}, status=status)


@login_required
@require_GET
def post_history(request, post_id: int):
    """Earlier versions of a post: readable by whoever may read the post, nobody else."""
    post = queries.get_post(viewer=request.viewer, post_id=post_id)
    revisions = queries.list_revisions(viewer=request.viewer, post=post)
    return render(request, "posts/post_history.html", {"post": post, "revisions": revisions})


@login_required
@require_POST
def post_delete(request, post_id: int):
    post = queries.get_post(viewer=request.viewer, post_id=post_id)
    actions.delete_post(actor=request.viewer, post=post)
    return redirect(space_url(post.space))


@login_required
@require_POST
def post_pin(request, post_id: int):
    """Pin (or, with ``action=unpin``, unpin) a post on top of its space."""
    post = queries.get_post(viewer=request.viewer, post_id=post_id)
    if request.POST.get("action") == "unpin":
        actions.unpin_post(moderator=request.viewer, post=post)
    else:
        try:
            actions.pin_post(moderator=request.viewer, post=post)
        except ValidationError as error:
            return HttpResponse(" ".join(error.messages), status=422, content_type="text/plain")
    return redirect(_next_url(request, reverse("posts:detail", args=[post.pk])))


# Comments -------------------------------------------------------------------------------


@login_required
@require_POST
def comment_create(request, post_id: int):
    """Add a comment (or, with ``parent``, a reply); htmx gets the new comment."""
    viewer = request.viewer
    post = queries.get_post(viewer=viewer, post_id=post_id)
    form = CommentForm(request.POST)
    parent = None
    if form.is_valid() and form.cleaned_data.get("parent"):
        parent = get_object_or_404(Comment, pk=form.cleaned_data["parent"], post=post)
    context = {"post": post, "form": form, "parent": parent, "can_comment": True}
    partial = "reply-form" if parent else "comment-form"
    if form.is_valid():
        try:
            comment = actions.create_comment(
                author=viewer, post=post, body=form.cleaned_data["body"], parent=parent
            )
        except ValidationError as error:
            apply_errors(form, error)
        except RateLimited as error:
            if request.htmx:
                form.add_error(None, str(error))
                response = rate_limited_response(
                    request, error, f"posts/post_detail.html#{partial}", context
                )
                return _retarget(response, parent)
            return rate_limited_response(request, error)
        else:
            if not request.htmx:
                return redirect(reverse("posts:detail", args=[post.pk]) + f"#comment-{comment.pk}")
            comment.attachment_list = []
            queries.reactions_of(viewer=viewer, post=post, comment=comment)
            context.update({"comment": comment, "fresh_form": CommentForm(), "can_moderate": False})
            return render(request, "posts/post_detail.html#comment-created", context)
    if request.htmx:
        response = render(request, f"posts/post_detail.html#{partial}", context, status=422)
        return _retarget(response, parent)
    return render(
        request,
        "posts/comment_edit.html",
        {"post": post, "form": form, "creating": True},
        status=422,
    )


def _retarget(response, parent):
    """Send an htmx form error back into the form itself, not into the comment list."""
    response["HX-Retarget"] = f"#reply-form-{parent.pk}" if parent else "#comment-form"
    response["HX-Reswap"] = "outerHTML"
    return response


@login_required
def comment_edit(request, comment_id: int):
    viewer = request.viewer
    comment = queries.get_comment(viewer=viewer, comment_id=comment_id)
    if comment.author_id != viewer.id:
        raise PermissionDenied
    form = EditCommentForm(
        request.POST or None, initial={"body": comment.body, "version": comment.version}
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            actions.edit_comment(
                editor=viewer,
                comment=comment,
                body=form.cleaned_data["body"],
                version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        except Conflict as error:
            form.add_error(None, str(error))
            comment = queries.get_comment(viewer=viewer, comment_id=comment_id)
            context = {"post": comment.post, "comment": comment, "form": form, "conflict": True}
            return render(request, "posts/comment_edit.html", context, status=409)
        else:
            return redirect(
                reverse("posts:detail", args=[comment.post_id]) + f"#comment-{comment.pk}"
            )
    if form.is_bound and form.errors:
        status = 422
    context = {"post": comment.post, "comment": comment, "form": form}
    return render(request, "posts/comment_edit.html", context, status=status)


@login_required
@require_POST
def comment_delete(request, comment_id: int):
    comment = queries.get_comment(viewer=request.viewer, comment_id=comment_id)
    actions.delete_comment(actor=request.viewer, comment=comment)
    if request.htmx:
        return HttpResponse("")
    return redirect("posts:detail", post_id=comment.post_id)


# Reactions -------------------------------------------------------------------------------


def _toggle_reaction(request, *, post, comment=None):
    kind = request.POST.get("kind", "")
    viewer = request.viewer
    try:
        if request.POST.get("action") == "remove":
            actions.remove_reaction(
                person=viewer, kind=kind, post=None if comment else post, comment=comment
            )
        else:
            summary = queries.reactions_of(viewer=viewer, post=post, comment=comment)
            mine = {r.kind for r in summary if r.mine}
            if kind in mine:
                actions.remove_reaction(
                    person=viewer, kind=kind, post=None if comment else post, comment=comment
                )
            else:
                actions.add_reaction(
                    person=viewer, kind=kind, post=None if comment else post, comment=comment
                )
    except ValidationError as error:
        return HttpResponse(" ".join(error.messages), status=422, content_type="text/plain")
    except RateLimited as error:
        return rate_limited_response(request, error)
    if not request.htmx:
        anchor = f"#comment-{comment.pk}" if comment else ""
        return redirect(_next_url(request, reverse("posts:detail", args=[post.pk]) + anchor))
    target = comment if comment is not None else post
    queries.reactions_of(viewer=viewer, post=post, comment=comment)
    context = {"target": target, "post": post, "comment": comment}
    return render(request, f"{FEED}#reactions", context)


@login_required
@require_POST
def post_react(request, post_id: int):
    """Toggle one reaction on a post; htmx gets the reaction bar back."""
    post = queries.get_post(viewer=request.viewer, post_id=post_id)
    return _toggle_reaction(request, post=post)


@login_required
@require_POST
def comment_react(request, comment_id: int):
    comment = queries.get_comment(viewer=request.viewer, comment_id=comment_id)
    return _toggle_reaction(request, post=comment.post, comment=comment)


# Attachments and mentions --------------------------------------------------------------------


def _serve(request, file, *, content_type: str, name: str, inline: bool):
    # Even if a browser ignored the download hint, nothing in the file may run.
    return file_response(
        file,
        content_type=content_type,
        filename=name,
        as_attachment=not inline,
        sandbox_images=True,
    )


@login_required
@require_GET
def attachment(request, attachment_id: int, name: str):
    """Download a file: only for who may read its post; images inline, others as downloads."""
    item = queries.get_attachment(viewer=request.viewer, attachment_id=attachment_id)
    return _serve(
        request, item.file, content_type=item.content_type, name=item.name, inline=item.is_image
    )


@login_required
@require_GET
def thumbnail(request, attachment_id: int, name: str):
    item = queries.get_attachment(viewer=request.viewer, attachment_id=attachment_id)
    if not item.thumbnail:
        raise Http404
    content_type = "image/png" if item.thumbnail.name.endswith(".png") else "image/jpeg"
    return _serve(request, item.thumbnail, content_type=content_type, name=item.name, inline=True)


@login_required
@require_GET
def mentions(request):
    """The composer's autocomplete: people I may mention in the space (an HTML list)."""
    viewer = request.viewer
    raw_space = request.GET.get("space_id") or ""
    space = None
    if raw_space and raw_space != PROFILE:
        space = get_object_or_404(Space, pk=_int(raw_space))
    people = queries.list_mention_candidates(viewer=viewer, space=space, q=request.GET.get("q", ""))
    q = (request.GET.get("q") or "").lower().lstrip("@")
    offer_all = (
        bool(space) and "all".startswith(q) and queries.may_mention_all(viewer=viewer, space=space)
    )
    return render(request, "posts/mention_list.html", {"people": people, "offer_all": offer_all})
