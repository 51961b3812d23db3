from django.urls import path

from revere.web.record import views

urlpatterns = [
    path("contacts/<int:person_id>/tie/", views.tie_edit, name="record_tie"),
    path("contacts/<int:person_id>/tie/remove/", views.tie_delete, name="record_tie_remove"),
    path("record/interaction/", views.interaction_new, name="record_interaction"),
    path("record/link/", views.link_new, name="record_link"),
    path("record/link/remove/", views.link_delete, name="record_link_remove"),
    path("record/people/", views.people_pick, name="record_people"),
]
