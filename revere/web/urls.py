from django.urls import path

from revere.web import views

urlpatterns = [
    path("", views.home, name="home"),
]
