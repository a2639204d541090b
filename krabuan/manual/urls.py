from django.urls import path

from krabuan.manual import views

app_name = "manual"

urlpatterns = [
    path("", views.process_list, name="process_list"),
    path("improvements/", views.improvement_summary, name="improvement_summary"),
    path("processes/<int:process_id>/", views.process_detail, name="process_detail"),
]
