from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "brug.people"
    label = "people"
