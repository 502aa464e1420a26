from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "brug.analytics"
    label = "analytics"
