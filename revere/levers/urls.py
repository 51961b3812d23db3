from django.urls import path

from revere.levers import views

urlpatterns = [
    path("ledger/", views.ledger, name="ledger"),
    path("ledger/rules/", views.ledger_rules, name="ledger_rules"),
    path("ledger/periods/<str:period>/close/", views.ledger_close, name="ledger_close"),
    path("coaching/<int:plan_id>/", views.coaching_plan_page, name="coaching_plan"),
    path("coaching/<int:plan_id>/goals/", views.coaching_goal_new, name="coaching_goal_new"),
    path("coaching/<int:plan_id>/agree/", views.coaching_agree, name="coaching_agree"),
    path("coaching/<int:plan_id>/close/", views.coaching_close, name="coaching_close"),
    path("coaching/goals/<int:goal_id>/", views.coaching_goal_edit, name="coaching_goal_edit"),
    path("team/structure/", views.structure, name="structure"),
]
