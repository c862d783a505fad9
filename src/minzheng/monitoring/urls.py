from django.urls import path

from minzheng.monitoring import views, views_feeds, views_warnings

app_name = "monitoring"
urlpatterns = [
    path("warnings/", views_warnings.inbox, name="warnings"),
    path("warnings/<id:pk>/", views_warnings.detail, name="warning"),
    path("warnings/<id:pk>/<str:action>/", views_warnings.act, name="warning_action"),
    path("outreach/", views.outreach_list, name="outreach"),
    path("outreach/<id:pk>/", views.outreach_task, name="outreach_task"),
    path("feeds/", views_feeds.feeds, name="feeds"),
    path("feeds/recompute/", views_feeds.recompute, name="recompute"),
    path("feeds/<id:pk>/", views_feeds.feed_file, name="feed_file"),
    path("reviews/", views_feeds.review_queue, name="reviews"),
    path("reviews/<id:pk>/", views_feeds.review_decide, name="review_decide"),
    path("households/<id:pk>/check/", views.check, name="check"),
    path("checks/<id:pk>/", views.check_report, name="check_report"),
]
