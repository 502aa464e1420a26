from django.apps import AppConfig


class SpacesConfig(AppConfig):
    name = "brug.spaces"
    label = "spaces"
