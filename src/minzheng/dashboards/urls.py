from django.urls import path

from minzheng.dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("statistics/", views.statistics, name="statistics"),
    path("statistics/export/", views.export_statistics, name="export"),
    path("statistics/close/", views.close_month, name="close"),
]
