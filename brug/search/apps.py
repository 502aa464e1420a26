from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "brug.search"
    label = "search"
