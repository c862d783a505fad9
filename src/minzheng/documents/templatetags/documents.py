from django import template

from minzheng.documents import selectors

register = template.Library()


@register.inclusion_tag("documents/_case_documents.html", takes_context=True)
def case_documents(context, case):
    """The case page's panel: the documents issued for the case, and the forms to issue."""
    user = context["request"].user
    return {
        "case": case,
        "documents": list(selectors.of_case(case)),
        "may_issue_consent": user.has_perm("cases.investigate_case")
        and user.has_perm("documents.view_document"),
        "may_print": user.has_perm("documents.view_document"),
        "csrf_token": context.get("csrf_token"),
    }
