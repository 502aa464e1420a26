from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "brug.notifications"
    label = "notifications"
