from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "brug.posts"
    label = "posts"
