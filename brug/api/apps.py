from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "brug.api"
    label = "api"
