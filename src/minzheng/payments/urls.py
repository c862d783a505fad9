from django.urls import path

from minzheng.payments import views, views_funds, views_recoveries, views_relatives

app_name = "payments"
urlpatterns = [
    path("", views.payrolls, name="payrolls"),
    path("<int:pk>/", views.payroll, name="payroll"),
    path("<int:pk>/returns/", views.import_returns, name="import_returns"),
    path("<int:pk>/batches/<int:sequence>.<str:fmt>", views.download, name="download"),
    path("<int:pk>/<str:action>/", views.act, name="act"),
    path("flags/<int:pk>/", views.resolve, name="resolve"),
    path("lines/<int:pk>/", views.line, name="line"),
    path("returns/<int:pk>/", views.return_file, name="return_file"),
    path("funds/", views_funds.overview, name="funds"),
    path("recoveries/", views_recoveries.recovery_list, name="recoveries"),
    path("recoveries/<int:pk>/", views_recoveries.recovery, name="recovery"),
    path("recoveries/<int:pk>/repay/", views_recoveries.repay, name="repay"),
    path("recoveries/<int:pk>/waive/", views_recoveries.waive, name="waive"),
    path("persons/<int:person_id>/recovery/", views_recoveries.register, name="register_recovery"),
    path("relatives/", views_relatives.declarations, name="relatives"),
    path("relatives/<int:pk>/withdraw/", views_relatives.withdraw, name="withdraw_relative"),
]
