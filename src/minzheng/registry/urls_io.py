from django.urls import path

from minzheng.registry import views_io

app_name = "registry_io"
urlpatterns = [
    path("import/", views_io.import_upload, name="upload"),
    path("import/template.xlsx", views_io.import_template, name="template"),
    path("import/<uuid:token>/", views_io.import_preview, name="preview"),
    path("import/<uuid:token>/problems.csv", views_io.import_problems, name="problems"),
    path("export.xlsx", views_io.export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("export.csv", views_io.export, {"fmt": "csv"}, name="export_csv"),
]
