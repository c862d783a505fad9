"""Social assistance's documents, issued under /documents/ beside the register."""

from django.urls import path

from minzheng.cases import views_documents

app_name = "case_documents"
urlpatterns = [
    path("publicity/", views_documents.issue_publicity, name="issue_publicity"),
    path("cases/<id:case_pk>/consent/", views_documents.issue_consent_form, name="issue_consent"),
]
