from django.urls import path

from brug.api.main import api

urlpatterns = [path("", api.urls)]
