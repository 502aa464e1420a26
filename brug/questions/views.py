"""Pages and htmx fragments of "Durf te vragen". Thin: queries, one action, render.

htmx requests get a ``{% partialdef %}`` of the same template as the page
(``questions/question_detail.html#answer``). Form errors answer 422 (413 for
a file that is too large, 429 when rate limited).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST
from ninja.errors import HttpError

from brug.analytics.enums import Verb
from brug.analytics.recording import record_view
from brug.core.exceptions import Conflict, RateLimited
from brug.core.forms import apply_errors
from brug.core.views import rate_limited_response
from brug.posts import actions as post_actions
from brug.posts import queries as post_queries
from brug.posts.composing import save_with_uploads
from brug.posts.enums import ReactionKind
from brug.questions import actions, queries
from brug.questions.enums import QuestionStatus
from brug.questions.forms import AnswerForm, AskForm, EditQuestionForm, UnmaskForm

DETAIL = "questions/question_detail.html"
LIST = "questions/question_list.html"


def _page(call, **kwargs) -> dict:
    """Run a list query; a bad cursor is a 400 (not the API's HttpError, which is a 500 here)."""
    try:
        return call(**kwargs)
    except HttpError as error:
        raise BadRequest(str(error)) from None


def _status(value: str | None) -> str | None:
    return value if value in QuestionStatus.values else None


def _list_context(request, *, page: dict, list_url: str, **extra) -> dict:
    context = {
        "page": page,
        "list_url": list_url,
        "query": request.GET.copy(),
        "spaces": queries.list_question_spaces(viewer=request.viewer),
        "tags": queries.popular_tags(viewer=request.viewer),
        "current_space": request.GET.get("space", ""),
        "current_tag": request.GET.get("tag", ""),
        "status_choices": [("", _("All")), *QuestionStatus.choices],
    }
    context.update(extra)
    return context


# Lists -----------------------------------------------------------------------------------


@login_required
@require_GET
def question_list(request):
    """All questions I may read, newest first, by status, space and tag."""
    status = _status(request.GET.get("status"))
    page = _page(
        queries.list_questions,
        viewer=request.viewer,
        status=status,
        space_id=request.GET.get("space"),
        tag=request.GET.get("tag"),
        cursor=request.GET.get("cursor"),
    )
    context = _list_context(
        request, page=page, list_url=reverse("questions:list"), status=status or "", view="all"
    )
    if request.htmx and request.GET.get("cursor"):
        return render(request, f"{LIST}#items", context)
    return render(request, LIST, context)


@login_required
@require_GET
def question_unanswered(request):
    """The queue of questions nobody answered yet, the longest waiting first."""
    page = _page(
        queries.list_unanswered,
        viewer=request.viewer,
        space_id=request.GET.get("space"),
        tag=request.GET.get("tag"),
        cursor=request.GET.get("cursor"),
    )
    context = _list_context(
        request,
        page=page,
        list_url=reverse("questions:unanswered"),
        view="unanswered",
        unanswered_after_hours=settings.BRUG_UNANSWERED_AFTER_HOURS,
    )
    if request.htmx and request.GET.get("cursor"):
        return render(request, f"{LIST}#items", context)
    return render(request, "questions/question_unanswered.html", context)


@login_required
@require_GET
def question_knowledge(request):
    """Solved questions (an accepted answer), by tag: the knowledge that stays findable."""
    tag = queries.get_tag(slug=request.GET.get("tag"))
    page = _page(
        queries.list_knowledge,
        viewer=request.viewer,
        tag=tag.slug if tag else request.GET.get("tag"),
        cursor=request.GET.get("cursor"),
    )
    context = {
        "page": page,
        "list_url": reverse("questions:knowledge"),
        "query": request.GET.copy(),
        "knowledge_tags": queries.knowledge_tags(viewer=request.viewer),
        "tag": tag,
        "current_tag": request.GET.get("tag", ""),
        "view": "knowledge",
    }
    if request.htmx and request.GET.get("cursor"):
        return render(request, f"{LIST}#items", context)
    return render(request, "questions/question_knowledge.html", context)


# Asking ------------------------------------------------------------------------------------


@login_required
def question_ask(request):
    """Ask a question (anonymously where the space allows it), seeing similar ones while typing."""
    viewer = request.viewer
    spaces = queries.list_question_spaces(viewer=viewer)
    form = AskForm(request.POST or None, spaces=spaces, initial={"space": request.GET.get("space")})
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        question, refused, status = save_with_uploads(
            request,
            form,
            lambda uploads: actions.ask_question(
                asker=viewer,
                space=form.chosen_space(),
                title=data["title"],
                body=data["body"],
                tags=data["tags"],
                anonymous=data["anonymous"],
                attachments=uploads,
            ),
            template="questions/question_ask.html",
            context={"form": form},
        )
        if refused is not None:
            return refused
        if question is not None:
            return redirect("questions:detail", question_id=question.pk)
    if form.is_bound and form.errors and status == 200:
        status = 422
    context = {"form": form, "spaces": spaces}
    return render(request, "questions/question_ask.html", context, status=status)


@login_required
@require_GET
def question_similar(request):
    """While someone types a question: similar questions that already have answers (htmx)."""
    text = f"{request.GET.get('title', '')} {request.GET.get('body', '')[:300]}"
    similar = queries.similar_answered_questions(viewer=request.viewer, text=text[:500])
    context = {"similar": similar, "typed": bool(text.strip())}
    return render(request, "questions/question_ask.html#similar", context)


# One question --------------------------------------------------------------------------------


def _detail_context(request, question, *, answer_form=None) -> dict:
    viewer = request.viewer
    queries.decorate_question(viewer=viewer, question=question)
    answers = queries.list_answers(viewer=viewer, question=question)
    related = queries.similar_answered_questions(
        viewer=viewer, text=question.post.title, limit=5, exclude_id=question.pk
    )
    return {
        "question": question,
        "post": question.post,
        "answers": answers,
        "answer_form": answer_form or AnswerForm(),
        "related": related,
    }


@login_required
@require_GET
def question_detail(request, question_id: int):
    """A question with its answers; new answers appear live (``answer_created`` events)."""
    question = queries.get_question(viewer=request.viewer, question_id=question_id)
    context = _detail_context(request, question)
    if not (question.is_anonymous and question.can_edit):
        # The anonymous asker's own visits are not counted: the first visit of a
        # question, seconds after it was asked, would point at them.
        record_view(
            person=request.user, verb=Verb.OPEN_POST, post=question.post, space=question.space
        )
    return render(request, DETAIL, context)


@login_required
def question_edit(request, question_id: int):
    """The asker edits the question (also when asked anonymously); a stale save answers 409."""
    viewer = request.viewer
    question = queries.get_question(viewer=viewer, question_id=question_id)
    queries.decorate_question(viewer=viewer, question=question)
    if not question.can_edit:
        raise PermissionDenied
    post = question.post
    initial = {
        "title": post.title,
        "body": post.body,
        "tags": ", ".join(tag.name for tag in question.tag_list),
        "version": post.version,
    }
    form = EditQuestionForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.edit_question(
                editor=viewer,
                question=question,
                title=data["title"],
                body=data["body"],
                tags=data["tags"],
                version=data["version"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        except Conflict as error:
            form.add_error(None, str(error))
            status = 409
        else:
            return redirect("questions:detail", question_id=question.pk)
    if form.is_bound and form.errors and status == 200:
        status = 422
    context = {"question": question, "post": post, "form": form}
    return render(request, "questions/question_edit.html", context, status=status)


@login_required
@require_POST
def question_delete(request, question_id: int):
    """The asker or a moderator removes a question; back to the list."""
    question = queries.get_question(viewer=request.viewer, question_id=question_id)
    actions.delete_question(actor=request.viewer, question=question)
    return redirect("questions:list")


@login_required
@require_POST
def answer_create(request, question_id: int):
    """Answer; htmx gets the new answer and a fresh form, others go back to the question."""
    viewer = request.viewer
    question = queries.get_question(viewer=viewer, question_id=question_id)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            answer = actions.answer_question(
                author=viewer, question=question, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        except RateLimited as error:
            form.add_error(None, str(error))
            context = {**_detail_context(request, question, answer_form=form)}
            if request.htmx:
                return _retarget(
                    rate_limited_response(request, error, f"{DETAIL}#answer-form", context)
                )
            return rate_limited_response(request, error)
        else:
            url = reverse("questions:detail", args=[question.pk]) + f"#answer-{answer.pk}"
            if not request.htmx:
                return redirect(url)
            question = queries.get_question(viewer=viewer, question_id=question.pk)
            queries.decorate_question(viewer=viewer, question=question)
            answer = queries.get_answer(viewer=viewer, question=question, answer_id=answer.pk)
            context = {
                "question": question,
                "post": question.post,
                "answer": answer,
                "answer_form": AnswerForm(),
            }
            return render(request, f"{DETAIL}#answer-created", context)
    context = _detail_context(request, question, answer_form=form)
    if request.htmx:
        return _retarget(render(request, f"{DETAIL}#answer-form", context, status=422))
    return render(request, DETAIL, context, status=422)


def _retarget(response):
    """Send an htmx form error into the answer form, not into the list of answers."""
    response["HX-Retarget"] = "#answer-form"
    response["HX-Reswap"] = "outerHTML"
    return response


@login_required
@require_GET
def answer_detail(request, question_id: int, answer_id: int):
    """One answer as a fragment (what the question page fetches when one appears live)."""
    question, answer = queries.get_question_and_answer(
        viewer=request.viewer, question_id=question_id, answer_id=answer_id
    )
    queries.decorate_question(viewer=request.viewer, question=question)
    if not request.htmx:
        return redirect(reverse("questions:detail", args=[question.pk]) + f"#answer-{answer.pk}")
    context = {"question": question, "post": question.post, "answer": answer}
    return render(request, f"{DETAIL}#answer", context)


@login_required
@require_POST
def answer_accept(request, question_id: int, answer_id: int):
    """The asker or a moderator accepts an answer (404 unreadable, 403 not allowed)."""
    question, answer = queries.get_question_and_answer(
        viewer=request.viewer, question_id=question_id, answer_id=answer_id
    )
    actions.accept_answer(by=request.viewer, question=question, answer=answer)
    return redirect(reverse("questions:detail", args=[question.pk]) + f"#answer-{answer.pk}")


@login_required
@require_POST
def answer_vote(request, question_id: int, answer_id: int):
    """Vote for an answer (``action=remove`` takes the vote back); htmx gets the vote button."""
    viewer = request.viewer
    question, answer = queries.get_question_and_answer(
        viewer=viewer, question_id=question_id, answer_id=answer_id
    )
    try:
        if request.POST.get("action") == "remove":
            actions.unvote_answer(person=viewer, question=question, answer=answer)
        else:
            actions.vote_answer(person=viewer, question=question, answer=answer)
    except ValidationError as error:
        return HttpResponse(" ".join(error.messages), status=422, content_type="text/plain")
    except RateLimited as error:
        return rate_limited_response(request, error)
    if not request.htmx:
        return redirect(reverse("questions:detail", args=[question.pk]) + f"#answer-{answer.pk}")
    answer = queries.get_answer(viewer=viewer, question=question, answer_id=answer.pk)
    return render(request, f"{DETAIL}#vote", {"question": question, "answer": answer})


@login_required
@require_POST
def answer_delete(request, question_id: int, answer_id: int):
    question, answer = queries.get_question_and_answer(
        viewer=request.viewer, question_id=question_id, answer_id=answer_id
    )
    actions.delete_answer(actor=request.viewer, question=question, answer=answer)
    if request.htmx:
        return HttpResponse("")
    return redirect("questions:detail", question_id=question.pk)


@login_required
@require_POST
def question_follow(request, question_id: int):
    """Follow (or, with ``action=unfollow``, stop following) a question."""
    viewer = request.viewer
    question = queries.get_question(viewer=viewer, question_id=question_id)
    following = request.POST.get("action") != "unfollow"
    if following:
        actions.follow_question(person=viewer, question=question)
    else:
        actions.unfollow_question(person=viewer, question=question)
    if not request.htmx:
        return redirect("questions:detail", question_id=question.pk)
    question.viewer_follows = following
    return render(request, f"{DETAIL}#follow", {"question": question})


@login_required
@require_POST
def question_good(request, question_id: int):
    """Toggle the "good that you ask" reaction on a question; htmx gets the button back."""
    viewer = request.viewer
    question = queries.get_question(viewer=viewer, question_id=question_id)
    post = question.post
    kind = ReactionKind.GOOD_QUESTION
    summary = post_queries.reactions_of(viewer=viewer, post=post)
    mine = any(r.kind == kind and r.mine for r in summary)
    try:
        if mine:
            post_actions.remove_reaction(person=viewer, kind=kind, post=post)
        else:
            post_actions.add_reaction(person=viewer, kind=kind, post=post)
    except RateLimited as error:
        return rate_limited_response(request, error)
    if not request.htmx:
        return redirect("questions:detail", question_id=question.pk)
    post_queries.reactions_of(viewer=viewer, post=post)
    return render(request, f"{DETAIL}#good-question", {"question": question, "post": post})


@login_required
def question_unmask(request, question_id: int):
    """Admins reveal an anonymous asker — only where the installation allows it; audited."""
    from brug.permissions.questions import check_can_unmask

    viewer = request.viewer
    question = queries.get_question(viewer=viewer, question_id=question_id)
    check_can_unmask(viewer, question)
    form = UnmaskForm(request.POST or None)
    asker = None
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            asker = actions.unmask_asker(
                admin=viewer, question=question, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_errors(form, error)
    if form.is_bound and form.errors:
        status = 422
    context = {"question": question, "post": question.post, "form": form, "asker": asker}
    response = render(request, "questions/question_unmask.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response
