from django.urls import path

from revere.web.deals import views

urlpatterns = [
    path("deals/", views.board, name="deals"),
    path("deals/new/", views.deal_new, name="deal_new"),
    path("deals/leads/", views.leads, name="deal_leads"),
    path("deals/<int:deal_id>/", views.deal_detail, name="deal"),
    path("deals/<int:deal_id>/edit/", views.deal_edit, name="deal_edit"),
    path("deals/<int:deal_id>/move/", views.deal_move, name="deal_move"),
    path("deals/<int:deal_id>/team/add/", views.deal_team_add, name="deal_team_add"),
    path("deals/<int:deal_id>/team/remove/", views.deal_team_remove, name="deal_team_remove"),
    path("deals/<int:deal_id>/team/accept/", views.deal_team_accept, name="deal_team_accept"),
    path("deals/<int:deal_id>/roles/set/", views.deal_role_set, name="deal_role_set"),
    path("deals/<int:deal_id>/roles/remove/", views.deal_role_remove, name="deal_role_remove"),
    path("deals/<int:deal_id>/references/", views.deal_reference_request, name="deal_reference_request"),
    path(
        "deals/<int:deal_id>/references/<int:use_id>/",
        views.deal_reference_update,
        name="deal_reference_update",
    ),
]
