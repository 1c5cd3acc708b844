from django.urls import path

from controls import views

app_name = "controls"

urlpatterns = [
    path("", views.control_list, name="control_list"),
    path("new/", views.control_create, name="control_create"),
    path("<int:pk>/", views.control_detail, name="control_detail"),
    path("<int:pk>/edit/", views.control_edit, name="control_edit"),
    path("<int:pk>/checklist/", views.control_checklist, name="control_checklist"),
    path("<int:pk>/links/", views.control_links, name="control_links"),
    path("<int:pk>/reschedule/", views.control_reschedule, name="control_reschedule"),
    path("<int:pk>/retire/", views.control_retire, name="control_retire"),
    path("<int:pk>/inspect/", views.inspection_create, name="inspection_create"),
    path("inspections/", views.inspection_list, name="inspection_list"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("inspections/<int:pk>/correct/", views.inspection_correct, name="inspection_correct"),
    path("report/", views.report_view, name="report"),
]
