from django.urls import path

from minzheng.rules import views, views_publication

app_name = "rules"
urlpatterns = [
    path("households/<id:pk>/screening/", views.household_screening, name="household_screening"),
    path("parameters/publish/", views_publication.publication, name="publication"),
    path(
        "parameters/<id:pk>/attachment/",
        views_publication.attachment,
        name="publication_attachment",
    ),
]
