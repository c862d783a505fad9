"""The payroll summary, issued under /documents/ beside the register."""

from django.urls import path

from minzheng.payments import views_funds

app_name = "payroll_documents"
urlpatterns = [
    path(
        "payrolls/<id:payroll_pk>/summary/",
        views_funds.issue_payroll_summary,
        name="issue_payroll",
    ),
]
