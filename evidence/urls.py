from django.urls import path

from evidence import views

app_name = "evidence"

urlpatterns = [
    path("", views.evidence_list, name="evidence_list"),
    path("attach/", views.evidence_upload, name="evidence_upload"),
    path("files/<int:pk>/", views.evidence_detail, name="evidence_detail"),
    path("files/<int:pk>/new-version/", views.evidence_supersede, name="evidence_supersede"),
    path("files/<int:pk>/download/", views.evidence_download, name="evidence_download"),
    path("dossiers/", views.dossier_list, name="dossier_list"),
    path("dossiers/new/", views.dossier_create, name="dossier_create"),
    path("dossiers/record/", views.dossier_record, name="dossier_record"),
    path("dossiers/<int:pk>/", views.dossier_detail, name="dossier_detail"),
    path("dossiers/<int:pk>/progress/", views.dossier_progress, name="dossier_progress"),
    path("dossiers/<int:pk>/download/", views.dossier_download, name="dossier_download"),
    path("dossiers/<int:pk>/retry/", views.dossier_retry, name="dossier_retry"),
    path("duerp/<int:unit_pk>/", views.duerp_versions, name="duerp_versions"),
    path("verify/", views.verify, name="verify"),
    path("access-log/", views.access_log, name="access_log"),
]
