"""Pages anyone may read without signing in: only the village public notices (公示)."""

from django.urls import path

from minzheng.cases import views_public

app_name = "public"
urlpatterns = [
    path("notices/<str:village_code>/", views_public.public_notice, name="notice"),
]
