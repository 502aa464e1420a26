from django.urls import path

from brug.realtime import views

app_name = "realtime"
urlpatterns = [
    path("stream", views.stream, name="stream"),
]
