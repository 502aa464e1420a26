from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "brug.posts"
    label = "posts"

    def ready(self) -> None:
        # Registers the Follow button, "Working on" and "Recent posts" on profile pages.
        from brug.posts import profile  # noqa: F401
