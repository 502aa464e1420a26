from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "brug.matching"
    label = "matching"
