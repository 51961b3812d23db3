from django.urls import path

from revere.web.team import views

urlpatterns = [
    path("team/", views.team, name="team"),
    path("coaching/", views.coaching, name="coaching"),
    path("coaching/propose/<int:member_id>/", views.coaching_propose, name="coaching_propose"),
]
