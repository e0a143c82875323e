from django.urls import path

from waypoint.trs import views

urlpatterns = [
    path("trs/", views.dataset_list, name="trs-datasets"),
    path("trs/new/", views.dataset_create, name="trs-dataset-create"),
    path("trs/<int:dataset_id>/", views.dataset_detail, name="trs-dataset"),
    path("trs/<int:dataset_id>/delete/", views.dataset_delete, name="trs-dataset-delete"),
    path("indicators/<int:indicator_id>/trs/", views.binding_edit, name="indicator-trs-binding"),
]
