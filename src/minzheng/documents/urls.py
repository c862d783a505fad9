from django.urls import path

from minzheng.documents import views

app_name = "documents"
urlpatterns = [
    path("", views.register, name="register"),
    path("<int:pk>/", views.print_document, name="print"),
    path("publicity/", views.issue_publicity, name="issue_publicity"),
    path("cases/<int:case_pk>/consent/", views.issue_consent_form, name="issue_consent"),
    path("payrolls/<int:payroll_pk>/summary/", views.issue_payroll_summary, name="issue_payroll"),
]
