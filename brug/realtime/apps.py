from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    name = "brug.realtime"
    label = "realtime"
