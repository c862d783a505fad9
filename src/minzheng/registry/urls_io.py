from django.urls import path

app_name = "registry_io"
urlpatterns: list = []  # import/export routes: see views_io.py
