from django.urls import path

from minzheng.rules import views

app_name = "rules"
urlpatterns = [
    path("households/<int:pk>/screening/", views.household_screening, name="household_screening"),
]
