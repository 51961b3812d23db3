from django.urls import path

from revere.ingest import views

urlpatterns = [
    path("", views.import_page, name="import"),
    path("<int:job_id>/", views.import_job, name="import_job"),
    path("<int:job_id>/mapping/", views.import_mapping, name="import_mapping"),
    path("<int:job_id>/confirm/", views.import_confirm, name="import_confirm"),
    path("export/", views.export_download, name="export"),
    path("review/", views.review_page, name="import_review"),
    path("merges/<int:merge_id>/undo/", views.merge_undo, name="merge_undo"),
]
