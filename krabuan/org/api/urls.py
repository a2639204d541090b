from django.urls import path

from krabuan.org.api import views

urlpatterns = [
    path("holidays/", views.HolidayListView.as_view(), name="calendar-holidays"),
    path("add/", views.CalendarAddView.as_view(), name="calendar-add"),
]
