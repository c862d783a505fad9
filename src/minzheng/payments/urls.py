from django.urls import path

from minzheng.payments import views, views_funds, views_recoveries, views_relatives

app_name = "payments"
urlpatterns = [
    path("", views.payrolls, name="payrolls"),
    path("<id:pk>/", views.payroll, name="payroll"),
    path("<id:pk>/returns/", views.import_returns, name="import_returns"),
    path("<id:pk>/batches/<id:sequence>.<str:fmt>", views.download, name="download"),
    path("<id:pk>/<str:action>/", views.act, name="act"),
    path("flags/<id:pk>/", views.resolve, name="resolve"),
    path("lines/<id:pk>/", views.line, name="line"),
    path("lines/<id:pk>/paid/", views.record_other_payment, name="record_other_payment"),
    path("returns/<id:pk>/", views.return_file, name="return_file"),
    path("funds/", views_funds.overview, name="funds"),
    path("recoveries/", views_recoveries.recovery_list, name="recoveries"),
    path("recoveries/<id:pk>/", views_recoveries.recovery, name="recovery"),
    path("recoveries/<id:pk>/repay/", views_recoveries.repay, name="repay"),
    path("recoveries/<id:pk>/waive/", views_recoveries.waive, name="waive"),
    path("persons/<id:person_id>/recovery/", views_recoveries.register, name="register_recovery"),
    path("relatives/", views_relatives.declarations, name="relatives"),
    path("relatives/<id:pk>/withdraw/", views_relatives.withdraw, name="withdraw_relative"),
]
