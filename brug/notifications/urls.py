from django.urls import path

from brug.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("menu", views.notification_menu, name="menu"),
    path("read", views.notification_read_all, name="read-all"),
    path("preferences", views.notification_preferences, name="preferences"),
    path("spaces/<int:pk>/mute", views.space_mute, name="space-mute"),
    path("unsubscribe/<str:token>", views.unsubscribe, name="unsubscribe"),
    path("<int:pk>/open", views.notification_open, name="open"),
    path("<int:pk>/read", views.notification_read, name="read"),
]
