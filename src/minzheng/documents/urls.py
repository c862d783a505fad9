from django.urls import path

from minzheng.documents import views

app_name = "documents"
urlpatterns = [
    path("", views.register, name="register"),
    path("<id:pk>/", views.print_document, name="print"),
]
