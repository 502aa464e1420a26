"""The demo's posts: both languages, the personas working out loud, visible on their profiles."""

import io
import random

from django.core.files.storage import storages
from django.test import Client

from brug.posts.enums import PostKind
from brug.posts.models import Post


def test_the_demo_posts_speak_both_languages_and_the_personas_work_out_loud(db, settings, tmp_path):
    from brug.people import demo as people_demo
    from brug.people.models import User
    from brug.posts import demo as posts_demo
    from brug.spaces import demo as spaces_demo

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "uploads"), "base_url": None},
        },
    }
    storages._storages.pop("default", None)
    try:
        for module in (people_demo, spaces_demo, posts_demo):
            module.load(rng=random.Random(1), out=io.StringIO())
    finally:
        storages._storages.pop("default", None)

    assert set(Post.objects.values_list("language", flat=True)) >= {"nl", "en"}
    for handle in posts_demo.PERSONAS_WORKING_ON:
        assert Post.objects.filter(author__handle=handle, kind=PostKind.WORK_OUT_LOUD).exists()
    client = Client()
    client.force_login(User.objects.get(handle="mark.jansen"))
    profile = client.get("/people/sanne.dewit/").content.decode()
    assert "wondzorgkaart" in profile
