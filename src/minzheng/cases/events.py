"""The cases' own audit actions, with the Chinese labels the audit screen shows. A case's steps
("case.approve" …) are declared by the steps table (cases/workflow.py) and recorded by the
procedure layer; these are the 免申即享 screening and its decisions, which are not steps."""

from minzheng.audit.actions import Action


class Event(Action):
    AUTOMATIC_SCREENED = "case.automatic_screened", "免申即享筛查"
    # recorded as f"case.automatic_{Proposal.Status}" when a proposal is decided
    AUTOMATIC_CONFIRMED = "case.automatic_confirmed", "确认纳入免申即享"
    AUTOMATIC_DECLINED = "case.automatic_declined", "免申即享不予纳入"
