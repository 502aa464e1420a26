from django.urls import path

from brug.people import views as people_views
from brug.people import views_auth

app_name = "people"
urlpatterns = [
    # Sign-in, password reset and language (the "shell" work: views_auth.py).
    path("login/", views_auth.login, name="login"),
    path("logout/", views_auth.logout, name="logout"),
    path("password/reset/", views_auth.password_reset, name="password-reset"),
    path("password/reset/sent/", views_auth.password_reset_done, name="password-reset-done"),
    path(
        "password/reset/<uidb64>/<token>/",
        views_auth.password_reset_confirm,
        name="password-reset-confirm",
    ),
    path(
        "password/reset/complete/",
        views_auth.password_reset_complete,
        name="password-reset-complete",
    ),
    path("language/", views_auth.set_language, name="language"),
    # Profiles, directory, invitations (the "people" work).
    path("people/", people_views.directory, name="directory"),
    path("people/invitations/", people_views.invitations, name="invitations"),
    path(
        "people/invitations/<int:pk>/revoke/",
        people_views.invitation_revoke,
        name="invitation-revoke",
    ),
    path("people/<str:handle>/", people_views.profile, name="profile"),
    path("people/<str:handle>/photo", people_views.photo, name="photo"),
    path("me/profile/", people_views.profile_edit, name="profile-edit"),
    path("welcome/", people_views.welcome, name="welcome"),
    path("invite/<str:token>/", people_views.invitation_accept, name="invitation-accept"),
]
