from django.urls import path

from revere.playbook import views

urlpatterns = [
    path("", views.home, name="home"),
    path("advice/", views.advice, name="advice"),
    path("advice/keep-in-touch/<int:tie_id>/done/", views.keep_in_touch_done, name="keep_in_touch_done"),
    path(
        "advice/keep-in-touch/<int:tie_id>/snooze/", views.keep_in_touch_snooze, name="keep_in_touch_snooze"
    ),
    path(
        "advice/keep-in-touch/<int:tie_id>/cadence/",
        views.keep_in_touch_cadence,
        name="keep_in_touch_cadence",
    ),
    path("targets/", views.targets_edit, name="targets"),
]
