from django.urls import path

from revere.web.contacts import views

urlpatterns = [
    path("contacts/", views.person_list, name="contacts"),
    path("contacts/new/", views.person_new, name="contact_new"),
    path("contacts/search/", views.person_search, name="contact_search"),
    path("contacts/merge/", views.person_merge, name="contact_merge"),
    path("contacts/merges/<int:merge_id>/undo/", views.person_merge_undo, name="contact_merge_undo"),
    path("contacts/<int:person_id>/", views.person_detail, name="contact"),
    path("contacts/<int:person_id>/edit/", views.person_edit, name="contact_edit"),
    path("companies/", views.company_list, name="companies"),
    path("companies/new/", views.company_new, name="company_new"),
    path("companies/suggest/", views.company_suggest, name="company_suggest"),
    path("companies/<int:company_id>/", views.company_detail, name="company"),
    path("companies/<int:company_id>/edit/", views.company_edit, name="company_edit"),
]
