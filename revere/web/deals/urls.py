from django.urls import path

from revere.web.deals import views

urlpatterns = [
    path("deals/", views.board, name="deals"),
    path("deals/<int:deal_id>/", views.deal_detail, name="deal"),
]
