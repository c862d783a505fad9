from django.urls import path

from minzheng.registry import views

app_name = "registry"
urlpatterns = [
    path("households/", views.household_list, name="households"),
    path("households/<int:pk>/", views.household_detail, name="household"),
    path("households/<int:pk>/edit/", views.household_edit, name="household_edit"),
    path("persons/<int:pk>/reveal/", views.reveal_id_number, name="reveal"),
]
