from django.urls import path

from brug.posts import views

app_name = "posts"
urlpatterns = [
    path("", views.home, name="home"),
    path("new", views.post_create, name="create"),
    path("mentions", views.mentions, name="mentions"),
    path("space/<int:space_id>/feed", views.space_feed, name="space-feed"),
    path("people/<str:handle>/", views.person_posts, name="person"),
    path("people/<str:handle>/follow", views.follow, name="follow"),
    path("<int:post_id>/", views.post_detail, name="detail"),
    path("<int:post_id>/edit", views.post_edit, name="edit"),
    path("<int:post_id>/history", views.post_history, name="history"),
    path("<int:post_id>/delete", views.post_delete, name="delete"),
    path("<int:post_id>/pin", views.post_pin, name="pin"),
    path("<int:post_id>/react", views.post_react, name="react"),
    path("<int:post_id>/comments", views.comment_create, name="comment-create"),
    path("comments/<int:comment_id>/edit", views.comment_edit, name="comment-edit"),
    path("comments/<int:comment_id>/delete", views.comment_delete, name="comment-delete"),
    path("comments/<int:comment_id>/react", views.comment_react, name="comment-react"),
    path("attachments/<int:attachment_id>/<str:name>", views.attachment, name="attachment"),
    path("attachments/<int:attachment_id>/thumb/<str:name>", views.thumbnail, name="thumbnail"),
]
