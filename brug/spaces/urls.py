from django.urls import path

from brug.spaces import views

app_name = "spaces"
urlpatterns = [
    path("", views.space_list, name="list"),
    path("new/", views.space_create, name="create"),
    path("teams/", views.team_space_list, name="team-spaces"),
    path("invitations/", views.invitation_list, name="invitations"),
    path(
        "invitations/<int:invitation_id>/<str:decision>/",
        views.invitation_decide,
        name="invitation-decide",
    ),
    path("<slug:slug>/", views.space_detail, name="detail"),
    path("<slug:slug>/cover/", views.space_cover, name="cover"),
    path("<slug:slug>/join/", views.space_join, name="join"),
    path("<slug:slug>/leave/", views.space_leave, name="leave"),
    path("<slug:slug>/request/", views.space_request, name="request"),
    path("<slug:slug>/request/cancel/", views.space_request_cancel, name="request-cancel"),
    path("<slug:slug>/mute/", views.space_mute, name="mute"),
    path("<slug:slug>/settings/", views.space_settings, name="settings"),
    path("<slug:slug>/members/", views.member_list, name="members"),
    path("<slug:slug>/members/add/", views.member_add, name="member-add"),
    path("<slug:slug>/members/candidates/", views.invite_candidates, name="invite-candidates"),
    path("<slug:slug>/members/<int:person_id>/role/", views.member_role, name="member-role"),
    path("<slug:slug>/members/<int:person_id>/remove/", views.member_remove, name="member-remove"),
    path("<slug:slug>/requests/", views.joinrequest_list, name="requests"),
    path(
        "<slug:slug>/requests/<int:request_id>/<str:decision>/",
        views.joinrequest_decide,
        name="request-decide",
    ),
]
