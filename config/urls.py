from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from config.api import api
from revere.web import errors

handler403 = errors.forbidden
handler404 = errors.not_found
handler500 = errors.server_error

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="web/login.html", redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(template_name="web/password_change.html"),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="web/password_change_done.html"),
        name="password_change_done",
    ),
    path("favicon.ico", errors.favicon),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("import/", include("revere.ingest.urls")),
    path("", include("revere.web.contacts.urls")),
    path("", include("revere.web.record.urls")),
    path("", include("revere.network.urls")),
    path("", include("revere.web.finder.urls")),
    path("", include("revere.web.deals.urls")),
    path("", include("revere.playbook.urls")),
    path("", include("revere.levers.urls")),
    path("", include("revere.web.team.urls")),
    path("", include("revere.web.account.urls")),
    path("", include("revere.web.urls")),
]
