from django.urls import path

from minzheng.registry import views, views_people

app_name = "registry"
urlpatterns = [
    path("households/", views.household_list, name="households"),
    path("households/new/", views_people.household_create, name="household_create"),
    path("households/<id:pk>/members/new/", views_people.member_add, name="member_add"),
    path("households/<id:pk>/timeline/", views_people.household_timeline, name="timeline"),
    path("persons/<id:pk>/edit/", views_people.person_edit, name="person_edit"),
    path(
        "households/<id:pk>/<str:kind>/new/",
        views_people.circumstance_add,
        name="circumstance_add",
    ),
    path(
        "households/<id:pk>/<str:kind>/<id:item>/remove/",
        views_people.circumstance_remove,
        name="circumstance_remove",
    ),
    path("persons/<id:pk>/transfer/", views_people.person_transfer, name="person_transfer"),
    path("households/<id:pk>/", views.household_detail, name="household"),
    path("households/<id:pk>/edit/", views.household_edit, name="household_edit"),
    path("persons/<id:pk>/reveal/", views.reveal_id_number, name="reveal"),
]
