from django.urls import path

from minzheng.cases import views, views_attachments, views_automatic, views_public

app_name = "cases"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("new/", views.apply, name="apply"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/steps/<str:action>/", views.take_step, name="step"),
    path("<id:pk>/consents/", views.record_consent, name="consent"),
    path("<id:pk>/notice/", views_public.notice, name="notice"),
    path("<id:pk>/attachments/", views_attachments.upload, name="attachments"),
    path(
        "<id:pk>/attachments/<id:attachment_id>/",
        views_attachments.download,
        name="attachment",
    ),
    path("households/<id:pk>/", views.household_cases, name="household_cases"),
    path("automatic/", views_automatic.proposals, name="automatic"),
    path("automatic/screen/", views_automatic.screen, name="automatic_screen"),
    path("automatic/confirm/", views_automatic.confirm, name="automatic_confirm"),
    path("automatic/decline/", views_automatic.decline, name="automatic_decline"),
]
