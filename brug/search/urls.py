from django.urls import path

from brug.search import views

app_name = "search"
urlpatterns = [
    path("", views.search_results, name="results"),
    path("teams/", views.team_options, name="team_options"),
]
