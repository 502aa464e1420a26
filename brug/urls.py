from django.contrib import admin
from django.urls import include, path

from brug.core import views as core_views
from brug.realtime import views as realtime_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # The SSE stream stays out of the OpenAPI schema (an endless response
    # hangs schema-driven clients): a plain async view, before the API.
    path("api/v1/stream", realtime_views.api_stream, name="api-stream"),
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
