from django.urls import path

from revere.web.account import views

urlpatterns = [
    path("account/", views.account, name="account"),
    path("account/tokens/<int:token_id>/revoke/", views.token_revoke_view, name="account_token_revoke"),
]
