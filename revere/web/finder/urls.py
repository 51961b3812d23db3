from django.urls import path

from revere.web.finder import views

urlpatterns = [
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
