from django.contrib import admin
from django.urls import include, path

from brug.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("brug.api.urls")),
    path("", include("brug.people.urls")),
    path("spaces/", include("brug.spaces.urls")),
    path("posts/", include("brug.posts.urls")),
    path("questions/", include("brug.questions.urls")),
    path("notifications/", include("brug.notifications.urls")),
    path("search/", include("brug.search.urls")),
    path("events/", include("brug.realtime.urls")),
    path("insights/", include("brug.analytics.urls")),
]
