from django.apps import AppConfig


class QuestionsConfig(AppConfig):
    name = "brug.questions"
    label = "questions"
