from django.urls import path

from brug.questions import views

app_name = "questions"
urlpatterns = [
    path("", views.question_list, name="list"),
    path("ask", views.question_ask, name="ask"),
    path("similar", views.question_similar, name="similar"),
    path("unanswered", views.question_unanswered, name="unanswered"),
    path("knowledge", views.question_knowledge, name="knowledge"),
    path("<int:question_id>/", views.question_detail, name="detail"),
    path("<int:question_id>/edit", views.question_edit, name="edit"),
    path("<int:question_id>/delete", views.question_delete, name="delete"),
    path("<int:question_id>/follow", views.question_follow, name="follow"),
    path("<int:question_id>/good-question", views.question_good, name="good-question"),
    path("<int:question_id>/unmask", views.question_unmask, name="unmask"),
    path("<int:question_id>/answers", views.answer_create, name="answer-create"),
    path("<int:question_id>/answers/<int:answer_id>", views.answer_detail, name="answer"),
    path(
        "<int:question_id>/answers/<int:answer_id>/accept",
        views.answer_accept,
        name="answer-accept",
    ),
    path("<int:question_id>/answers/<int:answer_id>/vote", views.answer_vote, name="answer-vote"),
    path(
        "<int:question_id>/answers/<int:answer_id>/delete",
        views.answer_delete,
        name="answer-delete",
    ),
]
