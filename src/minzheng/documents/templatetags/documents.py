from django import template

from minzheng.documents import selectors

register = template.Library()


@register.inclusion_tag("documents/_record_documents.html", takes_context=True)
def record_documents(context, procedure: str, record, issue_template: str = ""):
    """A record page's panel: the documents issued for the record, and (in `issue_template`)
    the record's own issuing forms."""
    user = context["request"].user
    return {
        "record": record,
        "documents": list(selectors.of_record(procedure, record.pk)),
        "may_print": user.has_perm("documents.view_document"),
        "issue_template": issue_template,
        "request": context["request"],
        "perms": context.get("perms"),
        "csrf_token": context.get("csrf_token"),
    }
