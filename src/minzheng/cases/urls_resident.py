"""A resident's own pages (网上申请)."""

from django.urls import path

from minzheng.cases import views_resident

app_name = "me"
urlpatterns = [
    path("", views_resident.home, name="home"),
    path("cases/<id:pk>/", views_resident.case, name="case"),
    path("cases/<id:pk>/notice/", views_resident.notice, name="notice"),
    path("cases/<id:pk>/consent/", views_resident.consent, name="consent"),
]
