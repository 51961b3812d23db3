from django.urls import path

from revere.network import views

urlpatterns = [
    path("graph/", views.graph, name="graph"),
    path("graph/data.json", views.graph_data, name="graph_data"),
    path("graph/card/<int:person_id>/", views.graph_card, name="graph_card"),
]
