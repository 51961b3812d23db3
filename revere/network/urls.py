from django.urls import path

from revere.network import views

urlpatterns = [
    path("graph/", views.graph, name="graph"),
    path("graph/data.json", views.graph_data, name="graph_data"),
    path("graph/card/<int:person_id>/", views.graph_card, name="graph_card"),
    path("finder/", views.finder, name="finder"),
    path("finder/introductions/", views.introduction_ask, name="introduction_ask"),
    path(
        "finder/introductions/<int:contribution_id>/made/", views.introduction_made, name="introduction_made"
    ),
    path(
        "finder/introductions/<int:contribution_id>/decline/",
        views.introduction_declined,
        name="introduction_decline",
    ),
]
