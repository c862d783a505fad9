from django.urls import path

from minzheng.targets import views

app_name = "targets"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("new/", views.new, name="new"),
    path("import/", views.import_sheet, name="import"),
    path("import/template/", views.template, name="template"),
    path("refresh/", views.refresh, name="refresh"),
    path("<id:pk>/", views.detail, name="detail"),
]
