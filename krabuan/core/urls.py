from django.urls import path

from krabuan.core import views

urlpatterns = [
    path("<int:job_id>/", views.job_detail, name="job_detail"),
    path("<int:job_id>/download/", views.job_download, name="job_download"),
]
